/// The official files of the datasets CultureLens knows, by dataset name (`culturelens datasets list`), derived from
/// the built-in specs (``BuiltinSpecs``): each spec's `source.files` under its `source.dataset` name (default: its
/// id), leaving out file patterns (`{Region}`), which name no single file. A benchmark added as a spec file is here
/// without further code.
///
/// **None of these is pinned yet:** the research notes give no Hub commit ids or sha256 sums (see each spec file's
/// comments), so every file uses revision `main` and `sha256: nil`: the content can change under us and downloads
/// are not verified.
public enum DatasetRegistry {
    /// Dataset name → its files, in the specs' listing order.
    public static var files: [String: [DatasetFile]] {
        var result: [String: [DatasetFile]] = [:]
        for spec in BuiltinSpecs.all {
            let name = spec.source?.dataset ?? spec.id
            for file in spec.declaredFiles where DatasetSpec.placeholders(in: file.path).isEmpty {
                let known = result[name, default: []].contains { $0.repo == file.repo && $0.path == file.path }
                if !known { result[name, default: []].append(file) }
            }
        }
        return result
    }

    /// Dataset name → licence, as the dataset cards state it (the first spec's of that dataset).
    public static var licences: [String: String] {
        var result: [String: String] = [:]
        for spec in BuiltinSpecs.all where !spec.declaredFiles.isEmpty {
            let name = spec.source?.dataset ?? spec.id
            if result[name] == nil { result[name] = spec.licence }
        }
        return result
    }

    /// The dataset names, sorted.
    public static var names: [String] { files.keys.sorted() }

    /// The name of the dataset `file` belongs to (same repo and path, any revision).
    public static func name(of file: DatasetFile) -> String? {
        let files = self.files
        return files.keys.sorted().first { name in
            files[name]?.contains { $0.repo == file.repo && $0.path == file.path } ?? false
        }
    }
}

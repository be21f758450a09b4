import CultureLensCore

/// The dataset specs built into CultureLens: one `Specs/<id>.yaml` per benchmark, compiled in as text by the
/// EmbedSpecs build plugin (one binary, no resource bundles). The files are the single source of truth: the ids,
/// their listing order (file-name order) and the tests' id list all come from them. Each is scored by its paper's
/// rule; `docs/specs.md` describes the format and every deviation, and each file's comments its provenance.
public enum BuiltinSpecs {
    /// The YAML text of each built-in spec, in listing order (sorted by file name).
    public static var texts: [(id: String, yaml: String)] { embedded.map { ($0.id, $0.yaml) } }

    /// The file each built-in spec was compiled from (`Specs/<id>.yaml`), as named in its errors and diagnostics.
    public static func file(of id: String) -> String? { embedded.first { $0.id == id }?.file }

    /// The decoded specs, in listing order. The texts are compiled in; a spec that fails to decode is a
    /// programming error caught by the tests.
    public static let all: [DatasetSpec] = embedded.compactMap { entry in
        try? DatasetSpec.decode(yaml: entry.yaml, file: entry.file)
    }

    /// The ids, in listing order.
    public static var ids: [String] { texts.map(\.id) }

    /// A built-in spec by id.
    ///
    /// Decodes only that spec's YAML: decoding all of them (``all``) was a fixed cost before every `run`.
    public static func spec(named id: String) -> DatasetSpec? {
        guard let entry = embedded.first(where: { $0.id == id }),
            let spec = try? DatasetSpec.decode(yaml: entry.yaml, file: entry.file), spec.id == id
        else { return all.first { $0.id == id } }
        return spec
    }
}

import CultureLensCore
import CultureLensFormats
import Foundation

/// An Inspect (inspect_ai) evaluation log: the default `.eval` (a ZIP whose `header.json` holds `eval` and
/// `results` and whose `samples/*.json` hold the samples, every entry zstd-compressed, which the `zstd` command
/// decompresses) or a log written with `--log-format json` (`eval`, `results`, `samples` in one object). Each
/// sample has `id`, `epoch`, `input`, `choices`, `target`, `output.completion` and `scores` (per scorer:
/// `value` `C`/`I`/`P`/`N` or a number, `answer`).
public enum InspectLog {
    /// What a log holds.
    public struct Contents: Sendable {
        /// The task name.
        public var task: String
        /// The model (`openai/fake-model`).
        public var model: String?
        /// inspect_ai's version.
        public var version: String?
        /// The headline accuracy Inspect reported.
        public var accuracy: Double?
        /// The samples.
        public var samples: [ImportedSample]
    }

    /// The log files under `path` (a log, or a directory: its `.eval` and `.json` logs), sorted by name.
    public static func files(at path: String) throws(LoadError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError(file: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        // `logs.json` is Inspect's listing of the folder, not a log.
        let logs = names.filter { ($0.hasSuffix(".json") && $0 != "logs.json") || $0.hasSuffix(".eval") }.sorted()
        guard !logs.isEmpty else {
            throw LoadError(file: path, message: "no Inspect log (.eval or .json) in it")
        }
        return logs.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
    }

    /// Reads one log.
    /// - Throws: ``LoadError`` naming the file (and the sample) and the field that is malformed.
    public static func read(_ url: URL) throws(LoadError) -> Contents {
        let file = url.path
        let data = try LoadError.contents(of: url, file: file)
        let header: DataValue
        let samples: [(String, DataValue)]
        if url.pathExtension == "eval" {
            (header, samples) = try evalArchive(data, file: file)
        } else {
            header = try json(data, file: file)
            guard case .array(let list)? = header["samples"] else {
                throw LoadError(file: file, field: "samples", message: "missing (was the log written with samples?)")
            }
            samples = list.enumerated().map { ("\(file):samples[\($0.offset)]", $0.element) }
        }
        guard let eval = header["eval"], let task = eval["task"]?.text else {
            throw LoadError(file: file, field: "eval.task", message: "missing: not an Inspect log")
        }
        var accuracy: Double?
        if case .array(let scores)? = header["results"]?["scores"], let first = scores.first {
            accuracy = first["metrics"]?["accuracy"]?["value"]?.number
        }
        var imported: [ImportedSample] = []
        for (location, sample) in samples {
            guard let id = sample["id"]?.text else {
                throw LoadError(file: location, field: "id", message: "missing: the sample's id")
            }
            var question = sample["input"]?.text
            if question == nil, case .array(let messages)? = sample["input"] {
                question = messages.last { $0["role"]?.text == "user" }?["content"]?.text
            }
            var choices: [String] = []
            if case .array(let list)? = sample["choices"] { choices = list.compactMap(\.text) }
            var gold: [Int] = []
            if let target = sample["target"]?.text, let index = ImportedSample.option(target, choices: choices) {
                gold = [index]
            } else if case .array(let targets)? = sample["target"] {
                gold = targets.compactMap { $0.text.flatMap { ImportedSample.option($0, choices: choices) } }
            }
            guard case .object(let scorers)? = sample["scores"], let score = scorers.first?.value else {
                throw LoadError(file: location, field: "scores", message: "missing: the sample was not scored")
            }
            let value: Double
            switch score["value"] {
            case .string("C")?: value = 1
            case .string("I")?, .string("N")?: value = 0
            case .string("P")?: value = 0.5
            case let other?:
                guard let number = other.number else {
                    throw LoadError(file: location, field: "scores.\(scorers[0].key).value", message: "not a score")
                }
                value = number
            case nil:
                throw LoadError(file: location, field: "scores.\(scorers[0].key).value", message: "missing")
            }
            let epoch = sample["epoch"]?.number.map { Int($0) } ?? 1
            imported.append(
                ImportedSample(
                    location: location,
                    task: task,
                    sampleID: epoch == 1 ? id : "\(id)#\(epoch)",
                    question: question,
                    choices: choices,
                    gold: gold,
                    response: sample["output"]?["completion"]?.text,
                    predicted: score["answer"]?.text.flatMap { ImportedSample.option($0, choices: choices) },
                    score: value
                )
            )
        }
        return Contents(
            task: task,
            model: eval["model"]?.text,
            version: eval["packages"]?["inspect_ai"]?.text,
            accuracy: accuracy,
            samples: imported
        )
    }

    /// The header and the samples (by entry name) of an `.eval` archive.
    static func evalArchive(_ data: Data, file: String) throws(LoadError) -> (DataValue, [(String, DataValue)]) {
        let archive = try ZipArchive(data, file: file)
        guard let headerEntry = archive.entries.first(where: { $0.name == "header.json" }) else {
            throw LoadError(file: file, field: "header.json", message: "missing: not an Inspect .eval log")
        }
        let header = try json(try decompress(headerEntry, file: file), file: "\(file):header.json")
        var samples: [(String, DataValue)] = []
        for entry in archive.entries.filter({ $0.name.hasPrefix("samples/") && $0.name.hasSuffix(".json") })
            .sorted(by: { $0.name < $1.name })
        {
            let location = "\(file):\(entry.name)"
            samples.append((location, try json(try decompress(entry, file: location), file: location)))
        }
        guard !samples.isEmpty else {
            throw LoadError(file: file, field: "samples/", message: "no samples in the log")
        }
        return (header, samples)
    }

    /// An entry's bytes: stored as they are, or zstd (what Inspect writes) through the `zstd` command.
    static func decompress(_ entry: ZipArchive.Entry, file: String) throws(LoadError) -> Data {
        switch entry.method {
        case 0:
            return entry.compressed
        case 93:
            let candidates = ["/usr/bin/zstd", "/usr/local/bin/zstd", "/bin/zstd"]
            guard let zstd = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw LoadError(
                    file: file,
                    message: "Inspect compresses .eval entries with zstd: install the zstd command (apt install zstd)"
                )
            }
            // Through a temporary file: feeding a pipe while reading the other would need a second thread.
            let temporary = FileManager.default.temporaryDirectory
                .appendingPathComponent("culturelens-eval-\(UUID().uuidString).zst")
            defer { try? FileManager.default.removeItem(at: temporary) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zstd)
            process.arguments = ["-d", "-c", "-q", temporary.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do {
                try entry.compressed.write(to: temporary)
                try process.run()
            } catch {
                throw LoadError(file: file, message: "cannot run \(zstd): \(error.localizedDescription)")
            }
            let decompressed = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, decompressed.count == entry.uncompressedSize else {
                throw LoadError(file: file, message: "corrupt zstd data (zstd exit \(process.terminationStatus))")
            }
            return decompressed
        default:
            throw LoadError(file: file, message: "ZIP compression method \(entry.method) is not supported")
        }
    }

    static func json(_ data: Data, file: String) throws(LoadError) -> DataValue {
        guard let value = DataValue.parseJSON(data), case .object = value else {
            throw LoadError(file: file, message: "not a JSON object (an Inspect log)")
        }
        return value
    }
}

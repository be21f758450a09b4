import CultureLensCore
import CultureLensFormats
import Foundation

/// An Inspect (inspect_ai) evaluation log written with `--log-format json` (`eval`, `results`, `samples`); the
/// default `.eval` zip is refused with a way to convert it. Each sample has `id`, `epoch`, `input`, `choices`, `target`, `output.completion` and `scores` (per scorer:
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

    /// The log files under `path` (a log, or a directory: its `.json` logs), sorted by name.
    public static func files(at path: String) throws(LoadError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError(file: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        // `logs.json` is Inspect's listing of the folder, not a log.
        let logs = names.filter { $0.hasSuffix(".json") && $0 != "logs.json" }.sorted()
        guard !logs.isEmpty else {
            throw LoadError(file: path, message: "no Inspect JSON log in it (run inspect eval with --log-format json)")
        }
        return logs.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
    }

    /// Reads one log.
    /// - Throws: ``LoadError`` naming the file (and the sample) and the field that is malformed.
    public static func read(_ url: URL) throws(LoadError) -> Contents {
        let file = url.path
        guard url.pathExtension != "eval" else {
            // Inspect compresses the entries of its .eval zip with zstd (method 93), which neither Foundation nor
            // the system's unzip reads.
            throw LoadError(
                file: file,
                message: ".eval logs (zstd-compressed zip) are not read yet: convert the log with `inspect log "
                    + "convert FILE --to json --output-dir DIR`, or run `inspect eval` with --log-format json"
            )
        }
        let data = try LoadError.contents(of: url, file: file)
        let header = try json(data, file: file)
        guard case .array(let list)? = header["samples"] else {
            throw LoadError(file: file, field: "samples", message: "missing (was the log written with samples?)")
        }
        let samples = list.enumerated().map { ("\(file):samples[\($0.offset)]", $0.element) }
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

    static func json(_ data: Data, file: String) throws(LoadError) -> DataValue {
        guard let value = DataValue.parseJSON(data), case .object = value else {
            throw LoadError(file: file, message: "not a JSON object (an Inspect log)")
        }
        return value
    }
}

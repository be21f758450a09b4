import CultureLensCore
import CultureLensFormats
import Foundation

/// lm-evaluation-harness output (`--output_path DIR --log_samples`): per task a `samples_<task>_<timestamp>.jsonl`
/// (one line per document and filter: `doc_id`, `doc`, `target`, `resps`, `filtered_resps`, `filter`, `metrics`
/// and each metric's value) and a `results_<timestamp>.json` (`results.<task>.<metric>,<filter>`, `model_name`,
/// `lm_eval_version`).
public enum LMEvalLog {
    /// The samples files under `path` (a samples file, or a directory searched recursively), the newest per task.
    /// - Throws: ``LoadError`` when there is none.
    public static func samplesFiles(at path: String) throws(LoadError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError(file: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        var newest: [String: URL] = [:]
        let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            let name = url.lastPathComponent
            guard name.hasPrefix("samples_"), name.hasSuffix(".jsonl"), let (task, _) = split(name) else { continue }
            // Timestamps sort as text, so the last name is the newest run of the task.
            if let previous = newest[task], previous.lastPathComponent >= name { continue }
            newest[task] = url
        }
        guard !newest.isEmpty else {
            throw LoadError(
                file: path,
                message: "no lm-eval samples_<task>_<timestamp>.jsonl file (run lm-eval with --log_samples)"
            )
        }
        return newest.keys.sorted().compactMap { newest[$0] }
    }

    /// `samples_<task>_<timestamp>.jsonl` → (task, timestamp).
    static func split(_ name: String) -> (task: String, timestamp: String)? {
        let stem = name.dropFirst("samples_".count).dropLast(".jsonl".count)
        guard let underscore = stem.lastIndex(of: "_") else { return nil }
        return (String(stem[..<underscore]), String(stem[stem.index(after: underscore)...]))
    }

    /// Reads the samples of one task's file. Lines of filters other than the first one met are left out (lm-eval
    /// writes one line per document and filter; the first filter is the one its table shows first).
    /// - Returns: the samples, the task, the metric and filter used.
    /// - Throws: ``LoadError`` naming the file, line and field of a malformed line.
    public static func samples(in url: URL) throws(LoadError) -> (
        task: String, metric: String, filter: String?, samples: [ImportedSample]
    ) {
        let file = url.path
        let data = try LoadError.contents(of: url, file: file)
        let task = split(url.lastPathComponent)?.task ?? url.deletingPathExtension().lastPathComponent
        var metric: String?
        var filter: String?
        var samples: [ImportedSample] = []
        for (line, content) in JSONLReader.lines(of: data) {
            func fail(_ field: String?, _ message: String) -> LoadError {
                LoadError(file: file, line: line, field: field, message: message)
            }
            guard let row = DataValue.parseJSON(content), case .object = row else {
                throw fail(nil, "not a JSON object (an lm-eval samples line)")
            }
            guard let docID = row["doc_id"]?.number else {
                throw fail("doc_id", row["doc_id"] == nil ? "missing" : "expected a number")
            }
            guard let doc = row["doc"], case .object = doc else { throw fail("doc", "missing or not an object") }
            let lineFilter = row["filter"]?.text
            if filter == nil { filter = lineFilter }
            if lineFilter != filter { continue }
            if metric == nil {
                guard case .array(let names)? = row["metrics"], let first = names.first?.text else {
                    throw fail("metrics", "missing or empty: expected the list of the task's metrics")
                }
                metric = first
            }
            guard let metric, let value = row[metric] else { throw fail(metric, "missing: the sample's score") }
            guard let score = value.number else { throw fail(metric, "expected a number, found \(value.kindName)") }
            let (question, choices) = ImportedSample.questionAndChoices(of: doc)
            var gold: [Int] = []
            if let target = row["target"] {
                if case .number(let index) = target, choices.indices.contains(Int(index)) {
                    gold = [Int(index)]
                } else if let text = target.text, let index = ImportedSample.option(text, choices: choices) {
                    gold = [index]
                }
            }
            let response: String?
            if case .array(let outer)? = row["resps"], case .array(let inner)? = outer.first {
                response = inner.first?.text
            } else {
                response = nil
            }
            var predicted: Int?
            if case .array(let filtered)? = row["filtered_resps"] {
                if let text = filtered.first?.text {
                    predicted = ImportedSample.option(text, choices: choices)
                } else {
                    // Log-likelihood tasks: one [loglikelihood, is_greedy] pair per option.
                    let scores = filtered.map { pair -> Double in
                        if case .array(let values) = pair, let first = values.first?.number { return first }
                        return pair.number ?? -.infinity
                    }
                    if !scores.isEmpty { predicted = scores.indices.max { scores[$0] < scores[$1] } }
                }
            }
            samples.append(
                ImportedSample(
                    location: "\(file):\(line)",
                    task: task,
                    sampleID: String(Int(docID)),
                    question: question,
                    choices: choices,
                    gold: gold,
                    response: response,
                    predicted: predicted,
                    score: score
                )
            )
        }
        return (task, metric ?? "exact_match", filter, samples)
    }

    /// What the `results_<timestamp>.json` beside a samples file says: the model name, lm-eval's version, and
    /// the task's `metric,filter` value. `nil` when the file is absent.
    /// - Throws: ``LoadError`` when it is there but malformed.
    public static func results(besides samples: URL, task: String, metric: String, filter: String?) throws(LoadError)
        -> (model: String?, version: String?, value: Double?)?
    {
        guard let timestamp = split(samples.lastPathComponent)?.timestamp else { return nil }
        let url = samples.deletingLastPathComponent().appendingPathComponent("results_\(timestamp).json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let document = DataValue.parseJSON(data), case .object = document else {
            throw LoadError(file: url.path, message: "not a JSON object (an lm-eval results file)")
        }
        guard let taskResults = document["results"]?[task] else {
            throw LoadError(file: url.path, field: "results.\(task)", message: "missing")
        }
        let key = filter.map { "\(metric),\($0)" } ?? metric
        return (document["model_name"]?.text, document["lm_eval_version"]?.text, taskResults[key]?.number)
    }
}

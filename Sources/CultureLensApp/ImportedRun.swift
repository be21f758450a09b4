import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import Foundation

/// One sample read from another tool's log (lm-eval, Inspect): what was asked, what came back and how the tool
/// scored it. The parsers fill it; ``ImportedRun/assemble(tool:toolVersion:model:source:tasks:samples:candidates:reportedAccuracy:settings:)``
/// maps it to an item.
public struct ImportedSample: Sendable, Hashable {
    /// Where the sample is, `file:line` (or `file:sample ID`), for listings and errors.
    public var location: String
    /// The tool's task.
    public var task: String
    /// The tool's id of the sample within its task (lm-eval's `doc_id`, Inspect's sample id).
    public var sampleID: String
    /// The question, when the sample shows one.
    public var question: String?
    /// The options, in the tool's order.
    public var choices: [String]
    /// The correct options' indices, when known.
    public var gold: [Int]
    /// The model's raw answer.
    public var response: String?
    /// The option the tool read from the answer, when it names one.
    public var predicted: Int?
    /// The tool's own score of the sample (its metric, 1 correct, 0 wrong); kept as the item's score so the
    /// imported accuracy is the tool's.
    public var score: Double?

    /// Creates a sample.
    public init(
        location: String,
        task: String,
        sampleID: String,
        question: String?,
        choices: [String],
        gold: [Int],
        response: String?,
        predicted: Int?,
        score: Double?
    ) {
        self.location = location
        self.task = task
        self.sampleID = sampleID
        self.question = question
        self.choices = choices
        self.gold = gold
        self.response = response
        self.predicted = predicted
        self.score = score
    }

    /// The content key of a question and its options: never their position.
    static func contentKey(question: String, choices: [String]) -> String {
        func normalized(_ text: String) -> String {
            text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let text = ([normalized(question)] + choices.map(normalized)).joined(separator: "\u{1F}")
        return Hashing.sha256Hex(of: Data(text.utf8))
    }
}

/// A sample that could not be mapped to an item: listed on stderr and in `results.json`, never dropped silently.
public struct UnmappedSample: Sendable, Hashable {
    /// Where the sample is.
    public var location: String
    /// Why it could not be mapped.
    public var reason: String
}

/// Another tool's evaluation, mapped onto CultureLens items and ready to be stored and written as a run.
public struct ImportedRun: Sendable {
    /// The suite of the run: a known suite when every sample matched one of its items, else the generic MCQ suite
    /// (`mcq-jsonl`) holding the matched items under their ids and items built from the other samples.
    public var suite: Suite
    /// The run record (status completed).
    public var run: RunRecord
    /// One result per mapped sample, scored with the tool's own metric.
    public var results: [ItemResult]
    /// Samples that could not be mapped.
    public var unmapped: [UnmappedSample]
    /// How many samples matched an item of a known suite by content.
    public var matched: Int
    /// The accuracy the tool itself reported (lm-eval's results JSON, Inspect's log), when it did.
    public var reportedAccuracy: Double?
    /// Settings for `results.json`: tool, version, source, counts.
    public var settings: [String: String]

    /// Maps `samples` to items and builds the run.
    /// - Parameters:
    ///   - tool: `lm-eval` or `inspect`.
    ///   - toolVersion: The tool's version as its log records it.
    ///   - model: The model name the tool recorded.
    ///   - source: The imported path.
    ///   - tasks: The tool's task names.
    ///   - samples: The samples, in the tool's order.
    ///   - candidates: Suites whose items a sample may match by the content hash of its question and options (the
    ///     user's `--suite`, else the built-in suites that need no download).
    ///   - reportedAccuracy: The tool's own accuracy.
    ///   - settings: Tool-specific settings to record.
    public static func assemble(
        tool: String,
        toolVersion: String,
        model: String,
        source: String,
        tasks: [String],
        samples: [ImportedSample],
        candidates: [Suite],
        reportedAccuracy: Double?,
        settings: [String: String]
    ) -> ImportedRun {
        var known: [String: (suite: Int, position: Int)] = [:]
        for (suiteIndex, suite) in candidates.enumerated() {
            for (position, item) in suite.items.enumerated() where item.kind == .multipleChoice || !item.choices.isEmpty
            {
                let key = ImportedSample.contentKey(question: item.stem, choices: item.choices)
                if known[key] == nil { known[key] = (suiteIndex, position) }
            }
        }
        var unmapped: [UnmappedSample] = []
        var mapped: [(sample: ImportedSample, item: Item, known: (suite: Int, position: Int)?)] = []
        var seenItems: [String: String] = [:]
        for sample in samples {
            guard let question = sample.question, !question.isEmpty else {
                unmapped.append(UnmappedSample(location: sample.location, reason: "no question found in the sample"))
                continue
            }
            guard sample.choices.count >= 2 else {
                unmapped.append(UnmappedSample(location: sample.location, reason: "no options found in the sample"))
                continue
            }
            let key = ImportedSample.contentKey(question: question, choices: sample.choices)
            let hit = known[key]
            let item =
                hit.map { candidates[$0.suite].items[$0.position] }
                ?? Item(
                    id: sample.task + "/" + sample.sampleID,
                    kind: .multipleChoice,
                    stem: question,
                    choices: sample.choices,
                    gold: sample.gold,
                    culture: "global",
                    topic: sample.task,
                    provenance: Provenance(source: tool + ":" + sample.task, licence: "user data")
                )
            if let first = seenItems[item.id] {
                unmapped.append(
                    UnmappedSample(
                        location: sample.location,
                        reason: "item \(item.id) was already imported from \(first)"
                    )
                )
                continue
            }
            seenItems[item.id] = sample.location
            mapped.append((sample, item, hit))
        }
        let matched = mapped.filter { $0.known != nil }.count
        let single = Set(mapped.compactMap { $0.known?.suite })
        let suite: Suite
        var positions: [Int]
        if matched == mapped.count, single.count == 1, let index = single.first {
            let base = candidates[index]
            suite = base
            positions = mapped.map { $0.known?.position ?? 0 }
        } else {
            suite = Suite(
                name: "mcq-jsonl",
                title: "Imported from \(tool): \(tasks.joined(separator: ", "))",
                version: "1",
                source: source,
                licence: "user data",
                items: mapped.map(\.item)
            )
            positions = Array(mapped.indices)
        }
        let runID = RunRecord.makeID(
            suite: suite.name,
            specHash: suite.specHash,
            model: "\(model)@\(tool):\(source)",
            api: .chat,
            scoring: .generate,
            itemCount: mapped.count
        )
        let builder = PromptBuilder()
        var results: [ItemResult] = []
        for (offset, entry) in mapped.enumerated() {
            let item = entry.item
            var result = ItemResult.unanswered(
                runID: runID,
                item: item,
                index: positions[offset],
                prompt: builder.render(item).displayText
            )
            // The tool's reading of the answer: its option, and its score kept as is.
            result.response = entry.sample.response
            if let predicted = entry.sample.predicted, item.choices.indices.contains(predicted) {
                result.predicted = predicted
                var distribution = [Double](repeating: 0, count: item.choices.count)
                distribution[predicted] = 1
                result.distribution = distribution
            }
            result.gold = item.gold.isEmpty ? entry.sample.gold : item.gold
            result.score = entry.sample.score
            if entry.sample.score == nil {
                result.failure = .parseFailure
                result.failureDetail = "\(tool) gave no score for \(entry.sample.location)"
            }
            results.append(result)
        }
        let run = RunRecord(
            id: runID,
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: suite.specHash,
            model: model,
            endpoint: "imported from \(tool) \(source)",
            api: .chat,
            scoring: .generate,
            itemCount: mapped.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(),
            finishedAt: Date(),
            status: .completed
        )
        var allSettings = settings
        allSettings["mode"] = "import"
        allSettings["import_tool"] = tool
        allSettings["import_tool_version"] = toolVersion
        allSettings["import_source"] = source
        allSettings["import_tasks"] = tasks.joined(separator: ",")
        allSettings["import_samples"] = String(samples.count)
        allSettings["import_matched_by_content"] = String(matched)
        allSettings["import_unmapped"] = String(unmapped.count)
        if let reportedAccuracy { allSettings["import_reported_accuracy"] = String(reportedAccuracy) }
        return ImportedRun(
            suite: suite,
            run: run,
            results: results.sorted { $0.itemIndex < $1.itemIndex },
            unmapped: unmapped,
            matched: matched,
            reportedAccuracy: reportedAccuracy,
            settings: allSettings
        )
    }

    /// The unmapped samples as diagnostics for `results.json` (warnings naming the file and line).
    public var diagnostics: [Diagnostic] {
        unmapped.map { Diagnostic(.warning, "not imported: \($0.reason)", file: $0.location) }
    }

    /// Saves the run and its results in `store`, completed.
    public func save(in store: any ResultStore) async throws {
        _ = try await store.openRun(run)
        for result in results { try await store.save(result, cacheEntry: nil) }
        try await store.updateRun(run)
    }
}

extension ImportedSample {
    /// The option a short answer names: a letter `A`…, a 0-based index, or an option's text.
    static func option(_ text: String, choices: [String]) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 1, let scalar = trimmed.unicodeScalars.first, ("A"..."Z").contains(scalar) {
            let index = Int(scalar.value) - 65
            return choices.isEmpty || choices.indices.contains(index) ? index : nil
        }
        if let index = Int(trimmed), choices.indices.contains(index) { return index }
        return choices.firstIndex(of: trimmed)
    }

    /// The question and options of a dataset row as tools log it (`doc` in lm-eval, `input`/`choices` in Inspect).
    static func questionAndChoices(of row: DataValue) -> (question: String?, choices: [String]) {
        var question: String?
        for key in ["question", "query", "input", "prompt", "text", "sentence", "goal"] {
            if let text = row[key]?.text, !text.isEmpty {
                question = text
                break
            }
        }
        var choices: [String] = []
        for key in ["choices", "options", "endings"] {
            guard let value = row[key] else { continue }
            let list = value["text"] ?? value
            if case .array(let elements) = list {
                let texts = elements.compactMap(\.text)
                if texts.count == elements.count {
                    choices = texts
                    break
                }
            }
        }
        if choices.isEmpty {
            let letters = ["A", "B", "C", "D", "E", "F"].map { row[$0]?.text }
            choices = Array(letters.prefix { $0 != nil }.compactMap { $0 })
        }
        return (question, choices)
    }
}

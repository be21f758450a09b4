// CultureLensBench: the store and report half of `make bench` (Benchmarks/run.sh).
//
//   CultureLensBench write  DB COUNT [CONCURRENCY]   synthesise COUNT results (seeded) and save them through
//                                                   SQLiteResultStore, CONCURRENCY saves in flight as the runner does
//   CultureLensBench export DB COUNT OUTDIR          write results.json + samples.jsonl of the stored run into
//                                                   OUTDIR, streamed from the store a page at a time
//                                                   (RunReport.write(run:suite:store:...))
//   CultureLensBench export-memory DB COUNT OUTDIR   the same files from one full read-back (what `run --output` did before it streamed)
//                                                   after the runner's read-back: results(runID:), then RunReport
//
// Each mode prints one JSON object on stdout (phase timings in seconds, peak RSS in KiB), so each phase's peak
// RSS is that of its own process. The HTML report over OUTDIR is then timed through the real CLI
// (`culturelens report OUTDIR`) by the script.

import CultureLensCore
import CultureLensReport
import CultureLensStatistics
import CultureLensStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Synthetic 4-option items, the same ones for every mode (the seed fixes them).
struct Synthetic {
    static let cultures = [
        "JP", "KE", "BR", "DE", "IN", "MX", "NG", "FR", "EG", "KR", "US", "ID", "TR", "PE", "VN", "ZA",
    ]
    static let topics = ["food", "etiquette", "holidays", "family", "music", "sport", "language", "religion"]
    static let words = [
        "festival", "breakfast", "greeting", "wedding", "market", "dance", "tea", "rice", "bread", "gift",
        "elder", "neighbour", "season", "harvest", "custom", "song", "dish", "ceremony", "visit", "meal",
    ]

    static func item(_ index: Int) -> Item {
        var rng = SplitMix64(seed: 0x5EED_0000 &+ UInt64(index))
        func word() -> String { words[Int(rng.next() % UInt64(words.count))] }
        let culture = cultures[index % cultures.count]
        let topic = topics[Int(rng.next() % UInt64(topics.count))]
        let stem = "Question \(index): which \(word()) is most usually part of a \(word()) \(word()) in this country?"
        let choices = (0..<4).map { option in "\(word().capitalized) \(word()) \(option)" }
        return Item(
            id: "q\(index)",
            kind: .multipleChoice,
            stem: stem,
            choices: choices,
            gold: [Int(rng.next() % 4)],
            culture: culture,
            topic: topic,
            provenance: Provenance(source: "culturelens-bench", licence: "synthetic")
        )
    }

    static func suite(count: Int) -> Suite {
        Suite(
            name: "bench-synthetic",
            title: "Synthetic 4-option items",
            version: "1",
            source: "culturelens-bench",
            licence: "synthetic",
            items: (0..<count).map(item)
        )
    }

    static let model = "bench-model"

    static func runRecord(_ suite: Suite) -> RunRecord {
        RunRecord(
            id: RunRecord.makeID(
                suite: suite.name,
                specHash: "bench",
                model: model,
                api: .chat,
                scoring: .generate,
                itemCount: suite.items.count
            ),
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: "bench",
            model: model,
            endpoint: "http://127.0.0.1/v1",
            api: .chat,
            scoring: .generate,
            itemCount: suite.items.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    /// The result and cache entry the runner would save for item `index` after a fresh generate-mode response.
    static func result(_ index: Int, item: Item, runID: String) -> (ItemResult, CacheEntry) {
        var rng = SplitMix64(seed: 0xA115_0000 &+ UInt64(index))
        let prompt = PromptBuilder().render(item)
        let request = ModelRequest(api: .chat, prompt: prompt.text, maxTokens: 48, topLogprobs: nil)
        let key = request.cacheKey(model: model)
        let letter = Int(rng.next() % 5)  // 4 = an unparseable answer, about one in five
        let text = letter < 4 ? "Answer: \(prompt.labels[letter])" : "I think it depends on the family."
        let response = ModelResponse(text: text, firstTokenTopLogprobs: nil, finishReason: "stop")
        let outcome = ItemScorer(mode: .generate).score(response, prompt: prompt, item: item)
        let result = ItemResult(
            runID: runID,
            itemID: item.id,
            itemIndex: index,
            culture: item.culture,
            topic: item.topic,
            prompt: prompt.text,
            response: text,
            distribution: outcome.distribution,
            outsideMass: outcome.outsideMass,
            predicted: outcome.predicted,
            gold: item.gold,
            score: outcome.score,
            failure: outcome.failure,
            failureDetail: outcome.failure != nil ? "response text: \(text)" : nil,
            cacheKey: key,
            cached: false,
            attempts: 1
        )
        return (result, CacheEntry(key: key, request: request, model: model, response: response))
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Peak resident set size of this process, KiB.
func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

func emit(_ fields: [String: Double]) {
    var fields = fields
    fields["peak_rss_kib"] = Double(peakRSSKiB())
    let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
    print("{\(body)}")
}

func write(path: String, count: Int, concurrency: Int) async throws {
    let start = ContinuousClock.now
    let suite = Synthetic.suite(count: count)
    let store = try SQLiteResultStore(path: path)
    let run = try await store.openRun(Synthetic.runRecord(suite))
    let prepared = seconds(since: start)
    let writeStart = ContinuousClock.now
    // A sliding window of `concurrency` saves, one transaction per result with its response, as EvaluationRunner
    // does for fresh responses.
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func schedule() {
            guard next < count else { return }
            let index = next
            let item = suite.items[index]
            next += 1
            group.addTask {
                let (result, entry) = Synthetic.result(index, item: item, runID: run.id)
                try await store.save(result, cacheEntry: entry)
            }
        }
        for _ in 0..<min(concurrency, count) { schedule() }
        while try await group.next() != nil { schedule() }
    }
    let writing = seconds(since: writeStart)
    var finished = run
    finished.status = .completed
    finished.finishedAt = Date(timeIntervalSince1970: 1_800_000_100)
    try await store.updateRun(finished)
    emit([
        "count": Double(count),
        "prepare_s": prepared,
        "write_s": writing,
        "writes_per_s": Double(count) / writing,
        "total_s": seconds(since: start),
    ])
}

func export(path: String, count: Int, output: String) async throws {
    let start = ContinuousClock.now
    let suite = Synthetic.suite(count: count)
    let store = try SQLiteResultStore(path: path)
    let runID = Synthetic.runRecord(suite).id
    guard let run = try await store.run(id: runID) else {
        FileHandle.standardError.write(Data("no run \(runID) in \(path); run `write` first\n".utf8))
        exit(1)
    }
    let prepared = seconds(since: start)
    let exportStart = ContinuousClock.now
    // The summary is counted from the store as the results are exported.
    let template = RunReport(run: run, settings: ["concurrency": "32"])
    let summary = try await RunReport.write(template, suite: suite, store: store, to: URL(fileURLWithPath: output))
    let exporting = seconds(since: exportStart)
    guard summary.done == count else {
        FileHandle.standardError.write(Data("exported \(summary.done) results, expected \(count)\n".utf8))
        exit(1)
    }
    emit([
        "count": Double(summary.done),
        "prepare_s": prepared,
        "export_s": exporting,
        "total_s": seconds(since: start),
    ])
}

func exportInMemory(path: String, count: Int, output: String) async throws {
    let start = ContinuousClock.now
    let suite = Synthetic.suite(count: count)
    let store = try SQLiteResultStore(path: path)
    let runID = Synthetic.runRecord(suite).id
    guard let run = try await store.run(id: runID) else {
        FileHandle.standardError.write(Data("no run \(runID) in \(path); run `write` first\n".utf8))
        exit(1)
    }
    let prepared = seconds(since: start)
    let readStart = ContinuousClock.now
    let results = try await store.results(runID: runID)
    let reading = seconds(since: readStart)
    guard results.count == count else {
        FileHandle.standardError.write(Data("read \(results.count) results, expected \(count)\n".utf8))
        exit(1)
    }
    let exportStart = ContinuousClock.now
    // The in-memory path: one full read-back, then the report from it (what `run --output` did before it streamed).
    let report = RunReport(run: run, suite: suite, results: results, settings: ["concurrency": "32"])
    try report.write(to: URL(fileURLWithPath: output))
    let exporting = seconds(since: exportStart)
    emit([
        "count": Double(results.count),
        "prepare_s": prepared,
        "read_s": reading,
        "export_s": exporting,
        "total_s": seconds(since: start),
    ])
}

let arguments = CommandLine.arguments
func usage() -> Never {
    FileHandle.standardError.write(
        Data("usage: CultureLensBench write DB COUNT [CONCURRENCY] | export|export-memory DB COUNT OUTDIR\n".utf8)
    )
    exit(2)
}
guard arguments.count >= 4, let count = Int(arguments[3]), count > 0 else { usage() }
switch arguments[1] {
case "write":
    try await write(path: arguments[2], count: count, concurrency: arguments.count > 4 ? Int(arguments[4]) ?? 32 : 32)
case "export" where arguments.count >= 5:
    try await export(path: arguments[2], count: count, output: arguments[4])
case "export-memory" where arguments.count >= 5:
    try await exportInMemory(path: arguments[2], count: count, output: arguments[4])
default:
    usage()
}

import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// The streamed export (`RunReport.write(run:suite:store:)`) and the streamed `samples.jsonl` writer give the same
/// bytes as the in-memory report, and the report's partial loading of samples gives the same HTML as full loading.
struct StreamedExportTests {
    /// Results over the starter suite, hostile text included, each item also under a second variant, in an order
    /// the store has to sort.
    static func results(runID: String) -> [ItemResult] {
        let plain = Fixtures.results(runID: runID, seed: 5, skill: 0.6, hostile: true)
        let swapped = Fixtures.results(runID: runID, seed: 6, skill: 0.4).map { result in
            var result = result
            result.variant = "swapped"
            return result
        }
        var all = plain + swapped
        var generator = SplitMix64(seed: 3)
        all.shuffle(using: &generator)
        return all
    }

    static func inMemoryFiles(run: RunRecord, results: [ItemResult], settings: [String: String]) throws -> (
        Data, Data
    ) {
        let report = RunReport(run: run, suite: Fixtures.suite, results: results, settings: settings)
        return (try report.resultsJSON(), try report.samplesJSONL())
    }

    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-export-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }

    @Test(arguments: [1, 7, 1000])
    func streamedExportIsByteIdenticalToTheInMemoryReport(pageSize: Int) async throws {
        let store = InMemoryResultStore()
        let run = try await store.openRun(Fixtures.record(id: "5eed5eed5eed5eed", model: "m"))
        let results = Self.results(runID: run.id)
        for result in results { try await store.save(result, cacheEntry: nil) }
        let settings = ["concurrency": "4", "limit": "all"]
        // The reference is what `run --output` writes from the store's read-back. (Hostile items sharing an id
        // replace each other in the store, so the stored results, not the saved ones, are the reference.)
        let stored = try await store.results(runID: run.id)
        let (resultsJSON, samplesJSONL) = try Self.inMemoryFiles(run: run, results: stored, settings: settings)
        try await Self.withDirectory { directory in
            let summary = try await RunReport.write(
                RunReport(run: run, settings: settings),
                suite: Fixtures.suite,
                store: store,
                to: directory,
                pageSize: pageSize
            )
            #expect(summary == RunSummary(results: stored, itemCount: run.itemCount))
            let streamedResults = try Data(contentsOf: directory.appendingPathComponent("results.json"))
            let streamedSamples = try Data(contentsOf: directory.appendingPathComponent("samples.jsonl"))
            #expect(streamedResults == resultsJSON)
            #expect(streamedSamples == samplesJSONL)
            #expect(streamedSamples.split(separator: 0x0A).count == stored.count)
            #expect(stored.count > 100)
            // Nothing but the two files: the temporary file was renamed into place.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["results.json", "samples.jsonl"])
        }
    }

    @Test func aStoreListingAnotherOrderFallsBackToTheInMemoryReport() async throws {
        let inner = InMemoryResultStore()
        let store = ReversedPagesStore(inner: inner)
        let run = try await store.openRun(Fixtures.record(id: "0000111122223333", model: "m"))
        let results = Self.results(runID: run.id)
        for result in results { try await store.save(result, cacheEntry: nil) }
        let (resultsJSON, samplesJSONL) = try Self.inMemoryFiles(
            run: run,
            results: try await store.results(runID: run.id),
            settings: [:]
        )
        try await Self.withDirectory { directory in
            try await RunReport.write(
                RunReport(run: run),
                suite: Fixtures.suite,
                store: store,
                to: directory,
                pageSize: 10
            )
            #expect(try Data(contentsOf: directory.appendingPathComponent("results.json")) == resultsJSON)
            #expect(try Data(contentsOf: directory.appendingPathComponent("samples.jsonl")) == samplesJSONL)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["results.json", "samples.jsonl"])
        }
    }

    @Test func writtenSamplesFileEqualsSamplesJSONL() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let record = Fixtures.record(id: "abcdefabcdefabcd", model: "m")
            let report = RunReport(run: record, suite: Fixtures.suite, results: Self.results(runID: record.id))
            // Written twice: the second write replaces the first whole.
            try report.write(to: directory)
            try report.write(to: directory)
            #expect(try Data(contentsOf: directory.appendingPathComponent("samples.jsonl")) == report.samplesJSONL())
            #expect(try Data(contentsOf: directory.appendingPathComponent("results.json")) == report.resultsJSON())
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["results.json", "samples.jsonl"])
        }
    }

    @Test func writingSmallChunksGivesTheSameFile() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("out.txt")
            try Data("old".utf8).write(to: url)
            let writer = try AtomicFileWriter(url: url, flushThreshold: 3)
            for word in ["alpha", "", "b", "gamma-delta"] { try writer.append(Data(word.utf8)) }
            try writer.append(byte: 0x0A)
            // Until the commit, readers see the old file.
            #expect(try String(contentsOf: url, encoding: .utf8) == "old")
            try writer.commit()
            #expect(try String(contentsOf: url, encoding: .utf8) == "alphabgamma-delta\n")
            let discarded = try AtomicFileWriter(url: url)
            try discarded.append(Data("never".utf8))
            discarded.discard()
            #expect(try String(contentsOf: url, encoding: .utf8) == "alphabgamma-delta\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
        }
    }

    // MARK: - Loading only the browser's samples

    /// A run directory written by `RunReport`.
    static func writeRun(id: String, model: String, seed: UInt64, skill: Double, to directory: URL) throws {
        let record = Fixtures.record(id: id, model: model)
        let results = Fixtures.results(runID: id, seed: seed, skill: skill, hostile: seed.isMultiple(of: 2))
        try RunReport(run: record, suite: Fixtures.suite, results: results).write(to: directory)
    }

    @Test(arguments: [0, 1, 5, 87, 88, 500])
    func partialLoadingRendersTheSameReport(sampleLimit: Int) throws {
        try Fixtures.withTemporaryDirectory { root in
            let a = root.appendingPathComponent("a")
            let b = root.appendingPathComponent("b")
            try Self.writeRun(id: "aaaaaaaaaaaaaaaa", model: "m-a", seed: 2, skill: 0.5, to: a)
            try Self.writeRun(id: "bbbbbbbbbbbbbbbb", model: "m-b", seed: 3, skill: 0.8, to: b)
            let full = [try ReportRun.load(directory: a), try ReportRun.load(directory: b)]
            let partial = [
                try ReportRun.load(directory: a, sampleLimit: sampleLimit),
                try ReportRun.load(directory: b, sampleLimit: sampleLimit),
            ]
            for (whole, part) in zip(full, partial) {
                #expect(part.samples == Array(whole.samples.prefix(max(1, sampleLimit))))
                #expect(part.sampleDigests == whole.sampleDigests)
                #expect(part.sampleCount == whole.samples.count)
                #expect(part.summary == whole.summary)
            }
            let options = HTMLReport.Options(sampleLimit: sampleLimit)
            #expect(
                HTMLReport(runs: partial, options: options).render()
                    == HTMLReport(runs: full, options: options).render()
            )
            #expect(
                HTMLReport(runs: [partial[1]], options: options).render()
                    == HTMLReport(runs: [full[1]], options: options).render()
            )
        }
    }

    @Test func aBadLineBeyondTheLimitIsStillNamed() throws {
        try Fixtures.withTemporaryDirectory { directory in
            try Self.writeRun(id: "cccccccccccccccc", model: "m", seed: 1, skill: 0.5, to: directory)
            let url = directory.appendingPathComponent("samples.jsonl")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[40] = "{\"item_id\": 7}"
            try (lines.joined(separator: "\r\n") + "\r\n").write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try ReportRun.load(directory: directory, sampleLimit: 5)
                Issue.record("expected an error")
            } catch let error as ReportLoadError {
                #expect(error.line == 41)
                #expect(error.description.contains("samples.jsonl:41"))
            }
        }
    }

    /// A result whose predicted index is outside its item's choices (stored against an older version of the item)
    /// is written and shown without option text; before, `samples.jsonl` indexed the choices unchecked and trapped.
    @Test(arguments: [4, 99, -1])
    func aPredictedIndexOutsideTheChoicesGivesNoOptionText(predicted: Int) throws {
        var result = try #require(Fixtures.results(runID: "e", seed: 1, skill: 0.5).first)
        let item = try #require(Fixtures.suite.items.first { $0.id == result.itemID })
        #expect(item.choices.count == 4)
        result.predicted = predicted
        let run = Fixtures.record(id: "eeeeeeeeeeeeeeee", model: "m")
        let line = try RunReport(run: run, suite: Fixtures.suite, results: [result], settings: [:]).samplesJSONL()
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(object["predicted"] as? Int == predicted)
        #expect(object["predicted_choice"] is NSNull)
        #expect(object.keys.count == 17, "every key present, absent values as null")
        let sample = try #require(ReportRun(run: run, results: [result], settings: [:]).samples.first)
        #expect(sample.predicted == predicted && sample.predictedChoice == nil)
        // In range, both paths give the option text.
        result.predicted = 2
        let inRange = try RunReport(run: run, suite: Fixtures.suite, results: [result], settings: [:]).samplesJSONL()
        let text = try #require(try JSONSerialization.jsonObject(with: inRange) as? [String: Any])
        #expect(text["predicted_choice"] as? String == item.choices[2])
        #expect(ReportSample(result: result, item: item).predictedChoice == item.choices[2])
    }

    @Test func replacingSamplesDropsTheLoadedDigests() throws {
        try Fixtures.withTemporaryDirectory { directory in
            try Self.writeRun(id: "dddddddddddddddd", model: "m", seed: 1, skill: 0.5, to: directory)
            var run = try ReportRun.load(directory: directory, sampleLimit: 3)
            #expect(run.samples.count == 3 && run.sampleCount == 88)
            run.samples = Array(run.samples.prefix(2))
            #expect(run.sampleCount == 2)
            #expect(run.sampleDigests == run.samples.map(\.digest))
        }
    }
}

/// A store whose paged reads list a run backwards, to exercise the export's fallback.
private struct ReversedPagesStore: ResultStore {
    let inner: InMemoryResultStore

    func openRun(_ run: RunRecord) async throws -> RunRecord { try await inner.openRun(run) }
    func updateRun(_ run: RunRecord) async throws { try await inner.updateRun(run) }
    func run(id: String) async throws -> RunRecord? { try await inner.run(id: id) }
    func runs() async throws -> [RunRecord] { try await inner.runs() }
    func cachedResponse(key: String) async throws -> ModelResponse? { try await inner.cachedResponse(key: key) }
    func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        try await inner.save(result, cacheEntry: cacheEntry)
    }
    func results(runID: String) async throws -> [ItemResult] { try await inner.results(runID: runID) }
    func results(runID: String, after position: ItemResult.Position?, limit: Int) async throws -> [ItemResult] {
        guard position == nil else { return [] }
        return Array(try await inner.results(runID: runID).reversed())
    }
}

public import CultureLensCore
import Foundation

/// A ``ResultStore`` that broke its contract, as found by ``ResultStoreConformance``.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The check that failed.
    public var check: String
    /// What was wrong, with the expected and actual values.
    public var message: String
    /// Where in the conformance suite the failure was detected.
    public var fileID: String
    /// Line of the failed requirement.
    public var line: Int

    /// Creates a failure.
    public init(check: String, message: String, fileID: String, line: Int) {
        self.check = check
        self.message = message
        self.fileID = fileID
        self.line = line
    }

    public var description: String { "ResultStore conformance \(check) failed: \(message) (\(fileID):\(line))" }
}

/// A reusable conformance suite for ``ResultStore`` implementations (SQLite, in-memory, a future server store).
///
/// Each check throws a ``ConformanceFailure`` describing the broken rule (or the store's own error), so it can be
/// run from any test framework: `try await ResultStoreConformance.openRunCreatesThenResumes(store)`.
///
/// The checks use fresh, unique run ids and cache keys and only look at what they wrote, so they can share one
/// store, or run against a shared database that is not empty. Saving a result requires its run to be opened
/// first (the SQLite store enforces this with a foreign key).
///
/// Dates: a store may keep dates at a coarser precision than `Date` (at least whole seconds), but must then
/// return the same normalised value every time, starting with the record returned by the first `openRun`.
public enum ResultStoreConformance {
    /// One named check over a single store.
    public typealias Check = ConformanceCheck<any ResultStore>

    /// Every single-store check, for `@Test(arguments: ResultStoreConformance.checks)`.
    public static let checks: [Check] = [
        Check(name: "openRunCreatesThenResumes", run: openRunCreatesThenResumes),
        Check(name: "updateRunChangesStatusAndFinishedAt", run: updateRunChangesStatusAndFinishedAt),
        Check(name: "runsAreNewestFirst", run: runsAreNewestFirst),
        Check(name: "unknownIDsGiveNothing", run: unknownIDsGiveNothing),
        Check(name: "cachedResponseRoundTripsExactly", run: cachedResponseRoundTripsExactly),
        Check(name: "resultsRoundTripExactly", run: resultsRoundTripExactly),
        Check(name: "savingTheSameItemTwiceReplaces", run: savingTheSameItemTwiceReplaces),
        Check(name: "resultsAreOrderedByItemIndexThenVariant", run: resultsAreOrderedByItemIndexThenVariant),
        Check(name: "resultsAreScopedToTheirRun", run: resultsAreScopedToTheirRun),
        Check(name: "pagedReadsGiveEveryResultInOrder", run: pagedReadsGiveEveryResultInOrder),
        Check(name: "resultWithoutCacheEntryLeavesTheCacheAlone", run: resultWithoutCacheEntryLeavesTheCacheAlone),
        Check(name: "concurrentSavesAreAllKept", run: { try await concurrentSavesAreAllKept($0) }),
    ]

    // MARK: - Runs

    /// `openRun` creates the run, then returns the stored record for the same id: the stored `createdAt`,
    /// status and other fields win over the ones passed on the second call.
    public static func openRunCreatesThenResumes(_ store: any ResultStore) async throws {
        let check = "openRunCreatesThenResumes"
        let record = makeRun(id: uniqueID("open"), createdAt: baseDate)
        let first = try await store.openRun(record)
        try require(check, sameRecord(first, record), "first openRun must return the record passed in, got \(show(first)), expected \(show(record))")

        let fetched = try await store.run(id: record.id)
        try require(check, fetched == first, "run(id:) after openRun must equal what openRun returned: openRun gave \(show(first)), run(id:) gave \(show(fetched))")

        var again = record
        again.createdAt = baseDate.addingTimeInterval(3_600.5)
        again.toolVersion = "9.9.9"
        again.endpoint = "http://elsewhere"
        again.status = .completed
        again.finishedAt = baseDate.addingTimeInterval(7_200)
        let second = try await store.openRun(again)
        try require(
            check, second == first,
            "second openRun with the same id must return the stored record unchanged (resume): first returned \(show(first)), second returned \(show(second))"
        )
        let stillStored = try await store.run(id: record.id)
        try require(check, stillStored == first, "second openRun must not overwrite the stored run: now \(show(stillStored)), expected \(show(first))")

        let matching = try await store.runs().filter { $0.id == record.id }
        try require(check, matching.count == 1, "runs() must list the run exactly once, found \(matching.count)")
    }

    /// `updateRun` changes status and finishedAt; a later `openRun` (resume) sees the update.
    public static func updateRunChangesStatusAndFinishedAt(_ store: any ResultStore) async throws {
        let check = "updateRunChangesStatusAndFinishedAt"
        let opened = try await store.openRun(makeRun(id: uniqueID("update"), createdAt: baseDate))

        var finished = opened
        finished.status = .completed
        finished.finishedAt = baseDate.addingTimeInterval(61.25)
        try await store.updateRun(finished)
        guard let afterFinish = try await store.run(id: opened.id) else {
            throw failure(check, "run(id:) returned nil after updateRun")
        }
        try require(check, afterFinish.status == .completed, "status after updateRun: expected completed, got \(afterFinish.status)")
        try require(
            check, sameInstant(afterFinish.finishedAt, finished.finishedAt),
            "finishedAt after updateRun: expected \(show(finished.finishedAt)), got \(show(afterFinish.finishedAt))"
        )
        var unchanged = afterFinish
        unchanged.status = opened.status
        unchanged.finishedAt = opened.finishedAt
        try require(check, unchanged == opened, "updateRun must not change other fields: before \(show(opened)), after \(show(afterFinish))")

        let resumed = try await store.openRun(makeRun(id: opened.id, createdAt: baseDate.addingTimeInterval(99)))
        try require(check, resumed == afterFinish, "openRun after updateRun must return the updated record: got \(show(resumed)), expected \(show(afterFinish))")

        var interrupted = afterFinish
        interrupted.status = .interrupted
        interrupted.finishedAt = nil
        try await store.updateRun(interrupted)
        let afterInterrupt = try await store.run(id: opened.id)
        try require(check, afterInterrupt?.status == .interrupted, "status after second updateRun: expected interrupted, got \(String(describing: afterInterrupt?.status))")
        try require(check, afterInterrupt?.finishedAt == nil, "finishedAt set back to nil must read back nil, got \(show(afterInterrupt?.finishedAt))")
        let listed = try await store.runs().first { $0.id == opened.id }
        try require(check, listed == afterInterrupt, "runs() must show the updated record: \(show(listed)) vs \(show(afterInterrupt))")
    }

    /// `runs()` lists runs newest first (by createdAt), whatever the order they were opened in.
    public static func runsAreNewestFirst(_ store: any ResultStore) async throws {
        let check = "runsAreNewestFirst"
        let prefix = uniqueID("order")
        let offsets: [Double] = [0, 3_600, -86_400, 120, -5]
        var ids: [String: Double] = [:]
        for (index, offset) in offsets.enumerated() {
            let id = "\(prefix)-\(index)"
            ids[id] = offset
            _ = try await store.openRun(makeRun(id: id, createdAt: baseDate.addingTimeInterval(offset)))
        }
        let listed = try await store.runs().map(\.id).filter { ids[$0] != nil }
        let expected = ids.keys.sorted { ids[$0]! > ids[$1]! }
        try require(check, listed == expected, "runs() must be newest first: expected \(expected), got \(listed)")
    }

    /// Unknown ids and keys give nil or nothing, not an error.
    public static func unknownIDsGiveNothing(_ store: any ResultStore) async throws {
        let check = "unknownIDsGiveNothing"
        let unknown = uniqueID("unknown")
        let run = try await store.run(id: unknown)
        try require(check, run == nil, "run(id:) for an unknown id must be nil, got \(String(describing: run))")
        let results = try await store.results(runID: unknown)
        try require(check, results.isEmpty, "results(runID:) for an unknown run must be empty, got \(results.count)")
        let cached = try await store.cachedResponse(key: unknown)
        try require(check, cached == nil, "cachedResponse(key:) for an unknown key must be nil, got \(String(describing: cached))")
    }

    // MARK: - Cache

    /// `save(_:cacheEntry:)` then `cachedResponse(key:)` gives back the response exactly: text, every top
    /// logprob (token and value to the bit) and finish reason; nil fields stay nil.
    public static func cachedResponseRoundTripsExactly(_ store: any ResultStore) async throws {
        let check = "cachedResponseRoundTripsExactly"
        let run = try await store.openRun(makeRun(id: uniqueID("cache"), createdAt: baseDate))
        let responses = [
            ModelResponse(
                text: " B\n\nBecause \"quoted\", tab\t, backslash \\ — ünïcødé 日本語 🙂",
                firstTokenTopLogprobs: [
                    TokenLogprob(token: " B", logprob: -0.10536051565782628),
                    TokenLogprob(token: "A", logprob: -2.3025850929940455),
                    TokenLogprob(token: "(C", logprob: -1.0 / 3.0),
                    TokenLogprob(token: "<|eot_id|>", logprob: -17.000000000000004),
                    TokenLogprob(token: "\u{0}nul", logprob: -1e-300),
                    TokenLogprob(token: " 🙂", logprob: 0),
                    TokenLogprob(token: "", logprob: -9999.999),
                ],
                finishReason: "length"
            ),
            ModelResponse(text: "", firstTokenTopLogprobs: nil, finishReason: nil),
            ModelResponse(text: "Answer: A", firstTokenTopLogprobs: [], finishReason: "stop"),
        ]
        for (index, response) in responses.enumerated() {
            let entry = makeCacheEntry(key: uniqueID("key"), response: response)
            try await store.save(makeResult(runID: run.id, index: index, cacheKey: entry.key), cacheEntry: entry)
            guard let back = try await store.cachedResponse(key: entry.key) else {
                throw failure(check, "cachedResponse(key:) is nil right after save with a cache entry (response \(index))")
            }
            try require(check, back.text == response.text, "text changed: saved \(response.text.debugDescription), got \(back.text.debugDescription)")
            try require(
                check, back.firstTokenTopLogprobs == response.firstTokenTopLogprobs,
                "top logprobs changed: saved \(String(describing: response.firstTokenTopLogprobs)), got \(String(describing: back.firstTokenTopLogprobs))"
            )
            try require(
                check, back.finishReason == response.finishReason,
                "finish reason changed: saved \(String(describing: response.finishReason)), got \(String(describing: back.finishReason))"
            )
            if let saved = response.firstTokenTopLogprobs, let read = back.firstTokenTopLogprobs {
                for (a, b) in zip(saved, read) {
                    try require(check, a.logprob.bitPattern == b.logprob.bitPattern, "logprob of \(a.token.debugDescription) not bit-exact: \(a.logprob) vs \(b.logprob)")
                }
            }
        }
    }

    /// A result saved without a cache entry leaves the cache without its key; a later result without an entry
    /// does not remove an existing one either.
    public static func resultWithoutCacheEntryLeavesTheCacheAlone(_ store: any ResultStore) async throws {
        let check = "resultWithoutCacheEntryLeavesTheCacheAlone"
        let run = try await store.openRun(makeRun(id: uniqueID("nocache"), createdAt: baseDate))
        let failedKey = uniqueID("failed-key")
        var failed = makeResult(runID: run.id, index: 0, cacheKey: failedKey)
        failed.response = nil
        failed.score = nil
        failed.predicted = nil
        failed.failure = .timeout
        failed.failureDetail = "no response within 30 s"
        try await store.save(failed, cacheEntry: nil)
        let missing = try await store.cachedResponse(key: failedKey)
        try require(check, missing == nil, "a result saved without a cache entry must not create one, got \(String(describing: missing))")
        let saved = try await store.results(runID: run.id)
        try require(check, saved == [failed], "the result saved without a cache entry must still be stored: got \(saved)")

        let entry = makeCacheEntry(key: uniqueID("kept-key"), response: sampleResponse)
        try await store.save(makeResult(runID: run.id, index: 1, cacheKey: entry.key), cacheEntry: entry)
        var retried = makeResult(runID: run.id, index: 1, cacheKey: entry.key)
        retried.cached = true
        retried.attempts = 0
        try await store.save(retried, cacheEntry: nil)
        let kept = try await store.cachedResponse(key: entry.key)
        try require(check, kept == sampleResponse, "saving a result without a cache entry must not remove an existing one, got \(String(describing: kept))")
    }

    // MARK: - Results

    /// Results come back exactly as saved, every field included.
    public static func resultsRoundTripExactly(_ store: any ResultStore) async throws {
        let check = "resultsRoundTripExactly"
        let run = try await store.openRun(makeRun(id: uniqueID("roundtrip"), createdAt: baseDate))
        var scored = makeResult(runID: run.id, index: 0, cacheKey: uniqueID("k"))
        scored.distribution = [0.1, 0.2, 0.7000000000000001, 1.0 / 3.0, 5e-324, 0]
        scored.outsideMass = 1e-12
        scored.gold = [2, 0]
        scored.prompt = "Question: \"Is it polite?\"\n(A) Yes\n(B) No\nAnswer:"
        var failed = makeResult(runID: run.id, index: 1, variant: "swapped", cacheKey: uniqueID("k"))
        failed.response = nil
        failed.distribution = nil
        failed.outsideMass = nil
        failed.predicted = nil
        failed.gold = []
        failed.score = nil
        failed.failure = .rateLimited
        failed.failureDetail = "HTTP 429 after 5 attempts — Retry-After: 2"
        failed.cached = false
        failed.attempts = 5
        for result in [failed, scored] {
            try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse))
        }
        let back = try await store.results(runID: run.id)
        try require(check, back == [scored, failed], "results must round-trip exactly:\n saved \([scored, failed])\n got   \(back)")
    }

    /// Saving the same run/item/variant twice replaces the result: the item is never counted twice.
    public static func savingTheSameItemTwiceReplaces(_ store: any ResultStore) async throws {
        let check = "savingTheSameItemTwiceReplaces"
        let run = try await store.openRun(makeRun(id: uniqueID("replace"), createdAt: baseDate))
        var first = makeResult(runID: run.id, index: 0, cacheKey: uniqueID("k"))
        first.score = 0
        first.predicted = 0
        let other = makeResult(runID: run.id, index: 1, cacheKey: uniqueID("k"))
        let swapped = makeResult(runID: run.id, index: 0, variant: "swapped", cacheKey: uniqueID("k"))
        for result in [first, other, swapped] {
            try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse))
        }
        let initial = try await store.results(runID: run.id)
        try require(check, initial.count == 3, "three distinct items/variants must give three results, got \(initial.count)")

        var second = first
        second.score = 1
        second.predicted = 1
        second.response = " B"
        second.cached = true
        second.attempts = 0
        // The same cache entry again must not fail (the cache is content-addressed).
        try await store.save(second, cacheEntry: makeCacheEntry(key: first.cacheKey, response: sampleResponse))
        var results = try await store.results(runID: run.id)
        try require(check, results.count == 3, "saving the same item again must replace, not add: \(results.count) results")
        try require(check, results == [second, swapped, other], "the replacement must be stored in place of the first result:\n got \(results)")

        // A replacement may carry a new cache key and a new index; ordering follows the new index.
        var moved = second
        moved.itemIndex = 7
        moved.cacheKey = uniqueID("k")
        try await store.save(moved, cacheEntry: makeCacheEntry(key: moved.cacheKey, response: sampleResponse))
        results = try await store.results(runID: run.id)
        try require(check, results == [swapped, other, moved], "a replacement with a new index must replace and reorder:\n got \(results)")
        let cached = try await store.cachedResponse(key: moved.cacheKey)
        try require(check, cached == sampleResponse, "a replacement's cache entry must be stored")
    }

    /// `results(runID:)` is ordered by item index (numerically) then variant, whatever the save order.
    public static func resultsAreOrderedByItemIndexThenVariant(_ store: any ResultStore) async throws {
        let check = "resultsAreOrderedByItemIndexThenVariant"
        let run = try await store.openRun(makeRun(id: uniqueID("sorted"), createdAt: baseDate))
        let saveOrder: [(Int, String)] = [
            (2, "default"), (10, "default"), (0, "swapped"), (1, "b"), (0, "default"), (1, "a"), (9, "default"),
        ]
        for (index, variant) in saveOrder {
            let result = makeResult(runID: run.id, index: index, variant: variant, cacheKey: uniqueID("k"))
            try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse))
        }
        let got = try await store.results(runID: run.id).map { "\($0.itemIndex)/\($0.variant)" }
        let expected = ["0/default", "0/swapped", "1/a", "1/b", "2/default", "9/default", "10/default"]
        try require(check, got == expected, "results must be ordered by itemIndex then variant: expected \(expected), got \(got)")
    }

    /// `results(runID:)` returns only that run's results, even when items share ids across runs.
    public static func resultsAreScopedToTheirRun(_ store: any ResultStore) async throws {
        let check = "resultsAreScopedToTheirRun"
        let a = try await store.openRun(makeRun(id: uniqueID("scope-a"), createdAt: baseDate))
        let b = try await store.openRun(makeRun(id: uniqueID("scope-b"), createdAt: baseDate.addingTimeInterval(1)))
        for index in 0..<3 {
            for run in [a, b] where !(run.id == b.id && index == 2) {
                let result = makeResult(runID: run.id, index: index, cacheKey: uniqueID("k"))
                try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse))
            }
        }
        let ofA = try await store.results(runID: a.id)
        let ofB = try await store.results(runID: b.id)
        try require(check, ofA.count == 3 && ofA.allSatisfy { $0.runID == a.id }, "run A must have its 3 results only, got \(ofA.map(\.runID))")
        try require(check, ofB.count == 2 && ofB.allSatisfy { $0.runID == b.id }, "run B must have its 2 results only, got \(ofB.map(\.runID))")
    }

    /// Paged reads (`results(runID:after:limit:)`, `forEachResult`) give exactly the run's results, each once,
    /// ordered by item index, variant, then item id, whatever the page size; only that run's results.
    public static func pagedReadsGiveEveryResultInOrder(_ store: any ResultStore) async throws {
        let check = "pagedReadsGiveEveryResultInOrder"
        let run = try await store.openRun(makeRun(id: uniqueID("paged"), createdAt: baseDate))
        let other = try await store.openRun(makeRun(id: uniqueID("paged-other"), createdAt: baseDate))
        var saved: [ItemResult] = []
        let saveOrder: [(Int, String)] = [
            (2, "default"), (10, "default"), (0, "swapped"), (1, "b"), (0, "default"), (1, "a"), (9, "default"),
        ]
        for (index, variant) in saveOrder {
            saved.append(makeResult(runID: run.id, index: index, variant: variant, cacheKey: uniqueID("k")))
        }
        // A distinct item sharing index 1 and variant "a": the item id orders it.
        var twin = makeResult(runID: run.id, index: 1, variant: "a", cacheKey: uniqueID("k"))
        twin.itemID = "item-1-twin"
        saved.append(twin)
        for result in saved {
            try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse))
        }
        let stray = makeResult(runID: other.id, index: 5, cacheKey: uniqueID("k"))
        try await store.save(stray, cacheEntry: makeCacheEntry(key: stray.cacheKey, response: sampleResponse))

        let expected = saved.sorted { $0.position < $1.position }
        let show = { (results: [ItemResult]) in results.map { "\($0.itemIndex)/\($0.variant)/\($0.itemID)" } }
        for pageSize in [1, 2, 3, 8, 1000] {
            var got: [ItemResult] = []
            try await store.forEachResult(runID: run.id, pageSize: pageSize) { got.append($0) }
            try require(
                check,
                got == expected,
                "forEachResult with pages of \(pageSize) must give every result once, in order: expected \(show(expected)), got \(show(got))"
            )
        }
        let all = try await store.results(runID: run.id)
        try require(
            check,
            Set(all) == Set(expected),
            "paged reads must give the same results as results(runID:): \(show(all)) vs \(show(expected))"
        )
        let firstPage = try await store.results(runID: run.id, after: nil, limit: 3)
        try require(
            check,
            firstPage == Array(expected.prefix(3)),
            "first page of 3: expected \(show(Array(expected.prefix(3)))), got \(show(firstPage))"
        )
        let middle = try await store.results(runID: run.id, after: expected[2].position, limit: 2)
        try require(
            check,
            middle == Array(expected[3..<5]),
            "page after the third result: expected \(show(Array(expected[3..<5]))), got \(show(middle))"
        )
        let past = try await store.results(runID: run.id, after: expected[expected.count - 1].position, limit: 10)
        try require(check, past.isEmpty, "a page after the last result must be empty, got \(show(past))")
        let none = try await store.results(runID: run.id, after: nil, limit: 0)
        try require(check, none.isEmpty, "a page of 0 must be empty, got \(show(none))")
        let unknown = try await store.results(runID: uniqueID("paged-none"), after: nil, limit: 10)
        try require(check, unknown.isEmpty, "an unknown run has no results, got \(show(unknown))")
    }

    // MARK: - Concurrency

    /// `saves` saves (distinct items, each with its cache entry) from `tasks` concurrent tasks: every one is kept.
    public static func concurrentSavesAreAllKept(_ store: any ResultStore, saves: Int = 200, tasks: Int = 16) async throws {
        let check = "concurrentSavesAreAllKept"
        let run = try await store.openRun(makeRun(id: uniqueID("concurrent"), createdAt: baseDate))
        let keyPrefix = uniqueID("ck")
        try await saveConcurrently(to: [store], runID: run.id, indices: Array(0..<saves), tasks: tasks, keyPrefix: keyPrefix)
        try await requireAllSaved(check, in: store, runID: run.id, count: saves, keyPrefix: keyPrefix)
    }

    // MARK: - Several handles on the same storage

    /// Everything written through one handle is there, unchanged, through a fresh handle opened after the first
    /// one was dropped. `open` must open a new handle to the same storage each time it is called.
    public static func survivesReopen(open: @Sendable () async throws -> any ResultStore) async throws {
        let check = "survivesReopen"
        let runID = uniqueID("reopen")
        let keyPrefix = uniqueID("rk")
        var expectedRun: RunRecord
        var expectedResults: [ItemResult] = []
        var failedKey = ""
        do {
            let store = try await open()
            expectedRun = try await store.openRun(makeRun(id: runID, createdAt: baseDate))
            for index in 0..<20 {
                let result = makeResult(runID: runID, index: index, cacheKey: "\(keyPrefix)-\(index)")
                try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse(index)))
                expectedResults.append(result)
            }
            var failed = makeResult(runID: runID, index: 20, cacheKey: uniqueID("failed"))
            failed.failure = .connection
            failed.score = nil
            failedKey = failed.cacheKey
            try await store.save(failed, cacheEntry: nil)
            expectedResults.append(failed)
            expectedRun.status = .interrupted
            expectedRun.finishedAt = baseDate.addingTimeInterval(30)
            try await store.updateRun(expectedRun)
            expectedRun = try await store.run(id: runID) ?? expectedRun
        }
        let reopened = try await open()
        let run = try await reopened.run(id: runID)
        try require(check, run == expectedRun, "run after reopen: expected \(show(expectedRun)), got \(show(run))")
        let resumed = try await reopened.openRun(makeRun(id: runID, createdAt: Date()))
        try require(check, resumed == expectedRun, "openRun after reopen must resume the stored run: got \(show(resumed)), expected \(show(expectedRun))")
        let results = try await reopened.results(runID: runID)
        try require(check, results == expectedResults, "results after reopen differ: \(results.count) read, \(expectedResults.count) written")
        for index in 0..<20 {
            let cached = try await reopened.cachedResponse(key: "\(keyPrefix)-\(index)")
            try require(check, cached == sampleResponse(index), "cached response \(index) after reopen: \(String(describing: cached))")
        }
        let noEntry = try await reopened.cachedResponse(key: failedKey)
        try require(check, noEntry == nil, "a result saved without a cache entry must still have none after reopen")
    }

    /// Two handles on the same storage (like two processes) open the same run and write concurrently without
    /// errors; each sees the other's writes.
    public static func twoHandlesWriteConcurrently(
        open: @Sendable () async throws -> any ResultStore,
        savesPerHandle: Int = 100,
        tasksPerHandle: Int = 8
    ) async throws {
        let check = "twoHandlesWriteConcurrently"
        let first = try await open()
        let second = try await open()
        let record = makeRun(id: uniqueID("shared"), createdAt: baseDate)
        async let openedByFirst = first.openRun(record)
        async let openedBySecond = second.openRun(record)
        let (a, b) = try await (openedByFirst, openedBySecond)
        try require(check, a == b, "both handles must get the same run from openRun: \(show(a)) vs \(show(b))")

        let keyPrefix = uniqueID("shared-k")
        let total = savesPerHandle * 2
        async let evens: Void = saveConcurrently(
            to: [first], runID: record.id, indices: Array(stride(from: 0, to: total, by: 2)), tasks: tasksPerHandle, keyPrefix: keyPrefix
        )
        async let odds: Void = saveConcurrently(
            to: [second], runID: record.id, indices: Array(stride(from: 1, to: total, by: 2)), tasks: tasksPerHandle, keyPrefix: keyPrefix
        )
        _ = try await (evens, odds)
        try await requireAllSaved(check, in: first, runID: record.id, count: total, keyPrefix: keyPrefix)
        try await requireAllSaved(check, in: second, runID: record.id, count: total, keyPrefix: keyPrefix)

        var finished = a
        finished.status = .completed
        finished.finishedAt = baseDate.addingTimeInterval(10)
        try await first.updateRun(finished)
        let seen = try await second.run(id: record.id)
        try require(check, seen?.status == .completed, "an update through one handle must be visible through the other, got \(String(describing: seen?.status))")
    }

    // MARK: - Fixtures

    /// A date with a fractional second, so stores that reduce date precision are caught being inconsistent.
    static let baseDate = Date(timeIntervalSince1970: 1_700_000_000.375)

    /// A response used where its content does not matter.
    public static let sampleResponse = ModelResponse(
        text: " B",
        firstTokenTopLogprobs: [TokenLogprob(token: " B", logprob: -0.25), TokenLogprob(token: " A", logprob: -1.5)],
        finishReason: "length"
    )

    /// A response distinct for each index.
    public static func sampleResponse(_ index: Int) -> ModelResponse {
        ModelResponse(
            text: "answer \(index)",
            firstTokenTopLogprobs: [TokenLogprob(token: " \(index)", logprob: -Double(index) / 7)],
            finishReason: index.isMultiple(of: 2) ? "stop" : "length"
        )
    }

    /// A unique id with a readable prefix.
    public static func uniqueID(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.lowercased())" }

    /// A run record with fixed content.
    public static func makeRun(id: String, createdAt: Date) -> RunRecord {
        RunRecord(
            id: id,
            suite: "starter",
            suiteVersion: "1",
            specHash: String(repeating: "ab", count: 32),
            model: "test-model",
            endpoint: "in-process",
            api: .completions,
            scoring: .logprobs,
            itemCount: 10,
            toolVersion: "0.0.0-test",
            createdAt: createdAt
        )
    }

    /// A scored result for item `index` (item id `item-<index>`).
    public static func makeResult(runID: String, index: Int, variant: String = "default", cacheKey: String) -> ItemResult {
        ItemResult(
            runID: runID,
            itemID: "item-\(index)",
            itemIndex: index,
            variant: variant,
            culture: ["JP", "BR", "NG", "IN"][index % 4],
            topic: "etiquette",
            prompt: "Question \(index)?\n(A) Yes\n(B) No\nAnswer:",
            response: " A",
            distribution: [0.75, 0.25],
            outsideMass: 0.125,
            predicted: 0,
            gold: [0],
            score: 1,
            failure: nil,
            failureDetail: nil,
            cacheKey: cacheKey,
            cached: false,
            attempts: 1
        )
    }

    /// A cache entry holding `response` under `key`.
    public static func makeCacheEntry(key: String, response: ModelResponse) -> CacheEntry {
        CacheEntry(
            key: key,
            request: ModelRequest(api: .completions, prompt: "prompt for \(key)", maxTokens: 1, topLogprobs: 20),
            model: "test-model",
            response: response
        )
    }

    // MARK: - Helpers

    private static func saveConcurrently(
        to stores: [any ResultStore], runID: String, indices: [Int], tasks: Int, keyPrefix: String
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<max(1, tasks) {
                let mine = indices.enumerated().filter { $0.offset % max(1, tasks) == task }.map(\.element)
                let store = stores[task % stores.count]
                group.addTask {
                    for index in mine {
                        let result = makeResult(runID: runID, index: index, cacheKey: "\(keyPrefix)-\(index)")
                        try await store.save(result, cacheEntry: makeCacheEntry(key: result.cacheKey, response: sampleResponse(index)))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func requireAllSaved(_ check: String, in store: any ResultStore, runID: String, count: Int, keyPrefix: String) async throws {
        let results = try await store.results(runID: runID)
        try require(check, results.count == count, "expected exactly \(count) results, got \(results.count)")
        let indices = results.map(\.itemIndex)
        try require(check, indices == Array(0..<count), "expected item indices 0..<\(count) in order, got \(indices.prefix(20))…")
        var missing: [Int] = []
        for index in 0..<count {
            let cached = try await store.cachedResponse(key: "\(keyPrefix)-\(index)")
            if cached != sampleResponse(index) { missing.append(index) }
        }
        try require(check, missing.isEmpty, "expected \(count) cache entries; missing or wrong for items \(missing.prefix(20))")
    }

    /// Equal apart from dates, which must be the same to the second.
    private static func sameRecord(_ lhs: RunRecord, _ rhs: RunRecord) -> Bool {
        var left = lhs
        left.createdAt = rhs.createdAt
        left.finishedAt = rhs.finishedAt
        return left == rhs && sameInstant(lhs.createdAt, rhs.createdAt) && sameInstant(lhs.finishedAt, rhs.finishedAt)
    }

    private static func sameInstant(_ lhs: Date?, _ rhs: Date?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case let (l?, r?): abs(l.timeIntervalSince(r)) < 1
        default: false
        }
    }

    /// A run record with its dates as exact seconds since 1970 (the default description drops fractions of a second).
    private static func show(_ run: RunRecord?) -> String {
        guard let run else { return "nil" }
        return "\(run) [exact createdAt \(show(run.createdAt)), finishedAt \(show(run.finishedAt))]"
    }

    private static func show(_ date: Date?) -> String {
        guard let date else { return "nil" }
        return "\(date.timeIntervalSince1970)"
    }

    /// Throws a ``ConformanceFailure`` for `check` unless `condition` holds; shared with the other conformance suites.
    package static func require(
        _ check: String, _ condition: Bool, _ message: @autoclosure () -> String,
        fileID: String = #fileID, line: Int = #line
    ) throws {
        if !condition { throw failure(check, message(), fileID: fileID, line: line) }
    }

    private static func failure(_ check: String, _ message: String, fileID: String = #fileID, line: Int = #line) -> ConformanceFailure {
        ConformanceFailure(check: check, message: message, fileID: fileID, line: line)
    }
}

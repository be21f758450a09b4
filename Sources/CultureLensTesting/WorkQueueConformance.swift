public import CultureLensCore
import Foundation

/// A ``WorkQueue`` under test with the result store it completes into and a way to let time pass.
public struct WorkQueueHarness: Sendable {
    /// The queue.
    public var queue: any WorkQueue
    /// Its result store (runs must be opened there before their work is enqueued).
    public var store: any ResultStore
    /// The lease rules the checks claim with (short for a real clock).
    public var policy: LeasePolicy
    /// Lets `duration` pass on the queue's clock: advances a fake clock, or sleeps.
    public var advance: @Sendable (Duration) async throws -> Void

    /// Creates a harness.
    public init(
        queue: any WorkQueue, store: any ResultStore, policy: LeasePolicy,
        advance: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.queue = queue
        self.store = store
        self.policy = policy
        self.advance = advance
    }
}

/// A reusable conformance suite for ``WorkQueue`` implementations (in-memory on a fake clock, PostgreSQL on the
/// real one). Each check uses fresh run ids and scopes every claim to its own run, so checks can share one queue
/// or a database that is not empty. Failures throw ``ConformanceFailure``.
public enum WorkQueueConformance {
    /// One named check over a queue and its harness.
    public typealias Check = ConformanceCheck<WorkQueueHarness>

    /// Every check, for `@Test(arguments: WorkQueueConformance.checks)`.
    public static let checks: [Check] = [
        Check(name: "enqueueIsIdempotentAndKeepsSettings", run: enqueueIsIdempotentAndKeepsSettings),
        Check(name: "claimsAreDisjointAndInOrder", run: claimsAreDisjointAndInOrder),
        Check(name: "completionIsExactlyOnce", run: completionIsExactlyOnce),
        Check(name: "expiredLeaseIsReclaimedAndFenced", run: expiredLeaseIsReclaimedAndFenced),
        Check(name: "renewalKeepsTheLease", run: renewalKeepsTheLease),
        Check(name: "releaseReturnsItemsAtOnce", run: releaseReturnsItemsAtOnce),
        Check(name: "finishedWhenEverythingIsDone", run: finishedWhenEverythingIsDone),
        Check(name: "reEnqueueReopensTransientFailures", run: reEnqueueReopensTransientFailures),
        Check(name: "concurrentWorkersCompleteEachItemOnce", run: { try await concurrentWorkersCompleteEachItemOnce($0) }),
    ]

    // MARK: - Checks

    /// Enqueueing twice adds nothing the second time; the settings come back exactly; unknown runs have none.
    public static func enqueueIsIdempotentAndKeepsSettings(_ h: WorkQueueHarness) async throws {
        let check = "enqueueIsIdempotentAndKeepsSettings"
        let runID = try await openRun(h, "enqueue")
        let items = makeWorkItems(10)
        let first = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: items)
        try require(check, first == EnqueueSummary(added: 10, reopened: 0, total: 10), "first enqueue: \(first)")
        let second = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: items + makeWorkItems(12).suffix(2))
        try require(check, second == EnqueueSummary(added: 2, reopened: 0, total: 12), "second enqueue must add only the new items: \(second)")
        let settings = try await h.queue.settings(runID: runID)
        try require(check, settings == sampleSettings, "settings must round-trip: \(String(describing: settings))")
        let none = try await h.queue.settings(runID: ResultStoreConformance.uniqueID("nowork"))
        try require(check, none == nil, "a run without work has no settings")
        let progress = try await h.queue.progress(runID: runID)
        try require(
            check, progress?.total == 12 && progress?.pending == 12 && progress?.done == 0,
            "fresh progress must be all pending: \(String(describing: progress))"
        )
        let statuses = try await h.queue.itemStatuses(runID: runID)
        try require(check, statuses.map(\.itemIndex) == Array(0..<12), "item statuses in item order: \(statuses.map(\.itemIndex))")
    }

    /// Two workers' batches are disjoint, come in item order, and carry the items exactly as enqueued.
    public static func claimsAreDisjointAndInOrder(_ h: WorkQueueHarness) async throws {
        let check = "claimsAreDisjointAndInOrder"
        let runID = try await openRun(h, "disjoint")
        let items = makeWorkItems(10)
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: items)
        let a = try await claimed(check, h, worker: "w-a", runID: runID, limit: 4)
        let b = try await claimed(check, h, worker: "w-b", runID: runID, limit: 4)
        let c = try await claimed(check, h, worker: "w-c", runID: runID, limit: 4)
        try require(check, a.items == Array(items[0..<4]), "first batch must be items 0-3 exactly as enqueued: \(a.items.map(\.itemIndex))")
        try require(check, b.items == Array(items[4..<8]), "second batch must be items 4-7: \(b.items.map(\.itemIndex))")
        try require(check, c.items == Array(items[8..<10]), "third batch must be the last 2 items: \(c.items.map(\.itemIndex))")
        try require(check, Set([a.token, b.token, c.token]).count == 3, "each claim must have its own token")
        try require(check, a.reclaimed == 0 && a.worker == "w-a" && a.runID == runID, "lease fields: \(a.worker) \(a.reclaimed)")
        let outcome = try await h.queue.claim(worker: "w-d", runID: runID, limit: 4, policy: h.policy)
        guard case .wait(let wait) = outcome else {
            throw failure(check, "with every item leased, a claim must say wait, got \(outcome)")
        }
        try require(check, wait > .zero && wait <= h.policy.maximumWait, "wait must be positive and at most maximumWait: \(wait)")
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.claimed == 10 && progress?.pending == 0, "all 10 claimed: \(String(describing: progress))")
        let perWorker = Dictionary(uniqueKeysWithValues: (progress?.workers ?? []).map { ($0.id, $0.claimed) })
        try require(check, perWorker == ["w-a": 4, "w-b": 4, "w-c": 2], "claimed per worker: \(perWorker)")
    }

    /// An item is completed once: the result is saved with its response, and a second completion is refused.
    public static func completionIsExactlyOnce(_ h: WorkQueueHarness) async throws {
        let check = "completionIsExactlyOnce"
        let runID = try await openRun(h, "once")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(3))
        let lease = try await claimed(check, h, worker: "w-1", runID: runID, limit: 3)
        let key = ResultStoreConformance.uniqueID("once-key")
        let result = ResultStoreConformance.makeResult(runID: runID, index: 1, cacheKey: key)
        try await h.queue.complete(result, cacheEntry: ResultStoreConformance.makeCacheEntry(key: key, response: ResultStoreConformance.sampleResponse), lease: lease)
        try await requireNotHeld(check, "completing the same item twice") {
            var again = result
            again.score = 0
            try await h.queue.complete(again, cacheEntry: nil, lease: lease)
        }
        let results = try await h.store.results(runID: runID)
        try require(check, results == [result], "exactly the first result must be stored: \(results)")
        let cached = try await h.store.cachedResponse(key: key)
        try require(check, cached == ResultStoreConformance.sampleResponse, "the response must be cached with the result")
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.done == 1 && progress?.claimed == 2, "progress after one completion: \(String(describing: progress))")
        try require(check, progress?.workers.first { $0.id == "w-1" }?.done == 1, "w-1 must have 1 done: \(String(describing: progress?.workers))")
        let status = try await h.queue.itemStatuses(runID: runID).first { $0.itemIndex == 1 }
        try require(check, status?.doneBy == "w-1" && status?.doneAt != nil, "item 1 must be done by w-1: \(String(describing: status))")
    }

    /// A lease that runs out makes its unfinished items claimable; the new holder completes them and the old
    /// holder's late results are refused (fencing); finished items stay done.
    public static func expiredLeaseIsReclaimedAndFenced(_ h: WorkQueueHarness) async throws {
        let check = "expiredLeaseIsReclaimedAndFenced"
        let runID = try await openRun(h, "expiry")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(4))
        let dead = try await claimed(check, h, worker: "w-dead", runID: runID, limit: 4)
        try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "k"), cacheEntry: nil, lease: dead)
        try await h.advance(h.policy.duration + .milliseconds(300))
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.expired == 3 && progress?.done == 1, "3 expired, 1 done: \(String(describing: progress))")
        let deadWorker = progress?.workers.first { $0.id == "w-dead" }
        try require(
            check, deadWorker?.done == 1 && deadWorker?.expired == 3,
            "w-dead: 1 done, 3 expired: \(String(describing: progress?.workers))"
        )
        let taken = try await claimed(check, h, worker: "w-live", runID: runID, limit: 10)
        try require(check, taken.items.map(\.itemIndex) == [1, 2, 3], "the 3 unfinished items must be reclaimed: \(taken.items.map(\.itemIndex))")
        try require(check, taken.reclaimed == 3, "all 3 must count as reclaimed: \(taken.reclaimed)")
        try await requireNotHeld(check, "a late result from the expired lease") {
            try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 1, cacheKey: "late"), cacheEntry: nil, lease: dead)
        }
        let renewed = try await h.queue.renew(dead, policy: h.policy)
        try require(check, renewed == 0, "renewing a taken-over lease must hold nothing: \(renewed)")
        for index in 1...3 {
            try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: index, cacheKey: "live-\(index)"), cacheEntry: nil, lease: taken)
        }
        let results = try await h.store.results(runID: runID)
        try require(check, results.map(\.cacheKey) == ["k", "live-1", "live-2", "live-3"], "results: \(results.map(\.cacheKey))")
        let statuses = try await h.queue.itemStatuses(runID: runID)
        try require(
            check, statuses.map { $0.doneBy ?? "-" } == ["w-dead", "w-live", "w-live", "w-live"],
            "done by: \(statuses.map { $0.doneBy ?? "-" })"
        )
        try require(check, statuses.map(\.claims) == [1, 2, 2, 2], "claims: \(statuses.map(\.claims))")
        let final = try await h.queue.progress(runID: runID)
        try require(check, final?.isFinished == true && final?.reclaimed == 3, "final: \(String(describing: final))")
    }

    /// Renewing before expiry keeps the items leased past the original expiry.
    public static func renewalKeepsTheLease(_ h: WorkQueueHarness) async throws {
        let check = "renewalKeepsTheLease"
        let runID = try await openRun(h, "renew")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(2))
        let lease = try await claimed(check, h, worker: "w-1", runID: runID, limit: 2)
        let step = h.policy.duration * 0.7
        try await h.advance(step)
        let held = try await h.queue.renew(lease, policy: h.policy)
        try require(check, held == 2, "renewal must hold both items: \(held)")
        try await h.advance(step)  // past the original expiry, before the renewed one
        let outcome = try await h.queue.claim(worker: "w-2", runID: runID, limit: 2, policy: h.policy)
        guard case .wait = outcome else { throw failure(check, "renewed items must not be claimable, got \(outcome)") }
        try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "r0"), cacheEntry: nil, lease: lease)
        let heldAfter = try await h.queue.renew(lease, policy: h.policy)
        try require(check, heldAfter == 1, "renewal after one completion must hold 1: \(heldAfter)")
    }

    /// Releasing a lease makes its unfinished items claimable at once, by anyone.
    public static func releaseReturnsItemsAtOnce(_ h: WorkQueueHarness) async throws {
        let check = "releaseReturnsItemsAtOnce"
        let runID = try await openRun(h, "release")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(3))
        let lease = try await claimed(check, h, worker: "w-1", runID: runID, limit: 3)
        try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "rel0"), cacheEntry: nil, lease: lease)
        try await h.queue.release(lease)
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.pending == 2 && progress?.claimed == 0 && progress?.done == 1, "after release: \(String(describing: progress))")
        let next = try await claimed(check, h, worker: "w-2", runID: runID, limit: 3)
        try require(check, next.items.map(\.itemIndex) == [1, 2], "released items must be claimable at once: \(next.items.map(\.itemIndex))")
        try await requireNotHeld(check, "completing with a released lease") {
            try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 1, cacheKey: "x"), cacheEntry: nil, lease: lease)
        }
    }

    /// Once every item is done, a claim says finished and the progress is complete.
    public static func finishedWhenEverythingIsDone(_ h: WorkQueueHarness) async throws {
        let check = "finishedWhenEverythingIsDone"
        let runID = try await openRun(h, "finish")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(5))
        while case .claimed(let lease) = try await h.queue.claim(worker: "w-1", runID: runID, limit: 2, policy: h.policy) {
            for work in lease.items {
                try await h.queue.complete(
                    ResultStoreConformance.makeResult(runID: runID, index: work.itemIndex, cacheKey: "f\(work.itemIndex)"), cacheEntry: nil, lease: lease
                )
            }
        }
        let outcome = try await h.queue.claim(worker: "w-1", runID: runID, limit: 2, policy: h.policy)
        try require(check, outcome == .finished, "a claim on a finished run must say finished, got \(outcome)")
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.isFinished == true && progress?.done == 5, "progress: \(String(describing: progress))")
        let results = try await h.store.results(runID: runID)
        try require(check, results.map(\.itemIndex) == Array(0..<5), "one result per item: \(results.map(\.itemIndex))")
    }

    /// Enqueueing a run again reopens items whose result is a transient failure, and only those.
    public static func reEnqueueReopensTransientFailures(_ h: WorkQueueHarness) async throws {
        let check = "reEnqueueReopensTransientFailures"
        let runID = try await openRun(h, "reopen")
        let items = makeWorkItems(3)
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: items)
        let lease = try await claimed(check, h, worker: "w-1", runID: runID, limit: 3)
        var timedOut = ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "t0")
        timedOut.failure = .timeout
        timedOut.score = nil
        var refused = ResultStoreConformance.makeResult(runID: runID, index: 1, cacheKey: "t1")
        refused.failure = .refusal
        refused.score = nil
        try await h.queue.complete(timedOut, cacheEntry: nil, lease: lease)
        try await h.queue.complete(refused, cacheEntry: nil, lease: lease)
        try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 2, cacheKey: "t2"), cacheEntry: nil, lease: lease)
        let summary = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: items)
        try require(check, summary == EnqueueSummary(added: 0, reopened: 1, total: 3), "only the timeout must reopen: \(summary)")
        let retry = try await claimed(check, h, worker: "w-2", runID: runID, limit: 3)
        try require(check, retry.items.map(\.itemIndex) == [0], "the reopened item must be claimable: \(retry.items.map(\.itemIndex))")
        try await h.queue.complete(ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "t0b"), cacheEntry: nil, lease: retry)
        let results = try await h.store.results(runID: runID)
        try require(check, results.map(\.cacheKey) == ["t0b", "t1", "t2"], "the retry must replace the failure: \(results.map(\.cacheKey))")
    }

    /// `workers` concurrent claim-and-complete loops over `count` items: each item completed exactly once, by one
    /// worker, and no completion refused.
    public static func concurrentWorkersCompleteEachItemOnce(_ h: WorkQueueHarness, count: Int = 60, workers: Int = 4) async throws {
        let check = "concurrentWorkersCompleteEachItemOnce"
        let runID = try await openRun(h, "concurrent")
        _ = try await h.queue.enqueue(runID: runID, settings: sampleSettings, items: makeWorkItems(count))
        let completedByWorker = try await withThrowingTaskGroup(of: [Int].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var mine: [Int] = []
                    while true {
                        switch try await h.queue.claim(worker: "w-\(worker)", runID: runID, limit: 3, policy: h.policy) {
                        case .claimed(let lease):
                            for work in lease.items {
                                let result = ResultStoreConformance.makeResult(runID: runID, index: work.itemIndex, cacheKey: "c\(work.itemIndex)-w\(worker)")
                                try await h.queue.complete(result, cacheEntry: nil, lease: lease)
                                mine.append(work.itemIndex)
                            }
                        case .wait:
                            await Task.yield()
                        case .finished:
                            return mine
                        }
                    }
                }
            }
            var all: [[Int]] = []
            for try await mine in group { all.append(mine) }
            return all
        }
        let completed = completedByWorker.flatMap { $0 }.sorted()
        try require(check, completed == Array(0..<count), "each item must be completed exactly once: \(completed.count) completions")
        let results = try await h.store.results(runID: runID)
        try require(check, results.map(\.itemIndex) == Array(0..<count), "one result per item: \(results.count)")
        let progress = try await h.queue.progress(runID: runID)
        try require(check, progress?.done == count && progress?.reclaimed == 0, "progress: \(String(describing: progress))")
        try require(
            check, progress?.workers.map(\.done).reduce(0, +) == count,
            "per-worker done counts must add up: \(String(describing: progress?.workers))"
        )
    }

    // MARK: - Fixtures

    /// Settings used where their content does not matter.
    public static let sampleSettings = RunModelSettings(
        baseURL: "http://127.0.0.1:9/v1", model: "test-model", api: .completions, scoring: .logprobs,
        apiKeyEnv: "TEST_KEY", timeout: 12.5, topLogprobs: 7, generateMaxTokens: 33, temperature: 0
    )

    /// `count` work items whose ids and indices match ``ResultStoreConformance/makeResult(runID:index:variant:cacheKey:)``.
    public static func makeWorkItems(_ count: Int) -> [WorkItem] {
        (0..<count).map { index in
            WorkItem(
                itemIndex: index,
                item: Item(
                    id: "item-\(index)",
                    kind: .multipleChoice,
                    stem: "Question \(index)? «ünïcødé» \"quoted\"",
                    choices: ["Yes", "No"],
                    gold: [0],
                    culture: ["JP", "BR", "NG", "IN"][index % 4],
                    topic: "etiquette",
                    provenance: Provenance(source: "conformance", licence: "CC0", note: "item \(index)")
                )
            )
        }
    }

    // MARK: - Helpers

    private static func openRun(_ h: WorkQueueHarness, _ label: String) async throws -> String {
        let run = try await h.store.openRun(ResultStoreConformance.makeRun(id: ResultStoreConformance.uniqueID(label), createdAt: Date()))
        return run.id
    }

    private static func claimed(_ check: String, _ h: WorkQueueHarness, worker: String, runID: String, limit: Int) async throws -> WorkLease {
        let outcome = try await h.queue.claim(worker: worker, runID: runID, limit: limit, policy: h.policy)
        guard case .claimed(let lease) = outcome else { throw failure(check, "\(worker) expected to claim items, got \(outcome)") }
        return lease
    }

    private static func requireNotHeld(_ check: String, _ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch is WorkQueueError {
            return
        }
        throw failure(check, "\(what) must be refused with WorkQueueError.notHeld")
    }

    private static func require(
        _ check: String, _ condition: Bool, _ message: @autoclosure () -> String, fileID: String = #fileID, line: Int = #line
    ) throws {
        if !condition { throw failure(check, message(), fileID: fileID, line: line) }
    }

    private static func failure(_ check: String, _ message: String, fileID: String = #fileID, line: Int = #line) -> ConformanceFailure {
        ConformanceFailure(check: "WorkQueue." + check, message: message, fileID: fileID, line: line)
    }
}

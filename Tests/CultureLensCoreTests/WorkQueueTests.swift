import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// The lease rules, the in-memory work queue on a fake clock, and the worker loop.
struct LeasePolicyTests {
    let policy = LeasePolicy(duration: .seconds(60))
    let now = Date(timeIntervalSince1970: 1_000)

    @Test func statesFollowTheLease() {
        #expect(policy.state(of: .init(isDone: false, worker: nil, expiresAt: nil), now: now) == .pending)
        let later = now.addingTimeInterval(1)
        #expect(policy.state(of: .init(isDone: false, worker: "w", expiresAt: later), now: now) == .leased(worker: "w", until: later))
        // A lease that runs out exactly now has expired.
        #expect(policy.state(of: .init(isDone: false, worker: "w", expiresAt: now), now: now) == .expired(worker: "w", since: now))
        #expect(policy.state(of: .init(isDone: true, worker: "w", expiresAt: later), now: now) == .done)
    }

    @Test func onlyPendingAndExpiredItemsAreClaimable() {
        #expect(policy.isClaimable(.init(isDone: false, worker: nil, expiresAt: nil), now: now))
        #expect(policy.isClaimable(.init(isDone: false, worker: "w", expiresAt: now.addingTimeInterval(-0.001)), now: now))
        #expect(!policy.isClaimable(.init(isDone: false, worker: "w", expiresAt: now.addingTimeInterval(0.001)), now: now))
        #expect(!policy.isClaimable(.init(isDone: true, worker: nil, expiresAt: nil), now: now))
    }

    @Test func expiryRenewalAndWaits() {
        #expect(policy.expiry(from: now) == now.addingTimeInterval(60))
        #expect(policy.renewalInterval == .seconds(20))
        #expect(LeasePolicy(duration: .seconds(9), renewalInterval: .seconds(2)).renewalInterval == .seconds(2))
        // Waits until the earliest foreign lease runs out (plus a margin), never longer than maximumWait.
        #expect(policy.waitBeforeNextClaim(earliestExpiry: now.addingTimeInterval(1), now: now) == .milliseconds(1050))
        #expect(policy.waitBeforeNextClaim(earliestExpiry: now.addingTimeInterval(600), now: now) == policy.maximumWait)
        #expect(policy.waitBeforeNextClaim(earliestExpiry: now.addingTimeInterval(-5), now: now) == .milliseconds(50))
        #expect(policy.waitBeforeNextClaim(earliestExpiry: nil, now: now) == policy.maximumWait)
    }

    @Test func durationsParse() {
        #expect(LeasePolicy.parseDuration("60s") == .seconds(60))
        #expect(LeasePolicy.parseDuration("90") == .seconds(90))
        #expect(LeasePolicy.parseDuration("500ms") == .milliseconds(500))
        #expect(LeasePolicy.parseDuration("2m") == .seconds(120))
        #expect(LeasePolicy.parseDuration("1.5h") == .seconds(5400))
        #expect(LeasePolicy.parseDuration("0s") == nil)
        #expect(LeasePolicy.parseDuration("-3s") == nil)
        #expect(LeasePolicy.parseDuration("soon") == nil)
    }
}

/// The work-queue conformance suite against the in-memory queue on a fake clock.
struct InMemoryWorkQueueTests {
    static func harness() -> (WorkQueueHarness, ManualClock) {
        let clock = ManualClock()
        let store = InMemoryResultStore()
        let queue = InMemoryWorkQueue(store: store, now: { clock.now })
        let harness = WorkQueueHarness(queue: queue, store: store, policy: LeasePolicy(duration: .seconds(30))) { clock.advance(by: $0) }
        return (harness, clock)
    }

    @Test(arguments: WorkQueueConformance.checks)
    func workQueueConformance(check: WorkQueueConformance.Check) async throws {
        try await check.run(Self.harness().0)
    }

    @Test func allChecksShareOneQueue() async throws {
        let (harness, _) = Self.harness()
        for check in WorkQueueConformance.checks { try await check.run(harness) }
    }

    @Test func claimsWithoutARunTakeTheOldestRunFirst() async throws {
        let (h, _) = Self.harness()
        var runIDs: [String] = []
        for label in ["first", "second"] {
            let run = try await h.store.openRun(ResultStoreConformance.makeRun(id: label, createdAt: Date()))
            _ = try await h.queue.enqueue(runID: run.id, settings: WorkQueueConformance.sampleSettings, items: WorkQueueConformance.makeWorkItems(3))
            runIDs.append(run.id)
        }
        var claimedRuns: [String] = []
        while case .claimed(let lease) = try await h.queue.claim(worker: "w", runID: nil, limit: 2, policy: h.policy) {
            claimedRuns.append(lease.runID)
            for work in lease.items {
                try await h.queue.complete(ResultStoreConformance.makeResult(runID: lease.runID, index: work.itemIndex, cacheKey: "k"), cacheEntry: nil, lease: lease)
            }
        }
        // A batch never mixes runs: 2 + 1 items of the first run, then of the second.
        #expect(claimedRuns == ["first", "first", "second", "second"])
        #expect(try await h.queue.claim(worker: "w", runID: nil, limit: 2, policy: h.policy) == .finished)
    }

    @Test func enqueueNeedsAnOpenedRun() async throws {
        let (h, _) = Self.harness()
        await #expect(throws: WorkQueueError.unknownRun("missing")) {
            _ = try await h.queue.enqueue(runID: "missing", settings: WorkQueueConformance.sampleSettings, items: WorkQueueConformance.makeWorkItems(1))
        }
    }
}

/// A model provider that always gives the same model.
struct FixedModels: RunModelProvider {
    let model: any LanguageModel
    func model(for settings: RunModelSettings, runID: String) async throws -> any LanguageModel { model }
}

/// A gate that model calls wait on until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The worker loop over the in-memory queue.
struct QueueWorkerTests {
    let suite = StarterSuite.suite.prefix(30)
    let settings = RunModelSettings(baseURL: "http://unused/v1", model: "biased", api: .completions, scoring: .logprobs)

    /// Opens the run for `suite` and enqueues it.
    func enqueue(_ queue: InMemoryWorkQueue, model: any LanguageModel) async throws -> String {
        let runner = EvaluationRunner(model: model, store: queue.store, configuration: settings.runnerConfiguration(concurrency: 4))
        let run = try await queue.store.openRun(runner.runRecord(for: suite, toolVersion: "test"))
        _ = try await queue.enqueue(runID: run.id, settings: settings, items: WorkItem.items(of: suite))
        return run.id
    }

    @Test func twoWorkersDoEveryItemOnceAndCompleteTheRun() async throws {
        let queue = InMemoryWorkQueue()
        let model = ScriptedLanguageModel.biased(name: "biased", weights: ["A": 0.7, "B": 0.2, "C": 0.1])
        let runID = try await enqueue(queue, model: model)
        let summaries = try await withThrowingTaskGroup(of: QueueWorker.Summary.self) { group in
            for id in ["w1", "w2"] {
                group.addTask {
                    try await QueueWorker(
                        queue: queue, store: queue.store, models: FixedModels(model: model),
                        configuration: .init(workerID: id, batchSize: 4, policy: LeasePolicy(duration: .seconds(60)))
                    ).run()
                }
            }
            var all: [QueueWorker.Summary] = []
            for try await summary in group { all.append(summary) }
            return all
        }
        #expect(summaries.map(\.completed).reduce(0, +) == 30)
        #expect(summaries.allSatisfy { $0.lost == 0 && $0.released == 0 })
        #expect(model.requestCount == 30)
        let results = try await queue.store.results(runID: runID)
        #expect(results.map(\.itemIndex) == Array(0..<30))
        #expect(try await queue.store.run(id: runID)?.status == .completed)
        let progress = try #require(try await queue.progress(runID: runID))
        #expect(progress.isFinished && progress.reclaimed == 0)
        #expect(Set(progress.workers.map(\.id)).isSubset(of: ["w1", "w2"]))
    }

    @Test func aDeadWorkersBatchIsTakenOverAfterItsLeaseExpires() async throws {
        let clock = ManualClock()
        let queue = InMemoryWorkQueue(now: { clock.now })
        let model = ScriptedLanguageModel.biased(name: "biased", weights: ["A": 0.6, "B": 0.4])
        let runID = try await enqueue(queue, model: model)
        let policy = LeasePolicy(duration: .seconds(60))
        // A worker claims a batch and dies: it never completes nor renews.
        guard case .claimed(let dead) = try await queue.claim(worker: "dead", runID: runID, limit: 8, policy: policy) else {
            Issue.record("the dead worker got nothing")
            return
        }
        // The live worker's waits move the fake clock, so the dead lease runs out without real waiting.
        let live = QueueWorker(
            queue: queue, store: queue.store, models: FixedModels(model: model),
            configuration: .init(workerID: "live", batchSize: 5, policy: policy),
            sleep: { duration in
                clock.advance(by: duration)
                try await Task.sleep(for: .milliseconds(1))
            }
        )
        let summary = try await live.run()
        #expect(summary.completed == 30)
        #expect(model.requestCount == 30)
        let statuses = try await queue.itemStatuses(runID: runID)
        #expect(statuses.allSatisfy { $0.doneBy == "live" })
        let deadItems = Set(dead.items.map(\.itemID))
        #expect(statuses.filter { deadItems.contains($0.itemID) }.allSatisfy { $0.claims == 2 })
        #expect(try await queue.progress(runID: runID)?.reclaimed == 8)
        // The dead worker's token no longer completes anything.
        let late = ResultStoreConformance.makeResult(runID: runID, index: 0, cacheKey: "late")
        await #expect(throws: WorkQueueError.self) { try await queue.complete(late, cacheEntry: nil, lease: dead) }
        #expect(try await queue.store.results(runID: runID).count == 30)
    }

    @Test func aStalledWorkersLateResultsAreDroppedNotDuplicated() async throws {
        let clock = ManualClock()
        let queue = InMemoryWorkQueue(now: { clock.now })
        let gate = Gate()
        let started = Mutex(0)
        let slow = ScriptedLanguageModel(name: "biased") { request in
            started.withLock { $0 += 1 }
            await gate.wait()
            return ModelResponse(text: " A", firstTokenTopLogprobs: [TokenLogprob(token: " A", logprob: -0.1)], finishReason: "length")
        }
        let fast = ScriptedLanguageModel.biased(name: "biased", weights: ["A": 0.9, "B": 0.1])
        let runID = try await enqueue(queue, model: fast)
        let policy = LeasePolicy(duration: .seconds(60))
        // The stalled worker never gets to renew (its sleeps last an hour).
        let stalled = QueueWorker(
            queue: queue, store: queue.store, models: FixedModels(model: slow),
            configuration: .init(workerID: "stalled", batchSize: 4, policy: policy, runID: runID),
            sleep: { _ in try await Task.sleep(for: .seconds(3600)) }
        )
        let stalledTask = Task { try await stalled.run() }
        while started.withLock({ $0 }) < 4 { try await Task.sleep(for: .milliseconds(5)) }
        clock.advance(by: .seconds(61))
        let rescuer = QueueWorker(
            queue: queue, store: queue.store, models: FixedModels(model: fast),
            configuration: .init(workerID: "rescuer", batchSize: 8, policy: policy, runID: runID),
            sleep: { duration in
                clock.advance(by: duration)
                try await Task.sleep(for: .milliseconds(1))
            }
        )
        let rescued = try await rescuer.run()
        #expect(rescued.completed == 30)
        gate.open()
        let late = try await stalledTask.value
        #expect(late.lost == 4 && late.completed == 0)
        let results = try await queue.store.results(runID: runID)
        #expect(results.count == 30)
        #expect(try await queue.itemStatuses(runID: runID).allSatisfy { $0.doneBy == "rescuer" })
    }

    @Test func stoppingHandsUnstartedItemsBack() async throws {
        let queue = InMemoryWorkQueue()
        let stop = StopSignal()
        let model = ScriptedLanguageModel(name: "biased") { _ in
            stop.stop()
            return ModelResponse(text: " A", firstTokenTopLogprobs: [TokenLogprob(token: " A", logprob: -0.1)], finishReason: "length")
        }
        let runID = try await enqueue(queue, model: model)
        let summary = try await QueueWorker(
            queue: queue, store: queue.store, models: FixedModels(model: model),
            configuration: .init(workerID: "w", batchSize: 10, concurrency: 1, policy: LeasePolicy(duration: .seconds(60)))
        ).run(stop: stop)
        #expect(summary.completed == 1 && summary.released == 9)
        let progress = try #require(try await queue.progress(runID: runID))
        #expect(progress.done == 1 && progress.claimed == 0 && progress.pending == 29)
        #expect(try await queue.store.run(id: runID)?.status == .running)
    }
}

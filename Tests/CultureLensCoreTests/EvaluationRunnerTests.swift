import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Synchronization
import Testing

struct EvaluationRunnerTests {
    let suite = StarterSuite.suite.prefix(12)

    @Test func scoresEveryItemAndASecondRunIsAllCacheHits() async throws {
        let store = InMemoryResultStore()
        let model = ScriptedLanguageModel.biased(weights: ["A": 0.7, "B": 0.1, "C": 0.1, "D": 0.05, "Yes": 0.05])
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 4)
        )
        let first = try await runner.run(suite, toolVersion: "test")
        #expect(first.run.status == .completed)
        #expect(first.results.count == 12)
        #expect(first.results.allSatisfy { $0.failure == nil })
        for result in first.results {
            let distribution = try #require(result.distribution)
            #expect(abs(distribution.reduce(0, +) - 1) < 1e-9)
            #expect(result.predicted == 0)  // the planted letter bias
        }
        #expect(model.requestCount == 12)

        // A second invocation of the same run is all cache hits: nothing is requested, nothing counted twice.
        let second = try await runner.run(suite, toolVersion: "test")
        #expect(model.requestCount == 12)
        #expect(second.results.count == 12)
        #expect(second.results.allSatisfy { $0.cached })
        #expect(second.results.map(\.distribution) == first.results.map(\.distribution))
        #expect(second.run.id == first.run.id)

        // A different run over the same prompts reuses the cache.
        let freshStore = InMemoryResultStore()
        _ = try await EvaluationRunner(model: model, store: freshStore, configuration: runner.configuration).run(
            suite,
            toolVersion: "t"
        )
        #expect(model.requestCount == 24)
    }

    @Test func failuresAreCountedByKindAndNeverScored() async throws {
        let store = InMemoryResultStore()
        let calls = Mutex(0)
        let model = ScriptedLanguageModel { request in
            let call = calls.withLock {
                $0 += 1; return $0
            }
            switch call % 3 {
            case 0: throw ModelFailure(kind: .serverError, detail: "503", status: 503, attempts: 4)
            case 1:
                return ModelResponse(text: "I cannot answer that.", firstTokenTopLogprobs: nil, finishReason: "stop")
            default: return ModelResponse(text: "B", firstTokenTopLogprobs: nil, finishReason: "stop")
            }
        }
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .chat, scoring: .generate, concurrency: 1)
        )
        let outcome = try await runner.run(suite, toolVersion: "test")
        let summary = RunSummary(results: outcome.results, itemCount: suite.items.count)
        #expect(summary.failures["http_5xx"] == 4)
        #expect(summary.failures["refusal"] == 4)
        #expect(summary.accuracy.n == 4)
        #expect(summary.scored + 8 == summary.done)
        #expect(outcome.results.filter { $0.failure != nil }.allSatisfy { $0.score == nil })
        #expect(outcome.results.filter { $0.failure == .serverError }.allSatisfy { $0.attempts == 4 })

        // Resuming retries only the transport failures; refusals are answers and stay.
        let before = model.requestCount
        _ = try await runner.run(suite, toolVersion: "test")
        #expect(model.requestCount - before == 4)
    }

    @Test func stopSignalInterruptsAndResumeCompletes() async throws {
        let store = InMemoryResultStore()
        let stop = StopSignal()
        let model = ScriptedLanguageModel.biased(weights: ["B": 0.9, "A": 0.1])
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 2)
        )
        let interrupted = try await runner.run(suite, toolVersion: "test", stop: stop) { progress in
            if progress.done >= 4 { stop.stop() }
        }
        #expect(interrupted.run.status == .interrupted)
        #expect(interrupted.results.count < 12 && interrupted.results.count >= 4)
        let resumed = try await runner.run(suite, toolVersion: "test")
        #expect(resumed.run.status == .completed)
        #expect(resumed.results.count == 12)
        #expect(model.requestCount == 12)
    }

    // MARK: - Requests in flight vs. items in flight

    @Test func requestsInFlightNeverExceedConcurrencyWhileSavesAreSlow() async throws {
        let suite = StarterSuite.suite.prefix(40)
        let store = HeldStore(saveDelay: .milliseconds(15))
        let model = InFlightModel(delay: .milliseconds(3)) { store.savesPending }
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 4)
        )
        let outcome = try await runner.run(suite, toolVersion: "test")
        #expect(outcome.run.status == .completed)
        #expect(outcome.results.count == 40)
        #expect(model.requestCount == 40)
        #expect(model.peakInFlight == 4)
        // Requests kept going out while earlier items were still being saved.
        #expect(model.peakSavesPendingAtSend > 0)
    }

    @Test func aSlowSaveDoesNotHoldTheNextRequest() async throws {
        let suite = StarterSuite.suite.prefix(12)
        let gate = Gate()
        let store = HeldStore(gate: gate)
        let model = InFlightModel(delay: .zero)
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 2)
        )
        let run = Task { try await runner.run(suite, toolVersion: "test") }
        // Every save is held. Items 0 and 1 are answered at once and wait for their saves; their request slots are
        // free already, so items 2 and 3 (the rest of the window of 2 × concurrency) are sent too.
        try await Self.waitUntil { store.savesPending == 4 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(model.requestCount == 4)  // the window is bounded: nothing beyond it starts
        #expect(store.savesPending == 4)
        gate.open()
        let outcome = try await run.value
        #expect(outcome.run.status == .completed)
        #expect(outcome.results.count == 12)
        #expect(model.requestCount == 12)
        #expect(model.peakInFlight <= 2)
    }

    @Test func stopSendsNothingNewAndSavesWhatWasInFlight() async throws {
        let suite = StarterSuite.suite.prefix(12)
        let gate = Gate()
        let store = InMemoryResultStore()
        let model = InFlightModel(delay: .zero, gate: gate)
        let stop = StopSignal()
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 2)
        )
        let run = Task { try await runner.run(suite, toolVersion: "test", stop: stop) }
        // Items 0 and 1 are at the model; items 2 and 3 have looked in the cache and wait for a request slot.
        try await Self.waitUntil { model.inFlight == 2 }
        try await Task.sleep(for: .milliseconds(20))
        stop.stop()
        gate.open()
        let interrupted = try await run.value
        #expect(interrupted.run.status == .interrupted)
        #expect(interrupted.results.map(\.itemIndex) == [0, 1])
        #expect(model.requestCount == 2)

        let resumed = try await runner.run(suite, toolVersion: "test")
        #expect(resumed.run.status == .completed)
        #expect(resumed.results.count == 12)
        #expect(resumed.results.filter(\.cached).map(\.itemIndex) == [0, 1])
        #expect(model.requestCount == 12)
    }

    @Test func cancellingARunWithItemsWaitingForSlotsEndsIt() async throws {
        let suite = StarterSuite.suite.prefix(12)
        let model = InFlightModel(delay: .seconds(3600))
        let runner = EvaluationRunner(
            model: model,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 2)
        )
        let run = Task { try await runner.run(suite, toolVersion: "test") }
        try await Self.waitUntil { model.inFlight == 2 }
        run.cancel()
        await #expect(throws: CancellationError.self) { _ = try await run.value }
        #expect(model.requestCount == 2)
    }

    @Test func concurrencyOneStaysSequential() async throws {
        let suite = StarterSuite.suite.prefix(6)
        let store = HeldStore(saveDelay: .milliseconds(2))
        let model = InFlightModel(delay: .milliseconds(1)) { store.savesPending }
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 1)
        )
        _ = try await runner.run(suite, toolVersion: "test")
        #expect(model.peakInFlight == 1)
        // Each request goes out only after the previous item is saved.
        #expect(model.peakSavesPendingAtSend == 0)
    }

    /// Polls `condition` (the limiter tests' long-deadline poll).
    static func waitUntil(_ condition: () -> Bool) async throws {
        try await ConcurrencyLimiterTests.waitUntil(condition)
    }
}

/// An in-memory store whose saves are slow (a delay, or held until a gate opens), counting saves under way.
private final class HeldStore: ResultStore {
    let base = InMemoryResultStore()
    let saveDelay: Duration
    let gate: Gate?
    private let pending = Mutex(0)

    init(saveDelay: Duration = .zero, gate: Gate? = nil) {
        self.saveDelay = saveDelay
        self.gate = gate
    }

    /// Saves started and not yet finished.
    var savesPending: Int { pending.withLock { $0 } }

    func openRun(_ run: RunRecord) async throws -> RunRecord { try await base.openRun(run) }
    func updateRun(_ run: RunRecord) async throws { try await base.updateRun(run) }
    func run(id: String) async throws -> RunRecord? { try await base.run(id: id) }
    func runs() async throws -> [RunRecord] { try await base.runs() }
    func cachedResponse(key: String) async throws -> ModelResponse? { try await base.cachedResponse(key: key) }
    func results(runID: String) async throws -> [ItemResult] { try await base.results(runID: runID) }

    func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        pending.withLock { $0 += 1 }
        defer { pending.withLock { $0 -= 1 } }
        if let gate { await gate.wait() }
        if saveDelay > .zero { try await Task.sleep(for: saveDelay) }
        try await base.save(result, cacheEntry: cacheEntry)
    }
}

/// A model answering "B" after `delay` (and after `gate` opens, if given), tracking requests in flight.
private final class InFlightModel: LanguageModel {
    let identity = ModelIdentity(name: "in-flight", endpoint: "in-process")
    let delay: Duration
    let gate: Gate?
    /// Saves under way, read when each request is sent.
    let savesPending: @Sendable () -> Int
    private let counters = Mutex((requests: 0, inFlight: 0, peak: 0, savesAtSend: 0))

    init(delay: Duration, gate: Gate? = nil, savesPending: @escaping @Sendable () -> Int = { 0 }) {
        self.delay = delay
        self.gate = gate
        self.savesPending = savesPending
    }

    var requestCount: Int { counters.withLock { $0.requests } }
    var inFlight: Int { counters.withLock { $0.inFlight } }
    var peakInFlight: Int { counters.withLock { $0.peak } }
    var peakSavesPendingAtSend: Int { counters.withLock { $0.savesAtSend } }

    func send(_ request: ModelRequest) async throws -> ModelReply {
        let saves = savesPending()
        counters.withLock {
            $0.savesAtSend = max($0.savesAtSend, saves)
            $0.requests += 1
            $0.inFlight += 1
            $0.peak = max($0.peak, $0.inFlight)
        }
        defer { counters.withLock { $0.inFlight -= 1 } }
        if let gate { await gate.wait() }
        if delay > .zero { try await Task.sleep(for: delay) }
        let top = [TokenLogprob(token: " B", logprob: -0.1), TokenLogprob(token: " A", logprob: -2.5)]
        return ModelReply(
            response: ModelResponse(text: " B", firstTokenTopLogprobs: top, finishReason: "length"),
            attempts: 1
        )
    }
}

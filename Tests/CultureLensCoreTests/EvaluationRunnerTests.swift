import CultureLensCore
import CultureLensTesting
import Foundation
import Synchronization
import Testing

struct EvaluationRunnerTests {
    let suite = StarterSuite.suite.prefix(12)

    @Test func scoresEveryItemAndASecondRunIsAllCacheHits() async throws {
        let store = InMemoryResultStore()
        let model = ScriptedLanguageModel.biased(weights: ["A": 0.7, "B": 0.1, "C": 0.1, "D": 0.05, "Yes": 0.05])
        let runner = EvaluationRunner(model: model, store: store, configuration: .init(api: .completions, scoring: .logprobs, concurrency: 4))
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
        _ = try await EvaluationRunner(model: model, store: freshStore, configuration: runner.configuration).run(suite, toolVersion: "t")
        #expect(model.requestCount == 24)
    }

    @Test func failuresAreCountedByKindAndNeverScored() async throws {
        let store = InMemoryResultStore()
        let calls = Mutex(0)
        let model = ScriptedLanguageModel { request in
            let call = calls.withLock { $0 += 1; return $0 }
            switch call % 3 {
            case 0: throw ModelFailure(kind: .serverError, detail: "503", status: 503, attempts: 4)
            case 1: return ModelResponse(text: "I cannot answer that.", firstTokenTopLogprobs: nil, finishReason: "stop")
            default: return ModelResponse(text: "B", firstTokenTopLogprobs: nil, finishReason: "stop")
            }
        }
        let runner = EvaluationRunner(model: model, store: store, configuration: .init(api: .chat, scoring: .generate, concurrency: 1))
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
        let runner = EvaluationRunner(model: model, store: store, configuration: .init(api: .completions, scoring: .logprobs, concurrency: 2))
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
}

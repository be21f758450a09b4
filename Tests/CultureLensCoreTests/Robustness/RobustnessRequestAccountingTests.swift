import CultureLensAnalysis
import CultureLensCore
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// What a grid costs: each variant is its own cached request, so K variants cost K× a plain run's requests, minus
/// cache hits.
struct RobustnessRequestAccountingTests {
    @Test func aGridOfKVariantsCostsKTimesAPlainRunMinusCacheHits() async throws {
        let suite = RobustnessFixtures.mcqSuite(count: 12) { $0 % 4 }
        let store = InMemoryResultStore()
        let model = ScriptedLanguageModel.biased(weights: ["A": 0.6, "B": 0.2, "C": 0.1, "D": 0.1, "1": 0.3, "a": 0.2])
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 6)
        )

        let plain = try await runner.run(suite, toolVersion: "test")
        #expect(model.requestCount == 12)
        #expect(plain.results.allSatisfy { !$0.cached })

        let analysis = RobustnessAnalysis(suite: suite, grid: try PerturbationGrid.parse("order,labels"))
        let k = analysis.variants.count
        #expect(k == 8)
        let grid = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(grid.results.count == k * 12)
        // The plain prompt is the grid's default variant: its 12 requests are all cache hits.
        let hits = grid.results.filter(\.cached)
        #expect(hits.count == 12)
        #expect(Set(hits.map(\.variant)) == ["default"])
        #expect(model.requestCount == k * 12)
        #expect(grid.run.id != plain.run.id)

        // Resuming the grid asks for nothing.
        let again = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(model.requestCount == k * 12)
        #expect(again.results.allSatisfy { $0.cached })
    }

    @Test func identicalPromptsUnderDifferentVariantIdsAreSentOnce() async throws {
        // Three- and four-option items: rotation 3 of a three-option item is its original order, the same prompt
        // as the default variant.
        var items = RobustnessFixtures.mcqSuite(count: 6).items
        for index in [1, 3, 5] {
            items[index].choices.removeLast()
        }
        let suite = Suite(name: "mixed", title: "t", version: "1", source: "t", licence: "t", items: items)
        let analysis = RobustnessAnalysis(suite: suite, grid: try PerturbationGrid.parse("order"))
        #expect(analysis.variants.map(\.id) == ["default", "order=reversed", "order=rot1", "order=rot2", "order=rot3"])
        let model = ScriptedLanguageModel.biased(weights: ["A": 0.6, "B": 0.2, "C": 0.1, "D": 0.1])
        let coalescing = CoalescingLanguageModel(model)
        let runner = EvaluationRunner(
            model: coalescing,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 16)
        )
        let outcome = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(outcome.results.count == 30)
        let distinct = Set(outcome.results.map(\.cacheKey)).count
        #expect(distinct == 27)
        #expect(model.requestCount == 27)
        #expect(coalescing.requestsSent == 27)

        // The analysis counts the duplicate presentation once in the agreement figures.
        let card = analysis.card(results: outcome.results)
        #expect(card.variants.first { $0.id == "order=rot3" }?.duplicates == 3)
        #expect(card.flipRate.n == 6)
    }

    @Test func samplesAreDistinctSeededCachedRequests() async throws {
        let suite = RobustnessFixtures.mcqSuite(count: 3)
        let recorded = RequestRecorder()
        let model = ScriptedLanguageModel { request in
            recorded.append(request)
            return ModelResponse(text: " Answer: B", firstTokenTopLogprobs: nil, finishReason: "stop")
        }
        let analysis = RobustnessAnalysis(suite: suite, grid: PerturbationGrid(factors: []), samples: 3)
        #expect(analysis.requestedVariants.map(\.id) == ["default", "sample=1", "sample=2"])
        let store = InMemoryResultStore()
        let runner = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .generate, concurrency: 2, temperature: 0.7)
        )
        let first = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(first.results.count == 9)
        #expect(model.requestCount == 9)
        let requests = recorded.all
        #expect(Set(requests.compactMap(\.seed)) == [0, 1, 2])
        #expect(requests.allSatisfy { $0.temperature == 0.7 })
        #expect(Set(first.results.map(\.cacheKey)).count == 9)
        _ = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(model.requestCount == 9)

        // Temperature 0 keeps the plain request (no seed), so a plain run's cache still serves it.
        let plain = EvaluationRunner(
            model: model,
            store: store,
            configuration: .init(api: .completions, scoring: .generate)
        )
        let prompt = PromptBuilder().render(suite.items[0])
        #expect(plain.request(for: prompt, item: suite.items[0]).seed == nil)
        #expect(plain.request(for: prompt, item: suite.items[0]).temperature == 0)
    }
}

/// Requests seen by a scripted model.
final class RequestRecorder: Sendable {
    private let requests = Mutex<[ModelRequest]>([])

    func append(_ request: ModelRequest) { requests.withLock { $0.append(request) } }

    var all: [ModelRequest] { requests.withLock { $0 } }
}

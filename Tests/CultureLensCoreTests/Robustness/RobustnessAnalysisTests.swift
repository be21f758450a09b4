import CultureLensAnalysis
import CultureLensCore
import CultureLensTesting
import Foundation
import Testing

struct RobustnessAnalysisTests {
    // MARK: - Hand-computed agreement figures

    /// Four items, four label variants, canonical answers:
    /// q0 [0,0,0,0] · q1 [0,1,0,0] · q2 [2,2,3,3] · q3 [1,1,1,1]; gold is option 0 everywhere.
    func handTable() throws -> (RobustnessAnalysis, [ItemResult]) {
        let suite = RobustnessFixtures.mcqSuite(count: 4)
        let analysis = RobustnessAnalysis(suite: suite, grid: try PerturbationGrid.parse("labels"))
        #expect(analysis.variants.map(\.id) == ["default", "labels=numbers", "labels=lowercase", "labels=none"])
        let answers = [[0, 0, 0, 0], [0, 1, 0, 0], [2, 2, 3, 3], [1, 1, 1, 1]]
        var results: [ItemResult] = []
        for (index, item) in suite.items.enumerated() {
            for (column, variant) in analysis.variants.enumerated() {
                results.append(
                    RobustnessFixtures.result(
                        item,
                        index: index,
                        variant: variant,
                        distribution: RobustnessFixtures.oneHot(answers[index][column], 4)
                    )
                )
            }
        }
        return (analysis, results)
    }

    @Test func flipRateKappaJSDAndSpreadMatchHandValues() throws {
        let (analysis, results) = try handTable()
        let card = analysis.card(results: results)
        // 2 of 4 items change their answer.
        #expect(card.flipRate.value == 0.5)
        #expect(card.flipRate.n == 4)
        // Fleiss' κ: P̄ = (1 + 1/2 + 1/3 + 1)/4 = 17/24, P̄e = (7² + 5² + 2² + 2²)/16² = 41/128, κ = 149/261.
        let kappa = try #require(card.fleissKappa.value)
        #expect(abs(kappa - 149.0 / 261.0) < 1e-12)
        #expect(card.fleissKappa.n == 4)
        // One-hot answers: JSD (bits) is 1 per disagreeing pair: (0 + 3/6 + 4/6 + 0)/4.
        let jsd = try #require(card.meanPairwiseJSD.value)
        #expect(abs(jsd - (0.5 + 4.0 / 6.0) / 4) < 1e-12)
        // Accuracy by variant (gold 0): 2/4, 1/4, 2/4, 2/4 → spread 1/4.
        #expect(card.variants.map(\.headline.value) == [0.5, 0.25, 0.5, 0.5])
        #expect(card.formatSpread.value == 0.25)
        #expect(card.headlineMetric == "accuracy")
        // Every figure has n and an interval containing it.
        for figure in [card.flipRate, card.fleissKappa, card.meanPairwiseJSD, card.formatSpread] {
            let value = try #require(figure.value)
            let low = try #require(figure.ciLow)
            let high = try #require(figure.ciHigh)
            #expect(low <= value + 1e-12 && value <= high + 1e-12)
            #expect(figure.n > 0)
        }
        #expect(card.perFactor.map(\.factor) == ["labels"])
        #expect(card.perFactor[0].flipRate.value == 0.5)
    }

    @Test func failuresAreCountedPerVariantAndLeftOut() throws {
        let (analysis, clean) = try handTable()
        var results = clean
        // q1 under labels=numbers fails: q1 no longer flips (its remaining answers all say 0).
        let index = try #require(results.firstIndex { $0.itemID == "q1" && $0.variant == "labels=numbers" })
        results[index] = RobustnessFixtures.result(
            analysis.suite.items[1],
            index: 1,
            variant: analysis.variants[1],
            distribution: nil,
            failure: .noLabelInTopLogprobs
        )
        let card = analysis.card(results: results)
        #expect(card.variants[1].failures == ["no_label_in_top_logprobs": 1])
        #expect(card.failures.values.reduce(0, +) == 1)
        #expect(card.variants[1].answered == 3)
        #expect(card.variants[1].headline.n == 3)
        #expect(card.flipRate.value == 0.25)
        // κ needs every rater: q1 is left out and said so.
        #expect(card.fleissKappa.n == 3)
        #expect(card.fleissKappa.note?.contains("left out") == true)
    }

    /// `results.json` is written with `.convertToSnakeCase`; the card keeps its own keys (acronyms such as
    /// `mean_pairwise_jsd` do not round-trip through the strategy), so the strategy must leave its bytes alone.
    @Test func cardBytesAreTheSameUnderTheResultsKeyStrategy() throws {
        let (analysis, results) = try handTable()
        let card = analysis.card(results: results)
        let plain = JSONEncoder()
        plain.outputFormatting = [.sortedKeys]
        let snake = JSONEncoder()
        snake.outputFormatting = [.sortedKeys]
        snake.keyEncodingStrategy = .convertToSnakeCase
        #expect(try snake.encode(card) == plain.encode(card))
    }

    @Test func cardIsDeterministicAndSnakeCase() throws {
        let (analysis, results) = try handTable()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let first = try encoder.encode(analysis.card(results: results))
        let second = try encoder.encode(analysis.card(results: results.reversed()))
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        for key in [
            "\"flip_rate\"", "\"fleiss_kappa\"", "\"mean_pairwise_jsd\"", "\"format_spread\"", "\"a_bias\"",
            "\"ci_low\"", "\"variance_decomposition\"", "\"headline_metric\"",
        ] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(!text.contains("ciLow"))
        let decoded = try JSONDecoder().decode(RobustnessCard.self, from: first)
        #expect(decoded == analysis.card(results: results))
    }

    // MARK: - PriDe and A-bias on a model with a planted position prior

    static let plantedPrior = [0.55, 0.2, 0.15, 0.1]

    /// Item i's gold option has strength 3, the others 1 + (i·j mod 3)/4, so the contents vary by item.
    static func weight(prompt: String, option: String) -> Double {
        // Option texts are "Option <item>-<canonical index>"; gold is canonical index item % 4.
        let parts = option.replacingOccurrences(of: "Option ", with: "").split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return 1 }
        let (item, index) = (parts[0], parts[1])
        return index == item % 4 ? 3 : 1 + Double((item * (index + 1)) % 3) / 4
    }

    @Test func prideRecoversThePlantedPriorAndDebiasesAccuracy() async throws {
        let suite = RobustnessFixtures.mcqSuite(count: 40) { $0 % 4 }
        let model = PositionBiasedModel.make(prior: Self.plantedPrior, weight: Self.weight)
        let analysis = RobustnessAnalysis(
            suite: suite,
            grid: try PerturbationGrid.parse("order"),
            configuration: .init(seed: 7, bootstrapReplicates: 500, calibrationShare: 0.2)
        )
        let runner = EvaluationRunner(
            model: model,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 8)
        )
        let outcome = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test")
        #expect(outcome.results.count == 40 * 5)
        let card = analysis.card(results: outcome.results)

        let pride = try #require(card.pride)
        #expect(pride.priors.count == 1)
        #expect(pride.priors[0].calibrationItems == 8)
        #expect(pride.evaluationItems == 32)
        #expect(pride.calibrationItems.count == 8)
        for (estimated, planted) in zip(pride.priors[0].prior, Self.plantedPrior) {
            #expect(abs(estimated - planted) < 1e-9)
        }
        // With the prior divided out the strongest content (the gold) wins everywhere.
        #expect(pride.debiased.value == 1)
        let observed = try #require(pride.observed.value)
        #expect(observed < 0.6)
        #expect(try #require(pride.improvement.value) > 0.4)
        #expect(pride.orderAdjusted.value == 1)
        #expect(pride.debiased.n == 32)

        // A-bias: mean over items of mean_s P_s(first) − 1/4, computed by hand from the planted model.
        var expected = 0.0
        for item in 0..<40 {
            let weights = (0..<4).map { Self.weight(prompt: "", option: "Option \(item)-\($0)") }
            var first = 0.0
            for shift in 0..<4 {
                let shown = (0..<4).map { Self.plantedPrior[$0] * weights[($0 + shift) % 4] }
                first += shown[0] / shown.reduce(0, +) / 4
            }
            expected += (first - 0.25) / 40
        }
        let aBias = try #require(card.aBias.value)
        #expect(abs(aBias - expected) < 1e-9)
        #expect(aBias > 0.2)
        #expect(card.aBias.n == 40)
        #expect(try #require(card.aBias.ciLow) > 0)
        #expect(card.positional.first?.distribution[0] ?? 0 > 0.4)
        // Gold positions are balanced over the items, so every rotation has about the same accuracy (a small
        // format spread) even though almost every item changes its answer: the spread alone hides the bias.
        #expect(try #require(card.formatSpread.value) < 0.2)
        #expect(try #require(card.flipRate.value) > 0.5)
    }

    @Test func prideCalibrationDrawDependsOnTheSeedOnly() async throws {
        let suite = RobustnessFixtures.mcqSuite(count: 20) { $0 % 4 }
        let model = PositionBiasedModel.make(prior: Self.plantedPrior, weight: Self.weight)
        let grid = try PerturbationGrid.parse("order")
        let runner = EvaluationRunner(
            model: model,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs)
        )
        let base = RobustnessAnalysis(suite: suite, grid: grid, configuration: .init(seed: 1, bootstrapReplicates: 200))
        let results = try await runner.run(suite, variants: base.requestedVariants, toolVersion: "test").results
        let a = base.card(results: results)
        let b = RobustnessAnalysis(suite: suite, grid: grid, configuration: .init(seed: 1, bootstrapReplicates: 200))
            .card(results: results)
        let c = RobustnessAnalysis(suite: suite, grid: grid, configuration: .init(seed: 2, bootstrapReplicates: 200))
            .card(results: results)
        #expect(a == b)
        #expect(a.pride?.calibrationItems != c.pride?.calibrationItems)
    }

    @Test func withoutTheOrderFactorABiasFallsBackToTheDefaultOrderAndSaysSo() throws {
        let (analysis, results) = try handTable()
        let card = analysis.card(results: results)
        #expect(card.pride == nil)
        #expect(card.aBias.note == "default order only")
        #expect(card.notes.contains { $0.contains("cyclic rotations") })
        // Default answers 0, 0, 2, 1 → P(first) − 1/4 = (0.75 + 0.75 − 0.25 − 0.25)/4.
        #expect(card.aBias.value == 0.25)
    }

    // MARK: - Variance decomposition

    @Test func varianceDecompositionSeparatesItemsVariantsAndSamples() async throws {
        let suite = RobustnessFixtures.mcqSuite(count: 12) { $0 % 4 }
        let model = PositionBiasedModel.make(prior: Self.plantedPrior, weight: Self.weight)
        let analysis = RobustnessAnalysis(
            suite: suite,
            grid: try PerturbationGrid.parse("labels"),
            samples: 4,
            configuration: .init(bootstrapReplicates: 200)
        )
        let runner = EvaluationRunner(
            model: model,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .generate, temperature: 1)
        )
        let results = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test").results
        #expect(results.count == 12 * 4 * 4)
        #expect(Set(results.map(\.variant)).contains("labels=numbers;sample=3"))
        let card = analysis.card(results: results)
        #expect(card.samples == 4)
        let decomposition = card.varianceDecomposition
        #expect(decomposition.unit == "score")
        let within = try #require(decomposition.withinPrompt)
        #expect(try #require(within.value) > 0)
        #expect(decomposition.betweenItem.value != nil)
        #expect(decomposition.betweenVariant.value != nil)
        let shares = decomposition.shares.values.reduce(0, +)
        #expect(abs(shares - 1) < 1e-9)
    }
}

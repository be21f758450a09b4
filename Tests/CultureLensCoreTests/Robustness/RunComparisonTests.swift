import CultureLensAnalysis
import CultureLensCore
import CultureLensTesting
import Foundation
import Testing

struct CompareRunsTests {
    static func unit(_ item: String, _ culture: String, _ value: Double?, variant: String = "default") -> ComparisonUnit
    {
        ComparisonUnit(itemID: item, variant: variant, culture: culture, value: value)
    }

    @Test func pairedDifferencesPerCultureWithHolm() throws {
        // JP: B better on 6 of 6 items; IN: no change; NG: one item only in A, one failed in B.
        var a: [ComparisonUnit] = []
        var b: [ComparisonUnit] = []
        for index in 0..<6 {
            a.append(Self.unit("jp\(index)", "JP", 0))
            b.append(Self.unit("jp\(index)", "JP", 1))
            a.append(Self.unit("in\(index)", "IN", Double(index % 2)))
            b.append(Self.unit("in\(index)", "IN", Double(index % 2)))
        }
        a.append(Self.unit("ng0", "NG", 1))
        a.append(Self.unit("ng1", "NG", 1))
        b.append(Self.unit("ng1", "NG", nil))
        a.append(Self.unit("ng2", "NG", 0))
        b.append(Self.unit("ng2", "NG", 1))
        let comparison = RunComparison(a: a, b: b, runA: "A", runB: "B", metric: "accuracy", seed: 1, resamples: 999)
        #expect(comparison.pairs == 13)
        #expect(comparison.onlyInA == 1)
        #expect(comparison.onlyInB == 0)
        #expect(comparison.unpaired == 1)
        #expect(comparison.perCulture.map(\.key) == ["IN", "JP", "NG"])

        let japan = comparison.perCulture[1]
        #expect(japan.n == 6 && japan.difference == 1 && japan.meanA == 0 && japan.meanB == 1)
        // Six clusters, all +1: the exact sign-flip p is 2/64.
        #expect(abs(try #require(japan.pValue) - 2.0 / 64) < 1e-12)
        let india = comparison.perCulture[0]
        #expect(india.difference == 0)
        #expect(india.pValue == 1)
        // Holm over the three cultures: the smallest p is multiplied by 3.
        #expect(abs(try #require(japan.pHolm) - 3 * 2.0 / 64) < 1e-12)
        let nigeria = comparison.perCulture[2]
        #expect(nigeria.n == 1 && nigeria.difference == 1 && nigeria.ciLow == nil)
        #expect(comparison.overall.n == 13)
        #expect(abs(try #require(comparison.overall.difference) - 7.0 / 13) < 1e-12)
        let low = try #require(comparison.overall.ciLow)
        let high = try #require(comparison.overall.ciHigh)
        #expect(low < 7.0 / 13 && 7.0 / 13 < high)
        // The minimum detectable difference is 2.8016 × the clustered SE; 7/13 is above it, India's 0 below its.
        let se = try #require(comparison.overall.standardError)
        #expect(abs(try #require(comparison.overall.minimumDetectable) - 2.801_585_218_112_968 * se) < 1e-9)
        #expect(comparison.overall.belowMinimumDetectable == (7.0 / 13 < 2.801_585_218_112_968 * se))
        #expect(nigeria.minimumDetectable == nil && nigeria.belowMinimumDetectable == nil)
    }

    @Test func variantsOfOneItemAreOneCluster() throws {
        // Two variants of each item move together: clustering by item halves the effective sample.
        var a: [ComparisonUnit] = []
        var b: [ComparisonUnit] = []
        for index in 0..<8 {
            for variant in ["default", "order=reversed"] {
                a.append(Self.unit("q\(index)", "JP", 0, variant: variant))
                b.append(Self.unit("q\(index)", "JP", index < 6 ? 1 : 0, variant: variant))
            }
        }
        let comparison = RunComparison(a: a, b: b, runA: "A", runB: "B", metric: "accuracy", resamples: 9999)
        #expect(comparison.overall.n == 16)
        #expect(comparison.overall.items == 8)
        // Exact sign-flip over 8 item clusters: 2^8 = 256 patterns.
        let p = try #require(comparison.overall.pValue)
        #expect(p > 0.01)
        let encoded = String(decoding: try JSONEncoder().encode(comparison), as: UTF8.self)
        #expect(encoded.contains("\"p_holm\"") || encoded.contains("\"per_culture\""))
    }
}

struct SurveyRobustnessTests {
    @Test func surveyEffectsAreInMeanPositionUnitsNextToTheYardstick() async throws {
        let human: [String: [[Double]?]] = [
            "US": (0..<8).map { [0.1, 0.2, 0.3, 0.4].shifted($0) },
            "JP": (0..<8).map { [0.4, 0.3, 0.2, 0.1].shifted($0) },
        ]
        let suite = RobustnessFixtures.surveySuite(options: 4, distributions: human)
        // A model that always prefers the first shown option: reversing the scale flips its mean position.
        let model = PositionBiasedModel.make(prior: [0.7, 0.1, 0.1, 0.1]) { _, _ in 1 }
        let analysis = RobustnessAnalysis(
            suite: suite,
            grid: try PerturbationGrid.parse("scale"),
            configuration: .init(bootstrapReplicates: 200)
        )
        #expect(analysis.variants.map(\.id) == ["default", "order=reversed"])
        let runner = EvaluationRunner(
            model: model,
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs)
        )
        let results = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test").results
        let card = analysis.card(results: results)
        let survey = try #require(card.survey)
        // Default μ = (0.1·1/3 + 0.1·2/3 + 0.1·1) = 0.2; reversed μ = 0.8: shift +0.6 on every item.
        let shift = try #require(survey.variants.first)
        #expect(shift.id == "order=reversed")
        #expect(abs(try #require(shift.shift.value) - 0.6) < 1e-9)
        #expect(abs(try #require(shift.absoluteShift.value) - 0.6) < 1e-9)
        // SD over the two variants (ddof 0) is 0.3 on every item.
        #expect(abs(try #require(survey.variantSD.value) - 0.3) < 1e-9)
        let sigma = try #require(survey.humanYardstick.value)
        #expect(sigma > 0)
        #expect(abs(try #require(survey.ratioToYardstick) - 0.3 / sigma) < 1e-9)
        #expect(card.varianceDecomposition.unit == "mean_position")
        #expect(card.headlineMetric == "similarity")
        #expect(card.extrapolability != nil)
    }
}

extension Array where Element == Double {
    /// The array rotated left by `k`.
    fileprivate func shifted(_ k: Int) -> [Double] {
        indices.map { self[($0 + k) % count] }
    }
}

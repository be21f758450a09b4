import CultureLensAnalysis
import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

struct StatisticsAgreementTests {
    /// Wikipedia's "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories, κ ≈ 0.210.
    static let wikipediaTable = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]

    @Test func fleissKappaOnTheWikipediaExample() throws {
        let kappa = try FleissKappa(counts: Self.wikipediaTable)
        #expect(abs(kappa.kappa - 0.20993070442195522) < 1e-14)
        #expect(abs(kappa.observedAgreement - 0.378021978021978) < 1e-14)
        #expect(abs(kappa.expectedAgreement - 0.21275510204081632) < 1e-14)
        #expect((kappa.kappa * 1000).rounded() / 1000 == 0.210)
        #expect(kappa.items == 10 && kappa.raters == 14 && kappa.categories == 5)
    }

    @Test func fleissKappaFromRatingsEqualsFromCounts() throws {
        let ratings = Self.wikipediaTable.map { row in
            row.enumerated().flatMap { category, count in Array(repeating: category, count: count) }
        }
        #expect(try FleissKappa(ratings: ratings, categories: 5) == FleissKappa(counts: Self.wikipediaTable))
    }

    @Test func fleissKappaEdgeCases() throws {
        #expect(try FleissKappa(ratings: [[0, 0], [1, 1], [2, 2]], categories: 3).kappa == 1)
        #expect(throws: StatisticsError.self) { try FleissKappa(ratings: [[0, 0], [0, 0]], categories: 2) }
        #expect(throws: StatisticsError.self) { try FleissKappa(counts: [[2, 0], [1, 0]]) }
        #expect(throws: StatisticsError.self) { try FleissKappa(ratings: [[0, 3]], categories: 2) }
    }

    @Test func flipRateAndPairwiseDisagreement() throws {
        let answers: [[Int?]] = [
            [0, 0, 0, 0],
            [0, 1, 0, 0],
            [2, nil, 2, 2],
            [nil, 1, nil, nil],  // one answer: not counted
        ]
        let rate = VariantRobustness.argmaxFlipRate(answers)
        #expect(rate.successes == 1 && rate.n == 3)
        // Pairwise: 0, 3/6, 0 → mean 1/6.
        #expect(abs(try VariantRobustness.pairwiseDisagreement(answers) - 1.0 / 6.0) < 1e-15)
        let fromDistributions = VariantRobustness.argmaxFlipRate(distributions: [
            [[0.6, 0.4], [0.4, 0.6]],
            [[0.9, 0.1], nil, [0.7, 0.3]],
        ])
        #expect(fromDistributions.successes == 1 && fromDistributions.n == 2)
        #expect(throws: StatisticsError.self) { try VariantRobustness.pairwiseDisagreement([[0], [nil, 1]]) }
    }

    @Test func meanPairwiseJensenShannon() throws {
        let p = [0.5, 0.3, 0.2]
        let q = [0.1, 0.1, 0.8]
        // Pairs (p,p) = 0, (p,q) = (p,q) → mean ⅔ of JSD(p,q).
        let value = try VariantRobustness.meanPairwiseJensenShannon([p, p, q])
        #expect(abs(value - 2 * 0.19531057720719835 / 3) < 1e-15)
        #expect(try VariantRobustness.meanPairwiseJensenShannon([p, p]) == 0)
        #expect(throws: StatisticsError.self) { try VariantRobustness.meanPairwiseJensenShannon([p]) }
    }

    @Test func aBiasAndOrderAdjustment() throws {
        // Two orderings of a 2-option item; the model always puts 0.8 on the first position.
        let presentations = [[0.8, 0.2], [0.8, 0.2]]
        #expect(abs(try PositionBias.aBias(presentations) - 0.3) < 1e-15)
        #expect(try PositionBias.positionalDistribution(presentations) == [0.8, 0.2])
        let adjusted = try PositionBias.orderAdjusted([
            OrderedDistribution(probabilities: [0.8, 0.2], order: [0, 1]),
            OrderedDistribution(probabilities: [0.8, 0.2], order: [1, 0]),
        ])
        #expect(adjusted == [0.5, 0.5])  // pure position bias: no content preference left
        #expect(abs(try PositionBias.normalizedEntropy(adjusted) - 1) < 1e-15)
        #expect(try PositionBias.normalizedEntropy([1, 0, 0]) == 0)
        #expect(throws: StatisticsError.self) {
            try PositionBias.orderAdjusted([OrderedDistribution(probabilities: [0.5, 0.5], order: [0, 0])])
        }
    }
}

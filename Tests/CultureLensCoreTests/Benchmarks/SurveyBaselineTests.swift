import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensDatasets

/// Survey similarity's baselines, noise floor, small-n rule and overall interval, pinned to values computed by hand
/// (base 2) on a fixture: cultures A = (1, 0), B = (0, 1), C = (½, ½) answer questions q0…q9; q10 is answered by C
/// and D = (½, ½) only; the model always says (1, 0).
struct SurveyBaselineTests {
    static func pairs() -> [(item: Item, result: ItemResult)] {
        (0...10).map { index in
            let humans: [String: [Double]] =
                index < 10 ? ["A": [1, 0], "B": [0, 1], "C": [0.5, 0.5]] : ["C": [0.5, 0.5], "D": [0.5, 0.5]]
            let item = Item(
                id: "q\(index)",
                kind: .survey,
                stem: "Question \(index)",
                choices: ["x", "y"],
                gold: [],
                humanDistributions: humans,
                culture: "global",
                topic: "t",
                provenance: Provenance(source: "test", licence: "test")
            )
            var result = ItemResult.answer(runID: "r", item: item, index: index, response: nil)
            result.distribution = [1, 0]
            result.predicted = 0
            return (item, result)
        }
    }

    // 1 − JS distance in bits, by hand: (1, 0) vs (½, ½): M = (¾, ¼), JSD = ½ log2(4/3) + ½(½ log2(2/3) + ½ log2 2).
    static let halfVsOne = 0.442_076_954_715_856_2
    // (1, 0) vs (¼, ¾): the population average of B and C against A.
    static let quarterVsOne = 0.259_193_047_619_422_97

    @Test func baselinesNoiseFloorRanksAndTheOverallInterval() throws {
        let metrics = SurveySimilarityRule.surveySimilarity(
            Self.pairs(),
            base: .two,
            replicates: 500,
            seed: 7,
            respondents: 100
        )
        let byKey = Dictionary(uniqueKeysWithValues: metrics.perCulture.map { ($0.key, $0) })
        let a = try #require(byKey["A"])
        #expect(a.similarity == 1 && a.n == 10 && a.ciLow == 1 && a.ciHigh == 1)
        #expect(abs((a.baselines?.uniform ?? 0) - Self.halfVsOne) < 1e-12)
        #expect(abs((a.baselines?.populationAverage ?? 0) - Self.quarterVsOne) < 1e-12)
        // The model against B (0) and C (halfVsOne), averaged.
        #expect(abs((a.baselines?.shuffledCulture ?? 0) - Self.halfVsOne / 2) < 1e-12)
        // 1 − √((k − 1) / (2n ln 2)) with k = 2, n = 100.
        let floor = 1 - (1 / (200 * log(2.0))).squareRoot()
        #expect(abs((a.baselines?.noiseFloor ?? 0) - floor) < 1e-12 && abs(floor - 0.915_067_819_971_198_1) < 1e-12)
        #expect(a.belowNoiseFloor == false && byKey["B"]?.belowNoiseFloor == true)
        let c = try #require(byKey["C"])
        #expect(c.n == 11 && c.baselines?.uniform == 1 && c.baselines?.populationAverage == 1)
        #expect(abs((c.baselines?.shuffledCulture ?? 0) - (10 * 0.5 + Self.halfVsOne) / 11) < 1e-12)
        // D has one question: no interval, no rank.
        let d = try #require(byKey["D"])
        #expect(d.n == 1 && d.ciLow == nil && d.ciHigh == nil && d.rank == nil)
        #expect(metrics.unranked == 1 && metrics.minimumN == 10)
        #expect([a.rank, c.rank, byKey["B"]?.rank] == [1, 2, 3])
        // Overall: the mean over the four cultures; a replicate without q10 loses D and averages three.
        let overall = try #require(metrics.overall)
        let withD = (1 + 0 + 2 * Self.halfVsOne) / 4
        let withoutD = (1 + 0 + Self.halfVsOne) / 3
        #expect(abs(overall.value - withD) < 1e-12 && overall.n == 4)
        #expect(abs((overall.ciLow ?? 0) - withD) < 1e-12 && abs((overall.ciHigh ?? 0) - withoutD) < 1e-12)
        let baselines = try #require(metrics.overallBaselines)
        #expect(abs((baselines.uniform ?? 0) - (2 * Self.halfVsOne + 2) / 4) < 1e-12)
    }

    @Test func withoutRespondentsThereIsNoFloorAndFewQuestionsGiveNoOverallInterval() throws {
        let metrics = SurveySimilarityRule.surveySimilarity(
            Array(Self.pairs().prefix(3)),
            base: .two,
            replicates: 100,
            seed: 7
        )
        #expect(metrics.perCulture.allSatisfy { $0.baselines?.noiseFloor == nil && $0.belowNoiseFloor == nil })
        #expect(metrics.perCulture.allSatisfy { $0.ciLow == nil && $0.rank == nil })
        #expect(metrics.unranked == 3)
        #expect(metrics.overall?.ciLow == nil && metrics.overall?.n == 3)
    }
}

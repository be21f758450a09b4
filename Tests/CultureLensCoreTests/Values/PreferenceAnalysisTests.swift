import CultureLensAnalysis
import CultureLensStatistics
import Foundation
import Testing

@Suite struct PreferenceAnalysisTests {
    /// Eight options with planted utilities; P(a ≻ b) from the Thurstonian model with unit variances.
    let options = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"]
    let planted = [1.5, -0.4, 0.9, -1.2, 0.1, 2.0, -2.1, 0.5]

    func truth(_ a: Int, _ b: Int) -> Double {
        NormalDistribution.cdf((planted[a] - planted[b]) / 2.0.squareRoot())
    }

    /// Both orders of every pair, the model pulled toward Option A by `bias`.
    func presentations(bias: Double) -> [PreferenceAnalysis.Presentation] {
        var result: [PreferenceAnalysis.Presentation] = []
        for pair in PreferenceAnalysis.pairs(among: options, degree: nil, seed: 1) {
            let a = options.firstIndex(of: pair.first) ?? 0
            let b = options.firstIndex(of: pair.second) ?? 0
            let forward: Double = truth(a, b) + bias * (1 - truth(a, b))
            let backward: Double = truth(b, a) + bias * (1 - truth(b, a))
            result.append(.init(first: pair.first, second: pair.second, firstChosen: forward))
            result.append(.init(first: pair.second, second: pair.first, firstChosen: backward))
        }
        return result
    }

    var fast: PreferenceAnalysis.Settings {
        var settings = PreferenceAnalysis.Settings()
        settings.replicates = 20
        settings.epochs = 600
        return settings
    }

    @Test func recoversPlantedUtilitiesAndMeasuresTheOrderBias() throws {
        let report = try PreferenceAnalysis.analyse(
            options: options,
            presentations: presentations(bias: 0),
            settings: fast
        )
        #expect(report.pairs == 28 && report.presentations == 56 && report.unanswered == 0)
        // 28 pairs ≥ 20: one (5%, rounded, at least one) is held out of the fit.
        #expect(report.fittedPairs == 27 && report.heldOut?.n == 1)
        let fitted = options.map { id in report.utilities.first { $0.id == id }!.mean }
        #expect(try Correlation.spearman(fitted, planted) >= 0.99)
        #expect(report.utilities.first?.id == "o6" && report.utilities.last?.id == "o7")
        #expect(abs(report.orderBias ?? 1) < 1e-12)
        #expect(report.cyclicTriads == 0 && report.triads == 56)
        for utility in report.utilities {
            let (low, high) = (try #require(utility.ciLow), try #require(utility.ciHigh))
            #expect(low <= high && utility.n == 7)
        }

        // A pull toward Option A shows as the order bias; averaging both orders keeps the ranking.
        let biased = try PreferenceAnalysis.analyse(
            options: options,
            presentations: presentations(bias: 0.2),
            settings: fast
        )
        let bias = try #require(biased.orderBias)
        #expect(bias > 0.05 && (biased.orderBiasLow ?? 1) <= bias && bias <= (biased.orderBiasHigh ?? 0))
        let biasedRanks = options.map { id in biased.utilities.first { $0.id == id }!.mean }
        #expect(try Correlation.spearman(biasedRanks, planted) >= 0.99)
    }

    @Test func failedAnswersAreCountedNotImputed() throws {
        var presentations = presentations(bias: 0)
        presentations[0].firstChosen = nil
        presentations[1].firstChosen = nil
        presentations.append(.init(first: "o1", second: "unknown", firstChosen: 0.5))
        let report = try PreferenceAnalysis.analyse(options: options, presentations: presentations, settings: fast)
        #expect(report.unanswered == 3 && report.presentations == 57)
        #expect(report.pairs == 27)
        let none = try PreferenceAnalysis.analyse(
            options: options,
            presentations: [.init(first: "o1", second: "o2", firstChosen: nil)],
            settings: fast
        )
        #expect(none.utilities.isEmpty && none.unanswered == 1 && none.presentations == 1 && none.training == nil)
    }

    @Test func aPreferenceCycleIsCountedAndTheFitExpectsFewer() throws {
        // a ≻ b ≻ c ≻ a, each with 0.9: intransitive.
        let cycle: [PreferenceAnalysis.Presentation] = [
            .init(first: "a", second: "b", firstChosen: 0.9), .init(first: "b", second: "a", firstChosen: 0.1),
            .init(first: "b", second: "c", firstChosen: 0.9), .init(first: "c", second: "b", firstChosen: 0.1),
            .init(first: "c", second: "a", firstChosen: 0.9), .init(first: "a", second: "c", firstChosen: 0.1),
        ]
        let report = try PreferenceAnalysis.analyse(options: ["a", "b", "c"], presentations: cycle, settings: fast)
        #expect(report.triads == 1 && report.cyclicTriads == 1 && report.cyclicShare == 1)
        // A Thurstonian model cannot represent a cycle: it puts the three options near each other, and expects a
        // cycle with probability about 1/4, far from the observed one.
        let expected = try #require(report.expectedCyclicShare)
        #expect(expected > 0.2 && expected < 0.3)
        // Three pairs: below 5 pairs there is no interval, below 20 no hold-out.
        #expect(report.utilities.allSatisfy { $0.ciLow == nil } && report.heldOut == nil)
    }

    @Test func sameSeedSameReport() throws {
        let first = try PreferenceAnalysis.analyse(
            options: options,
            presentations: presentations(bias: 0.1),
            settings: fast
        )
        let second = try PreferenceAnalysis.analyse(
            options: options,
            presentations: presentations(bias: 0.1),
            settings: fast
        )
        #expect(first == second)
    }

    @Test func pairSelectionMeetsTheDegreeTargetDeterministically() {
        let many = (1...40).map { "v\($0)" }
        let all = PreferenceAnalysis.pairs(among: many, degree: nil, seed: 7)
        #expect(all.count == 780)
        let sparse = PreferenceAnalysis.pairs(among: many, degree: 6, seed: 7)
        #expect(sparse.count < 200)
        var degree: [String: Int] = [:]
        for pair in sparse {
            #expect(pair.first < pair.second || many.firstIndex(of: pair.first)! < many.firstIndex(of: pair.second)!)
            degree[pair.first, default: 0] += 1
            degree[pair.second, default: 0] += 1
        }
        #expect(many.allSatisfy { degree[$0, default: 0] >= 6 })
        #expect(PreferenceAnalysis.pairs(among: many, degree: 6, seed: 7).map(\.first) == sparse.map(\.first))
        #expect(PreferenceAnalysis.pairs(among: many, degree: 6, seed: 8).map(\.second) != sparse.map(\.second))
        #expect(PreferenceAnalysis.pairs(among: ["a", "b", "c"], degree: 6, seed: 7).count == 3)
    }
}

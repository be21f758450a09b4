import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

struct StatisticsDescriptiveTests {
    @Test func meanVarianceAndSD() throws {
        let x = [2.0, 4, 4, 4, 5, 5, 7, 9]
        #expect(try Descriptive.mean(x) == 5)
        #expect(try Descriptive.standardDeviation(x, ddof: 0) == 2)
        #expect(abs(try Descriptive.standardDeviation(x) - 2.138089935299395) < 1e-15)
        #expect(throws: StatisticsError.self) { try Descriptive.variance([1], ddof: 1) }
        #expect(throws: StatisticsError.self) { try Descriptive.mean([]) }
    }

    @Test func quantileIsNumPyType7() throws {
        #expect(abs(try Descriptive.quantile([1, 2, 3, 4, 10], 0.3) - 2.2) < 1e-15)
        #expect(try Descriptive.quantile([3, 1, 2], 0.25) == 1.5)
        #expect(try Descriptive.quantile([3, 1, 2], 0) == 1)
        #expect(try Descriptive.quantile([3, 1, 2], 1) == 3)
    }

    @Test func zScoresUsePopulationSD() throws {
        #expect(try Descriptive.zScores([1, 3]) == [-1, 1])
        #expect(try Descriptive.zScores([2, 2]) == [0, 0])
    }

    @Test func betweenGroupSD() throws {
        // Groups a: mean 1 (n 1), b: mean 3 (n 3) → weights ¼, ¾, grand 2.5, S² = ¼·2.25 + ¾·0.25 = 0.75.
        let value = try Descriptive.betweenGroupStandardDeviation(values: [1, 2, 3, 4], groups: ["a", "b", "b", "b"])
        #expect(abs(value - 0.75.squareRoot()) < 1e-15)
        #expect(try Descriptive.betweenGroupStandardDeviation(values: [1, 1], groups: [0, 1]) == 0)
    }

    @Test func normalQuantileAndCDF() throws {
        // SciPy norm.ppf / norm.cdf.
        #expect(abs(try NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(try NormalDistribution.quantile(0.995) - 2.5758293035489004) < 1e-14)
        #expect(abs(try NormalDistribution.quantile(0.3) - -0.5244005127080409) < 1e-14)
        #expect(abs(try NormalDistribution.quantile(1e-10) - -6.361340902404056) < 1e-12)
        #expect(try NormalDistribution.quantile(0.5) == 0)
        #expect(abs(NormalDistribution.cdf(1) - 0.8413447460685429) < 1e-15)
        #expect(try NormalDistribution.twoSidedCriticalValue(level: 0.95) == Statistics.z95)
        #expect(abs(try NormalDistribution.twoSidedCriticalValue(level: 0.99) - 2.5758293035489004) < 1e-14)
        #expect(throws: StatisticsError.self) { try NormalDistribution.quantile(1.5) }
    }
}

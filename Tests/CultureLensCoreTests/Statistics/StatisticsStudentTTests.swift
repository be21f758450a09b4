import CultureLensStatistics
import Foundation
import Testing

/// Student's t against tabulated quantiles (to 1e-8) and a hand-computed interval.
struct StatisticsStudentTTests {
    @Test(arguments: [
        (1.0, 12.706_204_736),
        (2.0, 4.302_652_730),
        (3.0, 3.182_446_305),
        (5.0, 2.570_581_836),
        (10.0, 2.228_138_852),
        (30.0, 2.042_272_456),
    ])
    func quantilesMatchTheTables(degrees: Double, expected: Double) throws {
        #expect(abs(try StudentT.quantile(0.975, degreesOfFreedom: degrees) - expected) < 1e-8)
        #expect(abs(try StudentT.quantile(0.025, degreesOfFreedom: degrees) + expected) < 1e-8)
    }

    @Test func cdfIsSymmetricAndApproachesTheNormal() throws {
        #expect(try StudentT.cdf(0, degreesOfFreedom: 4) == 0.5)
        // Closed form for ν = 2: F(t) = ½ + t / (2√(2 + t²)).
        for t in [-3.0, -0.7, 0.4, 2.5] {
            #expect(abs(try StudentT.cdf(t, degreesOfFreedom: 2) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 1e-12)
        }
        #expect(abs(try StudentT.cdf(1.96, degreesOfFreedom: 1e6) - NormalDistribution.cdf(1.96)) < 1e-6)
        #expect(throws: StatisticsError.self) { try StudentT.cdf(1, degreesOfFreedom: 0) }
    }

    @Test func meanIntervalUsesNMinusOneDegrees() throws {
        // Values 1…4: mean 2.5, s² = 5/3, SE = √(5/12), t(0.975, 3) = 3.182446305.
        let interval = try StudentT.meanInterval([1, 2, 3, 4])
        let half = 3.182_446_305 * (5.0 / 12).squareRoot()
        #expect(interval.estimate == 2.5)
        #expect(abs(interval.low - (2.5 - half)) < 1e-8 && abs(interval.high - (2.5 + half)) < 1e-8)
        #expect(throws: StatisticsError.self) { try StudentT.meanInterval([1]) }
    }
}

import CultureLensStatistics
import Testing

/// Minimum detectable differences against hand-computed values (z(0.975) + z(0.8) = 2.801585218112968).
struct StatisticsPowerTests {
    @Test func factorTimesTheStandardError() throws {
        #expect(abs(try Power.minimumDetectableDifference(standardError: 0.1) - 0.280_158_521_811_296_8) < 1e-12)
        #expect(try Power.minimumDetectableDifference(standardError: 0) == 0)
        #expect(throws: StatisticsError.self) { try Power.minimumDetectableDifference(standardError: 0.1, power: 1) }
    }

    @Test func proportionsUseTheAgrestiCaffoVariance() throws {
        // 25 of 88: p̃ = 27/92, SE = √(2 p̃ (1 − p̃) / 88).
        #expect(abs(try Power.minimumDetectableDifference(successes: 25, n: 88) - 0.192_321_674_707_207_37) < 1e-12)
        // 0 of 10 does not claim zero variance: p̃ = 2/14.
        #expect(abs(try Power.minimumDetectableDifference(successes: 0, n: 10) - 0.438_426_120_209_572_4) < 1e-12)
        #expect(throws: StatisticsError.self) { try Power.minimumDetectableDifference(successes: 3, n: 2) }
    }
}

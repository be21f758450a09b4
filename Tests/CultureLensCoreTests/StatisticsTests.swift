import CultureLensCore
import CultureLensStatistics
import Testing

struct StatisticsTests {
    // Reference values from the closed-form Wilson interval (z = 1.959963984540054), as statsmodels'
    // proportion_confint(method="wilson") gives them.
    @Test(arguments: [
        (0, 10, 0.0, 0.2775327998628892),
        (5, 10, 0.236593090512564, 0.7634069094874361),
        (10, 10, 0.7224672001371107, 1.0),
        (81, 263, 0.2552885198782742, 0.36620957698280004),
        (1, 1, 0.20654931437723745, 1.0),
    ])
    func wilsonIntervalMatchesReference(successes: Int, n: Int, low: Double, high: Double) {
        let interval = Statistics.wilsonInterval(successes: successes, n: n)
        #expect(abs(interval.low - low) < 1e-12)
        #expect(abs(interval.high - high) < 1e-12)
    }

    @Test func wilsonIntervalWithNoTrialsIsUninformative() {
        let interval = Statistics.wilsonInterval(successes: 0, n: 0)
        #expect(interval.low == 0 && interval.high == 1)
        let proportion = Proportion(successes: 0, n: 0)
        #expect(proportion.value == 0 && proportion.n == 0)
    }

    @Test func splitMixIsDeterministicPerSeed() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var other = SplitMix64(seed: 43)
        let a = (0..<5).map { _ in first.next() }
        let b = (0..<5).map { _ in second.next() }
        let c = (0..<5).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
        // Reference output of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}

import CultureLensCore
import CultureLensStatistics
import Testing

struct StatisticsMultipleTestingTests {
    @Test func holmOnAHandComputedList() throws {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06; back in input order.
        let adjusted = try HolmCorrection.adjustedPValues([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (value, reference) in zip(adjusted, expected) { #expect(abs(value - reference) < 1e-15) }
        #expect(try HolmCorrection.rejections([0.01, 0.04, 0.03, 0.005], alpha: 0.05) == [true, false, false, true])
        #expect(try HolmCorrection.adjustedPValues([0.5, 0.9]) == [1, 1])
        #expect(try HolmCorrection.adjustedPValues([]) == [])
        #expect(throws: StatisticsError.self) { try HolmCorrection.adjustedPValues([1.2]) }
    }

    @Test func benjaminiHochbergOnAHandComputedList() throws {
        // m p/rank: 0.02, 0.02, 0.04, 0.04, then running minimum from the top.
        let adjusted = try BenjaminiHochberg.adjustedPValues([0.01, 0.04, 0.03, 0.005])
        let expected = [0.02, 0.04, 0.04, 0.02]
        for (value, reference) in zip(adjusted, expected) { #expect(abs(value - reference) < 1e-15) }
        #expect(try BenjaminiHochberg.rejections([0.01, 0.04, 0.03, 0.005]) == [true, true, true, true])
    }
}

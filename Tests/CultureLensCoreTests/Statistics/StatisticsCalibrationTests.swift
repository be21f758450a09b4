import CultureLensStatistics
import Testing

/// Expected calibration error and the reliability bins, against hand-computed values.
struct StatisticsCalibrationTests {
    @Test func eceWeighsEachBinsGapByItsShare() throws {
        // Bin [0.9, 1]: confidences 0.95 × 4, 3 right → gap |0.75 − 0.95| = 0.2, weight 4/6.
        // Bin [0.5, 0.6): confidences 0.55 × 2, both right → gap 0.45, weight 2/6.
        let calibration = try Calibration(
            confidences: [0.95, 0.95, 0.95, 0.95, 0.55, 0.55],
            correct: [true, true, true, false, true, true]
        )
        #expect(abs(calibration.ece - (4.0 / 6 * 0.2 + 2.0 / 6 * 0.45)) < 1e-12)
        #expect(calibration.n == 6 && calibration.ciLow == nil, "no interval below 10 answers")
        #expect(calibration.bins.count == 10 && calibration.bins[9].n == 4 && calibration.bins[5].n == 2)
        #expect(calibration.bins[9].accuracy == 0.75 && calibration.bins[0].accuracy == nil)
        // Mean confidence (0.95·4 + 0.55·2)/6 = 0.81667 minus accuracy 5/6.
        #expect(abs(calibration.overconfidence - ((0.95 * 4 + 0.55 * 2) / 6 - 5.0 / 6)) < 1e-12)
        // A confidence of exactly 1 falls in the top bin.
        #expect(try Calibration(confidences: [1], correct: [true]).bins[9].n == 1)
    }

    @Test func perfectCalibrationHasZeroECEAndASeededInterval() throws {
        // Ten answers at 0.5 confidence, five right; ten at 1.0, all right.
        let confidences = Array(repeating: 0.5, count: 10) + Array(repeating: 1.0, count: 10)
        let correct = (0..<10).map { $0 < 5 } + Array(repeating: true, count: 10)
        let calibration = try Calibration(confidences: confidences, correct: correct)
        #expect(calibration.ece == 0 && calibration.overconfidence == 0)
        let low = try #require(calibration.ciLow)
        let high = try #require(calibration.ciHigh)
        #expect(low >= 0 && high > 0 && high <= 0.5)
        #expect(try Calibration(confidences: confidences, correct: correct) == calibration)
        #expect(throws: StatisticsError.self) { try Calibration(confidences: [1.2], correct: [true]) }
        #expect(throws: StatisticsError.self) { try Calibration(confidences: [0.5], correct: []) }
    }
}

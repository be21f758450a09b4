import CultureLensStatistics
import Foundation

extension HTMLReport {
    /// The calibration figure of a logprob run: a reliability diagram (accuracy per confidence bin with its Wilson
    /// interval beside the bin's mean confidence) and the ECE with its interval and n.
    static func calibrationView(_ calibration: Calibration, anchor: String, title: String) -> CalibrationView {
        let filled = calibration.bins.filter { $0.n > 0 }
        let rows = filled.map { bin -> IntervalRow in
            let right = Int(((bin.accuracy ?? 0) * Double(bin.n)).rounded())
            let proportion = Proportion(successes: right, n: bin.n)
            return IntervalRow(
                label: String(format: "confidence %.1f–%.1f (mean %.2f)", bin.low, bin.high, bin.meanConfidence ?? 0),
                value: proportion.value,
                low: proportion.ciLow,
                high: proportion.ciHigh,
                n: bin.n
            )
        }
        let chart = Charts.intervalDots(
            rows,
            title: title,
            description:
                "Each row is a confidence bin: the dot is the share of its answers that are right, whiskers its Wilson 95% interval, n its answers; a calibrated model's accuracy equals the bin's mean confidence given in the label.",
            cssClass: "chart calibration",
            unitAxisWhenPossible: true,
            format: { String(format: "%.1f%%", $0 * 100) }
        )
        let ece =
            String(format: "%.3f", calibration.ece)
            + (calibration.ciLow.map { String(format: " (95%% CI %.3f to %.3f)", $0, calibration.ciHigh ?? $0) }
                ?? " (no interval below \(Calibration.minimumN) answers)")
        return CalibrationView(
            calibrationAnchor: anchor,
            calibrationSummary:
                "Expected calibration error \(ece), n = \(calibration.n) graded answers with a distribution; mean confidence minus accuracy "
                + String(format: "%+.3f", calibration.overconfidence)
                + " (positive: over-confident). ECE is biased upward at small n.",
            calibrationChart: TrustedHTML(rows.isEmpty ? "" : chart.render())
        )
    }
}

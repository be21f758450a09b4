public import CultureLensAnalysis
import Foundation

extension Charts {
    /// Why a utility has no interval: the analysis bootstraps only with at least 5 fitted pairs.
    static let noUtilityIntervalReason = "no interval: fewer than 5 pairs fitted, no bootstrap"

    /// The utilities of a forced-choice run as dots with their 95% bootstrap intervals, highest first (the order of
    /// ``PreferenceAnalysis/Report/utilities``), each labelled with its option's text (or its id when the text is
    /// unknown), shortened, and its n of pairs. One call of ``intervalDots(_:title:description:cssClass:unitAxisWhenPossible:format:notes:)``,
    /// like any other chart of estimates with intervals.
    ///
    /// - Parameter labels: Option texts by id.
    public static func utilities(
        _ report: PreferenceAnalysis.Report,
        labels: [String: String],
        title: String
    ) -> SVG {
        let rows = report.utilities.map { utility in
            IntervalRow(
                label: labels[utility.id] ?? utility.id,
                value: utility.mean,
                low: utility.ciLow,
                high: utility.ciHigh,
                n: utility.n
            )
        }
        return intervalDots(
            rows,
            title: title,
            description:
                "Dots show each option's Thurstonian utility (all options: mean 0, SD 1), whiskers its 95% bootstrap interval over pairs; n is the number of answered pairs the option is in.",
            cssClass: "chart utilities",
            unitAxisWhenPossible: false,
            format: { String(format: "%.3f", $0) },
            notes: report.utilities.map { $0.ciLow == nil ? noUtilityIntervalReason : nil }
        )
    }
}

public import CultureLensAnalysis
import Foundation

extension Charts {
    /// Hofstede's six VSM-2013 indices per profile (the model as itself, then each persona country) as dots with
    /// their 95% t intervals over presentation variants, labelled "index · profile" with n variants. One call of
    /// ``intervalDots(_:title:description:cssClass:unitAxisWhenPossible:format:notes:)``.
    public static func vsm2013(_ analysis: VSM2013Analysis, title: String) -> SVG {
        let profiles = (analysis.unprompted.map { [$0] } ?? []) + (analysis.personas ?? [])
        var rows: [IntervalRow] = []
        var notes: [String?] = []
        for index in VSM2013Analysis.Index.allCases {
            for profile in profiles {
                guard let estimate = profile.indices.first(where: { $0.index == index }), let mean = estimate.mean
                else { continue }
                rows.append(
                    IntervalRow(
                        label: "\(index.rawValue) · \(profile.country ?? "model as itself")",
                        value: mean,
                        low: estimate.ciLow,
                        high: estimate.ciHigh,
                        n: estimate.n
                    )
                )
                notes.append(estimate.ciLow == nil ? "no interval: fewer than two variants have indices" : nil)
            }
        }
        return intervalDots(
            rows,
            title: title,
            description:
                "Dots show each VSM-2013 index (C = 0) as the mean over presentation variants, whiskers its 95% t interval over variants; n is the number of variants with all 24 items answered.",
            cssClass: "chart vsm2013",
            unitAxisWhenPossible: false,
            format: { String(format: "%.1f", $0) },
            notes: notes
        )
    }
}

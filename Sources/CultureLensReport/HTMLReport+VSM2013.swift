import CultureLensAnalysis
import Foundation

extension HTMLReport {
    /// The VSM-2013 figure of a run: the indices chart, a table per profile and index (mean, t interval, n variants,
    /// format SD), and the format-against-country spread.
    static func vsm2013View(_ analysis: VSM2013Analysis, anchor: String, title: String) -> VSM2013View {
        let profiles = (analysis.unprompted.map { [$0] } ?? []) + (analysis.personas ?? [])
        var notes: [String] = []
        for profile in profiles {
            let name = profile.country ?? "The model as itself"
            if let note = profile.note { notes.append("\(name): no indices (\(note)).") }
            let unanswered = profile.unanswered.map(\.count).reduce(0, +)
            if unanswered > 0 {
                notes.append(
                    "\(name): \(unanswered) of \(profile.answers) answers have no code ("
                        + profile.unanswered.map { "\($0.reason): \($0.count)" }.joined(separator: "; ")
                        + "), counted, never imputed; a variant missing an item has no indices."
                )
            }
        }
        let indexTable = TableView(
            caption: "Indices per profile: mean over presentation variants with its 95% t interval (n − 1 df)",
            headers: [
                ("Profile", false), ("Index", false), ("Mean", true), ("95% CI", false), ("n variants", true),
                ("Format SD", true),
            ],
            rows: profiles.flatMap { profile in
                profile.indices.map { estimate -> [TableView.Cell] in
                    [
                        .row(profile.country ?? "model as itself"),
                        .text(estimate.index.rawValue),
                        .number(estimate.mean.map { String(format: "%.1f", $0) } ?? missing),
                        .text(
                            estimate.ciLow.map {
                                String(format: "%.1f to %.1f", $0, estimate.ciHigh ?? $0)
                            } ?? "\(missing) (fewer than two variants with indices)"
                        ),
                        .number(String(estimate.n)),
                        .number(estimate.formatSpread.map { String(format: "%.1f", $0) } ?? missing),
                    ]
                }
            }
        )
        let spreadTable = TableView(
            caption:
                "Presentation format against country: SD over variants (pooled over profiles) beside SD over persona countries; ratio above 1: the format moves the index more",
            headers: [
                ("Index", false), ("Format SD", true), ("Profiles", true), ("Country SD", true), ("Countries", true),
                ("Ratio", true),
            ],
            rows: analysis.spread.map { spread in
                [
                    .row(spread.index.rawValue),
                    .number(spread.formatSpread.map { String(format: "%.1f", $0) } ?? missing),
                    .number(String(spread.profiles)),
                    .number(
                        spread.countrySpread.map { String(format: "%.1f", $0) }
                            ?? "\(missing) (needs two persona countries)"
                    ),
                    .number(String(spread.countries)),
                    .number(spread.ratio.map { String(format: "%.2f", $0) } ?? missing),
                ]
            }
        )
        let hasIndices = profiles.contains { $0.indices.contains { $0.mean != nil } }
        return VSM2013View(
            vsmAnchor: anchor,
            vsmNotes: notes,
            hasIndices: hasIndices,
            vsmChart: TrustedHTML(hasIndices ? Charts.vsm2013(analysis, title: title).render() : ""),
            indexTable: indexTable,
            spreadTable: spreadTable
        )
    }
}

import CultureLensAnalysis
import Foundation

extension HTMLReport {
    /// The robustness card of a run, shown right under its headline: the verdict, the sample, one row per check
    /// (most serious first) and the figures with their n and intervals. Every text is escaped by the template.
    static func cardView(_ card: RunCard, anchor: String) -> CardView {
        let verdicts = TableView(
            caption: "Checks, most serious first (thresholds in docs/robustness.md)",
            headers: [("Level", false), ("Check", false), ("Verdict", false)],
            rows: card.verdicts.map { verdict in
                [
                    TableView.Cell(
                        text: verdict.level.rawValue,
                        header: true,
                        cellClass: "level-\(verdict.level.rawValue)"
                    ),
                    .text(verdict.check),
                    .text(verdict.message),
                ]
            }
        )
        let figures: [(String, CardFigure?)] = [
            ("Flip rate under rotation", card.flipRate),
            ("A-bias (first shown option − 1/K)", card.aBias),
            ("First shown option chosen − 1/K", card.firstPositionChoice),
            ("Format spread (max − min over orders)", card.formatSpread),
            ("Sample \(card.headlineMetric), default order", card.sampleHeadline),
            ("PriDe: as asked", card.pride?.observed),
            ("PriDe: debiased", card.pride?.debiased),
            ("Probability outside the options (run)", card.outsideMass),
            ("Determinism: mean max |Δp|", card.determinism?.meanAbsoluteDelta),
            ("Determinism: changed answers", card.determinism?.flipRate),
        ]
        let figureTable = TableView(
            caption:
                "Figures with their n and 95% intervals (seeded percentile bootstrap over items; Wilson for shares of items)",
            headers: [("Figure", false), ("Value", true), ("95% CI", false), ("n", true)],
            rows: figures.compactMap { label, figure -> [TableView.Cell]? in
                guard let figure else { return nil }
                return [
                    .row(label),
                    .number(figure.value.map { String(format: "%.3f", $0) } ?? "–"),
                    .text(
                        figure.ciLow.map { String(format: "%.3f to %.3f", $0, figure.ciHigh ?? $0) }
                            ?? (figure.note ?? "no interval")
                    ),
                    .number(String(figure.n)),
                ]
            }
        )
        var notes = card.notes
        let failures = card.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !failures.isEmpty {
            notes.append(
                "Card requests that failed (counted, not scored): "
                    + failures.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
        let sample =
            card.sample.map { sample in
                "\(sample.items) of \(sample.eligible) items asked under \(sample.variants.count) option orders "
                    + "(\(sample.variants.joined(separator: ", "))), seed \(sample.seed); at most \(sample.requests) "
                    + "new requests within a budget of \(sample.budget)."
            } ?? "No sample: this suite gets no card."
        return CardView(
            cardAnchor: anchor,
            cardLevel: card.level.rawValue,
            cardSummary: card.summary,
            cardSample: sample,
            hasVerdicts: !card.verdicts.isEmpty,
            verdictTable: verdicts,
            figureTable: figureTable,
            cardNotes: notes
        )
    }
}

import CultureLensAnalysis
import CultureLensStatistics
import Foundation

/// The value-system figures of a run: the Inglehart–Welzel map and the utilities of forced choices. The report and
/// the dashboard's run page both render them through ``HTMLReport/runSection(_:index:of:sampleLimit:)``.
///
/// Every figure carries its n, and its interval where it is an estimate; a figure that is missing is "–" with the
/// reason, never 0.
extension HTMLReport {
    static let missing = "–"

    static func coordinate(_ value: Double) -> String { RunReport.coordinate(value) }

    // MARK: - Cultural map

    /// The map, the table of the model's point (CI, n, nearest countries), the cultural-prompting summary and a row
    /// per persona country.
    static func culturalMapView(_ map: InglehartWelzelPlacement, anchor: String, title: String) -> CulturalMapView {
        var notes: [String] = []
        let unprompted = map.unprompted
        if let unprompted, unprompted.model == nil {
            notes.append(
                "The model could not be placed on the map and no point is drawn for it: "
                    + (unprompted.note ?? "not placeable") + "."
            )
        } else if unprompted == nil {
            notes.append("No answers under the plain descriptors: the map has no unprompted point.")
        }
        let placements = [unprompted].compactMap { $0 } + (map.personas ?? []).map(\.placement)
        let answers = placements.flatMap(\.items).map(\.answers).reduce(0, +)
        let unparseable = placements.flatMap(\.items).map(\.unparseable).reduce(0, +)
        if unparseable > 0 {
            notes.append(
                "\(unparseable) of \(answers) answers gave no item value (counted, never imputed); a descriptor variant missing an item is not placeable, so n counts the variants that are."
            )
        }

        var rows: [[TableView.Cell]] = []
        if let unprompted {
            rows.append(pointRow("Model (unprompted)", unprompted))
        }
        let pointTable = TableView(
            caption: "The model's point on the map (95% percentile bootstrap over descriptor variants)",
            headers: [
                ("Placement", false), ("x (self-expression)", true), ("95% CI x", false), ("y (secular)", true),
                ("95% CI y", false), ("n variants", true), ("5 nearest countries (distance)", false),
            ],
            rows: rows
        )

        var steering: [String] = []
        if let summary = map.steering {
            if let share = summary.share {
                steering.append(
                    "Cultural prompting moved the model's point closer to the country for \(summary.closer) of \(summary.n) countries: \(percent(share.value)) (Wilson 95% CI \(interval(share))), n = \(summary.n). Tao et al. report 71–81% for GPT-4-class models."
                )
            } else {
                steering.append(
                    "Cultural prompting: share closer \(missing) (no persona country has both a prompted and an unprompted point), n = 0."
                )
            }
            if !summary.leftOut.isEmpty {
                steering.append("Left out: " + summary.leftOut.joined(separator: "; ") + ".")
            }
        }
        let personas = map.personas ?? []
        let personaTable = TableView(
            caption: "Cultural prompting: each persona country's prompted point and its distance to the country",
            headers: [
                ("Persona country", false), ("Zone", false), ("Prompted point (x, y)", false), ("n variants", true),
                ("Distance before", true), ("Distance after", true), ("Closer", false), ("Note", false),
            ],
            rows: personas.map { persona in
                let point = persona.placement.model
                return [
                    .row(persona.country),
                    .text(CulturalZone.of(persona.country)?.name ?? "\(missing) (not in CultureLens's zone table)"),
                    .text(point.map { "\(coordinate($0.x)), \(coordinate($0.y))" } ?? missing),
                    .number(String(point?.n ?? 0)),
                    .number(persona.distanceBefore.map(coordinate) ?? missing),
                    .number(persona.distanceAfter.map(coordinate) ?? missing),
                    .text(persona.closer.map { $0 ? "yes" : "no" } ?? missing),
                    .text(persona.note ?? point?.ciNote ?? ""),
                ]
            }
        )
        return CulturalMapView(
            mapAnchor: anchor,
            mapNotes: notes,
            mapChart: TrustedHTML(Charts.culturalMap(map, title: title).render()),
            pointTable: pointTable,
            steering: steering,
            hasPersonas: !personas.isEmpty,
            personaTable: personaTable
        )
    }

    /// A row of the point table: the point with its intervals, n and nearest countries, or "–" and why not.
    static func pointRow(_ name: String, _ placement: InglehartWelzelPlacement.Placement) -> [TableView.Cell] {
        guard let model = placement.model else {
            return [
                .row(name), .number(missing), .text(missing), .number(missing), .text(missing), .number("0"),
                .text("\(missing) (\(placement.note ?? "not placeable"))"),
            ]
        }
        let noCI = "\(missing) (\(model.ciNote ?? "no CI"))"
        return [
            .row(name),
            .number(coordinate(model.x)),
            .text(model.ciLow.map { "\(coordinate($0.x)) to \(coordinate(model.ciHigh?.x ?? $0.x))" } ?? noCI),
            .number(coordinate(model.y)),
            .text(model.ciLow.map { "\(coordinate($0.y)) to \(coordinate(model.ciHigh?.y ?? $0.y))" } ?? noCI),
            .number(String(model.n)),
            .text(model.nearest.map { "\($0.country) \(coordinate($0.distance))" }.joined(separator: " · ")),
        ]
    }

    // MARK: - Preferences

    /// The utilities chart and table, and the summary of the fit: transitivity, held-out accuracy and log loss,
    /// order bias and unanswered presentations.
    /// - Parameter texts: Option texts by id (options without one are labelled by id).
    static func preferencesView(
        _ report: PreferenceAnalysis.Report,
        texts: [String: String],
        anchor: String,
        title: String
    ) -> PreferencesView {
        var notes = [
            "\(report.presentations) presentations (each pair asked in both orders), \(report.unanswered) unanswered (failed or no letter: counted, never imputed); \(report.pairs) pairs with an answer, \(report.fittedPairs) of them fitted (the rest held out)."
        ]
        if report.utilities.isEmpty { notes.append("No pair has an answer, so there are no utilities.") }
        let unlabelled = report.utilities.filter { texts[$0.id] == nil }.count
        if unlabelled > 0 {
            notes.append(
                "\(unlabelled) option\(unlabelled == 1 ? " is" : "s are") labelled by id: the text is in neither the built-in suite nor the samples."
            )
        }
        let utilitiesTable = TableView(
            caption: "Utilities, highest first (95% percentile bootstrap intervals over pairs)",
            headers: [
                ("Rank", true), ("Option", false), ("Id", false), ("Utility", true), ("95% CI", false),
                ("n pairs", true),
            ],
            rows: report.utilities.enumerated().map { rank, utility in
                [
                    .number(String(rank + 1)),
                    .row(texts[utility.id] ?? "\(missing) (text not recorded)"),
                    .text(utility.id),
                    .number(coordinate(utility.mean)),
                    .text(
                        utility.ciLow.map { "\(coordinate($0)) to \(coordinate(utility.ciHigh ?? $0))" }
                            ?? "\(missing) (\(Charts.noUtilityIntervalReason))"
                    ),
                    .number(String(utility.n)),
                ]
            }
        )
        return PreferencesView(
            preferencesAnchor: anchor,
            preferencesNotes: notes,
            hasUtilities: !report.utilities.isEmpty,
            utilitiesChart: TrustedHTML(
                report.utilities.isEmpty ? "" : Charts.utilities(report, labels: texts, title: title).render()
            ),
            utilitiesTable: utilitiesTable,
            transitivityTable: transitivityTable(report),
            hasPersonas: report.personas != nil,
            personaTable: personaTable(report.personas, texts: texts),
            correlationTable: correlationTable(report.personas)
        )
    }

    /// Transitivity and the checks of the fit, one figure a row with its value, interval, n and a note.
    static func transitivityTable(_ report: PreferenceAnalysis.Report) -> TableView {
        func row(_ figure: String, _ value: String, _ ci: String, _ n: String, _ note: String) -> [TableView.Cell] {
            [.row(figure), .number(value), .text(ci), .number(n), .text(note)]
        }
        let noCI = "\(missing) (not estimated)"
        var rows: [[TableView.Cell]] = []
        let acyclic = report.cyclicShare.map { 1 - $0 }
        rows.append(
            row(
                "Triads without a cycle",
                acyclic.map(percent) ?? missing,
                "\(missing) (triads share pairs, so they are not independent draws)",
                String(report.triads),
                acyclic == nil
                    ? "no complete triad (three pairs asked and none tied)"
                    : "\(report.triads - report.cyclicTriads) of \(report.triads) complete triads; \(report.cyclicTriads) cyclic"
            )
        )
        rows.append(
            row(
                "Cyclic triads expected from the fit",
                report.expectedCyclicShare.map(percent) ?? missing,
                noCI,
                String(report.triads),
                report.expectedCyclicShare == nil
                    ? "no triad whose three pairs were asked"
                    : "mean over triads whose three pairs were asked of the fitted chance of a cycle; compare with the observed \(report.cyclicShare.map(percent) ?? missing)"
            )
        )
        for (name, evaluation, absent) in [
            ("held-out", report.heldOut, "no pair held out (fewer than 20 pairs with an answer)"),
            ("fitted", report.training, "no pair fitted"),
        ] {
            let n = evaluation.map { String($0.n) } ?? "0"
            rows.append(
                row(
                    "Accuracy on \(name) pairs",
                    evaluation?.accuracy.map(percent) ?? missing,
                    noCI,
                    n,
                    evaluation == nil
                        ? absent
                        : evaluation?.accuracy == nil
                            ? "every pair tied at ½" : "the fit's side of ½ agrees with the model's answers"
                )
            )
            rows.append(
                row(
                    "Log loss on \(name) pairs",
                    evaluation?.logLoss.map { String(format: "%.3f", $0) } ?? missing,
                    noCI,
                    n,
                    evaluation == nil ? absent : "binary cross-entropy of the fit against the observed preferences"
                )
            )
        }
        let answered = report.presentations - report.unanswered
        rows.append(
            row(
                "Order bias P(Option A) − ½",
                report.orderBias.map { String(format: "%+.3f", $0) } ?? missing,
                report.orderBiasLow.map { low in
                    String(format: "%+.3f to %+.3f", low, report.orderBiasHigh ?? low)
                } ?? (report.orderBias == nil ? missing : noCI),
                String(answered),
                report.orderBias == nil
                    ? "no presentation has an answer" : "pull toward the option shown first; 95% bootstrap interval"
            )
        )
        rows.append(
            row(
                "Unanswered presentations",
                String(report.unanswered),
                "(a count)",
                String(report.presentations),
                "failed requests and answers without a letter: counted, never imputed"
            )
        )
        return TableView(
            caption: "Transitivity and the checks of the fit",
            headers: [("Figure", false), ("Value", true), ("95% CI", false), ("n", true), ("Note", false)],
            rows: rows
        )
    }

    /// Cultural prompting on forced choices: each persona country's top options, pairs and unanswered.
    static func personaTable(_ personas: PreferenceAnalysis.Personas?, texts: [String: String]) -> TableView {
        TableView(
            caption: "Cultural prompting: utilities per persona country (the three highest options)",
            headers: [
                ("Persona country", false), ("Highest utilities", false), ("n pairs", true), ("Unanswered", true),
            ],
            rows: (personas?.countries ?? []).map { persona in
                guard let report = persona.report, !report.utilities.isEmpty else {
                    return [
                        .row(persona.country),
                        .text("\(missing) (\(persona.note ?? "no pair has an answer"))"),
                        .number(String(persona.report?.pairs ?? 0)),
                        .number(String(persona.report?.unanswered ?? 0)),
                    ]
                }
                return [
                    .row(persona.country),
                    .text(
                        report.utilities.prefix(3).map { "\(texts[$0.id] ?? $0.id) (\(coordinate($0.mean)))" }
                            .joined(separator: " · ")
                    ),
                    .number(String(report.pairs)),
                    .number(String(report.unanswered)),
                ]
            }
        )
    }

    /// Spearman's ρ between the utilities of every two profiles, with its Fisher-z interval and n shared options.
    static func correlationTable(_ personas: PreferenceAnalysis.Personas?) -> TableView {
        TableView(
            caption:
                "Rank correlation of utilities between profiles (Spearman ρ; 95% CI by Fisher's z, variance 1.06/(n − 3))",
            headers: [("Profiles", false), ("ρ", true), ("95% CI", false), ("n options", true)],
            rows: (personas?.correlations ?? []).map { correlation in
                [
                    .row("\(correlation.first ?? "model as itself") ~ \(correlation.second ?? "model as itself")"),
                    .number(correlation.spearman.map { String(format: "%.3f", $0) } ?? missing),
                    .text(
                        correlation.ciLow.map { String(format: "%.3f to %.3f", $0, correlation.ciHigh ?? $0) }
                            ?? "\(missing) (n ≤ 3 or |ρ| = 1)"
                    ),
                    .number(String(correlation.n)),
                ]
            }
        )
    }
}

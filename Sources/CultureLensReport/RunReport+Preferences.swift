public import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
import Foundation

extension RunReport {
    /// Whether `suite`'s runs keep their results for the value analyses (the cultural map, preferences).
    public static func analysesValues(_ suite: Suite) -> Bool {
        placesOnCulturalMap(suite) || suite.items.contains(where: PreferenceSuite.isPreference)
            || suite.items.contains { $0.metadata[VSM2013Suite.itemKey] != nil }
    }

    /// Sets ``culturalMap``, ``preferences`` and ``vsm2013`` from `results` of `suite` (each `nil` when the suite has no such
    /// items).
    public mutating func analyseValues(suite: Suite, results: [ItemResult]) {
        culturalMap = Self.culturalMap(suite: suite, results: results)
        preferences = Self.preferences(suite: suite, results: results)
        vsm2013 = Self.vsm2013(suite: suite, results: results)
    }

    /// The terminal tables of the value analyses the report has (cultural map, utilities, VSM-2013 indices); empty
    /// without any.
    public func valueTables() -> String {
        (culturalMap.map(culturalMapTable) ?? "") + (preferences.map(preferencesTable) ?? "")
            + (vsm2013.map(vsm2013Table) ?? "")
    }

    /// Utilities from the forced choices among `results` of `suite`; `nil` for suites without them.
    ///
    /// Each result gives P(first option chosen): the label distribution's share of Option A renormalised over the
    /// two options (logprob scoring), or 1/0 for the letter a generated answer chose (each of K samples is its own
    /// presentation). Failed requests and answers without a letter are presentations without a probability.
    public static func preferences(suite: Suite, results: [ItemResult]) -> PreferenceAnalysis.Report? {
        let items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var options: [String] = []
        for item in suite.items where PreferenceSuite.isPreference(item) {
            for id in [item.metadata["first"], item.metadata["second"]].compactMap({ $0 }) where !options.contains(id) {
                options.append(id)
            }
        }
        guard options.count >= 2 else { return nil }
        let personas = suite.personaCountries(key: PreferenceSuite.countryKey)
        var plain: [PreferenceAnalysis.Presentation] = []
        var byCountry: [String: [PreferenceAnalysis.Presentation]] = [:]
        for result in results {
            guard let item = items[result.itemID], PreferenceSuite.isPreference(item),
                let first = item.metadata["first"], let second = item.metadata["second"]
            else { continue }
            let presentation = PreferenceAnalysis.Presentation(
                first: first,
                second: second,
                firstChosen: firstChosen(result)
            )
            if let country = item.metadata[PreferenceSuite.countryKey] {
                byCountry[country, default: []].append(presentation)
            } else {
                plain.append(presentation)
            }
        }
        guard var report = try? PreferenceAnalysis.analyse(options: options, presentations: plain) else { return nil }
        if !personas.isEmpty {
            report.personas = PreferenceAnalysis.personas(
                options: options,
                unprompted: report,
                countries: personas.map { ($0, byCountry[$0] ?? []) }
            )
        }
        return report
    }

    /// P(Option A) of one answer, or `nil` when it gives none.
    static func firstChosen(_ result: ItemResult) -> Double? {
        guard result.failure == nil else { return nil }
        if let distribution = result.distribution, distribution.count == 2 {
            let total = distribution[0] + distribution[1]
            return total > 0 ? distribution[0] / total : nil
        }
        switch result.predicted {
        case 0: return 1
        case 1: return 0
        default: return nil
        }
    }

    /// Lines for the terminal: the utilities (highest first, with intervals and n), the fit's held-out accuracy,
    /// transitivity, the order bias, and the unanswered presentations.
    public func preferencesTable(_ report: PreferenceAnalysis.Report) -> String {
        var lines = ["", "Utilities from forced choices (Thurstonian, Mazeika et al. 2025)"]
        lines.append(
            "  presentations \(report.presentations) · unanswered \(report.unanswered) (counted, not imputed) · "
                + "pairs with an answer \(report.pairs), fitted \(report.fittedPairs)"
        )
        guard !report.utilities.isEmpty else {
            lines.append("  no pair has an answer: no utilities")
            return lines.joined(separator: "\n") + "\n"
        }
        if let heldOut = report.heldOut {
            lines.append(
                "  held-out pairs: accuracy " + (heldOut.accuracy.map { Self.percent($0) } ?? "– (all ties)")
                    + ", log loss " + (heldOut.logLoss.map { String(format: "%.3f", $0) } ?? "–") + " (n=\(heldOut.n))"
            )
        } else {
            lines.append("  held-out pairs: none (fewer than 20 pairs answered)")
        }
        if let share = report.cyclicShare {
            lines.append(
                "  transitivity: \(report.cyclicTriads) of \(report.triads) complete triads cyclic ("
                    + Self.percent(share) + "); the fit expects "
                    + (report.expectedCyclicShare.map { Self.percent($0) } ?? "–")
            )
        } else {
            lines.append("  transitivity: no complete triad (n=0)")
        }
        if let bias = report.orderBias {
            lines.append(
                "  order bias P(Option A) − ½: " + String(format: "%+.3f", bias) + " [95% CI "
                    + String(format: "%+.3f", report.orderBiasLow ?? bias) + " – "
                    + String(format: "%+.3f", report.orderBiasHigh ?? bias)
                    + "] n=\(report.presentations - report.unanswered)"
            )
        }
        lines.append(
            "  " + Self.pad("option", 24) + Self.pad("utility", 9, right: true) + "  95% CI"
                + Self.pad("n", 16, right: true)
        )
        for utility in report.utilities {
            let interval =
                utility.ciLow.map { low in
                    "[" + Self.coordinate(low) + ", " + Self.coordinate(utility.ciHigh ?? low) + "]"
                } ?? "–"
            lines.append(
                "  " + Self.pad(utility.id, 24) + Self.pad(Self.coordinate(utility.mean), 9, right: true) + "  "
                    + Self.pad(interval, 18) + Self.pad(String(utility.n), 4, right: true)
            )
        }
        if let personas = report.personas { lines += Self.lines(personas) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Cultural prompting: each persona's top options and the rank correlations between profiles.
    static func lines(_ personas: PreferenceAnalysis.Personas) -> [String] {
        var lines = ["  cultural prompting: utilities per persona country (top three options, n = pairs answered)"]
        for persona in personas.countries {
            guard let report = persona.report, !report.utilities.isEmpty else {
                lines.append("    \(persona.country): no utilities (\(persona.note ?? "no pair has an answer"))")
                continue
            }
            lines.append(
                "    \(persona.country): "
                    + report.utilities.prefix(3).map { "\($0.id) \(coordinate($0.mean))" }
                    .joined(separator: " · ") + " (n=\(report.pairs), unanswered \(report.unanswered))"
            )
        }
        lines.append("  rank correlation of utilities (Spearman ρ, 95% CI, n = shared options):")
        for correlation in personas.correlations {
            let rho = correlation.spearman.map { String(format: "%.3f", $0) } ?? "–"
            let interval =
                correlation.ciLow.map {
                    " [\(String(format: "%.3f", $0)), \(String(format: "%.3f", correlation.ciHigh ?? $0))]"
                }
                ?? ""
            lines.append(
                "    \(correlation.first ?? "model as itself") ~ \(correlation.second ?? "model as itself"): "
                    + rho + interval + " n=\(correlation.n)"
            )
        }
        return lines
    }
}

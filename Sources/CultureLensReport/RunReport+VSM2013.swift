public import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
import Foundation

extension RunReport {
    /// The six VSM-2013 indices from `results` of `suite`; `nil` for suites without VSM-2013 items.
    ///
    /// Each answer's survey code: under logprob scoring, the expected code of the label distribution renormalised
    /// over the five options (a mean answer, as the item means it feeds are); a generated answer's chosen option.
    /// Failed requests and answers without an option are counted by reason, never given a code.
    public static func vsm2013(suite: Suite, results: [ItemResult]) -> VSM2013Analysis? {
        let items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard suite.items.contains(where: { $0.metadata[VSM2013Suite.itemKey] != nil }) else { return nil }
        let personas = suite.personaCountries(key: VSM2013Suite.countryKey)
        let observations = results.compactMap { result -> VSM2013Analysis.Observation? in
            guard let item = items[result.itemID], let number = item.metadata[VSM2013Suite.itemKey].flatMap(Int.init),
                let variant = item.metadata[VSM2013Suite.variantKey]
            else { return nil }
            let (value, reason) = surveyCode(result, item: item)
            return VSM2013Analysis.Observation(
                item: number,
                variant: variant,
                country: item.metadata[VSM2013Suite.countryKey],
                value: value,
                reason: reason
            )
        }
        return VSM2013Analysis(observations, personas: personas)
    }

    /// An answer's survey code, or why it has none.
    static func surveyCode(_ result: ItemResult, item: Item) -> (Double?, String?) {
        if let failure = result.failure { return (nil, failure.rawValue) }
        if let distribution = result.distribution, distribution.count == item.choices.count {
            let total = distribution.reduce(0, +)
            guard total > 0 else { return (nil, "no probability on the options") }
            var expected = 0.0
            for (choice, probability) in distribution.enumerated() {
                guard let code = VSM2013Suite.answerValue(item: item, choice: choice) else {
                    return (nil, "bad option")
                }
                expected += probability / total * code
            }
            return (expected, nil)
        }
        if let predicted = result.predicted, let code = VSM2013Suite.answerValue(item: item, choice: predicted) {
            return (code, nil)
        }
        return (nil, "no option chosen")
    }

    /// Lines for the terminal: per profile (the model as itself, then each persona country) the six indices with
    /// their t intervals over variants, n variants and the unanswered counts; then format against between-country
    /// spread.
    public func vsm2013Table(_ analysis: VSM2013Analysis) -> String {
        var lines = [
            "",
            "Hofstede VSM-2013 indices (C = 0; only differences between profiles mean something), mean [95% CI] "
                + "over n presentation variants",
        ]
        lines.append(
            "  " + Self.pad("profile", 20) + Self.pad("n", 3, right: true)
                + VSM2013Analysis.Index.allCases.map { Self.pad($0.rawValue, 23, right: true) }.joined()
                + Self.pad("unanswered", 12, right: true)
        )
        for profile in (analysis.unprompted.map { [$0] } ?? []) + (analysis.personas ?? []) {
            let unanswered = profile.unanswered.map(\.count).reduce(0, +)
            let cells = profile.indices.map { estimate -> String in
                guard let mean = estimate.mean else { return Self.pad("–", 23, right: true) }
                let interval =
                    estimate.ciLow.map { " [\(Self.index($0)), \(Self.index(estimate.ciHigh ?? $0))]" } ?? ""
                return Self.pad(Self.index(mean) + interval, 23, right: true)
            }
            lines.append(
                "  " + Self.pad(profile.country ?? "model as itself", 20)
                    + Self.pad(String(profile.indices.first?.n ?? 0), 3, right: true) + cells.joined()
                    + Self.pad("\(unanswered)/\(profile.answers)", 12, right: true)
                    + (profile.note.map { "  \($0)" } ?? "")
            )
            for variant in profile.variants where variant.indices == nil {
                lines.append(
                    "    \(variant.variant): no indices, items without an answer: "
                        + variant.missing.map(VSM2013Suite.itemCode).joined(separator: " ")
                )
            }
            for reason in profile.unanswered {
                lines.append("    unanswered (\(reason.reason)): \(reason.count) of \(profile.answers)")
            }
        }
        lines.append("  format vs country spread (SD; ratio > 1: presentation format moves the index more):")
        for spread in analysis.spread {
            lines.append(
                "    \(spread.index.rawValue): format SD \(spread.formatSpread.map(Self.index) ?? "–") "
                    + "(\(spread.profiles) profile\(spread.profiles == 1 ? "" : "s")) · country SD "
                    + "\(spread.countrySpread.map(Self.index) ?? "–") (\(spread.countries) countries) · ratio "
                    + (spread.ratio.map { String(format: "%.2f", $0) } ?? "–")
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func index(_ value: Double) -> String { String(format: "%.1f", value) }
}

import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
public import Foundation

extension RunReport {
    /// The `results.json` document with the suite-specific figures under a `metrics` key; every other key is
    /// what ``resultsJSON()`` writes, so the `summary` shape is unchanged.
    public func resultsJSON(metrics: BenchmarkMetrics?) throws -> Data { try document(metrics: metrics).encoded() }

    /// Writes `results.json` (with `metrics`) and `samples.jsonl` into `directory`, each atomically.
    public func write(to directory: URL, metrics: BenchmarkMetrics?) throws {
        try document(metrics: metrics).write(into: directory)
        try writeSamples(to: directory.appendingPathComponent(ResultsDocument.samplesFileName))
    }

    /// Lines for the terminal describing `metrics`: the headline, then each rule's figures with n and CI.
    public func metricsTable(_ metrics: BenchmarkMetrics) -> String {
        var lines: [String] = [""]
        if let headline = metrics.headline {
            lines.append(
                "\(metrics.rule.rawValue): \(headline.metric) \(Self.figure(headline.value, headline.ciLow, headline.ciHigh)) n=\(headline.n)"
            )
        }
        if let data = metrics.data {
            var parts = ["\(data.rowsRead) rows read", "\(data.items) items"]
            if data.rowsFiltered > 0 { parts.append("\(data.rowsFiltered) filtered by the spec") }
            if data.rowsSkipped > 0 { parts.append("\(data.rowsSkipped) malformed rows skipped") }
            lines.append("data: " + parts.joined(separator: " · "))
        }
        if let groups = metrics.groups {
            let question = groups.questionAccuracy
            let option = groups.optionAccuracy
            lines.append(
                "question accuracy (all rows right) \(Self.figure(question.value, question.ciLow, question.ciHigh)) n=\(question.n)"
                    + " · option accuracy \(Self.figure(option.value, option.ciLow, option.ciHigh)) n=\(option.n)"
                    + (groups.incompleteQuestions > 0 ? " · \(groups.incompleteQuestions) incomplete questions" : "")
            )
        }
        if let subsets = metrics.subsets {
            for subset in [subsets.first, subsets.second] {
                lines.append(
                    "  \(subset.name) (\(subset.key)): \(Self.figure(subset.value, subset.ciLow, subset.ciHigh)) n=\(subset.n)"
                )
            }
            lines.append("  gap \(Self.figure(subsets.gap.value, subsets.gap.ciLow, subsets.gap.ciHigh, signed: true))")
        }
        if let similarity = metrics.similarity { lines += Self.lines(similarity) }
        if let agreement = metrics.agreement {
            if let refusal = agreement.refusalRate {
                lines.append(
                    "long-form refusal rate \(Self.figure(refusal.value, refusal.ciLow, refusal.ciHigh)) n=\(refusal.n)"
                )
            }
            for (key, groups) in agreement.pAgreeBy.sorted(by: { $0.key < $1.key }) {
                lines.append(Self.row(["P(agree) by \(key)", "n", "mean", "95% CI"]))
                for group in groups {
                    lines.append(
                        Self.row([
                            "\(group.name)", String(group.n), String(format: "%.3f", group.value),
                            group.ciLow.map { String(format: "%.3f–%.3f", $0, group.ciHigh ?? $0) } ?? "–",
                        ])
                    )
                }
            }
        }
        for (key, groups) in metrics.breakdowns.sorted(by: { $0.key < $1.key }) where key != "culture" {
            lines.append(Self.row(["accuracy by \(key)", "n", "accuracy", "95% CI"]))
            for group in groups {
                lines.append(
                    Self.row([
                        group.name, String(group.n), Self.percent(group.value),
                        group.ciLow.map { "\(Self.percent($0))–\(Self.percent(group.ciHigh ?? $0))" } ?? "–",
                    ])
                )
            }
        }
        for comparison in metrics.comparisons {
            let value = comparison.value.map { String(format: "%+.3f", $0) } ?? "n/a"
            let interval =
                comparison.ciLow.map { String(format: " [95%% CI %+.3f, %+.3f]", $0, comparison.ciHigh ?? $0) } ?? ""
            lines.append("\(comparison.name): \(value)\(interval) · \(comparison.detail)")
        }
        for note in metrics.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func figure(_ value: Double, _ low: Double?, _ high: Double?, signed: Bool = false) -> String {
        let format = signed ? "%+.1f%%" : "%.1f%%"
        let main = String(format: format, value * 100)
        guard let low, let high else { return main }
        return main + " [95% CI " + String(format: format, low * 100) + " – " + String(format: format, high * 100) + "]"
    }

    private static func row(_ cells: [String], widths: [Int] = [34, 5, 10, 18]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }

    /// The survey-similarity table: the overall mean with its interval and baselines, then each culture (most
    /// similar first; unranked cultures last) beside its baselines and noise-floor flag.
    static func lines(_ similarity: SurveySimilarityMetrics) -> [String] {
        func value(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }
        var lines = [
            "similarity = mean(1 − JS distance), log base \(similarity.logBase), over \(similarity.questions) questions"
        ]
        if let overall = similarity.overall {
            let interval =
                overall.ciLow.map { " [95% CI \(value($0))–\(value(overall.ciHigh))]" }
                ?? " (no interval: fewer than \(similarity.minimumN ?? Estimate.minimumBootstrapN) questions)"
            lines.append(
                "overall (mean over \(overall.n) cultures) \(value(overall.value))\(interval), cluster bootstrap over questions"
            )
        }
        if let baselines = similarity.overallBaselines {
            lines.append(
                "baselines: uniform \(value(baselines.uniform)) · population average \(value(baselines.populationAverage)) "
                    + "· shuffled culture \(value(baselines.shuffledCulture)) · noise floor "
                    + (similarity.respondents.map { "\(value(baselines.noiseFloor)) (\($0) respondents)" }
                        ?? "unknown (no respondent counts)")
            )
        }
        let widths = [34, 5, 8, 16, 8, 8, 8, 8]
        lines.append(
            Self.row(
                ["culture", "n", "similarity", "95% CI", "uniform", "pop avg", "shuffled", "floor"],
                widths: widths
            )
        )
        for cultures in [similarity.perCulture, similarity.perCulturePersona ?? []] {
            let ordered = cultures.sorted { ($0.rank ?? Int.max, $0.key) < ($1.rank ?? Int.max, $1.key) }
            for culture in ordered {
                let interval =
                    culture.ciLow.map { "\(value($0))–\(value(culture.ciHigh))" }
                    ?? "n<\(similarity.minimumN ?? Estimate.minimumBootstrapN): none"
                lines.append(
                    Self.row(
                        [
                            culture.name == culture.key ? culture.name : "\(culture.name) (\(culture.key))",
                            String(culture.n), value(culture.similarity), interval, value(culture.baselines?.uniform),
                            value(culture.baselines?.populationAverage), value(culture.baselines?.shuffledCulture),
                            value(culture.baselines?.noiseFloor),
                        ],
                        widths: widths
                    ) + (culture.belowNoiseFloor == true ? "  below the noise floor" : "")
                )
            }
        }
        if let unranked = similarity.unranked, unranked > 0 {
            lines.append(
                "\(unranked) culture(s) with fewer than \(similarity.minimumN ?? Estimate.minimumBootstrapN) questions: "
                    + "no interval, not ranked"
            )
        }
        return lines
    }
}

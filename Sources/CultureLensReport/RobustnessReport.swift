import CultureLensAnalysis
public import CultureLensCore
public import Foundation

/// A robustness run's outputs: `results.json` (the usual run document plus a `robustness` key holding the card),
/// `samples.jsonl` (one line per item × variant × sample, with its `variant` id) and a terminal table.
public struct RobustnessReport: Sendable {
    /// The run report (metadata, summary of the plain prompt, every sample).
    public var report: RunReport
    /// The card.
    public var card: RobustnessCard

    /// Creates the outputs of a robustness run.
    public init(report: RunReport, card: RobustnessCard) {
        self.report = report
        self.card = card
    }

    // MARK: - Files

    /// `results.json`: the run document's sections (`tool`, `run`, `summary`) plus `robustness`; pretty, sorted
    /// keys.
    public func resultsJSON() throws -> Data { try document().encoded() }

    /// The `results.json` document: the run's, with the card under `robustness`.
    public func document() -> ResultsDocument {
        var document = report.document()
        document.robustness = card
        return document
    }

    /// Writes `results.json` and `samples.jsonl` into `directory` (created if needed), each atomically.
    public func write(to directory: URL) throws {
        try document().write(into: directory)
        try report.writeSamples(to: directory.appendingPathComponent(ResultsDocument.samplesFileName))
    }

    // MARK: - Table

    /// The card as plain text.
    public func table() -> String {
        var lines: [String] = []
        let run = report.run
        lines.append(
            "CultureLens \(CultureLensVersion.current) · robustness · suite \(run.suite) · model \(run.model) · \(run.scoring.rawValue) via /\(run.api.rawValue)"
        )
        let cacheHits = report.results.filter(\.cached).count
        lines.append(
            "run \(run.id) · \(run.status.rawValue) · \(card.variants.count) variants × \(card.items) items · \(card.samples) sample(s) per prompt · \(report.results.count) results, \(cacheHits) from cache"
        )
        lines.append(
            "design \(card.design) · factors \(card.factors.isEmpty ? "none" : card.factors.joined(separator: ",")) · seed \(card.seed) · \(card.bootstrapReplicates) bootstrap replicates (cluster = item)"
        )
        lines.append("")
        let metric = card.headlineMetric
        lines.append(Self.figureHeader())
        if let plain = card.variants.first {
            lines.append(Self.figureRow("\(metric) (default prompt)", plain.headline))
        }
        lines.append(Self.figureRow("argmax flip rate", card.flipRate))
        lines.append(Self.figureRow("Fleiss' κ across variants", card.fleissKappa))
        lines.append(Self.figureRow("mean pairwise JSD (bits)", card.meanPairwiseJSD))
        lines.append(Self.figureRow("format spread (\(metric))", card.formatSpread))
        lines.append(Self.figureRow("A-bias (P(first) − 1/K)", card.aBias))
        lines.append(Self.figureRow("first-position choice − 1/K", card.firstPositionChoice))
        if let pride = card.pride {
            lines.append(Self.figureRow("PriDe: observed \(metric)", pride.observed))
            lines.append(Self.figureRow("PriDe: debiased \(metric)", pride.debiased))
            lines.append(Self.figureRow("PriDe: debiased − observed", pride.improvement))
            lines.append(Self.figureRow("order-adjusted \(metric)", pride.orderAdjusted))
        }
        for positional in card.positional {
            lines.append(
                "positions (K=\(positional.optionCount), n=\(positional.items)): "
                    + positional.distribution.map { Self.number($0) }.joined(separator: " ")
            )
        }
        if let pride = card.pride {
            for prior in pride.priors {
                lines.append(
                    "PriDe prior (K=\(prior.optionCount), \(prior.calibrationItems) calibration / \(prior.evaluationItems) evaluation items): "
                        + prior.prior.map { Self.number($0) }.joined(separator: " ")
                )
            }
        }

        lines.append("")
        lines.append(
            Self.row(["variant", "n", metric, "95% CI", "P(first)−1/K", "failed"], widths: [34, 5, 9, 17, 12, 7])
        )
        for variant in card.variants {
            let failed = variant.failures.values.reduce(0, +)
            lines.append(
                Self.row(
                    [
                        variant.id + (variant.duplicates > 0 ? " (\(variant.duplicates) dup)" : ""),
                        String(variant.headline.n),
                        Self.number(variant.headline.value),
                        Self.interval(variant.headline),
                        Self.number(variant.firstPositionMass.value),
                        String(failed),
                    ],
                    widths: [34, 5, 9, 17, 12, 7]
                )
            )
        }
        if !card.perFactor.isEmpty {
            lines.append("")
            lines.append(
                Self.row(["factor", "flip rate", "95% CI", "JSD", "spread", "95% CI"], widths: [14, 10, 17, 8, 8, 17])
            )
            for factor in card.perFactor {
                lines.append(
                    Self.row(
                        [
                            factor.factor,
                            Self.number(factor.flipRate.value),
                            Self.interval(factor.flipRate),
                            Self.number(factor.meanPairwiseJSD.value),
                            Self.number(factor.spread.value),
                            Self.interval(factor.spread),
                        ],
                        widths: [14, 10, 17, 8, 8, 17]
                    )
                )
            }
        }
        let decomposition = card.varianceDecomposition
        lines.append("")
        var parts = [
            "between items \(Self.number(decomposition.betweenItem.value)) \(Self.share(decomposition.shares["between_item"]))",
            "between variants \(Self.number(decomposition.betweenVariant.value)) \(Self.share(decomposition.shares["between_variant"]))",
        ]
        if let within = decomposition.withinPrompt {
            parts.append(
                "within prompt \(Self.number(within.value)) \(Self.share(decomposition.shares["within_prompt"]))"
            )
        }
        lines.append(
            "variance of the \(decomposition.unit.replacingOccurrences(of: "_", with: " ")): "
                + parts.joined(separator: " · ")
        )

        if let survey = card.survey {
            lines.append("")
            lines.append("survey effects in normalised mean-position units (μ ∈ [0, 1]):")
            lines.append(Self.figureHeader())
            lines.append(Self.figureRow("human yardstick σ̄", survey.humanYardstick))
            lines.append(Self.figureRow("SD of μ across variants", survey.variantSD))
            lines.append(Self.figureRow("spread of mean μ over variants", survey.meanPositionSpread))
            if let ratio = survey.ratioToYardstick { lines.append("variant SD ÷ σ̄ = \(Self.number(ratio))") }
            for shift in survey.variants {
                lines.append(Self.figureRow("|Δμ| \(shift.id)", shift.absoluteShift))
            }
        }
        if let steering = card.steerability {
            lines.append("")
            lines.append("steerability (\(steering.distance)):")
            lines.append(
                Self.row(
                    ["target", "tmpl", "q", "missing", "without", "with", "improvement", "95% CI", "rate", "rank"],
                    widths: [8, 5, 5, 8, 8, 8, 12, 17, 7, 7]
                )
            )
            for target in steering.targets {
                lines.append(
                    Self.row(
                        [
                            target.country,
                            String(target.template),
                            String(target.questions),
                            String(target.missingHumanCells),
                            Self.number(target.distanceWithout.value),
                            Self.number(target.distanceWith.value),
                            Self.number(target.improvement.value),
                            Self.interval(target.improvement),
                            Self.number(target.improvementRate.value),
                            target.rank.map { "\($0)/\(target.rankedCountries)" } ?? "—",
                        ],
                        widths: [8, 5, 5, 8, 8, 8, 12, 17, 7, 7]
                    )
                )
            }
            for template in steering.templates {
                lines.append(
                    "template \(template.template): spread ratio \(Self.number(template.spreadRatio.value)) \(Self.interval(template.spreadRatio))"
                        + " · countries improved \(Self.number(template.countriesImproved.value))"
                        + " · ranked first \(Self.number(template.rankedFirst.value)) · mean rank \(Self.number(template.meanRank.value))"
                )
            }
        }
        if let extrapolability = card.extrapolability {
            lines.append("")
            lines.append(
                "extrapolability (\(extrapolability.splits) seeded half splits of \(extrapolability.questions) questions, \(extrapolability.countries) countries):"
            )
            lines.append("  alignment r fitted vs held-out: " + Self.summary(extrapolability.alignmentCorrelation))
            lines.append("  alignment Spearman ρ:           " + Self.summary(extrapolability.alignmentRankCorrelation))
            for clustering in extrapolability.clustering {
                lines.append(
                    "  ARI \(clustering.respondents) (k=\(clustering.k), \(clustering.entities) respondents, \(clustering.questions) questions): "
                        + Self.summary(clustering.ari) + " · median p \(Self.number(clustering.pValues.median))"
                        + " (\(extrapolability.permutations) permutations) · p<0.05 in \(Self.number(clustering.significantShare))"
                )
            }
            for note in extrapolability.notes { lines.append("  note: \(note)") }
        }
        let failures = card.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        lines.append("")
        lines.append(
            "failures \(failures.reduce(0) { $0 + $1.value })"
                + (failures.isEmpty
                    ? "" : " (" + failures.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
        )
        for note in card.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A comparison of two runs as plain text.
    public static func comparisonTable(_ comparison: RunComparison) -> String {
        var lines: [String] = []
        lines.append("compare B = \(comparison.runB) against A = \(comparison.runA) · \(comparison.metric) · B − A")
        lines.append(
            "\(comparison.pairs) pairs · only in A \(comparison.onlyInA) · only in B \(comparison.onlyInB) · failed in one run \(comparison.unpaired)"
        )
        lines.append("")
        let widths = [34, 5, 8, 8, 9, 19, 8, 8, 9]
        lines.append(row(["culture", "n", "A", "B", "B − A", "95% CI", "p", "p Holm", "MDD"], widths: widths))
        for entry in [comparison.overall] + comparison.perCulture {
            lines.append(
                row(
                    [
                        entry.key == "all" ? entry.name : "\(entry.name) (\(entry.key))",
                        String(entry.n),
                        number(entry.meanA),
                        number(entry.meanB),
                        number(entry.difference),
                        entry.ciLow.map { "\(number($0))–\(number(entry.ciHigh))" } ?? "—",
                        number(entry.pValue),
                        number(entry.pHolm),
                        number(entry.minimumDetectable),
                    ],
                    widths: widths
                ) + (entry.belowMinimumDetectable == true ? "  below MDD" : "")
            )
        }
        lines.append("")
        lines.append(
            "CI: mean ± 1.96 clustered SE (cluster = item) · p: two-sided cluster sign-flip test · Holm across cultures"
        )
        lines.append(
            "MDD: smallest difference detectable with 80% power at α = 0.05 (2.8016 × clustered SE); \"below MDD\": "
                + "|B − A| is smaller, so the pairing could not reliably see a difference of this size"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Formatting

    static func figureHeader() -> String {
        row(["figure", "value", "95% CI", "n"], widths: [34, 9, 19, 6])
    }

    static func figureRow(_ name: String, _ figure: CardFigure) -> String {
        row([name, number(figure.value), interval(figure), String(figure.n)], widths: [34, 9, 19, 6])
    }

    static func interval(_ figure: CardFigure) -> String {
        guard let low = figure.ciLow, let high = figure.ciHigh else { return "—" }
        return "\(number(low))–\(number(high))"
    }

    static func summary(_ distribution: DistributionSummary) -> String {
        guard distribution.n > 0 else { return "— (n=0)" }
        return
            "median \(number(distribution.median)) [2.5–97.5%: \(number(distribution.q025))–\(number(distribution.q975))] n=\(distribution.n)"
    }

    static func share(_ value: Double?) -> String {
        value.map { "(\(String(format: "%.0f%%", $0 * 100)))" } ?? ""
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.3f", value)
    }

    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }
}

public import CultureLensCore
import CultureLensStatistics
import Foundation

extension RunCard {
    /// The card of a run whose suite gets none: no figures, the reason as a note.
    public static func notApplicable(_ reason: String, headlineMetric: String) -> RunCard {
        RunCard(
            headlineMetric: headlineMetric,
            failures: [:],
            verdicts: [],
            level: .ok,
            summary: "no robustness card: " + reason,
            notes: [reason]
        )
    }

    /// The run card read off the full card of the sample.
    /// - Parameters:
    ///   - card: ``RobustnessAnalysis/card(results:)`` over `selection`'s suite and variants.
    ///   - runID: The store run holding the card's answers.
    ///   - determinism: The determinism check, when it ran.
    ///
    /// The checks against the whole run (chance, outside mass) are added by ``attach(_:)``.
    public init(
        card: RobustnessCard,
        selection: RunCardPlan.Selection,
        plan: RunCardPlan,
        runID: String?,
        determinism: DeterminismFloor?
    ) {
        headlineMetric = card.headlineMetric
        sample = Sample(
            items: selection.suite.items.count,
            eligible: selection.eligible,
            share: plan.share,
            minimum: plan.minimum,
            budget: plan.budget,
            seed: plan.seed,
            requests: selection.requests,
            variants: selection.variants.map(\.id),
            itemIDs: selection.suite.items.map(\.id),
            runID: runID
        )
        aBias = card.aBias
        firstPositionChoice = card.firstPositionChoice
        flipRate = Self.wilson(card.flipRate)
        formatSpread = card.formatSpread
        sampleHeadline = card.variants.first?.headline
        pride = card.pride
        survey = card.survey
        let graded = selection.suite.items.filter { $0.kind != .survey && !$0.gold.isEmpty }
        chance =
            graded.isEmpty
            ? nil : graded.reduce(0.0) { $0 + Double($1.gold.count) / Double($1.choices.count) } / Double(graded.count)
        self.determinism = determinism
        failures = card.failures
        notes = selection.notes + card.notes
        verdicts = []
        level = .ok
        summary = ""
        judge()
    }

    /// Adds the checks against the whole run: its accuracy against chance (accuracy suites) and its mean
    /// probability outside the options (logprob runs).
    public mutating func attach(_ summary: RunSummary) {
        if headlineMetric == "accuracy", summary.accuracy.n > 0 {
            let accuracy = summary.accuracy
            runAccuracy = CardFigure(
                value: accuracy.value,
                n: accuracy.n,
                ciLow: accuracy.ciLow,
                ciHigh: accuracy.ciHigh,
                note: "the run's accuracy, Wilson interval"
            )
        }
        if let mass = summary.meanOutsideMass {
            outsideMass = CardFigure(value: mass, n: summary.scored, note: "mean over the run's answers")
        }
        judge()
    }

    /// Fills ``verdicts``, ``level`` and ``summary`` from the figures.
    mutating func judge() {
        var found: [Verdict] = []
        let metric = headlineMetric == "similarity" ? "similarity" : "accuracy"
        if let flipRate, let value = flipRate.value {
            let level = Self.level(value, Thresholds.flipRate)
            let tail =
                switch level {
                case .unreliable: ": the ranking of cultures is not interpretable"
                case .caution: ": differences between cultures of that size are not interpretable"
                case .ok: ""
                }
            found.append(
                Verdict(
                    check: "flip_rate",
                    level: level,
                    value: value,
                    message: "flips under option rotation on \(Self.percent(value)) of items \(Self.interval(flipRate))"
                        + tail
                )
            )
        }
        if let aBias, let value = aBias.value {
            let level = Self.level(value, Thresholds.aBias)
            let message =
                switch level {
                case .unreliable:
                    "puts \(Self.points(value)) more probability on the first shown option than chance (A-bias \(Self.decimal(value)) \(Self.interval(aBias, percent: false))): answers follow the position, not the content"
                case .caution:
                    "leans to the first shown option (A-bias \(Self.decimal(value)) \(Self.interval(aBias, percent: false)))"
                case .ok:
                    "no strong pull to the first shown option (A-bias \(Self.decimal(value)) \(Self.interval(aBias, percent: false)))"
                }
            found.append(Verdict(check: "a_bias", level: level, value: value, message: message))
        }
        if let formatSpread, let value = formatSpread.value {
            found.append(
                Verdict(
                    check: "format_spread",
                    level: Self.level(value, Thresholds.formatSpread),
                    value: value,
                    message:
                        "\(metric) ranges over \(Self.points(value)) across option orders \(Self.interval(formatSpread))"
                )
            )
        }
        if let outsideMass, let value = outsideMass.value {
            let level = Self.level(value, Thresholds.outsideMass)
            found.append(
                Verdict(
                    check: "outside_mass",
                    level: level,
                    value: value,
                    message:
                        "\(Self.percent(value)) of the probability mass falls outside the options (n = \(outsideMass.n))"
                        + (level == .ok ? "" : ": the option probabilities rest on the remainder")
                )
            )
        }
        if let accuracy = runAccuracy, let value = accuracy.value, let low = accuracy.ciLow, let high = accuracy.ciHigh,
            let chance
        {
            let label =
                "accuracy \(Self.percent(value, digits: 1)) [\(Self.percent(low, digits: 1))–\(Self.percent(high, digits: 1))]"
            let chanceText = "chance (\(Self.percent(chance, digits: 1)))"
            let verdict: Verdict =
                if high < chance {
                    Verdict(
                        check: "chance",
                        level: .caution,
                        value: value - chance,
                        message: "\(label) is below \(chanceText)"
                    )
                } else if low <= chance {
                    Verdict(
                        check: "chance",
                        level: .caution,
                        value: value - chance,
                        message: "\(label) is not distinguishable from \(chanceText)"
                    )
                } else {
                    Verdict(
                        check: "chance",
                        level: .ok,
                        value: value - chance,
                        message: "\(label) is above \(chanceText)"
                    )
                }
            found.append(verdict)
        }
        if let improvement = pride?.improvement, let value = improvement.value {
            let excludesZero =
                (improvement.ciLow.map { $0 > 0 } ?? false) || (improvement.ciHigh.map { $0 < 0 } ?? false)
            let level: Level = excludesZero && abs(value) >= Thresholds.prideChange ? .caution : .ok
            found.append(
                Verdict(
                    check: "pride",
                    level: level,
                    value: value,
                    message:
                        "PriDe debiasing changes \(metric) by \(Self.signedPoints(value)) \(Self.interval(improvement, signed: true))"
                        + (level == .ok ? "" : ": part of the headline is a preference for positions")
                )
            )
        }
        if let ratio = survey?.ratioToYardstick {
            let level = Self.level(ratio, Thresholds.orderVsCountries)
            found.append(
                Verdict(
                    check: "order_vs_countries",
                    level: level,
                    value: ratio,
                    message: "option order moves answers \(Self.decimal(ratio, digits: 2))× as much as countries differ"
                        + (level == .unreliable ? ": the alignment with countries is not interpretable" : "")
                )
            )
        }
        if let determinism {
            found.append(Self.verdict(determinism))
        }
        // Most serious first; the order above (flip rate first) breaks ties.
        verdicts = found.enumerated().sorted { ($1.element.level, $0.offset) < ($0.element.level, $1.offset) }.map(
            \.element
        )
        level = verdicts.first?.level ?? .ok
        guard let first = verdicts.first else {
            summary = "no robustness figure could be computed"
            return
        }
        let more = verdicts.dropFirst().filter { $0.level != .ok }.count
        summary =
            first.level == .ok
            ? "robust on the card's checks: " + first.message
            : first.message + (more > 0 ? " (and \(more) more warning\(more == 1 ? "" : "s"))" : "")
    }

    static func verdict(_ determinism: DeterminismFloor) -> Verdict {
        guard determinism.compared > 0, let largest = determinism.maxAbsoluteDelta else {
            return Verdict(
                check: "determinism",
                level: .caution,
                value: nil,
                message: "the determinism check could not compare any request (\(determinism.failed) failed)"
            )
        }
        let moved = largest >= Thresholds.determinismDelta || determinism.argmaxFlips > 0
        let mean = determinism.meanAbsoluteDelta
        let figures =
            "by up to \(decimal(largest)) (mean \(decimal(mean.value ?? 0)) \(interval(mean, percent: false)))"
        if !moved {
            return Verdict(
                check: "determinism",
                level: .ok,
                value: largest,
                message:
                    "identical requests moved option probabilities \(figures): below \(decimal(Thresholds.determinismDelta, digits: 2))"
            )
        }
        let flips = determinism.argmaxFlips
        return Verdict(
            check: "determinism",
            level: .caution,
            value: largest,
            message:
                "identical requests moved option probabilities \(figures) and changed \(flips) of \(determinism.compared) answers: differences below that are noise"
        )
    }

    /// A share of items with a Wilson interval instead of the bootstrap's: with no item (or every item) flipping,
    /// every resample gives the same share, and [0, 0] would claim a certainty 20 items cannot give.
    static func wilson(_ figure: CardFigure) -> CardFigure {
        guard let value = figure.value, figure.n > 0 else { return figure }
        var share = CardFigure.wilson(successes: Int((value * Double(figure.n)).rounded()), n: figure.n)
        share.value = value
        share.note = "Wilson interval over items"
        return share
    }

    // MARK: - Formatting

    static func level(_ value: Double, _ bounds: (caution: Double, unreliable: Double)) -> Level {
        value >= bounds.unreliable ? .unreliable : value >= bounds.caution ? .caution : .ok
    }

    static func percent(_ value: Double, digits: Int = 0) -> String {
        String(format: "%.\(digits)f%%", value * 100)
    }

    static func decimal(_ value: Double, digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

    static func points(_ value: Double) -> String {
        let points = String(format: "%.0f", value * 100)
        return points + (points == "1" ? " point" : " points")
    }

    static func signedPoints(_ value: Double) -> String {
        let points = String(format: "%+.0f", value * 100)
        return points + (points == "+1" || points == "-1" ? " point" : " points")
    }

    /// `[28–55%, n = 22]`, or `[n = 22, no interval]`.
    static func interval(_ figure: CardFigure, percent asPercent: Bool = true, signed: Bool = false) -> String {
        guard let low = figure.ciLow, let high = figure.ciHigh else { return "[n = \(figure.n), no interval]" }
        func text(_ value: Double) -> String {
            if asPercent {
                return String(format: signed ? "%+.0f" : "%.0f", value * 100)
            }
            return String(format: signed ? "%+.3f" : "%.3f", value)
        }
        // A dash between signed numbers reads as a minus: signed intervals say "to".
        let unit = asPercent ? (signed ? " points" : "%") : ""
        return "[\(text(low))\(signed ? " to " : "–")\(text(high))\(unit), n = \(figure.n)]"
    }
}

import CultureLensCore
import CultureLensStatistics
import Foundation

/// One figure with its n and 95% interval: a proportion (Wilson interval) or a mean (seeded percentile bootstrap).
public struct Estimate: Sendable, Hashable, Codable {
    /// What the value is (e.g. `accuracy`, `question_accuracy`, `similarity`, `p_agree`).
    public var metric: String
    /// The point estimate.
    public var value: Double
    /// Observations behind it.
    public var n: Int
    /// Lower end of the 95% interval (`nil` when there is none, e.g. n = 0).
    public var ciLow: Double?
    /// Upper end of the 95% interval.
    public var ciHigh: Double?
    /// Successes, for proportions.
    public var successes: Int?

    /// A proportion with its Wilson 95% interval.
    public static func proportion(_ metric: String, successes: Int, n: Int) -> Estimate {
        let proportion = Proportion(successes: successes, n: n)
        return Estimate(
            metric: metric,
            value: proportion.value,
            n: n,
            ciLow: n > 0 ? proportion.ciLow : nil,
            ciHigh: n > 0 ? proportion.ciHigh : nil,
            successes: successes
        )
    }

    /// Below this many observations a mean gets no interval: a percentile bootstrap of a mean covers about 85% at
    /// n = 5 and 90% at n = 10 for a nominal 95% (it uses the plug-in SD and normal-like quantiles), and at n = 1 it
    /// is the zero-width [x, x]. Such means are shown as not estimable and left out of rankings.
    public static let minimumBootstrapN = 10

    /// A mean with a seeded percentile-bootstrap 95% interval (``Bootstrap/mean(_:replicates:level:seed:)``); no
    /// interval below ``minimumBootstrapN`` observations.
    public static func mean(_ metric: String, _ values: [Double], replicates: Int, seed: UInt64) -> Estimate {
        guard !values.isEmpty else { return Estimate(metric: metric, value: 0, n: 0, ciLow: nil, ciHigh: nil) }
        guard values.count >= minimumBootstrapN,
            let result = try? Bootstrap.mean(values, replicates: replicates, seed: seed)
        else {
            return Estimate(
                metric: metric,
                value: Descriptive.plainMean(values),
                n: values.count,
                ciLow: nil,
                ciHigh: nil
            )
        }
        return Estimate(
            metric: metric,
            value: result.interval.estimate,
            n: values.count,
            ciLow: result.interval.low,
            ciHigh: result.interval.high
        )
    }
}

/// An ``Estimate`` for one group (a culture, topic, language, label...).
public struct GroupEstimate: Sendable, Hashable, Codable {
    /// Group key (a culture code, a topic...).
    public var key: String
    /// Display name.
    public var name: String
    /// The estimate.
    public var value: Double
    /// Observations.
    public var n: Int
    /// Lower end of the 95% interval.
    public var ciLow: Double?
    /// Upper end of the 95% interval.
    public var ciHigh: Double?
    /// Successes, for proportions.
    public var successes: Int?

    /// Creates a group estimate.
    public init(key: String, name: String, _ estimate: Estimate) {
        self.key = key
        self.name = name
        value = estimate.value
        n = estimate.n
        ciLow = estimate.ciLow
        ciHigh = estimate.ciHigh
        successes = estimate.successes
    }
}

/// A culture's survey similarity (GlobalOpinionQA): the mean over that culture's questions of
/// 1 − Jensen–Shannon distance between the model's and the culture's answer distributions.
public struct CultureSimilarity: Sendable, Hashable, Codable {
    /// Culture code, or the name as written in the data when it is not a known culture.
    public var key: String
    /// Display name.
    public var name: String
    /// Mean similarity.
    public var similarity: Double
    /// Questions with data for this culture and a model distribution.
    public var n: Int
    /// Lower end of the seeded bootstrap 95% interval (resampling questions); `nil` below
    /// ``Estimate/minimumBootstrapN`` questions (not estimable).
    public var ciLow: Double?
    /// Upper end.
    public var ciHigh: Double?
    /// The same figure for answers that know nothing of the model or of the culture (`nil` in documents written
    /// before baselines existed).
    public var baselines: SurveyBaselines?
    /// Whether the similarity lies below the noise floor; `nil` when the floor is unknown.
    public var belowNoiseFloor: Bool?
    /// 1 for the most similar estimable culture; `nil` for cultures below ``Estimate/minimumBootstrapN`` questions,
    /// which are not ranked.
    public var rank: Int?
}

/// What a survey similarity should be compared with (DTEF's null baselines and analytical noise floor).
public struct SurveyBaselines: Sendable, Hashable, Codable {
    /// The uniform distribution over the options as the answer.
    public var uniform: Double?
    /// The mean human distribution of the other cultures on the same question (leave the culture out); `nil` when
    /// no other culture answered its questions.
    public var populationAverage: Double?
    /// The model's answer compared with the other cultures on the same question: the expected similarity if the
    /// culture labels were shuffled (exact, not sampled).
    public var shuffledCulture: Double?
    /// The similarity a sample of `respondents` people reaches against its own population on average,
    /// 1 − √((k − 1) / (2n·ln 2)) in bits (1 − √((k − 1) / (2n)) in nats), k options, mean over questions; `nil`
    /// when the number of respondents is unknown.
    public var noiseFloor: Double?
}

/// GlobalOpinionQA-style survey alignment.
public struct SurveySimilarityMetrics: Sendable, Hashable, Codable {
    /// `e` or `2`.
    public var logBase: String
    /// What is averaged.
    public var definition: String
    /// Bootstrap replicates and seed.
    public var replicates: Int
    /// Base seed (each culture's stream is this seed mixed with a hash of its key).
    public var seed: UInt64
    /// Per culture, default prompting (the model answering as itself), sorted by key.
    public var perCulture: [CultureSimilarity]
    /// Per culture, cross-national prompting (the model asked to answer as someone from that culture), if run.
    public var perCulturePersona: [CultureSimilarity]?
    /// Questions with a model distribution.
    public var questions: Int
    /// The mean over cultures with a 95% cluster-bootstrap interval (resampling questions, each with all its
    /// cultures); `nil` without cultures.
    public var overall: Estimate?
    /// The baselines' means over the same cultures.
    public var overallBaselines: SurveyBaselines?
    /// Respondents per culture and question behind the noise floor (`scoring.respondents`), when known.
    public var respondents: Int?
    /// Questions below which a culture has no interval and no rank (``Estimate/minimumBootstrapN``); `nil` in
    /// documents written before the rule existed.
    public var minimumN: Int?
    /// Cultures left out of the ranking for having fewer questions.
    public var unranked: Int?
}

/// CIVICS-style agree/disagree probing and long-form refusals.
public struct AgreementMetrics: Sendable, Hashable, Codable {
    /// Mean probability of "agree" (renormalised over agree/disagree), overall.
    public var pAgree: Estimate?
    /// Mean P(agree) by culture, language and topic (bootstrap CIs).
    public var pAgreeBy: [String: [GroupEstimate]]
    /// Share of long-form answers that refuse (Wilson CIs), overall.
    public var refusalRate: Estimate?
    /// Refusal rate by culture, language and topic.
    public var refusalRateBy: [String: [GroupEstimate]]
}

/// Grouped all-or-nothing scoring (CulturalBench-Hard).
public struct GroupScoringMetrics: Sendable, Hashable, Codable {
    /// Questions all of whose rows were answered correctly, over questions with every row scored.
    public var questionAccuracy: Estimate
    /// Rows answered correctly, over scored rows.
    public var optionAccuracy: Estimate
    /// Questions left out because a row failed or is missing.
    public var incompleteQuestions: Int
    /// Question accuracy by culture.
    public var questionAccuracyByCulture: [GroupEstimate]
}

/// Accuracy on two subsets and the gap (Global-MMLU culturally sensitive vs agnostic).
public struct SubsetGapMetrics: Sendable, Hashable, Codable {
    /// The metadata field.
    public var field: String
    /// First subset (label, name, accuracy).
    public var first: GroupEstimate
    /// Second subset.
    public var second: GroupEstimate
    /// first − second, with Newcombe's hybrid-score 95% interval (from the two Wilson intervals).
    public var gap: Estimate
}

/// A figure compared across runs (easy–hard gap, rank correlation of models).
public struct CrossRunComparison: Sendable, Hashable, Codable {
    /// What is compared.
    public var name: String
    /// The value.
    public var value: Double?
    /// Lower end of the 95% interval, when there is one.
    public var ciLow: Double?
    /// Upper end.
    public var ciHigh: Double?
    /// Observations (questions for a gap, models for a correlation).
    public var n: Int
    /// How it was computed and from which runs.
    public var detail: String
    /// The runs it used.
    public var runs: [String]

    /// Creates a comparison.
    public init(
        name: String,
        value: Double?,
        ciLow: Double? = nil,
        ciHigh: Double? = nil,
        n: Int,
        detail: String,
        runs: [String]
    ) {
        self.name = name
        self.value = value
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.n = n
        self.detail = detail
        self.runs = runs
    }
}

/// The suite-specific figures of a run, written to `results.json` under `metrics`.
public struct BenchmarkMetrics: Sendable, Hashable, Codable {
    /// Suite name.
    public var suite: String
    /// The scoring rule.
    public var rule: ScoringRuleName
    /// The suite's headline figure.
    public var headline: Estimate?
    /// Breakdowns named in the spec (`culture`, `topic`, `subaxis`, `gold_label`...): accuracy per group.
    public var breakdowns: [String: [GroupEstimate]]
    /// All-or-nothing group scoring.
    public var groups: GroupScoringMetrics?
    /// Survey similarity.
    public var similarity: SurveySimilarityMetrics?
    /// Agree/disagree and refusals.
    public var agreement: AgreementMetrics?
    /// Subset gap.
    public var subsets: SubsetGapMetrics?
    /// Cross-run comparisons.
    public var comparisons: [CrossRunComparison]
    /// What loading the data did (rows read, filtered, skipped as malformed).
    public var data: LoadReport?
    /// Caveats.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case suite, rule, headline, breakdowns, groups, similarity, agreement, subsets, comparisons, data, notes
    }
}

/// Computes ``BenchmarkMetrics`` from a run's results, by the spec's scoring rule.
public enum BenchmarkScorer {
    /// The metrics of `results` over `suite`'s items under `spec`.
    public static func metrics(
        spec: DatasetSpec,
        suite: Suite,
        results: [ItemResult],
        report: LoadReport? = nil
    ) -> BenchmarkMetrics {
        let items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = results.compactMap { result in items[result.itemID].map { (item: $0, result: result) } }
        let scoring = spec.scoring
        var metrics = BenchmarkMetrics(
            suite: suite.name,
            rule: scoring.rule,
            headline: nil,
            breakdowns: [:],
            groups: nil,
            similarity: nil,
            agreement: nil,
            subsets: nil,
            comparisons: [],
            data: report,
            notes: []
        )
        ScoringRules.rule(named: scoring.rule)?.score(
            ScoringInput(scoring: scoring, suite: suite, pairs: pairs),
            into: &metrics
        )
        return metrics
    }

    // MARK: - Accuracy

    /// The accuracy headline and the `scoring.by` breakdowns of the answers (the rules with right answers share it).
    static func scoreAccuracy(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        let answerPairs = input.answerPairs
        metrics.headline = accuracy(answerPairs, metric: "accuracy")
        for key in input.scoring.by { metrics.breakdowns[key] = accuracyBreakdown(answerPairs, by: key) }
    }

    static func accuracy(_ pairs: [(item: Item, result: ItemResult)], metric: String) -> Estimate {
        let scored = pairs.filter { $0.result.score != nil }
        return .proportion(metric, successes: scored.filter { $0.result.score == 1 }.count, n: scored.count)
    }

    /// The value an item has for a breakdown key.
    static func groupKey(_ item: Item, _ key: String) -> String? {
        switch key {
        case "culture": item.culture
        case "topic": item.topic
        case "language": item.language
        default: item.metadata[key]
        }
    }

    static func displayName(_ key: String, by: String) -> String {
        guard by == "culture" || by == "persona" else { return key }
        return CultureCatalog.culture(for: key)?.name ?? key
    }

    static func accuracyBreakdown(_ pairs: [(item: Item, result: ItemResult)], by key: String) -> [GroupEstimate] {
        let grouped = Dictionary(grouping: pairs) { groupKey($0.item, key) ?? "(none)" }
        return grouped.keys.sorted().map { group in
            GroupEstimate(
                key: group,
                name: displayName(group, by: key),
                accuracy(grouped[group] ?? [], metric: "accuracy")
            )
        }
    }

    // MARK: - Subsets

    /// p₁ − p₂ with Newcombe's hybrid score interval (his method 10), built from the two Wilson intervals:
    /// [d − √((p₁ − l₁)² + (u₂ − p₂)²), d + √((u₁ − p₁)² + (p₂ − l₂)²)].
    public static func differenceOfProportions(_ first: GroupEstimate, _ second: GroupEstimate) -> Estimate {
        let difference = first.value - second.value
        guard first.n > 0, second.n > 0, let l1 = first.ciLow, let u1 = first.ciHigh, let l2 = second.ciLow,
            let u2 = second.ciHigh
        else {
            return Estimate(metric: "gap", value: difference, n: min(first.n, second.n), ciLow: nil, ciHigh: nil)
        }
        let p1 = first.value
        let p2 = second.value
        let low = difference - ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let high = difference + ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return Estimate(metric: "gap", value: difference, n: min(first.n, second.n), ciLow: low, ciHigh: high)
    }

    /// Each item's model distribution: the mean of its answered results' distributions, so that K samples of one
    /// question (one result per sample, each one-hot) give the sample histogram, and a logprob result gives itself.
    static func modelDistributions(_ pairs: [(item: Item, result: ItemResult)]) -> [(
        item: Item, distribution: [Double]
    )] {
        var order: [String] = []
        var sums: [String: (item: Item, total: [Double], count: Int)] = [:]
        for (item, result) in pairs {
            guard result.failure == nil, let distribution = result.distribution, !distribution.isEmpty else { continue }
            if var entry = sums[item.id] {
                guard entry.total.count == distribution.count else { continue }
                for index in distribution.indices { entry.total[index] += distribution[index] }
                entry.count += 1
                sums[item.id] = entry
            } else {
                order.append(item.id)
                sums[item.id] = (item, distribution, 1)
            }
        }
        return order.compactMap { id in
            sums[id].map { entry in (entry.item, entry.total.map { $0 / Double(entry.count) }) }
        }
    }

    /// FNV-1a 64 of the UTF-8 bytes: a hash that, unlike `hashValue`, is the same in every process.
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    // MARK: - Cross-run comparisons

    /// The gap between this suite's headline and a paired suite's headline for the same model (e.g. CulturalBench
    /// easy − hard), with Newcombe's interval when both are proportions.
    public static func pairedGap(
        name: String,
        this: Estimate,
        thisRun: String,
        other: Estimate,
        otherRun: String,
        detail: String
    ) -> CrossRunComparison {
        let gap = differenceOfProportions(
            GroupEstimate(key: "a", name: "a", this),
            GroupEstimate(key: "b", name: "b", other)
        )
        return CrossRunComparison(
            name: name,
            value: gap.value,
            ciLow: gap.ciLow,
            ciHigh: gap.ciHigh,
            n: gap.n,
            detail: detail,
            runs: [thisRun, otherRun]
        )
    }

    /// Spearman's ρ and Kendall's τ_b between models' scores on two subsets (does the subset change how models
    /// rank?). Needs at least 3 models.
    public static func rankCorrelation(
        name: String,
        models: [(model: String, run: String, first: Double, second: Double)]
    ) -> [CrossRunComparison] {
        let runs = models.map(\.run)
        guard models.count >= 3 else {
            return [
                CrossRunComparison(
                    name: name + "_spearman",
                    value: nil,
                    n: models.count,
                    detail: "needs completed runs of at least 3 models; found \(models.count)",
                    runs: runs
                )
            ]
        }
        let first = models.map(\.first)
        let second = models.map(\.second)
        let spearman = try? Correlation.spearman(first, second)
        let kendall = try? Correlation.kendallTauB(first, second)
        let list = models.map(\.model).joined(separator: ", ")
        return [
            CrossRunComparison(
                name: name + "_spearman",
                value: spearman,
                n: models.count,
                detail: "Spearman's rho of the models' accuracies on the two subsets (\(list))"
                    + (spearman == nil ? "; undefined (a subset's accuracies are all equal)" : ""),
                runs: runs
            ),
            CrossRunComparison(
                name: name + "_kendall_tau_b",
                value: kendall,
                n: models.count,
                detail: "Kendall's tau-b of the same" + (kendall == nil ? "; undefined" : ""),
                runs: runs
            ),
        ]
    }
}

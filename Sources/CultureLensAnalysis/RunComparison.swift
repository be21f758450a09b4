import CultureLensCore
import CultureLensStatistics

/// One item's value in one run, for a paired comparison of two runs.
public struct ComparisonUnit: Sendable, Hashable {
    /// Item id.
    public var itemID: String
    /// Prompt variant id.
    public var variant: String
    /// Culture code.
    public var culture: String
    /// The item's value (1/0 score, or survey similarity); `nil` when it failed or has no value.
    public var value: Double?

    /// Creates a unit.
    public init(itemID: String, variant: String, culture: String, value: Double?) {
        self.itemID = itemID
        self.variant = variant
        self.culture = culture
        self.value = value
    }
}

/// Paired differences between two runs on the same items (Miller 2024; methodology D.6): per culture and overall,
/// d = value(B) − value(A) on the (item, variant) pairs both runs answered, its clustered standard error (cluster =
/// item, so the variants of one item are not counted as independent), a normal 95% CI, a two-sided cluster
/// sign-flip p-value (exact when there are few items), and Holm-adjusted p-values across the cultures.
///
/// The one paired comparison of the tool: `culturelens compare`, the HTML report and the dashboard all build it
/// with ``init(a:b:suiteA:suiteB:runA:runB:seed:resamples:)`` from the runs' samples, so the same two runs get
/// the same numbers everywhere. Groups with fewer than ``minimumItemsForInterval`` distinct items get no interval:
/// a clustered SE from a handful of clusters is unreliable.
public struct RunComparison: Sendable, Hashable, Codable {
    /// Fewest distinct items in a group for which a CI is reported.
    public static let minimumItemsForInterval = 5

    /// One group of pairs.
    public struct Row: Sendable, Hashable, Codable {
        /// Culture code, or `all`.
        public var key: String
        /// Display name.
        public var name: String
        /// Pairs.
        public var n: Int
        /// Distinct items among them.
        public var items: Int
        /// Mean value in run A on the pairs.
        public var meanA: Double?
        /// Mean value in run B on the pairs.
        public var meanB: Double?
        /// mean(B − A).
        public var difference: Double?
        /// Its clustered standard error.
        public var standardError: Double?
        /// Lower end of the 95% CI.
        public var ciLow: Double?
        /// Upper end of the 95% CI.
        public var ciHigh: Double?
        /// Two-sided cluster sign-flip p-value.
        public var pValue: Double?
        /// Holm-adjusted p-value across the cultures (the overall row is not part of the family).
        public var pHolm: Double?
        /// The smallest difference this pairing detects with 80% power at α = 0.05, 2.8016 × the clustered SE (so
        /// it accounts for the observed paired correlation); `nil` without an SE.
        public var minimumDetectable: Double?
        /// Whether |B − A| is below ``minimumDetectable``: such a difference, significant or not, is within what the
        /// comparison cannot reliably see.
        public var belowMinimumDetectable: Bool?

        enum CodingKeys: String, CodingKey {
            case key, name, n, items, difference
            case minimumDetectable = "minimum_detectable"
            case belowMinimumDetectable = "below_minimum_detectable"
            case meanA = "mean_a"
            case meanB = "mean_b"
            case standardError = "standard_error"
            case ciLow = "ci_low"
            case ciHigh = "ci_high"
            case pValue = "p_value"
            case pHolm = "p_holm"
        }
    }

    /// Run A's label (id or directory).
    public var runA: String
    /// Run B's label.
    public var runB: String
    /// `accuracy`, `similarity` or `mixed`.
    public var metric: String
    /// Pairs both runs answered.
    public var pairs: Int
    /// (item, variant) keys only in A.
    public var onlyInA: Int
    /// (item, variant) keys only in B.
    public var onlyInB: Int
    /// Keys in both runs where one side failed or has no value.
    public var unpaired: Int
    /// Overall.
    public var overall: Row
    /// Per culture, sorted by code.
    public var perCulture: [Row]
    /// Seed of the sign-flip tests.
    public var seed: UInt64
    /// Random sign patterns per test (all patterns when fewer).
    public var resamples: Int

    enum CodingKeys: String, CodingKey {
        case runA = "run_a"
        case runB = "run_b"
        case metric, pairs, overall, seed, resamples
        case onlyInA = "only_in_a"
        case onlyInB = "only_in_b"
        case unpaired
        case perCulture = "per_culture"
    }

    /// Compares run B with run A.
    public init(
        a: [ComparisonUnit],
        b: [ComparisonUnit],
        runA: String,
        runB: String,
        metric: String,
        seed: UInt64 = 0,
        resamples: Int = 9999
    ) {
        struct Key: Hashable {
            var item: String
            var variant: String
        }
        var first: [Key: ComparisonUnit] = [:]
        for unit in a where first[Key(item: unit.itemID, variant: unit.variant)] == nil {
            first[Key(item: unit.itemID, variant: unit.variant)] = unit
        }
        var pairs: [(unit: ComparisonUnit, a: Double, b: Double)] = []
        var seen = Set<Key>()
        var onlyInB = 0
        var unpaired = 0
        for unit in b {
            let key = Key(item: unit.itemID, variant: unit.variant)
            guard seen.insert(key).inserted else { continue }
            guard let other = first[key] else {
                onlyInB += 1
                continue
            }
            guard let x = other.value, let y = unit.value else {
                unpaired += 1
                continue
            }
            pairs.append((other, x, y))
        }
        pairs.sort { ($0.unit.itemID, $0.unit.variant) < ($1.unit.itemID, $1.unit.variant) }

        func row(key: String, name: String, _ group: [(unit: ComparisonUnit, a: Double, b: Double)]) -> Row {
            let n = group.count
            var row = Row(key: key, name: name, n: n, items: Set(group.map(\.unit.itemID)).count)
            guard n > 0 else { return row }
            row.meanA = group.reduce(0) { $0 + $1.a } / Double(n)
            row.meanB = group.reduce(0) { $0 + $1.b } / Double(n)
            let differences = group.map { $0.b - $0.a }
            let clusters = group.map(\.unit.itemID)
            row.difference = differences.reduce(0, +) / Double(n)
            if row.items >= Self.minimumItemsForInterval,
                let paired = try? PairedDifference(group.map(\.b), group.map(\.a), clusters: clusters)
            {
                row.standardError = paired.difference.standardError
                row.ciLow = paired.difference.interval.low
                row.ciHigh = paired.difference.interval.high
                row.minimumDetectable = try? Power.minimumDetectableDifference(
                    standardError: paired.difference.standardError
                )
                row.belowMinimumDetectable = row.minimumDetectable.map { abs(row.difference ?? 0) < $0 }
            }
            row.pValue = try? PermutationTest.signFlip(
                differences,
                clusters: clusters,
                resamples: resamples,
                seed: seed
            ).pValue
            return row
        }

        self.runA = runA
        self.runB = runB
        self.metric = metric
        self.pairs = pairs.count
        self.onlyInA = Set(first.keys).subtracting(seen).count
        self.onlyInB = onlyInB
        self.unpaired = unpaired
        self.seed = seed
        self.resamples = resamples
        overall = row(key: "all", name: "All cultures", pairs)
        var rows = Dictionary(grouping: pairs, by: \.unit.culture).map { code, group in
            row(key: code, name: CultureCatalog.culture(for: code)?.name ?? code, group)
        }.sorted { $0.key < $1.key }
        let tested = rows.indices.filter { rows[$0].pValue != nil }
        if let adjusted = try? HolmCorrection.adjustedPValues(tested.map { rows[$0].pValue ?? 1 }) {
            for (offset, index) in tested.enumerated() { rows[index].pHolm = adjusted[offset] }
        }
        perCulture = rows
    }
}

extension RunComparison {
    /// What a comparison reads of one sample of a run.
    public struct Sample: Sendable, Hashable {
        /// Item id.
        public var itemID: String
        /// Prompt variant id.
        public var variant: String
        /// Culture code.
        public var culture: String
        /// The model's distribution over the options, when recorded.
        public var distribution: [Double]?
        /// The score, when scored.
        public var score: Double?
        /// Whether the sample failed.
        public var failed: Bool

        /// Creates a sample.
        public init(
            itemID: String,
            variant: String,
            culture: String,
            distribution: [Double]?,
            score: Double?,
            failed: Bool
        ) {
            self.itemID = itemID
            self.variant = variant
            self.culture = culture
            self.distribution = distribution
            self.score = score
            self.failed = failed
        }

        /// The sample of a stored result.
        public init(_ result: ItemResult) {
            self.init(
                itemID: result.itemID,
                variant: result.variant,
                culture: result.culture,
                distribution: result.distribution,
                score: result.score,
                failed: result.failure != nil
            )
        }
    }

    /// The units of a run's `samples`: a sample's score, or for an unscored survey item of `suite` the mean over
    /// countries of 1 − JD between the model's distribution and theirs; failed samples have no value.
    /// - Returns: The units and how many of them are survey similarities.
    public static func units(_ samples: [Sample], suite: Suite?) -> (units: [ComparisonUnit], surveyItems: Int) {
        var position: [String: Int] = [:]
        for (index, item) in (suite?.items ?? []).enumerated() where position[item.id] == nil {
            position[item.id] = index
        }
        // Survey data only when a survey sample needs it: building it reads every item's distributions.
        let needsSurvey = samples.contains { !$0.failed && $0.score == nil && $0.distribution != nil }
        let survey = needsSurvey ? suite.map(SurveyData.init(suite:)) : nil
        var surveyItems = 0
        let units = samples.map { sample -> ComparisonUnit in
            var value: Double?
            if !sample.failed {
                if let score = sample.score {
                    value = score
                } else if let distribution = sample.distribution, let index = position[sample.itemID],
                    suite?.items[index].kind == .survey
                {
                    value = survey?.similarity(item: index, model: distribution)
                    if value != nil { surveyItems += 1 }
                }
            }
            return ComparisonUnit(itemID: sample.itemID, variant: sample.variant, culture: sample.culture, value: value)
        }
        return (units, surveyItems)
    }

    /// Compares run B's samples with run A's, each valued over its suite (``units(_:suite:)``); the metric is
    /// `accuracy`, `similarity` or `mixed` after run A's values.
    public init(
        a: [Sample],
        b: [Sample],
        suiteA: Suite?,
        suiteB: Suite?,
        runA: String,
        runB: String,
        seed: UInt64 = 0,
        resamples: Int = 9999
    ) {
        let (unitsA, surveyItems) = Self.units(a, suite: suiteA)
        let valued = unitsA.filter { $0.value != nil }.count
        self.init(
            a: unitsA,
            b: Self.units(b, suite: suiteB).units,
            runA: runA,
            runB: runB,
            metric: surveyItems == 0 ? "accuracy" : (surveyItems == valued ? "similarity" : "mixed"),
            seed: seed,
            resamples: resamples
        )
    }
}

extension RunComparison.Row {
    init(key: String, name: String, n: Int, items: Int) {
        self.init(
            key: key,
            name: name,
            n: n,
            items: items,
            meanA: nil,
            meanB: nil,
            difference: nil,
            standardError: nil,
            ciLow: nil,
            ciHigh: nil,
            pValue: nil,
            pHolm: nil
        )
    }
}

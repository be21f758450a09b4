import CultureLensCore
import CultureLensStatistics

/// Paired differences of accuracy between two runs, overall and per culture, on the items both runs scored.
///
/// Pairs are matched on (item id, prompt variant); an item that failed or has no score in either run is left
/// out, so both accuracies are over the same items. The difference is `other − baseline`. Its 95% interval is a
/// paired percentile bootstrap: 2,000 resamples of the per-item differences, drawn whole by item (all variants of
/// an item stay together), from `SplitMix64` with a fixed seed, so the same inputs always give the same interval.
/// Groups with fewer than ``minimumItemsForInterval`` shared items get no interval: a bootstrap of one or two
/// items would give a falsely narrow one.
public struct PairedComparison: Sendable, Hashable {
    /// The seed of every bootstrap in a comparison.
    public static let seed: UInt64 = 0x00C0_FFEE
    /// Bootstrap resamples.
    public static let replicates = 2000
    /// Fewest shared items for which an interval is reported.
    public static let minimumItemsForInterval = 5

    /// One row: a group of shared items.
    public struct Row: Sendable, Hashable {
        /// Culture code, or `all`.
        public var key: String
        /// Display name.
        public var name: String
        /// Shared scored pairs.
        public var n: Int
        /// Distinct items among them.
        public var items: Int
        /// Baseline accuracy on the shared pairs.
        public var baselineAccuracy: Double
        /// Other run's accuracy on the shared pairs.
        public var otherAccuracy: Double
        /// other − baseline; `nil` without shared pairs.
        public var difference: Double?
        /// Its bootstrap interval; `nil` with fewer than ``PairedComparison/minimumItemsForInterval`` shared items.
        public var interval: ConfidenceInterval?
    }

    /// Overall row.
    public var overall: Row
    /// Per culture, sorted by difference (largest improvement first), then code.
    public var perCulture: [Row]

    /// Compares `other` with `baseline`.
    public init(baseline: [ReportSample], other: [ReportSample]) {
        self.init(baseline: baseline.map(\.digest), other: other.map(\.digest))
    }

    /// Compares `other` with `baseline` from their samples' digests (all a comparison reads of a sample).
    public init(baseline: [ReportSample.Digest], other: [ReportSample.Digest]) {
        struct Key: Hashable {
            var item: String
            var variant: String
        }
        var baselineScores: [Key: Double] = [:]
        for sample in baseline {
            if let score = sample.score, !sample.failed {
                baselineScores[Key(item: sample.itemID, variant: sample.variant)] = score
            }
        }
        var pairs: [(culture: String, item: String, a: Double, b: Double)] = []
        var seen = Set<Key>()
        for sample in other {
            let key = Key(item: sample.itemID, variant: sample.variant)
            guard let score = sample.score, !sample.failed, let base = baselineScores[key],
                seen.insert(key).inserted
            else {
                continue
            }
            pairs.append((sample.culture, sample.itemID, base, score))
        }
        func row(key: String, name: String, _ group: [(culture: String, item: String, a: Double, b: Double)]) -> Row {
            let n = group.count
            guard n > 0 else {
                return Row(
                    key: key,
                    name: name,
                    n: 0,
                    items: 0,
                    baselineAccuracy: 0,
                    otherAccuracy: 0,
                    difference: nil,
                    interval: nil
                )
            }
            let baselineAccuracy = group.reduce(0) { $0 + ($1.a >= 1 ? 1 : 0) } / Double(n)
            let otherAccuracy = group.reduce(0) { $0 + ($1.b >= 1 ? 1 : 0) } / Double(n)
            let differences = group.map { ($0.b >= 1 ? 1.0 : 0) - ($0.a >= 1 ? 1.0 : 0) }
            let items = Set(group.map(\.item)).count
            let interval =
                items < Self.minimumItemsForInterval
                ? nil
                : try? Bootstrap.clusterMean(
                    values: differences,
                    clusters: group.map(\.item),
                    replicates: Self.replicates,
                    seed: Self.seed
                ).interval
            return Row(
                key: key,
                name: name,
                n: n,
                items: items,
                baselineAccuracy: baselineAccuracy,
                otherAccuracy: otherAccuracy,
                difference: otherAccuracy - baselineAccuracy,
                interval: interval
            )
        }
        overall = row(key: "all", name: "All cultures", pairs)
        perCulture = Dictionary(grouping: pairs, by: \.culture).map { code, group in
            row(key: code, name: CultureCatalog.culture(for: code)?.name ?? code, group)
        }.sorted {
            let a = $0.difference ?? -.infinity
            let b = $1.difference ?? -.infinity
            return a != b ? a > b : $0.key < $1.key
        }
    }
}

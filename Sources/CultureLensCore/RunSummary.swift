/// Aggregate figures of a run: overall and per-group accuracy with n and 95% Wilson intervals, and failures
/// counted by kind.
public struct RunSummary: Sendable, Hashable, Codable {
    /// Accuracy of one group of items.
    public struct Group: Sendable, Hashable, Codable {
        /// Group key (culture code or topic).
        public var key: String
        /// Display name.
        public var name: String
        /// Macro-region for cultures; `nil` for other groupings.
        public var region: String?
        /// Items in the group, scored or not.
        public var items: Int
        /// Accuracy over scored items (n = scored items), Wilson 95% CI.
        public var accuracy: Proportion
        /// Items without a score.
        public var failed: Int

        enum CodingKeys: String, CodingKey {
            case key, name, region, items, accuracy, failed
        }
    }

    /// Items in the run.
    public var items: Int
    /// Items with a result.
    public var done: Int
    /// Items with a score.
    public var scored: Int
    /// Accuracy over scored items.
    public var accuracy: Proportion
    /// Mean probability on the gold option (logprob scoring), over scored items.
    public var meanGoldProbability: Double?
    /// Mean probability mass outside the option labels (logprob scoring).
    public var meanOutsideMass: Double?
    /// Failures by kind; every kind is present, zero included, so the table shape is stable.
    public var failures: [String: Int]
    /// Results answered from the cache.
    public var cacheHits: Int
    /// Per culture, sorted by code.
    public var perCulture: [Group]
    /// Per topic, sorted by name.
    public var perTopic: [Group]

    enum CodingKeys: String, CodingKey {
        case items, done, scored, accuracy, failures
        case meanGoldProbability = "mean_gold_probability"
        case meanOutsideMass = "mean_outside_mass"
        case cacheHits = "cache_hits"
        case perCulture = "per_culture"
        case perTopic = "per_topic"
    }

    /// Summarises `results` of a run over `itemCount` items.
    public init(results: [ItemResult], itemCount: Int) {
        items = itemCount
        done = results.count
        let scoredResults = results.filter { $0.score != nil }
        scored = scoredResults.count
        accuracy = Self.proportion(scoredResults)
        var counts = Dictionary(uniqueKeysWithValues: FailureKind.allCases.map { ($0.rawValue, 0) })
        for case let kind? in results.map(\.failure) { counts[kind.rawValue, default: 0] += 1 }
        failures = counts
        cacheHits = results.filter(\.cached).count
        let goldProbabilities = scoredResults.compactMap { result -> Double? in
            guard let distribution = result.distribution else { return nil }
            return result.gold.reduce(0) { $0 + (distribution.indices.contains($1) ? distribution[$1] : 0) }
        }
        meanGoldProbability = goldProbabilities.isEmpty ? nil : goldProbabilities.reduce(0, +) / Double(goldProbabilities.count)
        let outside = scoredResults.compactMap(\.outsideMass)
        meanOutsideMass = outside.isEmpty ? nil : outside.reduce(0, +) / Double(outside.count)
        perCulture = Dictionary(grouping: results, by: \.culture).map { code, group in
            let culture = CultureCatalog.culture(for: code)
            return Self.group(key: code, name: culture?.name ?? code, region: culture?.region.rawValue, group)
        }.sorted { $0.key < $1.key }
        perTopic = Dictionary(grouping: results, by: \.topic).map { topic, group in
            Self.group(key: topic, name: topic, region: nil, group)
        }.sorted { $0.key < $1.key }
    }

    private static func proportion(_ scored: [ItemResult]) -> Proportion {
        Proportion(successes: scored.filter { $0.score == 1 }.count, n: scored.count)
    }

    private static func group(key: String, name: String, region: String?, _ results: [ItemResult]) -> Group {
        let scored = results.filter { $0.score != nil }
        return Group(
            key: key,
            name: name,
            region: region,
            items: results.count,
            accuracy: proportion(scored),
            failed: results.filter { $0.failure != nil }.count
        )
    }
}

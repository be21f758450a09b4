import CultureLensStatistics

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

    /// Summarises `results` of a run over `itemCount` items.
    public init(results: [ItemResult], itemCount: Int) {
        var accumulator = Accumulator()
        for result in results { accumulator.add(result) }
        self = accumulator.summary(itemCount: itemCount)
    }

    init(
        items: Int,
        done: Int,
        scored: Int,
        accuracy: Proportion,
        meanGoldProbability: Double?,
        meanOutsideMass: Double?,
        failures: [String: Int],
        cacheHits: Int,
        perCulture: [Group],
        perTopic: [Group]
    ) {
        self.items = items
        self.done = done
        self.scored = scored
        self.accuracy = accuracy
        self.meanGoldProbability = meanGoldProbability
        self.meanOutsideMass = meanOutsideMass
        self.failures = failures
        self.cacheHits = cacheHits
        self.perCulture = perCulture
        self.perTopic = perTopic
    }
}

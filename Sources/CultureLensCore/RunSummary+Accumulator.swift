import CultureLensStatistics

extension RunSummary {
    /// Builds a ``RunSummary`` one result at a time from counts and sums only, so summarising a run never needs
    /// all its results in memory (a 100k-result export streams them from the store).
    ///
    /// Adding the same results in the same order gives exactly the summary of ``RunSummary/init(results:itemCount:)``,
    /// which is built with it; the means are summed in that order, so they are equal to the last bit.
    public struct Accumulator: Sendable {
        private struct Counts: Sendable {
            var items = 0
            var scored = 0
            var correct = 0
            var failed = 0

            mutating func add(_ result: ItemResult) {
                items += 1
                if result.score != nil { scored += 1 }
                if result.score == 1 { correct += 1 }
                if result.failure != nil { failed += 1 }
            }
        }

        private var overall = Counts()
        private var failures: [FailureKind: Int] = [:]
        private var cacheHits = 0
        private var goldSum = 0.0
        private var goldCount = 0
        private var outsideSum = 0.0
        private var outsideCount = 0
        private var perCulture: [String: Counts] = [:]
        private var perTopic: [String: Counts] = [:]

        /// An empty accumulator.
        public init() {}

        /// Counts `result`.
        public mutating func add(_ result: ItemResult) {
            overall.add(result)
            if let kind = result.failure { failures[kind, default: 0] += 1 }
            if result.cached { cacheHits += 1 }
            if result.score != nil {
                if let distribution = result.distribution {
                    goldSum += result.gold.reduce(0) {
                        $0 + (distribution.indices.contains($1) ? distribution[$1] : 0)
                    }
                    goldCount += 1
                }
                if let outside = result.outsideMass {
                    outsideSum += outside
                    outsideCount += 1
                }
            }
            perCulture[result.culture, default: Counts()].add(result)
            perTopic[result.topic, default: Counts()].add(result)
        }

        /// The summary of the results added so far, for a run over `itemCount` items.
        public func summary(itemCount: Int) -> RunSummary {
            var counts = Dictionary(uniqueKeysWithValues: FailureKind.allCases.map { ($0.rawValue, 0) })
            for (kind, count) in failures { counts[kind.rawValue, default: 0] += count }
            return RunSummary(
                items: itemCount,
                done: overall.items,
                scored: overall.scored,
                accuracy: Proportion(successes: overall.correct, n: overall.scored),
                meanGoldProbability: goldCount == 0 ? nil : goldSum / Double(goldCount),
                meanOutsideMass: outsideCount == 0 ? nil : outsideSum / Double(outsideCount),
                failures: counts,
                cacheHits: cacheHits,
                perCulture: perCulture.map { code, counts in
                    let culture = CultureCatalog.culture(for: code)
                    return Self.group(key: code, name: culture?.name ?? code, region: culture?.region.rawValue, counts)
                }.sorted { $0.key < $1.key },
                perTopic: perTopic.map { topic, counts in
                    Self.group(key: topic, name: topic, region: nil, counts)
                }.sorted { $0.key < $1.key }
            )
        }

        private static func group(key: String, name: String, region: String?, _ counts: Counts) -> Group {
            Group(
                key: key,
                name: name,
                region: region,
                items: counts.items,
                accuracy: Proportion(successes: counts.correct, n: counts.scored),
                failed: counts.failed
            )
        }
    }
}

import CultureLensCore

extension ScoringRuleName {
    /// Accuracy on two subsets and their gap (Global-MMLU culturally sensitive vs agnostic).
    public static let subsetGap = ScoringRuleName(rawValue: "subset-gap")
}

/// `subset-gap` (Global-MMLU): accuracy on the two subsets named by `scoring.subset` and their difference with
/// Newcombe's interval; across runs, the rank correlation of models between the two subsets.
struct SubsetGapRule: ScoringRule {
    var name: ScoringRuleName { .subsetGap }

    func validate(_ spec: DatasetSpec) throws(SpecError) {
        if spec.scoring.subset == nil {
            throw SpecError("scoring rule subset-gap needs scoring.subset", field: "scoring.subset")
        }
    }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        BenchmarkScorer.scoreAccuracy(input, into: &metrics)
        if let subset = input.scoring.subset { metrics.subsets = Self.subsetGap(input.answerPairs, subset: subset) }
    }

    /// The rank correlation of models between the two subsets, over the latest completed run of each model.
    func comparisons(_ context: ComparisonContext) async -> [CrossRunComparison] {
        guard let subset = context.spec.scoring.subset else { return [] }
        let run = context.run
        var latest: [String: RunRecord] = [:]
        for other in context.runs
        where other.suite == run.suite && other.status == .completed && latest[other.model] == nil {
            latest[other.model] = other
        }
        latest[run.model] = run
        let itemsByID = Dictionary(context.suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var models: [(model: String, run: String, first: Double, second: Double)] = []
        for (model, record) in latest.sorted(by: { $0.key < $1.key }) {
            guard let results = await context.results(record.id) else { continue }
            let gap = Self.subsetGap(
                results.compactMap { result in itemsByID[result.itemID].map { (item: $0, result: result) } },
                subset: subset
            )
            if gap.first.n > 0, gap.second.n > 0 {
                models.append((model, record.id, gap.first.value, gap.second.value))
            }
        }
        return BenchmarkScorer.rankCorrelation(
            name: "rank_correlation_\(subset.first)_\(subset.second)",
            models: models
        )
    }

    /// Accuracy on the two subsets of `subset` and their gap.
    static func subsetGap(_ pairs: [(item: Item, result: ItemResult)], subset: SubsetSpec) -> SubsetGapMetrics {
        func estimate(_ label: String) -> GroupEstimate {
            let members = pairs.filter { $0.item.metadata[subset.field]?.lowercased() == label.lowercased() }
            return GroupEstimate(
                key: label,
                name: subset.names?[label] ?? label,
                BenchmarkScorer.accuracy(members, metric: "accuracy")
            )
        }
        let first = estimate(subset.first)
        let second = estimate(subset.second)
        return SubsetGapMetrics(
            field: subset.field,
            first: first,
            second: second,
            gap: BenchmarkScorer.differenceOfProportions(first, second)
        )
    }
}

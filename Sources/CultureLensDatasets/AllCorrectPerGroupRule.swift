import CultureLensCore

extension ScoringRuleName {
    /// A group (question) counts as correct only if every item in it is (CulturalBench-Hard); item-level accuracy
    /// is reported too.
    public static let allCorrectPerGroup = ScoringRuleName(rawValue: "all-correct-per-group")
}

/// `all-correct-per-group` (CulturalBench-Hard): a question (the items sharing `fields.group`) counts as right only
/// when every one of its items is; question accuracy is the headline, option (item) accuracy is reported too.
struct AllCorrectPerGroupRule: ScoringRule {
    var name: ScoringRuleName { .allCorrectPerGroup }

    func validate(_ spec: DatasetSpec) throws(SpecError) {
        if spec.fields.group == nil {
            throw SpecError("scoring rule all-correct-per-group needs fields.group", field: "fields.group")
        }
    }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        BenchmarkScorer.scoreAccuracy(input, into: &metrics)
        let groups = Self.groupScoring(input.answerPairs, suite: input.suite)
        metrics.groups = groups
        metrics.headline = groups.questionAccuracy
    }

    static func groupScoring(_ pairs: [(item: Item, result: ItemResult)], suite: Suite) -> GroupScoringMetrics {
        var sizes: [String: Int] = [:]
        var cultureOfGroup: [String: String] = [:]
        for item in suite.items {
            guard let group = item.group else { continue }
            sizes[group, default: 0] += 1
            cultureOfGroup[group] = item.culture
        }
        var scores: [String: [Double]] = [:]
        for pair in pairs {
            guard let group = pair.item.group else { continue }
            if let score = pair.result.score { scores[group, default: []].append(score) }
        }
        var correct: [String: Bool] = [:]
        var incomplete = 0
        for (group, size) in sizes {
            let groupScores = scores[group] ?? []
            guard groupScores.count == size else {
                incomplete += 1
                continue
            }
            correct[group] = groupScores.allSatisfy { $0 == 1 }
        }
        let byCulture = Dictionary(grouping: correct.keys) { cultureOfGroup[$0] ?? "(none)" }
        return GroupScoringMetrics(
            questionAccuracy: .proportion(
                "question_accuracy",
                successes: correct.values.filter { $0 }.count,
                n: correct.count
            ),
            optionAccuracy: BenchmarkScorer.accuracy(pairs, metric: "option_accuracy"),
            incompleteQuestions: incomplete,
            questionAccuracyByCulture: byCulture.keys.sorted().map { culture in
                let groups = byCulture[culture] ?? []
                return GroupEstimate(
                    key: culture,
                    name: BenchmarkScorer.displayName(culture, by: "culture"),
                    .proportion(
                        "question_accuracy",
                        successes: groups.filter { correct[$0] == true }.count,
                        n: groups.count
                    )
                )
            }
        )
    }
}

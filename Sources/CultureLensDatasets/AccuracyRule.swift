extension ScoringRuleName {
    /// Accuracy per item (mcq, judgements).
    public static let accuracy = ScoringRuleName(rawValue: "accuracy")
}

/// `accuracy`: the share of items answered right, overall and by each `scoring.by` key, with Wilson intervals.
struct AccuracyRule: ScoringRule {
    var name: ScoringRuleName { .accuracy }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        BenchmarkScorer.scoreAccuracy(input, into: &metrics)
    }
}

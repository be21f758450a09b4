extension ScoringRuleName {
    /// Short answers matched against references after normalisation (BLEnD SAQ).
    public static let shortAnswerMatch = ScoringRuleName(rawValue: "short-answer-match")
}

/// `short-answer-match` (BLEnD SAQ): accuracy, where the item scorer has matched each short answer against the
/// references; the note says how the matching differs from the official lemmatisers.
struct ShortAnswerMatchRule: ScoringRule {
    var name: ScoringRuleName { .shortAnswerMatch }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        BenchmarkScorer.scoreAccuracy(input, into: &metrics)
        metrics.notes.append(
            "short answers are matched after NFKC, case folding, diacritic/punctuation removal and light "
                + "language-aware stemming, not the official lemmatisers; see docs/specs.md for the measured difference"
        )
    }
}

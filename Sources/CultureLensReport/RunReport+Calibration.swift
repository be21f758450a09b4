public import CultureLensCore
public import CultureLensStatistics

extension RunReport {
    /// The calibration of a run's graded answers that carry a distribution (``ItemResult/confidence``): the
    /// confidence of each and whether it is right. `nil` unless the run is scored by logprobs (a generated answer's
    /// one-hot distribution is not a confidence) or when there are no such answers.
    public static func calibration(confidences: [Double], correct: [Bool], scoring: ScoringMode) -> Calibration? {
        guard scoring == .logprobs else { return nil }
        return try? Calibration(confidences: confidences, correct: correct)
    }

    /// ``calibration(confidences:correct:scoring:)`` of `results` held in memory.
    public static func calibration(of results: [ItemResult], scoring: ScoringMode) -> Calibration? {
        let graded = results.compactMap { result in result.confidence.map { ($0, (result.score ?? 0) >= 1) } }
        return calibration(confidences: graded.map(\.0), correct: graded.map(\.1), scoring: scoring)
    }
}

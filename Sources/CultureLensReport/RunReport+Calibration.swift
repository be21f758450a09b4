public import CultureLensCore
public import CultureLensStatistics

extension RunReport {
    /// The calibration of `results`' graded answers that carry a distribution (``ItemResult/confidence``); `nil`
    /// when there are none. Callers ask only for logprob runs: a generated answer's one-hot distribution is not a
    /// confidence.
    public static func calibration(of results: [ItemResult]) -> Calibration? {
        let graded = results.compactMap { result in result.confidence.map { ($0, (result.score ?? 0) >= 1) } }
        return try? Calibration(confidences: graded.map(\.0), correct: graded.map(\.1))
    }
}

public import CultureLensCore

/// What `run` needs of a finished run's results, read from the store in one streamed pass: the summary, the
/// count of failures worth retrying, and, for suites with metrics, the results without their prompts.
///
/// The prompt is emptied because it is the largest field and no metric reads it. (At 100k items this read-back was
/// not the main memory cost: peak RSS went from 665 to 603 MB; the loaded suite is most of the rest.)
public struct StoredRunResults: Sendable {
    /// Summary of every result.
    public var summary: RunSummary
    /// Results that failed in transport (``EvaluationRunner/isTransient(_:)``), retried by the next invocation.
    public var unrecoverable: Int
    /// Every result, prompt emptied, in the store's order; empty unless asked for.
    public var forMetrics: [ItemResult]
    /// The confidence of each graded answer with a distribution (``ItemResult/confidence``), for calibration.
    public var confidences: [Double]
    /// Whether each of those answers is right.
    public var correct: [Bool]

    /// Reads `run`'s results from `store` a page at a time.
    public static func read(run: RunRecord, store: any ResultStore, keepForMetrics: Bool) async throws
        -> StoredRunResults
    {
        var accumulator = RunSummary.Accumulator()
        var unrecoverable = 0
        var kept: [ItemResult] = []
        var confidences: [Double] = []
        var correct: [Bool] = []
        try await store.forEachResult(runID: run.id) { result in
            accumulator.add(result)
            if let confidence = result.confidence {
                confidences.append(confidence)
                correct.append((result.score ?? 0) >= 1)
            }
            if EvaluationRunner.isTransient(result.failure) { unrecoverable += 1 }
            if keepForMetrics {
                var light = result
                light.prompt = ""
                kept.append(light)
            }
        }
        return StoredRunResults(
            summary: accumulator.summary(itemCount: run.itemCount),
            unrecoverable: unrecoverable,
            forMetrics: kept,
            confidences: confidences,
            correct: correct
        )
    }
}

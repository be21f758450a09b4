public import CultureLensAnalysis
import CultureLensDatasets

extension ReportRun {
    /// What a paired comparison reads of every sample of the run (all of them, also when only the first samples
    /// were loaded in full).
    public var comparisonSamples: [RunComparison.Sample] {
        sampleDigests.map {
            RunComparison.Sample(
                itemID: $0.itemID,
                variant: $0.variant,
                culture: $0.culture,
                distribution: $0.distribution,
                score: $0.score,
                failed: $0.failed
            )
        }
    }

    /// `other` compared with this run as the baseline: the ``RunComparison`` `culturelens compare` prints, with
    /// the same seed and resamples, survey items valued over the built-in suite of each run when there is one.
    public func comparison(with other: ReportRun) -> RunComparison {
        RunComparison(
            a: comparisonSamples,
            b: other.comparisonSamples,
            suiteA: SuiteCatalog.suite(named: metadata.suite),
            suiteB: SuiteCatalog.suite(named: other.metadata.suite),
            runA: metadata.id,
            runB: other.metadata.id
        )
    }
}

public import CultureLensCore
public import CultureLensDatasets

/// A suite named by the user (a `run`/`score` argument), loaded: the built-in starter suite, or a dataset spec's items.
public struct ResolvedSuite: Sendable {
    /// The suite to evaluate.
    public var suite: Suite
    /// The spec's loaded data, for spec suites.
    public var loaded: LoadedSuite?

    /// What loading the spec's data left out or guessed, for `results.json` (none for catalogue suites).
    public var diagnostics: [Diagnostic] { loaded?.diagnostics ?? [] }

    /// Wraps a suite and, for spec suites, its loaded data.
    public init(suite: Suite, loaded: LoadedSuite?) {
        self.suite = suite
        self.loaded = loaded
    }

    /// The first `limit` items; spec suites never split a group of items scored together.
    public func prefix(_ limit: Int?) -> ResolvedSuite {
        guard let loaded else { return ResolvedSuite(suite: suite.prefix(limit), loaded: nil) }
        let cut = loaded.prefix(limit)
        return ResolvedSuite(suite: cut.suite, loaded: cut)
    }

    /// The suite-specific metrics of `results`, with cross-run comparisons from `store` when it has the runs they
    /// need (the paired suite for the same model; other models' runs of this suite).
    public func metrics(results: [ItemResult], run: RunRecord?, store: (any ResultStore)?, data: String?) async
        -> BenchmarkMetrics?
    {
        guard let loaded else { return nil }
        var metrics = BenchmarkScorer.metrics(spec: loaded.spec, suite: suite, results: results, report: loaded.report)
        guard let run, let store else { return metrics }
        metrics.comparisons = await SuiteResolver.comparisons(
            loaded: loaded,
            suite: suite,
            metrics: metrics,
            run: run,
            store: store,
            data: data
        )
        return metrics
    }
}

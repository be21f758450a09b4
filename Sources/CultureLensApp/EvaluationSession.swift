public import CultureLensAnalysis
public import CultureLensCore
public import CultureLensDatasets
public import CultureLensReport
import Foundation

/// The `run` use case over an open model session and store: evaluates a suite (resuming from the store), then reads
/// the results back a page at a time, computes the suite's metrics and writes `results.json` / `samples.jsonl`.
///
/// The session owns no resources: ``withModelSession(_:concurrency:runDirectory:_:)`` and ``withStore(at:_:)``
/// open and release them around it. It prints nothing; the CLI and the server present what it returns.
public struct EvaluationSession: Sendable {
    /// The open model.
    public let model: ModelSession
    /// The open store.
    public let store: any ResultStore
    /// The runner's settings (API, scoring, concurrency, logprobs, temperature).
    public let configuration: EvaluationRunner.Configuration

    /// Wraps an open model and store.
    public init(model: ModelSession, store: any ResultStore, configuration: EvaluationRunner.Configuration) {
        self.model = model
        self.store = store
        self.configuration = configuration
    }

    /// The runner over the session's model and store (batch mode swaps its model before ``execute(_:runner:variants:stop:progress:)``).
    public var runner: EvaluationRunner {
        EvaluationRunner(model: model.model, store: store, configuration: configuration)
    }

    /// Evaluates `resolved` with `runner`; items finished by an earlier invocation come from the store.
    public func execute(
        _ resolved: ResolvedSuite,
        runner: EvaluationRunner,
        variants: [PromptVariant],
        stop: StopSignal,
        progress: @escaping @Sendable (RunProgress) -> Void
    ) async throws -> RunRecord {
        try await runner.execute(
            resolved.suite,
            variants: variants,
            toolVersion: CultureLensVersion.current,
            stop: stop,
            progress: progress
        )
    }

    /// What a finished (or interrupted) run amounts to: its report, metrics, and the failures worth retrying.
    public struct Outcome: Sendable {
        /// The run as stored.
        public var run: RunRecord
        /// The run's summary and settings (no per-item results are held).
        public var report: RunReport
        /// The suite's metrics, for spec suites.
        public var metrics: BenchmarkMetrics?
        /// Items that failed in transport after every retry; the next invocation retries them.
        public var unrecoverable: Int
    }

    /// Reads `run`'s results back, computes the metrics (with cross-run comparisons from the store) and the value
    /// analyses (the cultural map, preferences), and writes `results.json` and `samples.jsonl` into `output` when
    /// given.
    /// - Parameters:
    ///   - settings: The run's settings as recorded in `results.json`.
    ///   - data: `--data`, for loading a paired suite's spec in cross-run comparisons.
    ///   - card: The run's robustness card (``card(for:of:runner:settings:stop:progress:)``): the checks against
    ///     the whole run are added, and it is stored as the run's `card` attachment and written as `card`.
    public func finish(
        _ run: RunRecord,
        resolved: ResolvedSuite,
        settings: [String: String],
        data: String?,
        output: URL?,
        card: RunCard? = nil,
        spend: RequestBudget.Spend? = nil
    ) async throws -> Outcome {
        // Streamed from the store, never all held with their prompts: one pass for the summary and the metrics, a
        // second (only with an output directory) that writes each sample as it reads it.
        let stored = try await StoredRunResults.read(
            run: run,
            store: store,
            keepForMetrics: resolved.loaded != nil || RunReport.analysesValues(resolved.suite)
        )
        var report = RunReport(run: run, summary: stored.summary, settings: settings, diagnostics: resolved.diagnostics)
        report.analyseValues(suite: resolved.suite, results: stored.forMetrics)
        report.calibration = RunReport.calibration(
            confidences: stored.confidences,
            correct: stored.correct,
            scoring: run.scoring
        )
        if var card {
            card.attach(stored.summary)
            report.card = card
            if let administration = store as? any RunAdministration {
                _ = try await administration.setRunAttachment(
                    id: run.id,
                    name: RunCard.attachmentName,
                    data: try ResultsDocument.encoder(pretty: false).encode(card)
                )
                // The run finished before its card: a new finish time tells a reader that cached the run without
                // the card (the dashboard) to read it again.
                var touched = report.run
                touched.finishedAt = Date()
                try await store.updateRun(touched)
                report.run = touched
            }
        }
        if let spend { report.spend = try await accumulate(spend, run: run) }
        let metrics = await resolved.metrics(results: stored.forMetrics, run: run, store: store, data: data)
        if let output {
            _ = try await RunReport.write(report, suite: resolved.suite, store: store, metrics: metrics, to: output)
        }
        return Outcome(run: report.run, report: report, metrics: metrics, unrecoverable: stored.unrecoverable)
    }

    /// The store attachment holding a run's spend over all its invocations.
    public static let spendAttachment = "spend"

    /// Adds this invocation's `spend` to what earlier invocations of `run` recorded, stores the sum and returns it.
    /// A store without attachments, or an attachment another version wrote that no longer decodes, gives this
    /// invocation's spend alone.
    private func accumulate(_ spend: RequestBudget.Spend, run: RunRecord) async throws -> RequestBudget.Spend {
        guard let administration = store as? any RunAdministration else { return spend }
        let earlier = try await administration.runAttachment(id: run.id, name: Self.spendAttachment).flatMap {
            try? JSONDecoder().decode(RequestBudget.Spend.self, from: $0)
        }
        let total = earlier?.adding(spend) ?? spend
        _ = try await administration.setRunAttachment(
            id: run.id,
            name: Self.spendAttachment,
            data: try JSONEncoder().encode(total)
        )
        return total
    }
}

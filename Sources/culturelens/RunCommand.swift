import ArgumentParser
import CultureLensAnalysis
import CultureLensApp
import CultureLensCore
import CultureLensModels
import CultureLensReport
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate a suite on a model; re-running the same command resumes from the store.",
        discussion: """
            Exit codes: 0 ok; 1 the run had unrecoverable errors (requests that failed after every retry, an \
            unreachable endpoint, a missing local model); 2 usage error; 3 a budget (--max-requests, --max-tokens, \
            --max-cost) was spent (results so far are saved; run again with a higher cap to continue); 130 \
            interrupted (results so far are saved).
            """
    )

    @Argument(
        help:
            "Suite name (see `culturelens suites`), NAME:PROMPT for one prompt of a spec, or a dataset spec file (.yaml)."
    )
    var suite: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var steering: SteerOptions

    @Option(name: .long, help: "Evaluate only the first N items.")
    var limit: Int?

    @Option(name: .long, help: "Requests in flight at once.")
    var concurrency: Int = 16

    @Option(name: .long, help: "Write results.json and samples.jsonl into this directory.")
    var output: String?

    @Flag(name: .long, help: "Print the results JSON on stdout instead of a table.")
    var json = false

    @Flag(name: .long, help: "Only record the run's work in the PostgreSQL store, for `culturelens worker` processes.")
    var enqueue = false

    @OptionGroup var batchOptions: BatchOptions
    @OptionGroup var cardOptions: CardOptions

    @OptionGroup var budgetOptions: BudgetOptions

    func validate() throws {
        try dataOptions.validate(suite: suite)
        _ = try steering.countries(suite: suite)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1024") }
        if enqueue { try validateEnqueue() }
        if batchOptions.batch { try validateBatch() }
        _ = try budgetOptions.budget(model: modelOptions.model, isLocal: modelOptions.isLocal)
    }

    func run() async throws {
        let resolved = try steering.apply(to: try await dataOptions.resolve(suite), suite: suite, limit: limit)
        let selected = resolved.suite
        // A suite of short answers only (inglehart-welzel) is generated whatever the model could do: say so in the
        // run's settings and header rather than "logprobs".
        var modelOptions = modelOptions
        if modelOptions.scoring == nil, !selected.items.isEmpty, selected.items.allSatisfy({ $0.kind == .shortAnswer })
        {
            modelOptions.scoring = .generate
        }
        try await storeOptions.withOpenedStore { opened in
            try await modelOptions.withSession(
                concurrency: concurrency,
                runDirectory: { model, api, scoring in
                    let runID = RunRecord.makeID(
                        suite: selected.name,
                        specHash: selected.specHash,
                        model: model,
                        api: api,
                        scoring: scoring,
                        itemCount: selected.items.count
                    )
                    return output ?? StoreOptions.home + "/runs/" + runID
                }
            ) { session in
                if enqueue { return try await enqueueRun(selected, session: session, opened: opened) }
                try sampling.check(scoring: session.scoring)
                try await evaluate(resolved, session: session, store: opened.store)
            }
        }
    }

    /// Evaluates the suite with an open model and store, then prints and writes the results.
    private func evaluate(_ resolved: ResolvedSuite, session: ModelSession, store: any ResultStore) async throws {
        let stop = StopSignal()
        let trap = SignalTrap {
            stop.stop()
        } onSecond: {
            session.emergencyStop()
            Foundation.exit(130)
        }
        defer { trap.cancel() }
        let evaluation = EvaluationSession(
            model: session,
            store: store,
            configuration: .init(
                api: session.api,
                scoring: session.scoring,
                concurrency: concurrency,
                topLogprobs: modelOptions.topLogprobs,
                temperature: sampling.requestTemperature
            )
        )
        var runner = evaluation.runner
        let budget = try budgetOptions.budget(model: modelOptions.model, isLocal: session.isManagedLocal)
        runner.budget = budget
        // The pre-flight estimate, before any request: what the run will send, and what it will cost at most.
        let estimate = try await runner.estimate(resolved.suite, variants: sampling.variants)
        let plan = budgetOptions.planLines(
            estimate,
            items: resolved.suite.items.count,
            variants: sampling.variants.count,
            price: budget.price,
            extra: cardPlanLines(resolved.suite, managedLocal: session.isManagedLocal)
        )
        if try budgetOptions.present(
            plan,
            estimate: estimate,
            price: budget.price,
            json: json,
            extra: ["card_requests_at_most": cardRequests(resolved.suite)]
        ) {
            return
        }
        if batchOptions.batch {
            runner.model = try await batchModel(
                for: runner,
                suite: resolved.suite,
                variants: sampling.variants,
                stop: stop
            )
        }
        let renderer = ProgressRenderer()
        let finished: RunRecord
        do {
            finished = try await evaluation.execute(
                resolved,
                runner: runner,
                variants: sampling.variants,
                stop: stop
            ) {
                renderer.update($0)
            }
        } catch {
            renderer.finish()
            printError("error: the run failed: \(error)")
            throw ExitCode(1)
        }
        renderer.finish()
        if batchOptions.batch { finishBatch(run: finished, model: runner.model) }
        let card = try await robustnessCard(
            resolved,
            run: finished,
            evaluation: evaluation,
            runner: runner,
            stop: stop
        )
        for line in session.endpointSummary { printError(line) }
        var spend = budget.spend
        spend.hedges = session.hedges

        let outcome = try await evaluation.finish(
            finished,
            resolved: resolved,
            settings: [
                "concurrency": String(concurrency),
                "limit": limit.map(String.init) ?? "all",
                "top_logprobs": String(modelOptions.topLogprobs),
                "samples": String(sampling.samples),
            ],
            data: dataOptions.data,
            output: output.map { URL(fileURLWithPath: $0) },
            card: card,
            spend: spend
        )
        let report = outcome.report
        if json {
            FileHandle.standardOutput.write(try report.resultsJSON(metrics: outcome.metrics))
        } else {
            print(report.table(), terminator: "")
            if let metrics = outcome.metrics { print(report.metricsTable(metrics), terminator: "") }
            print(report.valueTables(), terminator: "")
            if let output { print("results: \(output)/results.json · samples: \(output)/samples.jsonl") }
        }
        try budgetOptions.checkSpent(
            runner.budget,
            saved: "\(report.summary.done)/\(report.summary.items) items saved",
            unfinished: finished.status == .interrupted ? nil : "the robustness card unfinished"
        )
        if finished.status == .interrupted {
            printError(
                "interrupted: \(report.summary.done)/\(report.summary.items) items saved; run the same command again to resume"
            )
            throw ExitCode(130)
        }
        if stop.isStopped, card == nil, !cardOptions.noCard {
            printError("interrupted during the robustness card: run the same command again to finish it")
            throw ExitCode(130)
        }
        let unrecoverable = outcome.unrecoverable
        if unrecoverable > 0 {
            printError("\(unrecoverable) item(s) failed after every retry; run the same command again to retry them")
            throw ExitCode(1)
        }
    }

    /// The run's robustness card, unless `--no-card`, or the run was interrupted, sampled (`--samples`) or sent as a
    /// batch (then a note says how to get one). A card that fails is reported and left out; the run stands.
    private func robustnessCard(
        _ resolved: ResolvedSuite,
        run: RunRecord,
        evaluation: EvaluationSession,
        runner: EvaluationRunner,
        stop: StopSignal
    ) async throws -> RunCard? {
        guard let settings = cardOptions.settings(managedLocal: evaluation.model.isManagedLocal),
            run.status != .interrupted, !stop.isStopped
        else { return nil }
        if batchOptions.batch || sampling.samples > 1 {
            printError(
                "note: no robustness card for \(batchOptions.batch ? "a batch run" : "a sampled run (--samples)"); `culturelens robustness \(run.suite) --perturb order` gives one"
            )
            return nil
        }
        printError("robustness card: asking a sample again under every option rotation (--no-card skips it)")
        let renderer = ProgressRenderer()
        defer { renderer.finish() }
        do {
            return try await evaluation.card(
                for: resolved.suite,
                of: run,
                runner: runner,
                settings: settings,
                stop: stop
            ) {
                renderer.update($0)
            }
        } catch is CancellationError {
            return nil
        } catch {
            printError("warning: the robustness card failed and is left out: \(error)")
            return nil
        }
    }

    /// New requests the card would send at most for `suite` (0 without a card).
    private func cardRequests(_ suite: Suite) -> Int {
        guard let settings = cardOptions.settings(managedLocal: false), !batchOptions.batch, sampling.samples == 1
        else { return 0 }
        return (try? settings.plan.select(from: suite).requests) ?? 0
    }

    /// The plan's line for the card: what it adds at most, and the determinism re-sends.
    private func cardPlanLines(_ suite: Suite, managedLocal: Bool) -> [String] {
        let card = cardRequests(suite)
        guard card > 0 else { return [] }
        let determinism = cardOptions.settings(managedLocal: managedLocal)?.determinismSample ?? 0
        return [
            "plan: the robustness card adds at most \(card) requests (--card-budget \(cardOptions.cardBudget), "
                + "--no-card skips it)"
                + (determinism > 0 ? " and the determinism check re-sends \(determinism)" : "")
        ]
    }
}

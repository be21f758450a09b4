import ArgumentParser
import CultureLensAnalysis
import CultureLensApp
import CultureLensCore
import CultureLensModels
import CultureLensReport
import CultureLensStatistics
import Foundation

/// `culturelens robustness <suite> --perturb ...`: evaluates a suite under a grid of presentation variants (and
/// optional persona steering) and prints its robustness card.
struct RobustnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robustness",
        abstract: "Evaluate a suite under perturbed prompts and print its robustness card.",
        discussion: """
            Every variant is its own cached request, so the default variant is answered from the cache after a \
            plain `run`, and re-running resumes. The card (flip rate, Fleiss' κ, JSD, format spread, A-bias, PriDe, \
            variance decomposition, survey effects in mean-position units, steerability, extrapolability) gives \
            every figure with n and a seeded 95% cluster-bootstrap CI; see docs/robustness.md. Exit codes as `run` \
            (3: a --max-requests, --max-tokens or --max-cost budget was spent).
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

    @Option(
        name: .long,
        help: "Factors to perturb: order,labels,format,template,scale,language,reasoning (or all)."
    )
    var perturb: String = "order,labels"

    @Option(
        name: .long,
        help: "one-factor (default: each factor around the plain prompt, linear cost) or full (cross product)."
    )
    var grid: PerturbationGrid.Design = .oneFactor

    @Option(name: .long, help: "Evaluate only the first N items.")
    var limit: Int?

    @Option(name: .long, help: "Samples per prompt at --temperature (generate scoring only).")
    var samples: Int = 1

    @Option(name: .long, help: "Sampling temperature when --samples > 1.")
    var temperature: Double = 1.0

    @Option(name: .long, help: "Seed of the bootstrap, the PriDe calibration draw, the splits and the permutations.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Persona steering for survey suites: `countries=US,JP,NG` or `all`.")
    var steer: String?

    @Option(name: .long, help: "Share of the fully rotated items used to estimate PriDe's position prior.")
    var calibrationShare: Double = 0.2

    @Option(name: .long, help: "Bootstrap replicates per confidence interval.")
    var bootstrap: Int = 2000

    @Option(name: .long, help: "Random question splits for extrapolability.")
    var splits: Int = 30

    @Option(name: .long, help: "Permutations per ARI p-value.")
    var permutations: Int = 1000

    @Option(name: .long, help: "Requests in flight at once.")
    var concurrency: Int = 16

    @Option(name: .long, help: "Write results.json (with a `robustness` key) and samples.jsonl into this directory.")
    var output: String?

    @Flag(name: .long, help: "Print the results JSON on stdout instead of a table.")
    var json = false

    @OptionGroup var budgetOptions: BudgetOptions

    func validate() throws {
        try dataOptions.validate(suite: suite)
        do {
            _ = try PerturbationGrid.parse(perturb)
            if let steer { _ = try SteeringTargets.parse(steer) }
        } catch {
            throw ValidationError(error.message)
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (1...1000).contains(samples) else { throw ValidationError("--samples must be 1...1000") }
        if samples > 1 {
            guard temperature > 0 else { throw ValidationError("--samples > 1 needs --temperature > 0") }
            if modelOptions.scoring == .logprobs {
                throw ValidationError(
                    "--samples > 1 needs --scoring generate: logprob scoring already reads the whole distribution"
                )
            }
        }
        guard calibrationShare > 0, calibrationShare < 1 else {
            throw ValidationError("--calibration-share must be in (0, 1)")
        }
        guard (100...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be 100...100000") }
        guard (1...10_000).contains(splits) else { throw ValidationError("--splits must be 1...10000") }
        guard (1...1_000_000).contains(permutations) else {
            throw ValidationError("--permutations must be 1...1000000")
        }
        guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1024") }
        _ = try budgetOptions.budget(model: modelOptions.model, isLocal: modelOptions.isLocal)
    }

    func run() async throws {
        let selected = try await dataOptions.resolve(suite, limit: limit).suite
        let gridSpec = try PerturbationGrid.parse(perturb, design: grid)
        let inapplicable = gridSpec.inapplicableFactors(for: selected)
        if !inapplicable.isEmpty {
            printError(
                "note: \(inapplicable.map(\.rawValue).joined(separator: ", ")) left out: '\(suite)' shows its options inside the question text, so reordering or relabelling them would not change the prompt"
            )
        }
        var steering: SteeringPlan?
        if let steer {
            guard selected.items.contains(where: { $0.kind == .survey && $0.humanDistributions != nil }) else {
                printError("--steer needs a survey suite with human answers; '\(suite)' has none")
                throw ExitCode(2)
            }
            steering = SteeringPlan(countries: try SteeringTargets.parse(steer).codes(for: selected))
        }
        let analysis = RobustnessAnalysis(
            suite: selected,
            grid: gridSpec,
            steering: steering,
            samples: samples,
            configuration: .init(
                seed: seed,
                bootstrapReplicates: bootstrap,
                calibrationShare: calibrationShare,
                splits: splits,
                permutations: permutations
            )
        )

        try await storeOptions.withOpenedStore { opened in
            try await evaluate(selected, analysis: analysis, grid: gridSpec, steering: steering, store: opened.store)
        }
    }

    /// Runs the grid on `store`, prints and writes the card.
    private func evaluate(
        _ selected: Suite,
        analysis: RobustnessAnalysis,
        grid gridSpec: PerturbationGrid,
        steering: SteeringPlan?,
        store: any ResultStore
    ) async throws {
        let variants = analysis.requestedVariants
        try await modelOptions.withSession(
            concurrency: concurrency,
            runDirectory: { model, api, scoring in
                let runID = RunRecord.makeID(
                    suite: selected.name,
                    specHash: selected.specHash,
                    model: model,
                    api: api,
                    scoring: scoring,
                    itemCount: selected.items.count,
                    variants: variants.map(\.id)
                )
                return output ?? StoreOptions.home + "/runs/" + runID
            }
        ) { session in
            if samples > 1, session.scoring != .generate {
                printError(
                    "--samples > 1 needs generate scoring; this backend was chosen for logprobs (add --scoring generate)"
                )
                throw ExitCode(2)
            }
            try await evaluate(
                selected,
                analysis: analysis,
                grid: gridSpec,
                steering: steering,
                variants: variants,
                session: session,
                store: store
            )
        }
    }

    /// Runs the grid with an open model, prints and writes the card.
    private func evaluate(
        _ selected: Suite,
        analysis: RobustnessAnalysis,
        grid gridSpec: PerturbationGrid,
        steering: SteeringPlan?,
        variants: [PromptVariant],
        session: ModelSession,
        store: any ResultStore
    ) async throws {
        let stop = StopSignal()
        let trap = SignalTrap {
            stop.stop()
        } onSecond: {
            session.emergencyStop()
            Foundation.exit(130)
        }
        let renderer = ProgressRenderer()
        var runner = EvaluationRunner(
            model: CoalescingLanguageModel(session.model),
            store: store,
            configuration: .init(
                api: session.api,
                scoring: session.scoring,
                concurrency: concurrency,
                topLogprobs: modelOptions.topLogprobs,
                temperature: samples > 1 ? temperature : 0
            )
        )
        let budget = try budgetOptions.budget(model: modelOptions.model, isLocal: session.isManagedLocal)
        runner.budget = budget
        // The grid multiplies requests: its plan comes before any of them.
        let estimate = try await runner.estimate(selected, variants: variants)
        let plan = budgetOptions.planLines(
            estimate,
            items: selected.items.count,
            variants: variants.count,
            price: budget.price
        )
        if try budgetOptions.present(plan, estimate: estimate, price: budget.price, json: json) {
            trap.cancel()
            return
        }
        let outcome: (run: RunRecord, results: [ItemResult])
        do {
            outcome = try await runner.run(
                selected,
                variants: variants,
                toolVersion: CultureLensVersion.current,
                stop: stop
            ) {
                renderer.update($0)
            }
        } catch {
            renderer.finish()
            trap.cancel()
            printError("error: the run failed: \(error)")
            throw ExitCode(1)
        }
        renderer.finish()
        trap.cancel()

        let card = analysis.card(results: outcome.results)
        var report = RunReport(
            run: outcome.run,
            suite: selected,
            results: outcome.results,
            settings: [
                "command": "robustness",
                "perturb": gridSpec.factors.map(\.rawValue).joined(separator: ","),
                "grid": grid.rawValue,
                "variants": String(analysis.variants.count),
                "samples": String(samples),
                "temperature": samples > 1 ? String(temperature) : "0",
                "seed": String(seed),
                "steer": steering.map { $0.countries.joined(separator: ",") } ?? "none",
                "concurrency": String(concurrency),
                "limit": limit.map(String.init) ?? "all",
                "top_logprobs": String(modelOptions.topLogprobs),
            ]
        )
        report.spend = budget.spend
        report.spend?.hedges = session.hedges
        let inapplicable = gridSpec.inapplicableFactors(for: selected)
        if !inapplicable.isEmpty {
            report.settings["not_applicable"] = inapplicable.map(\.rawValue).joined(separator: ",")
        }
        // The usual summary is the plain prompt's (first sample), so it reads like `run`; the card covers the rest.
        let plainID = PromptVariant.default.id
        report.summary = RunSummary(
            results: outcome.results.filter { $0.variant == plainID },
            itemCount: selected.items.count
        )
        let document = RobustnessReport(report: report, card: card)
        if let output {
            try document.write(to: URL(fileURLWithPath: output))
        }
        if json {
            FileHandle.standardOutput.write(try document.resultsJSON())
        } else {
            print(document.table(), terminator: "")
            if let output { print("results: \(output)/results.json · samples: \(output)/samples.jsonl") }
        }
        try budgetOptions.checkSpent(
            runner.budget,
            saved: "\(outcome.results.count)/\(selected.items.count * variants.count) results saved"
        )
        if outcome.run.status == .interrupted {
            printError(
                "interrupted: \(outcome.results.count)/\(selected.items.count * variants.count) results saved; run the same command again to resume"
            )
            throw ExitCode(130)
        }
        let unrecoverable = outcome.results.filter { EvaluationRunner.isTransient($0.failure) }.count
        if unrecoverable > 0 {
            printError("\(unrecoverable) request(s) failed after every retry; run the same command again to retry them")
            throw ExitCode(1)
        }
    }
}

extension PerturbationGrid.Design: ExpressibleByArgument {}

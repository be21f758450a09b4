import ArgumentParser
import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensModels
import Foundation

extension BadRowPolicy: ExpressibleByArgument {}

/// Where a spec suite's data comes from, and what to do with malformed rows (`run`, `score`).
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Local data: a directory laid out like the dataset's repo, or a single file (default: the Hugging Face Hub cache)."
    )
    var data: String?

    @Option(
        name: .long,
        help: "Malformed data rows: fail (stop with an error naming file, line and field) or skip (count them)."
    )
    var onBadRow: BadRowPolicy = .fail

    /// Loads the suite named by `argument`, keeping the first `limit` items (whole groups only).
    func resolve(_ argument: String, limit: Int? = nil) async throws -> ResolvedSuite {
        do {
            return try await SuiteResolver.load(argument, data: data, onBadRow: onBadRow).prefix(limit)
        } catch let error as LoadError {
            printError("error: malformed data: \(error)")
            if onBadRow == .fail { printError("(use --on-bad-row skip to leave malformed rows out and count them)") }
            throw ExitCode(1)
        } catch let error as DatasetError {
            printError("error: \(error.message)")
            throw ExitCode(1)
        } catch let error as SpecError {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}

/// A suite named on the command line, loaded: the built-in starter suite, or a dataset spec's items.
struct ResolvedSuite {
    /// The suite to evaluate.
    var suite: Suite
    /// The spec's loaded data, for spec suites.
    var loaded: LoadedSuite?

    /// What loading the spec's data left out or guessed, for `results.json` (none for catalogue suites).
    var diagnostics: [Diagnostic] { loaded?.diagnostics ?? [] }

    /// The first `limit` items; spec suites never split a group of items scored together.
    func prefix(_ limit: Int?) -> ResolvedSuite {
        guard let loaded else { return ResolvedSuite(suite: suite.prefix(limit), loaded: nil) }
        let cut = loaded.prefix(limit)
        return ResolvedSuite(suite: cut.suite, loaded: cut)
    }

    /// The suite-specific metrics of `results`, with cross-run comparisons from `store` when it has the runs they
    /// need (the paired suite for the same model; other models' runs of this suite).
    func metrics(results: [ItemResult], run: RunRecord?, store: (any ResultStore)?, data: String?) async
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

enum SuiteResolver {
    /// Every suite name `run` accepts besides spec files.
    static var names: [String] { SuiteCatalog.names + BuiltinSpecs.ids.filter { !SuiteCatalog.names.contains($0) } }

    /// The parts of a suite argument.
    enum Reference {
        /// A suite of ``SuiteCatalog`` (starter).
        case catalog(String)
        /// A spec (built in or from a file) and an optional prompt id.
        case spec(DatasetSpec, prompt: String?)
    }

    /// Whether an argument names a spec file rather than a suite.
    static func looksLikeSpecFile(_ argument: String) -> Bool {
        let base = argument.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? argument
        return argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || base.hasSuffix(".yaml")
            || base.hasSuffix(".yml") || argument.contains("/")
    }

    /// Parses and checks a suite argument: `starter`, `normad`, `normad:rot`, `my-spec.yaml`, `my-spec.yaml:p1`.
    /// - Throws: `ValidationError` (exit 2) for an unknown suite, an unreadable or invalid spec, or a spec that
    ///   needs `--data`.
    static func reference(_ argument: String, data: String?) throws -> Reference {
        if SuiteCatalog.suite(named: argument) != nil { return .catalog(argument) }
        if looksLikeSpecFile(argument) {
            var path = argument
            var prompt: String?
            if !FileManager.default.fileExists(atPath: argument), let colon = argument.lastIndex(of: ":") {
                path = String(argument[..<colon])
                prompt = String(argument[argument.index(after: colon)...])
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("spec file '\(path)' does not exist")
            }
            let spec: DatasetSpec
            do {
                spec = try DatasetSpec.load(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("invalid spec: \(error.message)")
            }
            try check(spec, prompt: prompt, data: data)
            return .spec(spec, prompt: prompt)
        }
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        if let name = parts.first, let spec = BuiltinSpecs.spec(named: name) {
            let prompt = parts.count > 1 ? parts[1] : nil
            try check(spec, prompt: prompt, data: data)
            return .spec(spec, prompt: prompt)
        }
        throw ValidationError(
            "unknown suite '\(argument)'. Choices: \(names.joined(separator: ", ")), or a dataset spec file (.yaml)"
        )
    }

    private static func check(_ spec: DatasetSpec, prompt: String?, data: String?) throws {
        if let prompt, !spec.prompts.contains(where: { $0.id == prompt }) {
            let known = spec.prompts.map(\.id)
            throw ValidationError(
                "suite \(spec.id) has no prompt '\(prompt)'"
                    + (known.isEmpty ? "" : ". Its prompts: \(known.joined(separator: ", "))")
            )
        }
        if data == nil, spec.source?.repo == nil {
            throw ValidationError("suite \(spec.id) has no public source: pass your data with --data PATH")
        }
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw ValidationError("--data \(data) does not exist")
        }
    }

    /// Validates `argument` for `run`/`score`.
    static func validate(_ argument: String, data: String?) throws {
        _ = try reference(argument, data: data)
    }

    /// Loads the suite `argument` names. Spec data comes from `--data` when given, else from the Hub cache
    /// (downloading it unless `HF_HUB_OFFLINE` is set).
    static func load(_ argument: String, data: String?, onBadRow: BadRowPolicy) async throws -> ResolvedSuite {
        let reference: Reference
        do {
            reference = try self.reference(argument, data: data)
        } catch let error as ValidationError {
            throw SpecError(error.message)
        }
        switch reference {
        case .catalog(let name):
            guard let suite = SuiteCatalog.suite(named: name) else { throw SpecError("unknown suite '\(name)'") }
            return ResolvedSuite(suite: suite, loaded: nil)
        case .spec(let spec, let prompt):
            let loaded = try await loadSpec(spec, prompt: prompt, data: data, onBadRow: onBadRow)
            return ResolvedSuite(suite: loaded.suite, loaded: loaded)
        }
    }

    static func loadSpec(_ spec: DatasetSpec, prompt: String?, data: String?, onBadRow: BadRowPolicy) async throws
        -> LoadedSuite
    {
        if let data {
            return try await SpecLoader(spec: spec, source: LocalDatasetSource(path: data), onBadRow: onBadRow)
                .load(prompts: prompt.map { [$0] })
        }
        let hub = HubDatasetSource(configuration: .fromEnvironment())
        do {
            let loaded = try await SpecLoader(spec: spec, source: hub, onBadRow: onBadRow).load(
                prompts: prompt.map { [$0] }
            )
            try? await hub.shutdown()
            return loaded
        } catch {
            try? await hub.shutdown()
            if let datasetError = error as? DatasetError {
                throw DatasetError(
                    kind: datasetError.kind,
                    message: datasetError.message
                        + "\n(\(spec.id) reads its data from the Hugging Face Hub repo \(spec.source?.repo ?? "?"); "
                        + "pass local files with --data PATH instead)"
                )
            }
            throw error
        }
    }

    // MARK: - Cross-run comparisons

    static func comparisons(
        loaded: LoadedSuite,
        suite: Suite,
        metrics: BenchmarkMetrics,
        run: RunRecord,
        store: any ResultStore,
        data: String?
    ) async -> [CrossRunComparison] {
        var comparisons: [CrossRunComparison] = []
        guard let runs = try? await store.runs() else { return [] }
        let spec = loaded.spec
        // The paired suite (CulturalBench easy vs hard) for the same model: latest completed run.
        if let paired = spec.scoring.pairedWith,
            let pairedSpec = BuiltinSpecs.spec(named: paired) ?? (paired == spec.id ? spec : nil),
            let headline = metrics.headline
        {
            let candidate = runs.first {
                $0.model == run.model && $0.status == .completed
                    && ($0.suite == paired || $0.suite.hasPrefix(paired + ":"))
            }
            if let other = candidate, let otherResults = try? await store.results(runID: other.id),
                let otherLoaded = try? await loadSpec(pairedSpec, prompt: nil, data: data, onBadRow: .skip)
            {
                let otherMetrics = BenchmarkScorer.metrics(
                    spec: pairedSpec,
                    suite: otherLoaded.suite,
                    results: otherResults
                )
                if let otherHeadline = otherMetrics.headline {
                    let easyFirst = spec.id.contains("easy") || !paired.contains("easy")
                    let (first, firstRun, second, secondRun) =
                        easyFirst
                        ? (headline, run.id, otherHeadline, other.id) : (otherHeadline, other.id, headline, run.id)
                    let names = easyFirst ? (spec.id, paired) : (paired, spec.id)
                    comparisons.append(
                        BenchmarkScorer.pairedGap(
                            name: "\(names.0)_minus_\(names.1)",
                            this: first,
                            thisRun: firstRun,
                            other: second,
                            otherRun: secondRun,
                            detail: "\(names.0) \(first.metric) − \(names.1) \(second.metric) for model \(run.model) "
                                + "(Newcombe 95% CI; the runs may cover different --limit subsets)"
                        )
                    )
                }
            } else {
                comparisons.append(
                    CrossRunComparison(
                        name: "\(spec.id)_vs_\(paired)",
                        value: nil,
                        n: 0,
                        detail: "run \(paired) with the same model (and --data) to get the gap",
                        runs: []
                    )
                )
            }
        }
        // The rule's own comparisons (Global-MMLU: rank correlation of models between the two subsets).
        if let rule = ScoringRules.rule(named: spec.scoring.rule) {
            comparisons += await rule.comparisons(
                ComparisonContext(spec: spec, suite: suite, run: run, runs: runs) { id in
                    try? await store.results(runID: id)
                }
            )
        }
        return comparisons
    }
}

/// `--samples K --temperature T`: K generated answers per item at temperature T (each its own cached request),
/// for a model distribution where logprobs are unavailable (e.g. GlobalOpinionQA on a chat API).
struct SamplingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Samples per item at --temperature (generate scoring only); metrics use their histogram."
    )
    var samples: Int = 1

    @Option(name: .long, help: "Sampling temperature when --samples > 1.")
    var temperature: Double = 1.0

    func validate() throws {
        guard (1...1000).contains(samples) else { throw ValidationError("--samples must be 1...1000") }
        if samples > 1, temperature <= 0 { throw ValidationError("--samples > 1 needs --temperature > 0") }
    }

    /// One variant per sample (just the plain prompt without sampling).
    var variants: [PromptVariant] {
        samples > 1 ? (0..<samples).map { PromptVariant(sample: $0) } : [.default]
    }

    /// The temperature of generate requests.
    var requestTemperature: Double { samples > 1 ? temperature : 0 }

    /// Exits with a usage error when sampling was asked for but the scoring mode reads logprobs.
    func check(scoring: ScoringMode) throws {
        if samples > 1, scoring != .generate {
            printError(
                "error: --samples > 1 needs generate scoring (add --scoring generate); logprob scoring already reads the whole distribution"
            )
            throw ExitCode(2)
        }
    }
}

import CultureLensAnalysis
public import CultureLensCore
public import CultureLensDatasets
import Foundation

/// Turns a suite argument (`starter`, `normad`, `normad:rot`, `my-spec.yaml`, `my-spec.yaml:p1`) into a loaded
/// suite: the built-in catalogue, the built-in specs, or a spec file, with data from `--data` or the Hub cache; and
/// the cross-run comparisons a spec asks for.
public enum SuiteResolver {
    /// Every suite name `run` accepts besides spec files.
    public static var names: [String] {
        SuiteCatalog.names + [VSM2013Suite.name, preferencesSuite]
            + BuiltinSpecs.ids.filter { !SuiteCatalog.names.contains($0) }
    }

    /// The suite of forced choices between the options of `--data FILE`.
    public static let preferencesSuite = PreferenceSuite.userSuiteName

    /// The parts of a suite argument.
    public enum Reference {
        /// A suite of ``SuiteCatalog`` (starter).
        case catalog(String)
        /// A spec (built in or from a file) and an optional prompt id.
        case spec(DatasetSpec, prompt: String?)
        /// `preferences-jsonl`: forced choices between the options of a file (``PreferenceSuite``).
        case preferences(file: String)
        /// `vsm-2013`: the questionnaire's 24 items from a file or folder (``VSM2013Suite``).
        case vsm(path: String)
    }

    /// Whether an argument names a spec file rather than a suite.
    public static func looksLikeSpecFile(_ argument: String) -> Bool {
        let base = argument.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? argument
        return argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || base.hasSuffix(".yaml")
            || base.hasSuffix(".yml") || argument.contains("/")
    }

    /// Parses and checks a suite argument: `starter`, `normad`, `normad:rot`, `my-spec.yaml`, `my-spec.yaml:p1`.
    /// - Throws: ``SpecError`` (a usage error) for an unknown suite, an unreadable or invalid spec, or a spec that
    ///   needs `--data`.
    public static func reference(_ argument: String, data: String?) throws(SpecError) -> Reference {
        if SuiteCatalog.suite(named: argument) != nil { return .catalog(argument) }
        if argument == preferencesSuite {
            guard let data else {
                throw SpecError(
                    "\(preferencesSuite) compares your own options: pass --data FILE (JSON or JSONL rows {\"id\", \"text\", \"group\"?})"
                )
            }
            guard FileManager.default.fileExists(atPath: data) else { throw SpecError("--data \(data) does not exist") }
            return .preferences(file: data)
        }
        if argument == VSM2013Suite.name {
            guard let data else {
                throw SpecError(
                    "\(VSM2013Suite.name) needs the questionnaire: pass --data FILE.csv (columns question, options) or a "
                        + "folder with \(VSM2013Suite.fileName); VSM-2013 is © Geert Hofstede, free for research, and "
                        + "not shipped with CultureLens"
                )
            }
            guard FileManager.default.fileExists(atPath: data) else { throw SpecError("--data \(data) does not exist") }
            return .vsm(path: data)
        }
        if looksLikeSpecFile(argument) {
            var path = argument
            var prompt: String?
            if !FileManager.default.fileExists(atPath: argument), let colon = argument.lastIndex(of: ":") {
                path = String(argument[..<colon])
                prompt = String(argument[argument.index(after: colon)...])
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw SpecError("spec file '\(path)' does not exist")
            }
            let spec: DatasetSpec
            do {
                spec = try DatasetSpec.load(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw SpecError("invalid spec: \(error.message)")
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
        throw SpecError(
            "unknown suite '\(argument)'. Choices: \(names.joined(separator: ", ")), or a dataset spec file (.yaml)"
        )
    }

    private static func check(_ spec: DatasetSpec, prompt: String?, data: String?) throws(SpecError) {
        if let prompt, !spec.prompts.contains(where: { $0.id == prompt }) {
            let known = spec.prompts.map(\.id)
            throw SpecError(
                "suite \(spec.id) has no prompt '\(prompt)'"
                    + (known.isEmpty ? "" : ". Its prompts: \(known.joined(separator: ", "))")
            )
        }
        if data == nil, spec.source?.repo == nil {
            throw SpecError("suite \(spec.id) has no public source: pass your data with --data PATH")
        }
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw SpecError("--data \(data) does not exist")
        }
    }

    /// Validates `argument` for `run`/`score`.
    public static func validate(_ argument: String, data: String?) throws(SpecError) {
        _ = try reference(argument, data: data)
    }

    /// Loads the suite `argument` names. Spec data comes from `--data` when given, else from the Hub cache
    /// (downloading it unless `HF_HUB_OFFLINE` is set).
    public static func load(_ argument: String, data: String?, onBadRow: BadRowPolicy) async throws -> ResolvedSuite {
        switch try reference(argument, data: data) {
        case .preferences(let file):
            let options = try PreferenceSuite.options(contentsOf: URL(fileURLWithPath: file))
            // Every pair up to 20 options (190 pairs); beyond, a degree-10 design keeps the prompts linear in n.
            let suite = PreferenceSuite.suite(
                name: preferencesSuite,
                title: "Forced choices between the options of \(URL(fileURLWithPath: file).lastPathComponent)",
                source: "user data",
                licence: "user data",
                options: options,
                degree: options.count <= 20 ? nil : 10
            )
            return ResolvedSuite(suite: suite, loaded: nil)
        case .vsm(let path):
            let url = URL(fileURLWithPath: path)
            let questions = try VSM2013Suite.questions(contentsOf: url)
            return ResolvedSuite(suite: VSM2013Suite.suite(questions: questions, source: "--data " + path), loaded: nil)
        case .catalog(let name):
            guard let suite = SuiteCatalog.suite(named: name) else { throw SpecError("unknown suite '\(name)'") }
            return ResolvedSuite(suite: suite, loaded: nil)
        case .spec(let spec, let prompt):
            let loaded = try await loadSpec(spec, prompt: prompt, data: data, onBadRow: onBadRow)
            return ResolvedSuite(suite: loaded.suite, loaded: loaded)
        }
    }

    /// Loads a spec's items from `data` or, without it, from the Hub cache.
    public static func loadSpec(_ spec: DatasetSpec, prompt: String?, data: String?, onBadRow: BadRowPolicy)
        async throws
        -> LoadedSuite
    {
        if let data {
            return try await SpecLoader(spec: spec, source: LocalDatasetSource(path: data), onBadRow: onBadRow)
                .load(prompts: prompt.map { [$0] })
        }
        do {
            return try await withHubDatasetSource { hub in
                try await SpecLoader(spec: spec, source: hub, onBadRow: onBadRow).load(prompts: prompt.map { [$0] })
            }
        } catch let error as DatasetError {
            throw DatasetError(
                kind: error.kind,
                message: error.message
                    + "\n(\(spec.id) reads its data from the Hugging Face Hub repo \(spec.source?.repo ?? "?"); "
                    + "pass local files with --data PATH instead)"
            )
        }
    }

    // MARK: - Cross-run comparisons

    /// The comparisons with other runs in `store` that `loaded`'s spec asks for: the paired suite's gap for the
    /// same model (CulturalBench easy vs hard), and the scoring rule's own (Global-MMLU's rank correlations).
    public static func comparisons(
        loaded: LoadedSuite,
        suite: Suite,
        metrics: BenchmarkMetrics,
        run: RunRecord,
        store: any ResultStore,
        data: String?
    ) async -> [CrossRunComparison] {
        var comparisons: [CrossRunComparison] = []
        // A run's robustness card holds a sample of its items: never a run to compare with.
        guard let runs = try? await store.runs().filter({ $0.cardOf == nil }) else { return [] }
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

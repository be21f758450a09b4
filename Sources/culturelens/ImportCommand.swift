import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensReport
import Foundation

/// `culturelens import lm-eval|inspect PATH`: another tool's evaluation stored as a CultureLens run.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import another tool's evaluation (lm-eval samples, Inspect logs) as a run.",
        discussion: """
            Each sample is mapped to an item by the content hash of its question and options (never by position): \
            an item of --suite (or of mcq-jsonl with --data), else of the built-in starter suite, else a generic \
            multiple-choice item built from the sample. The tool's own per-sample score is kept, so the imported \
            accuracy is the tool's. Samples that cannot be mapped are counted and listed (stderr and \
            results.json's diagnostics). The run is stored (--store) and, with --output, written like `run` \
            writes it, for `report`, `compare` and `export`. See docs/import.md.
            """,
        subcommands: [LMEval.self, Inspect.self]
    )

    /// What every importer takes.
    struct Options: ParsableArguments {
        @Option(name: .long, help: "Suite whose items the samples are matched against (default: starter).")
        var suite: String?

        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "Write results.json and samples.jsonl into this directory.")
        var output: String?

        @Flag(name: .long, help: "Print the results JSON on stdout instead of a table.")
        var json = false

        /// The suite argument: --suite, else mcq-jsonl when --data is given.
        var suiteArgument: String? { suite ?? (dataOptions.data != nil ? "mcq-jsonl" : nil) }

        func validate() throws {
            if let suiteArgument { try dataOptions.validate(suite: suiteArgument) }
        }

        /// The suites samples may match, and the resolved user suite (for its metrics).
        func candidates() async throws -> (suites: [Suite], resolved: ResolvedSuite?) {
            guard let suiteArgument else { return (SuiteCatalog.suite(named: "starter").map { [$0] } ?? [], nil) }
            let resolved = try await dataOptions.resolve(suiteArgument)
            return ([resolved.suite], resolved)
        }

        /// What a tool's files gave: its samples and what it said about them.
        struct Gathered {
            var samples: [ImportedSample] = []
            var tasks: [String] = []
            var model: String?
            var version: String?
            var reported: [(value: Double, count: Int)] = []
            var settings: [String: String] = [:]
        }

        /// Reads a tool's files with `read` (a malformed one: its error, exit 1), maps the samples to items and
        /// stores, writes and prints the run.
        func importRun(tool: String, path: String, read: (inout Gathered) throws -> Void) async throws {
            let (suites, resolved) = try await candidates()
            var gathered = Gathered()
            do {
                try read(&gathered)
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            let imported = ImportedRun.assemble(
                tool: tool,
                toolVersion: gathered.version ?? "unknown",
                model: gathered.model ?? tool + ":" + URL(fileURLWithPath: path).lastPathComponent,
                source: path,
                tasks: gathered.tasks,
                samples: gathered.samples,
                candidates: suites,
                reportedAccuracy: ImportCommand.pooled(gathered.reported, tasks: gathered.tasks.count),
                settings: gathered.settings
            )
            try await finish(imported, resolved: resolved)
        }

        /// Stores the run, writes and prints it like `run`.
        func finish(_ imported: ImportedRun, resolved: ResolvedSuite?) async throws {
            for sample in imported.unmapped { printError("not imported: \(sample.location): \(sample.reason)") }
            try await storeOptions.withOpenedStore { opened in try await imported.save(in: opened.store) }
            var report = RunReport(
                run: imported.run,
                suite: imported.suite,
                results: imported.results,
                settings: imported.settings,
                diagnostics: imported.diagnostics + (resolved?.diagnostics ?? [])
            )
            var metrics: BenchmarkMetrics?
            if let resolved, resolved.suite.name == imported.suite.name {
                metrics = await resolved.metrics(
                    results: imported.results,
                    run: nil,
                    store: nil,
                    data: dataOptions.data
                )
            }
            report.analyseValues(suite: imported.suite, results: imported.results)
            if let output { try report.write(to: URL(fileURLWithPath: output), metrics: metrics) }
            let tool = imported.settings["import_tool"] ?? "the tool"
            var summary =
                "imported \(imported.results.count) of \(imported.settings["import_samples"] ?? "?") samples "
                + "(\(imported.matched) matched to \(imported.suite.name) items by content, "
                + "\(imported.unmapped.count) not imported) as run \(imported.run.id)"
            if let reported = imported.reportedAccuracy {
                summary += "; \(tool) reported accuracy \(String(format: "%.4f", reported))"
            }
            printError(summary)
            if json {
                FileHandle.standardOutput.write(try report.resultsJSON(metrics: metrics))
            } else {
                print(report.table(), terminator: "")
                if let metrics { print(report.metricsTable(metrics), terminator: "") }
                if let output { print("results: \(output)/results.json · samples: \(output)/samples.jsonl") }
            }
        }
    }

    /// Several tasks' reported accuracies weighted by their samples, as one over all of them; `nil` unless every
    /// task reported one.
    static func pooled(_ reported: [(value: Double, count: Int)], tasks: Int) -> Double? {
        let total = reported.map(\.count).reduce(0, +)
        guard reported.count == tasks, total > 0 else { return nil }
        return reported.map { $0.value * Double($0.count) }.reduce(0, +) / Double(total)
    }

    /// `import lm-eval PATH`.
    struct LMEval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lm-eval",
            abstract: "Import lm-evaluation-harness output written with --log_samples.",
            discussion: """
                PATH is lm-eval's --output_path directory (searched for samples_<task>_<timestamp>.jsonl, the \
                newest per task) or one samples file. The score of a sample is the task's first metric (e.g. \
                exact_match) under its first filter; the results_<timestamp>.json beside it gives the model name, \
                lm-eval's version and the accuracy lm-eval reported. Exit codes: 0 ok; 1 malformed or missing \
                input; 2 usage error.
                """
        )

        @Argument(help: "lm-eval's output directory, or a samples_<task>_<timestamp>.jsonl file.")
        var path: String

        @OptionGroup var options: Options

        func run() async throws {
            try await options.importRun(tool: "lm-eval", path: path) { gathered in
                for file in try LMEvalLog.samplesFiles(at: path) {
                    let read = try LMEvalLog.samples(in: file)
                    gathered.tasks.append(read.task)
                    gathered.samples += read.samples
                    gathered.settings["lm_eval_metric.\(read.task)"] =
                        read.metric + (read.filter.map { "," + $0 } ?? "")
                    if let results = try LMEvalLog.results(
                        besides: file,
                        task: read.task,
                        metric: read.metric,
                        filter: read.filter
                    ) {
                        gathered.model = gathered.model ?? results.model
                        gathered.version = gathered.version ?? results.version
                        if let value = results.value { gathered.reported.append((value, read.samples.count)) }
                    }
                }
            }
        }
    }

    /// `import inspect PATH`.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Import Inspect (inspect_ai) evaluation logs written with --log-format json.",
            discussion: """
                PATH is a JSON log or a log directory (every .json log in it). A sample's question is \
                its input, its options its choices, its gold the target letter; its score is the first scorer's \
                value (C 1, I 0, P 0.5, or the number), so the imported accuracy is Inspect's. .eval logs (zstd \
                zip) are refused: convert them with `inspect log convert --to json`. Exit codes: 0 ok; 1 \
                malformed or missing input; 2 usage error.
                """
        )

        @Argument(help: "An Inspect JSON log or a directory of logs.")
        var path: String

        @OptionGroup var options: Options

        func run() async throws {
            try await options.importRun(tool: "inspect", path: path) { gathered in
                for file in try InspectLog.files(at: path) {
                    let log = try InspectLog.read(file)
                    gathered.tasks.append(log.task)
                    gathered.samples += log.samples
                    gathered.model = gathered.model ?? log.model
                    gathered.version = gathered.version ?? log.version
                    if let accuracy = log.accuracy { gathered.reported.append((accuracy, log.samples.count)) }
                }
            }
        }
    }
}

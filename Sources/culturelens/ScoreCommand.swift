import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensReport
import Foundation

/// `culturelens score`: scores responses gathered elsewhere (other tools, provider batch jobs) with the suite's
/// rule, without a model and without touching the store.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score responses gathered elsewhere against a suite, without a model.",
        discussion: """
            --responses is JSONL; each line is {"index": N} or {"item_id": "ID"} plus exactly one of "samples": \
            [option indices], "distribution": [probabilities over the options], or "answer": "raw model text" (read \
            with the same answer extraction as run). For a spec suite whose rows each give one item, N is the \
            0-based row of the source data file (data rows only, no header); otherwise (the starter suite, several \
            prompts or files per row) N is the item's 0-based position in the suite. ID is the item's id as in \
            samples.jsonl (inglehart-welzel: v0-a008 ... v9-y003). Options are in the data's order. The output has \
            the shape of run's results.json and samples.jsonl. Exit codes: 0 ok; 1 malformed data or responses; \
            2 usage error.
            """
    )

    @Argument(help: "Suite name (see `culturelens suites`), NAME:PROMPT, or a dataset spec file (.yaml).")
    var suite: String

    @Option(name: .long, help: "JSONL file of responses.")
    var responses: String

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var steering: SteerOptions

    @Option(name: .long, help: "Write results.json and samples.jsonl into this directory.")
    var output: String?

    @Flag(name: .long, help: "Print the results JSON on stdout instead of a table.")
    var json = false

    @Option(name: .long, help: "Name recorded as the model (default: external:<responses file name>).")
    var modelName: String?

    func validate() throws {
        try dataOptions.validate(suite: suite)
        _ = try steering.countries(suite: suite)
        guard FileManager.default.fileExists(atPath: responses) else {
            throw ValidationError("--responses \(responses) does not exist")
        }
    }

    func run() async throws {
        let resolved = try steering.apply(to: try await dataOptions.resolve(suite), suite: suite, limit: nil)
        let selected = resolved.suite
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: responses))
        } catch {
            printError("error: cannot read --responses \(responses): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let model = modelName ?? "external:" + URL(fileURLWithPath: responses).lastPathComponent
        let responsesHash = Hashing.sha256Hex(of: data)
        let runID = RunRecord.makeID(
            suite: selected.name,
            specHash: selected.specHash,
            model: model + "@" + responsesHash,
            api: .completions,
            scoring: .generate,
            itemCount: selected.items.count
        )
        let results: [ItemResult]
        do {
            results = try ResponseRescorer.score(
                data,
                file: responses,
                suite: selected,
                position: { resolved.loaded?.itemPosition(forResponseIndex: $0) ?? $0 },
                runID: runID
            )
        } catch {
            printError("error: malformed responses: \(error)")
            throw ExitCode(1)
        }
        let hasDistributions = results.contains { $0.response == nil }
        let run = RunRecord(
            id: runID,
            suite: selected.name,
            suiteVersion: selected.version,
            specHash: selected.specHash,
            model: model,
            endpoint: "responses file \(responses)",
            api: .completions,
            scoring: hasDistributions ? .logprobs : .generate,
            itemCount: selected.items.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(),
            finishedAt: Date(),
            status: .completed
        )
        var report = RunReport(
            run: run,
            suite: selected,
            results: results,
            settings: [
                "mode": "score",
                "responses": responses,
                "responses_sha256": responsesHash,
                "responses_scored": String(results.count),
            ],
            diagnostics: resolved.diagnostics
        )
        let metrics = await resolved.metrics(results: results, run: nil, store: nil, data: dataOptions.data)
        report.analyseValues(suite: selected, results: results)
        report.calibration = RunReport.calibration(of: results, scoring: report.run.scoring)
        if let output {
            try report.write(to: URL(fileURLWithPath: output), metrics: metrics)
        }
        if json {
            FileHandle.standardOutput.write(try report.resultsJSON(metrics: metrics))
        } else {
            print(report.table(), terminator: "")
            if let metrics { print(report.metricsTable(metrics), terminator: "") }
            print(report.valueTables(), terminator: "")
            if let output { print("results: \(output)/results.json · samples: \(output)/samples.jsonl") }
        }
    }
}

public import CultureLensAnalysis
public import CultureLensCore
public import CultureLensDatasets
import CultureLensFormats
public import CultureLensStatistics
public import Foundation

/// Everything written about one run: metadata (never secrets), the summary and the per-item samples.
public struct RunReport: Sendable {
    /// The run.
    public var run: RunRecord
    /// Items of the suite, by id, for option texts.
    public var items: [String: Item]
    /// Results, ordered by item index.
    public var results: [ItemResult]
    /// Run settings worth recording (limit, concurrency...).
    public var settings: [String: String]
    /// Aggregates.
    public var summary: RunSummary
    /// What reading the spec and its data left out or guessed (``Diagnostic``), listed in `results.json`.
    public var diagnostics: [Diagnostic]
    /// The model's place on the Inglehart–Welzel map, written as `results.json`'s `cultural_map` when set.
    public var culturalMap: InglehartWelzelPlacement?
    /// Utilities from forced choices, written as `results.json`'s `preferences` when set.
    public var preferences: PreferenceAnalysis.Report?
    /// Hofstede's VSM-2013 indices, written as `results.json`'s `vsm_2013` when set.
    public var vsm2013: VSM2013Analysis?
    /// Calibration of the graded answers' confidences (logprob runs, or K samples), written as `calibration`.
    public var calibration: Calibration?
    /// The run's robustness card, written as `card` and shown beside the headline.
    public var card: RunCard?
    /// What the run's model calls cost over every invocation, written as `spend` (kept by readers as an extra
    /// section, which the HTML report shows).
    public var spend: RequestBudget.Spend?

    /// Builds the report of `run` over `suite` from its `results`.
    public init(
        run: RunRecord,
        suite: Suite,
        results: [ItemResult],
        settings: [String: String] = [:],
        diagnostics: [Diagnostic] = []
    ) {
        self.run = run
        self.items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.results = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }
        self.settings = settings
        self.summary = RunSummary(results: results, itemCount: run.itemCount)
        self.diagnostics = diagnostics.sorted()
    }

    /// A report of a run's summary alone, without samples: for the terminal table and `results.json` when the
    /// results were streamed from the store rather than held
    /// (``write(run:suite:store:settings:metrics:diagnostics:to:pageSize:)``).
    public init(
        run: RunRecord,
        summary: RunSummary,
        settings: [String: String] = [:],
        diagnostics: [Diagnostic] = []
    ) {
        self.run = run
        self.items = [:]
        self.results = []
        self.settings = settings
        self.summary = summary
        self.diagnostics = diagnostics.sorted()
    }

    /// A report whose summary is still to be counted: the template ``write(_:suite:store:metrics:to:pageSize:)``
    /// fills from the store.
    public init(run: RunRecord, settings: [String: String] = [:], diagnostics: [Diagnostic] = []) {
        self.init(
            run: run,
            summary: RunSummary(results: [], itemCount: run.itemCount),
            settings: settings,
            diagnostics: diagnostics
        )
    }

    // MARK: - results.json

    /// The `results.json` document of this report, with `metrics` when given.
    public func document(metrics: BenchmarkMetrics? = nil) -> ResultsDocument {
        ResultsDocument(
            run: ResultsDocument.Run(run, settings: settings),
            summary: summary,
            metrics: metrics,
            culturalMap: culturalMap,
            preferences: preferences,
            vsm2013: vsm2013,
            calibration: calibration,
            card: card,
            diagnostics: diagnostics,
            extras: spend.flatMap { spend in
                (try? JSONDecoder().decode(DataValue.self, from: JSONEncoder().encode(spend))).map { ["spend": $0] }
            } ?? [:]
        )
    }

    /// The `results.json` document: pretty, sorted keys, ISO-8601 dates.
    public func resultsJSON() throws -> Data { try document().encoded() }

    // MARK: - samples.jsonl

    /// One JSON line per result.
    public func samplesJSONL() throws -> Data {
        let encoder = ResultsDocument.encoder(pretty: false)
        var data = Data()
        for result in results {
            data.append(try Self.sampleLine(result, item: items[result.itemID], encoder: encoder))
            data.append(0x0A)
        }
        return data
    }

    /// Writes `samples.jsonl` to `url` atomically, line by line, never holding the whole file.
    func writeSamples(to url: URL) throws {
        let encoder = ResultsDocument.encoder(pretty: false)
        let writer = try AtomicFileWriter(url: url)
        for result in results {
            try writer.append(try Self.sampleLine(result, item: items[result.itemID], encoder: encoder))
            try writer.append(byte: 0x0A)
        }
        try writer.commit()
    }

    /// The `samples.jsonl` line of `result` (without its line feed); `item` gives the predicted option's text.
    static func sampleLine(_ result: ItemResult, item: Item?, encoder: JSONEncoder) throws -> Data {
        try ResultsDocument.sampleLine(ReportSample(result: result, item: item), encoder: encoder)
    }

    /// Writes `results.json` and `samples.jsonl` into `directory`, creating it; each file is written atomically.
    public func write(to directory: URL) throws { try write(to: directory, metrics: nil) }

    // MARK: - Table

    /// A plain-text table for the terminal: headline, failures, per-culture accuracy with n and CI.
    public func table() -> String {
        var lines: [String] = []
        let accuracy = summary.accuracy
        lines.append(
            "CultureLens \(CultureLensVersion.current) · suite \(run.suite) · model \(run.model) · \(run.scoring.rawValue) via /\(run.api.rawValue)"
        )
        lines.append(
            "run \(run.id) · \(run.status.rawValue) · \(summary.done)/\(summary.items) items · \(summary.cacheHits) from cache"
        )
        lines.append("")
        // A suite without right answers (survey, values, preferences) has no accuracy: "0.0% n=0" would read as a
        // score. Its own figures follow the table.
        let graded = accuracy.n > 0 || summary.perCulture.contains { $0.accuracy.n > 0 }
        // The card's verdict sits beside the headline, so the number is never read without it.
        let verdict = card.map { "; " + $0.summary } ?? ""
        lines.append(
            graded
                ? "accuracy \(Self.percent(accuracy.value)) [95% CI \(Self.percent(accuracy.ciLow))–\(Self.percent(accuracy.ciHigh))] n=\(accuracy.n)"
                    + verdict
                : "accuracy – (no answer was graded against a right answer: this suite's own figures follow)"
        )
        if !graded, let card { lines.append("robustness: " + card.summary) }
        if graded, let detectable = try? Power.minimumDetectableDifference(successes: accuracy.successes, n: accuracy.n)
        {
            lines.append(
                "smallest accuracy difference from another model detectable on these \(accuracy.n) items: "
                    + String(format: "%.1f", detectable * 100)
                    + " percentage points (80% power, α = 0.05, answers independent; `compare` measures "
                    + "the paired one)"
            )
        }
        if let calibration {
            lines.append(
                "calibration: ECE " + Self.decimal(calibration.ece)
                    + (calibration.ciLow.map {
                        " [95% CI \(Self.decimal($0))–\(Self.decimal(calibration.ciHigh ?? $0))]"
                    }
                        ?? " (no interval below \(Calibration.minimumN) answers)")
                    + " n=\(calibration.n) · mean confidence − accuracy "
                    + String(format: "%+.3f", calibration.overconfidence) + " (10 bins)"
            )
        }
        if let gold = summary.meanGoldProbability, let outside = summary.meanOutsideMass {
            lines.append(
                "mean probability on the gold option \(Self.decimal(gold)) · mass outside the options \(Self.decimal(outside))"
            )
        }
        let failures = summary.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let failed = failures.reduce(0) { $0 + $1.value }
        lines.append(
            "failures \(failed)"
                + (failures.isEmpty
                    ? "" : " (" + failures.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
        )
        if let spend { lines.append(spend.summary) }
        if let card { lines.append(contentsOf: cardLines(card)) }
        guard graded else { return lines.joined(separator: "\n") + "\n" }
        lines.append("")
        lines.append(Self.row(["culture", "n", "accuracy", "95% CI", "failed"]))
        for group in summary.perCulture {
            lines.append(
                Self.row([
                    "\(group.name) (\(group.key))",
                    String(group.accuracy.n),
                    Self.percent(group.accuracy.value),
                    "\(Self.percent(group.accuracy.ciLow))–\(Self.percent(group.accuracy.ciHigh))",
                    String(group.failed),
                ])
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [34, 5, 9, 16, 6]
        return zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    static func decimal(_ value: Double) -> String { String(format: "%.3f", value) }
}

public import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
public import CultureLensFormats
public import CultureLensStatistics
public import Foundation

/// One run as the HTML report and the dashboard see it: metadata, summary, samples and any extra sections of
/// `results.json` (robustness, steerability...). Built from a run directory (``load(directory:)``) or from the
/// store (``init(run:results:label:settings:)``).
public struct ReportRun: Sendable, Hashable {
    /// The `run` section of `results.json`, redacted.
    public typealias Metadata = ResultsDocument.Run

    /// The run's metadata.
    public var metadata: Metadata
    /// Version of the tool that wrote `results.json` (its `tool.version`).
    public var writerVersion: String
    /// A user label (dashboard only).
    public var label: String?
    /// Aggregates.
    public var summary: RunSummary
    /// Per-item samples, ordered by item index then variant. After ``load(directory:sampleLimit:)`` only the
    /// first ones; ``sampleDigests`` covers all of them.
    public var samples: [ReportSample] {
        didSet { loadedDigests = nil }
    }
    /// Digests of every sample when `samples` holds only the first ones; `nil` when `samples` is complete.
    private var loadedDigests: [ReportSample.Digest]?
    /// The digest of every sample of the run, in order, also when ``samples`` holds only the first ones.
    public var sampleDigests: [ReportSample.Digest] { loadedDigests ?? samples.map(\.digest) }
    /// Samples in the run (`samples.count` unless only the first ones were loaded).
    public var sampleCount: Int { loadedDigests?.count ?? samples.count }
    /// Top-level sections of `results.json` other than `tool`, `run` and `summary` (e.g. `robustness`), except the
    /// value figures decoded into ``culturalMap``, ``preferences`` and ``vsm2013`` (a section this build cannot decode stays here).
    public var extras: [String: DataValue]
    /// The model's place on the Inglehart–Welzel map (`cultural_map`), drawn as a map by the report.
    public var culturalMap: InglehartWelzelPlacement?
    /// Utilities from forced choices (`preferences`), drawn as a chart with the transitivity summary.
    public var preferences: PreferenceAnalysis.Report?
    /// Hofstede's VSM-2013 indices (`vsm_2013`), drawn as a chart of indices with their intervals.
    public var vsm2013: VSM2013Analysis?
    /// Calibration of a logprob run's graded answers (`calibration`), drawn as a reliability diagram.
    public var calibration: Calibration?
    /// The run's robustness card (`card`), shown under the headline.
    public var card: RunCard?

    /// Creates a run from its parts.
    public init(
        metadata: Metadata,
        writerVersion: String,
        label: String? = nil,
        summary: RunSummary,
        samples: [ReportSample],
        extras: [String: DataValue] = [:],
        culturalMap: InglehartWelzelPlacement? = nil,
        preferences: PreferenceAnalysis.Report? = nil,
        vsm2013: VSM2013Analysis? = nil,
        calibration: Calibration? = nil,
        card: RunCard? = nil
    ) {
        self.metadata = metadata.redacted()
        self.writerVersion = writerVersion
        self.label = label
        self.summary = summary
        self.samples = samples
        self.extras = extras
        self.culturalMap = culturalMap
        self.preferences = preferences
        self.vsm2013 = vsm2013
        self.calibration = calibration
        self.card = card
    }

    /// A run from the store: summary and samples are computed from `results`; option texts come from the
    /// built-in suite of the same name when its spec hash matches. With `valueFigures`, the value figures
    /// (``culturalMap``, ``preferences``) are computed from `results` as `run` computes them for `results.json`
    /// (``valueSuite(_:results:)``); pages that do not show them can skip their bootstraps.
    public init(
        run: RunRecord,
        results: [ItemResult],
        label: String? = nil,
        settings: [String: String] = [:],
        valueFigures: Bool = true
    ) {
        var metadata = Metadata(run, settings: settings)
        metadata.variants = run.variants
        self.metadata = metadata.redacted()
        writerVersion = CultureLensVersion.current
        self.label = label
        summary = RunSummary(results: results, itemCount: run.itemCount)
        let items = Self.builtInItems(suite: run.suite)
        samples = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }.map { result in
            ReportSample(result: result, item: items[result.itemID])
        }
        extras = [:]
        calibration = RunReport.calibration(of: results, scoring: run.scoring)
        if valueFigures, let suite = Self.valueSuite(run.suite, results: results) {
            culturalMap = RunReport.culturalMap(suite: suite, results: results)
            preferences = RunReport.preferences(suite: suite, results: results)
            vsm2013 = RunReport.vsm2013(suite: suite, results: results)
        }
    }

    /// The store attachment holding a run's robustness card (``RunCard/attachmentName``).
    public static let cardAttachment = RunCard.attachmentName

    /// Sets ``card`` from the store attachment `data`; a card another version wrote that no longer decodes is left
    /// out rather than failing the page.
    public mutating func attachCard(_ data: Data) {
        card = try? JSONDecoder().decode(RunCard.self, from: data)
    }

    /// Items of the built-in suite named `suite` by id (empty for other suites). A run over the first N items
    /// has the spec hash of that prefix, and ids are unique in a suite, so the lookup is by id only.
    static func builtInItems(suite: String) -> [String: Item] {
        guard let builtIn = SuiteCatalog.suite(named: suite) else { return [:] }
        return Dictionary(builtIn.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Loading a run directory

    /// Reads `results.json` and `samples.jsonl` from `directory`.
    ///
    /// `samples.jsonl` is read line by line. With a `sampleLimit`, only the first `sampleLimit` samples (at
    /// least one, for the example prompt) are decoded in full and kept in ``samples``; every later line is
    /// decoded only for its ``ReportSample/Digest``, which is all the report needs of it. Without one, every
    /// sample is kept.
    /// - Throws: ``ReportLoadError`` naming the file (and line) that could not be read.
    public static func load(directory: URL, sampleLimit: Int? = nil) throws -> ReportRun {
        let samplesURL = directory.appendingPathComponent(ResultsDocument.samplesFileName)
        var run = try ReportRun(
            ResultsDocument.read(contentsOf: directory.appendingPathComponent(ResultsDocument.resultsFileName))
        )
        if FileManager.default.fileExists(atPath: samplesURL.path) {
            let (samples, digests) = try ResultsDocument.readSamples(
                samplesURL,
                fullLimit: sampleLimit.map { max(1, $0) }
            )
            run.samples = samples
            run.loadedDigests = digests
        }
        return run
    }

    /// The run of a `results.json` document, without samples.
    public init(_ document: ResultsDocument) throws {
        var extras = try document.sections()
        if document.culturalMap != nil { extras["cultural_map"] = nil }
        if document.preferences != nil { extras["preferences"] = nil }
        if document.vsm2013 != nil { extras["vsm_2013"] = nil }
        if document.calibration != nil { extras["calibration"] = nil }
        if document.card != nil { extras["card"] = nil }
        self.init(
            metadata: document.run,
            writerVersion: document.tool.version.isEmpty ? document.run.toolVersion : document.tool.version,
            summary: document.summary,
            samples: [],
            extras: extras,
            culturalMap: document.culturalMap,
            preferences: document.preferences,
            vsm2013: document.vsm2013,
            calibration: document.calibration,
            card: document.card
        )
    }

    /// Decodes a `results.json` document (without samples).
    public static func decodeResults(_ data: Data, path: String = "results.json") throws -> ReportRun {
        try ReportRun(ResultsDocument.decode(data, path: path))
    }

    /// Decodes `samples.jsonl` (blank lines are skipped).
    public static func decodeSamples(_ data: Data, path: String = "samples.jsonl") throws -> [ReportSample] {
        try ResultsDocument.decodeSamples(data, path: path)
    }
}

/// A run directory that could not be read.
public struct ReportLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// 1-based line for JSON Lines files.
    public var line: Int?
    /// What is wrong.
    public var message: String

    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Removal of anything secret-looking before metadata is shown or served.
public enum Redaction {
    /// `endpoint` without user-info, query or fragment (`https://user:key@host/v1?key=x` → `https://host/v1`).
    public static func endpoint(_ endpoint: String) -> String {
        guard var components = URLComponents(string: endpoint), components.scheme != nil else {
            // Not a URL: cut at the first '?' and drop anything before an '@'.
            var text = endpoint
            if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<query]) }
            if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
            return text
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? ""
    }

    /// `settings` without keys naming a key, token, secret, password or authorization.
    public static func settings(_ settings: [String: String]) -> [String: String] {
        settings.filter { key, _ in
            let lower = key.lowercased()
            return !["key", "token", "secret", "password", "authorization", "credential"].contains {
                lower.contains($0)
            }
        }
    }
}

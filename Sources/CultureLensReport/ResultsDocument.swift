public import CultureLensAnalysis
public import CultureLensCore
public import CultureLensDatasets
public import CultureLensFormats
public import CultureLensStatistics
public import Foundation

/// `results.json`: the one declaration of its shape, and the one writer and reader of it and of `samples.jsonl`
/// (whose lines are ``ReportSample``s).
///
/// The document is versioned: `schema` is always `culturelens.results` and `version` is ``currentVersion``. Files
/// without either key are version 1 (written before the field existed; otherwise the same shape) and are read as
/// such. A reader is lenient about the rest, so older and newer files still render: missing run fields become
/// empty, and top-level sections it does not know are kept in ``extras``.
///
/// Keys are snake_case on disk, camelCase in Swift, converted by ``encoder(pretty:)`` and ``decoder()`` rather
/// than by hand-written coding keys.
public struct ResultsDocument: Sendable, Hashable {
    /// The value of the `schema` key.
    public static let schema = "culturelens.results"
    /// The version this build writes. 1: no `schema`/`version` keys; 2: with them.
    public static let currentVersion = 2
    /// File names in a run directory.
    public static let resultsFileName = "results.json"
    /// The JSON Lines file of samples, one ``ReportSample`` per line.
    public static let samplesFileName = "samples.jsonl"

    /// The tool that wrote the file.
    public struct Tool: Sendable, Hashable, Codable {
        /// Always `culturelens`.
        public var name: String
        /// Its version.
        public var version: String

        /// Creates a tool entry.
        public init(name: String = "culturelens", version: String = CultureLensVersion.current) {
            self.name = name
            self.version = version
        }
    }

    /// The `run` section: metadata, never secrets.
    public struct Run: Sendable, Hashable, Codable {
        /// Run id.
        public var id: String
        /// Suite name.
        public var suite: String
        /// Suite version.
        public var suiteVersion: String
        /// Hash of the suite's items and prompts.
        public var specHash: String
        /// Model name.
        public var model: String
        /// Endpoint (``redacted()`` removes credentials and query strings).
        public var endpoint: String
        /// `completions` or `chat`.
        public var api: String
        /// Scoring mode.
        public var scoring: String
        /// Items in the run.
        public var itemCount: Int
        /// Run status.
        public var status: String
        /// As written (ISO 8601), or empty.
        public var createdAt: String
        /// As written (ISO 8601).
        public var finishedAt: String?
        /// Version of the tool that ran it.
        public var toolVersion: String
        /// Settings (``redacted()`` drops keys that look like secrets).
        public var settings: [String: String]
        /// Prompt variants evaluated, when recorded.
        public var variants: [String]?

        /// This section with credentials removed from the endpoint and secret-looking settings dropped, for
        /// showing or serving.
        public func redacted() -> Run {
            var run = self
            run.endpoint = Redaction.endpoint(endpoint)
            run.settings = Redaction.settings(settings)
            return run
        }

        private enum CodingKeys: String, CodingKey {
            case id, suite, suiteVersion, specHash, model, endpoint, api, scoring, itemCount, status, createdAt
            case finishedAt, toolVersion, settings, variants
        }

        /// A date written as ISO-8601 text or as seconds since 1970.
        private static func date(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
            if let text = try? c.decodeIfPresent(String.self, forKey: key) { return text }
            if let seconds = try? c.decodeIfPresent(Double.self, forKey: key) {
                return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
            }
            return nil
        }
    }

    /// The version the document was written with (``currentVersion`` for a new one).
    public var version: Int
    /// The writer.
    public var tool: Tool
    /// The run.
    public var run: Run
    /// Aggregates.
    public var summary: RunSummary
    /// The suite's own figures (`score` and spec runs).
    public var metrics: BenchmarkMetrics?
    /// The robustness card (`robustness` runs).
    public var robustness: RobustnessCard?
    /// The model's place on the Inglehart–Welzel map (`inglehart-welzel` runs and scores).
    public var culturalMap: InglehartWelzelPlacement?
    /// Utilities from forced choices (`value-tradeoffs` and `preferences-jsonl` runs and scores).
    public var preferences: PreferenceAnalysis.Report?
    /// Hofstede's VSM-2013 indices (`vsm-2013` runs and scores).
    public var vsm2013: VSM2013Analysis?
    /// Calibration of graded answers' confidences (runs and scores with distributions).
    public var calibration: Calibration?
    /// The robustness card of a `run` (``RunCard``): its sample under every option rotation, with verdicts.
    public var card: RunCard?
    /// Spec warnings, skipped rows and unresolved cultures (``Diagnostic``, sorted); `run` and `score` always write
    /// the key (an empty list when there were none); older documents and other writers may leave it out.
    public var diagnostics: [Diagnostic]?
    /// Other top-level sections, as read (e.g. `steerability`, or a `metrics` this build cannot decode).
    public var extras: [String: DataValue]

    /// Creates a document of the current version.
    public init(
        tool: Tool = Tool(),
        run: Run,
        summary: RunSummary,
        metrics: BenchmarkMetrics? = nil,
        robustness: RobustnessCard? = nil,
        culturalMap: InglehartWelzelPlacement? = nil,
        preferences: PreferenceAnalysis.Report? = nil,
        vsm2013: VSM2013Analysis? = nil,
        calibration: Calibration? = nil,
        card: RunCard? = nil,
        diagnostics: [Diagnostic]? = nil,
        extras: [String: DataValue] = [:]
    ) {
        version = Self.currentVersion
        self.tool = tool
        self.run = run
        self.summary = summary
        self.metrics = metrics
        self.robustness = robustness
        self.culturalMap = culturalMap
        self.preferences = preferences
        self.vsm2013 = vsm2013
        self.calibration = calibration
        self.card = card
        self.diagnostics = diagnostics
        self.extras = extras
    }

    /// Every section other than `schema`, `version`, `tool`, `run`, `summary` and `diagnostics` as JSON values,
    /// typed ones included: what the report renders generically.
    public func sections() throws -> [String: DataValue] {
        var sections = extras
        let encoder = Self.encoder(pretty: false)
        let decoder = JSONDecoder()
        if let metrics { sections["metrics"] = try decoder.decode(DataValue.self, from: encoder.encode(metrics)) }
        if let robustness {
            sections["robustness"] = try decoder.decode(DataValue.self, from: encoder.encode(robustness))
        }
        if let culturalMap {
            sections["cultural_map"] = try decoder.decode(DataValue.self, from: encoder.encode(culturalMap))
        }
        if let preferences {
            sections["preferences"] = try decoder.decode(DataValue.self, from: encoder.encode(preferences))
        }
        if let vsm2013 {
            sections["vsm_2013"] = try decoder.decode(DataValue.self, from: encoder.encode(vsm2013))
        }
        if let calibration {
            sections["calibration"] = try decoder.decode(DataValue.self, from: encoder.encode(calibration))
        }
        if let card { sections["card"] = try decoder.decode(DataValue.self, from: encoder.encode(card)) }
        return sections
    }

    // MARK: - Coding

    /// The encoder of `results.json` (pretty) and of `samples.jsonl` lines (compact): sorted snake_case keys,
    /// unescaped slashes, ISO-8601 dates.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [
                .sortedKeys, .withoutEscapingSlashes,
            ]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// The decoder of both files: snake_case keys to camelCase (``SnakeCaseKeys``).
    public static func decoder() -> JSONDecoder { SnakeCaseKeys.decoder() }

    /// `results.json`: pretty, sorted keys, ending in a line feed.
    public func encoded() throws -> Data {
        var data = try Self.encoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// Decodes a `results.json` document, any version.
    /// - Throws: ``ReportLoadError`` naming `path`.
    public static func decode(_ data: Data, path: String = resultsFileName) throws -> ResultsDocument {
        do {
            var document = try decoder().decode(ResultsDocument.self, from: data)
            // Extras keep their keys as written: read them without the key strategy, which would rename them.
            let all = try JSONDecoder().decode([String: DataValue].self, from: data)
            for (key, value) in all where !known.contains(key) { document.extras[key] = value }
            struct Card: Decodable { var robustness: RobustnessCard? }
            document.robustness = (try? JSONDecoder().decode(Card.self, from: data))?.robustness
            struct RunCardSection: Decodable { var card: RunCard? }
            document.card = (try? JSONDecoder().decode(RunCardSection.self, from: data))?.card
            if document.metrics == nil, let metrics = all["metrics"] { document.extras["metrics"] = metrics }
            if document.robustness == nil, let card = all["robustness"] { document.extras["robustness"] = card }
            if document.culturalMap == nil, let map = all["cultural_map"] { document.extras["cultural_map"] = map }
            if document.preferences == nil, let found = all["preferences"] { document.extras["preferences"] = found }
            if document.vsm2013 == nil, let found = all["vsm_2013"] { document.extras["vsm_2013"] = found }
            if document.calibration == nil, let found = all["calibration"] { document.extras["calibration"] = found }
            if document.card == nil, let found = all["card"] { document.extras["card"] = found }
            return document
        } catch {
            throw ReportLoadError(path: path, line: nil, message: "not a CultureLens results.json: \(describe(error))")
        }
    }

    /// Reads `results.json` at `url`.
    /// - Throws: ``ReportLoadError`` naming the file.
    public static func read(contentsOf url: URL) throws -> ResultsDocument {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportLoadError(path: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path)
    }

    /// Writes `results.json` into `directory` (created if needed) atomically.
    public func write(into directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try encoded().write(to: directory.appendingPathComponent(Self.resultsFileName), options: .atomic)
    }

    /// A decoding error as a short message naming the field path.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(([key] + context.codingPath.reversed()).reversed().map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "invalid JSON" : "invalid value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            "\(error)"
        }
    }
}

extension ResultsDocument: Codable {
    /// The top-level keys this type owns; any other key is an extra.
    fileprivate static let known: Set<String> = [
        "schema", "version", "tool", "run", "summary", "metrics", "robustness", "cultural_map", "preferences",
        "vsm_2013", "calibration", "card", "diagnostics",
    ]

    /// Decodes the typed sections but `robustness` and `card`; ``decode(_:path:)`` adds them and the ``extras``. A `metrics` or
    /// `robustness` section whose shape is not this build's is left out and kept as an extra.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if let schema = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("schema")), schema != Self.schema {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("schema"),
                in: c,
                debugDescription: "schema is '\(schema)', not '\(Self.schema)'"
            )
        }
        version = try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("version")) ?? 1
        tool = ((try? c.decodeIfPresent(Tool.self, forKey: AnyCodingKey("tool"))) ?? nil) ?? Tool(name: "", version: "")
        run = try c.decode(Run.self, forKey: AnyCodingKey("run"))
        summary = try c.decode(RunSummary.self, forKey: AnyCodingKey("summary"))
        diagnostics = try c.decodeIfPresent([Diagnostic].self, forKey: AnyCodingKey("diagnostics"))
        metrics = (try? c.decodeIfPresent(BenchmarkMetrics.self, forKey: AnyCodingKey("metrics"))) ?? nil
        // The key strategy has already turned `cultural_map` into `culturalMap`.
        culturalMap =
            (try? c.decodeIfPresent(InglehartWelzelPlacement.self, forKey: AnyCodingKey("culturalMap"))) ?? nil
        preferences =
            (try? c.decodeIfPresent(PreferenceAnalysis.Report.self, forKey: AnyCodingKey("preferences"))) ?? nil
        vsm2013 = (try? c.decodeIfPresent(VSM2013Analysis.self, forKey: AnyCodingKey("vsm2013"))) ?? nil
        calibration = (try? c.decodeIfPresent(Calibration.self, forKey: AnyCodingKey("calibration"))) ?? nil
        // The card spells its own keys (acronyms do not round-trip through the strategy): ``decode(_:path:)``
        // reads it without the strategy.
        robustness = nil
        card = nil
        extras = [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(Self.schema, forKey: AnyCodingKey("schema"))
        try c.encode(version, forKey: AnyCodingKey("version"))
        try c.encode(tool, forKey: AnyCodingKey("tool"))
        try c.encode(run, forKey: AnyCodingKey("run"))
        try c.encode(summary, forKey: AnyCodingKey("summary"))
        try c.encodeIfPresent(metrics, forKey: AnyCodingKey("metrics"))
        try c.encodeIfPresent(robustness, forKey: AnyCodingKey("robustness"))
        try c.encodeIfPresent(culturalMap, forKey: AnyCodingKey("cultural_map"))
        try c.encodeIfPresent(preferences, forKey: AnyCodingKey("preferences"))
        try c.encodeIfPresent(vsm2013, forKey: AnyCodingKey("vsm_2013"))
        try c.encodeIfPresent(calibration, forKey: AnyCodingKey("calibration"))
        try c.encodeIfPresent(card, forKey: AnyCodingKey("card"))
        try c.encodeIfPresent(diagnostics, forKey: AnyCodingKey("diagnostics"))
        for (key, value) in extras where !Self.known.contains(key) {
            try c.encode(Verbatim(value), forKey: AnyCodingKey(key))
        }
    }
}

/// A JSON value written with its object keys as they are: objects go through `[String: Verbatim]`, whose keys a
/// key encoding strategy leaves alone (a keyed container would have them snake_cased, `JP` becoming `jp`).
private struct Verbatim: Encodable {
    var value: DataValue

    init(_ value: DataValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .array(let values):
            var container = encoder.singleValueContainer()
            try container.encode(values.map(Verbatim.init))
        case .object(let entries):
            var container = encoder.singleValueContainer()
            try container.encode(
                Dictionary(entries.map { ($0.key, Verbatim($0.value)) }, uniquingKeysWith: { first, _ in first })
            )
        default:
            try value.encode(to: encoder)
        }
    }
}

extension ResultsDocument.Run {
    /// The section of `record`; dates as ISO 8601 (seconds, UTC). `variants` are not written: version 1 files
    /// did not carry them and the samples name their variant.
    public init(_ record: RunRecord, settings: [String: String]) {
        let formatter = ISO8601DateFormatter()
        self.init(
            id: record.id,
            suite: record.suite,
            suiteVersion: record.suiteVersion,
            specHash: record.specHash,
            model: record.model,
            endpoint: record.endpoint,
            api: record.api.rawValue,
            scoring: record.scoring.rawValue,
            itemCount: record.itemCount,
            status: record.status.rawValue,
            createdAt: formatter.string(from: record.createdAt),
            finishedAt: record.finishedAt.map { formatter.string(from: $0) },
            toolVersion: record.toolVersion,
            settings: settings,
            variants: nil
        )
    }

    /// Decodes leniently: missing or mistyped fields become empty, so older or newer files still render.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func string(_ key: CodingKeys) -> String { (try? c.decodeIfPresent(String.self, forKey: key)) ?? "" }
        self.init(
            id: string(.id),
            suite: string(.suite),
            suiteVersion: string(.suiteVersion),
            specHash: string(.specHash),
            model: string(.model),
            endpoint: string(.endpoint),
            api: string(.api),
            scoring: string(.scoring),
            itemCount: (try? c.decodeIfPresent(Int.self, forKey: .itemCount)) ?? 0,
            status: string(.status),
            createdAt: Self.date(c, .createdAt) ?? "",
            finishedAt: Self.date(c, .finishedAt),
            toolVersion: string(.toolVersion),
            settings: (try? c.decodeIfPresent([String: String].self, forKey: .settings)) ?? [:],
            variants: (try? c.decodeIfPresent([String].self, forKey: .variants)) ?? nil
        )
    }
}

public import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
public import Foundation

/// One run as the HTML report and the dashboard see it: metadata, summary, samples and any extra sections of
/// `results.json` (robustness, steerability...). Built from a run directory (``load(directory:)``) or from the
/// store (``init(run:results:label:settings:)``).
public struct ReportRun: Sendable, Hashable {
    /// The `run` section of `results.json`.
    public struct Metadata: Sendable, Hashable, Codable {
        public var id: String
        public var suite: String
        public var suiteVersion: String
        public var specHash: String
        public var model: String
        /// Display endpoint; credentials and query strings are removed on load.
        public var endpoint: String
        public var api: String
        public var scoring: String
        public var itemCount: Int
        public var status: String
        /// As written (ISO 8601), or empty.
        public var createdAt: String
        public var finishedAt: String?
        public var toolVersion: String
        /// Settings; keys that look like secrets are dropped on load.
        public var settings: [String: String]
        /// Prompt variants evaluated, when recorded.
        public var variants: [String]?

        enum CodingKeys: String, CodingKey {
            case id, suite, model, endpoint, api, scoring, status, settings, variants
            case suiteVersion = "suite_version"
            case specHash = "spec_hash"
            case itemCount = "item_count"
            case createdAt = "created_at"
            case finishedAt = "finished_at"
            case toolVersion = "tool_version"
        }

        /// Creates metadata.
        public init(
            id: String,
            suite: String,
            suiteVersion: String,
            specHash: String,
            model: String,
            endpoint: String,
            api: String,
            scoring: String,
            itemCount: Int,
            status: String,
            createdAt: String,
            finishedAt: String?,
            toolVersion: String,
            settings: [String: String],
            variants: [String]?
        ) {
            self.id = id
            self.suite = suite
            self.suiteVersion = suiteVersion
            self.specHash = specHash
            self.model = model
            self.endpoint = Redaction.endpoint(endpoint)
            self.api = api
            self.scoring = scoring
            self.itemCount = itemCount
            self.status = status
            self.createdAt = createdAt
            self.finishedAt = finishedAt
            self.toolVersion = toolVersion
            self.settings = Redaction.settings(settings)
            self.variants = variants
        }

        /// Decodes leniently: missing fields become empty, so older or newer files still render.
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

        /// A date written as ISO-8601 text or as seconds since 1970.
        private static func date(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
            if let text = try? c.decodeIfPresent(String.self, forKey: key) { return text }
            if let seconds = try? c.decodeIfPresent(Double.self, forKey: key) {
                return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
            }
            return nil
        }
    }

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
    /// Top-level sections of `results.json` other than `tool`, `run` and `summary` (e.g. `robustness`).
    public var extras: [String: JSONValue]

    /// Creates a run from its parts.
    public init(
        metadata: Metadata,
        writerVersion: String,
        label: String? = nil,
        summary: RunSummary,
        samples: [ReportSample],
        extras: [String: JSONValue] = [:]
    ) {
        self.metadata = metadata
        self.writerVersion = writerVersion
        self.label = label
        self.summary = summary
        self.samples = samples
        self.extras = extras
    }

    /// A run from the store: summary and samples are computed from `results`; option texts come from the
    /// built-in suite of the same name when its spec hash matches.
    public init(run: RunRecord, results: [ItemResult], label: String? = nil, settings: [String: String] = [:]) {
        let formatter = ISO8601DateFormatter()
        metadata = Metadata(
            id: run.id,
            suite: run.suite,
            suiteVersion: run.suiteVersion,
            specHash: run.specHash,
            model: run.model,
            endpoint: run.endpoint,
            api: run.api.rawValue,
            scoring: run.scoring.rawValue,
            itemCount: run.itemCount,
            status: run.status.rawValue,
            createdAt: formatter.string(from: run.createdAt),
            finishedAt: run.finishedAt.map { formatter.string(from: $0) },
            toolVersion: run.toolVersion,
            settings: settings,
            variants: run.variants
        )
        writerVersion = CultureLensVersion.current
        self.label = label
        summary = RunSummary(results: results, itemCount: run.itemCount)
        let items = Self.builtInItems(suite: run.suite)
        samples = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }.map { result in
            ReportSample(result: result, item: items[result.itemID])
        }
        extras = [:]
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
        let resultsURL = directory.appendingPathComponent("results.json")
        let samplesURL = directory.appendingPathComponent("samples.jsonl")
        let resultsData: Data
        do {
            resultsData = try Data(contentsOf: resultsURL)
        } catch {
            throw ReportLoadError(
                path: resultsURL.path,
                line: nil,
                message: "cannot read: \(error.localizedDescription)"
            )
        }
        var run = try decodeResults(resultsData, path: resultsURL.path)
        if FileManager.default.fileExists(atPath: samplesURL.path) {
            let (samples, digests) = try readSamples(samplesURL, fullLimit: sampleLimit.map { max(1, $0) })
            run.samples = samples
            run.loadedDigests = digests
        }
        return run
    }

    /// Decodes `samples.jsonl` at `url` (blank lines are skipped): the first `fullLimit` samples in full (all
    /// without a limit), and with a limit the digests of all of them.
    static func readSamples(_ url: URL, fullLimit: Int?) throws -> ([ReportSample], [ReportSample.Digest]?) {
        let reader: JSONLinesReader
        do {
            reader = try JSONLinesReader(url: url)
        } catch {
            throw ReportLoadError(path: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        var samples: [ReportSample] = []
        var digests: [ReportSample.Digest]? = fullLimit == nil ? nil : []
        while true {
            let line: Data
            do {
                guard let next = try reader.next() else { break }
                line = next
            } catch {
                throw ReportLoadError(
                    path: url.path,
                    line: nil,
                    message: "cannot read: \(error.localizedDescription)"
                )
            }
            if isBlank(line) { continue }
            do {
                if let fullLimit, samples.count >= fullLimit {
                    digests?.append(try decoder.decode(ReportSample.Digest.self, from: line))
                } else {
                    let sample = try decoder.decode(ReportSample.self, from: line)
                    samples.append(sample)
                    digests?.append(sample.digest)
                }
            } catch {
                throw ReportLoadError(path: url.path, line: reader.lineNumber, message: Self.describe(error))
            }
        }
        return (samples, digests)
    }

    private static func isBlank(_ line: Data) -> Bool {
        // Every sample line starts with `{`; only other lines need the byte-by-byte check.
        if line.first == UInt8(ascii: "{") { return false }
        return line.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }
    }

    /// Decodes a `results.json` document (without samples).
    public static func decodeResults(_ data: Data, path: String = "results.json") throws -> ReportRun {
        struct Document: Decodable {
            var tool: [String: String]?
            var run: Metadata
            var summary: RunSummary
        }
        let decoder = JSONDecoder()
        let document: Document
        let all: [String: JSONValue]
        do {
            document = try decoder.decode(Document.self, from: data)
            all = try decoder.decode([String: JSONValue].self, from: data)
        } catch {
            throw ReportLoadError(
                path: path,
                line: nil,
                message: "not a CultureLens results.json: \(Self.describe(error))"
            )
        }
        var extras = all
        for key in ["tool", "run", "summary"] { extras.removeValue(forKey: key) }
        return ReportRun(
            metadata: document.run,
            writerVersion: document.tool?["version"] ?? document.run.toolVersion,
            summary: document.summary,
            samples: [],
            extras: extras
        )
    }

    /// Decodes `samples.jsonl` (blank lines are skipped).
    public static func decodeSamples(_ data: Data, path: String = "samples.jsonl") throws -> [ReportSample] {
        let decoder = JSONDecoder()
        var samples: [ReportSample] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                samples.append(try decoder.decode(ReportSample.self, from: Data(line)))
            } catch {
                throw ReportLoadError(path: path, line: lineNumber, message: Self.describe(error))
            }
        }
        return samples
    }

    private static func describe(_ error: any Error) -> String {
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

/// One line of `samples.jsonl`.
public struct ReportSample: Sendable, Hashable, Codable {
    /// How an item ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Scored 1.
        case correct
        /// Scored below 1.
        case incorrect
        /// No score because of a failure (HTTP error, refusal, parse failure...).
        case failed
        /// No score and no failure (an item without a right answer, such as a survey question).
        case unscored
    }

    public var itemID: String
    public var itemIndex: Int
    public var variant: String
    public var culture: String
    public var topic: String
    public var prompt: String
    public var response: String?
    public var distribution: [Double]?
    public var outsideMass: Double?
    public var predicted: Int?
    public var predictedChoice: String?
    public var gold: [Int]
    public var score: Double?
    public var error: String?
    public var errorDetail: String?
    public var cached: Bool
    public var attempts: Int

    enum CodingKeys: String, CodingKey {
        case variant, culture, topic, prompt, response, distribution, predicted, gold, score, error, cached, attempts
        case itemID = "item_id"
        case itemIndex = "item_index"
        case outsideMass = "outside_mass"
        case predictedChoice = "predicted_choice"
        case errorDetail = "error_detail"
    }

    /// Creates a sample.
    public init(
        itemID: String,
        itemIndex: Int,
        variant: String = "default",
        culture: String,
        topic: String,
        prompt: String,
        response: String?,
        distribution: [Double]? = nil,
        outsideMass: Double? = nil,
        predicted: Int?,
        predictedChoice: String?,
        gold: [Int],
        score: Double?,
        error: String?,
        errorDetail: String? = nil,
        cached: Bool = false,
        attempts: Int = 1
    ) {
        self.itemID = itemID
        self.itemIndex = itemIndex
        self.variant = variant
        self.culture = culture
        self.topic = topic
        self.prompt = prompt
        self.response = response
        self.distribution = distribution
        self.outsideMass = outsideMass
        self.predicted = predicted
        self.predictedChoice = predictedChoice
        self.gold = gold
        self.score = score
        self.error = error
        self.errorDetail = errorDetail
        self.cached = cached
        self.attempts = attempts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try c.decode(String.self, forKey: .itemID)
        itemIndex = try c.decodeIfPresent(Int.self, forKey: .itemIndex) ?? 0
        variant = try c.decodeIfPresent(String.self, forKey: .variant) ?? "default"
        culture = try c.decodeIfPresent(String.self, forKey: .culture) ?? ""
        topic = try c.decodeIfPresent(String.self, forKey: .topic) ?? ""
        prompt = try c.decodeIfPresent(String.self, forKey: .prompt) ?? ""
        response = try c.decodeIfPresent(String.self, forKey: .response)
        distribution = try c.decodeIfPresent([Double].self, forKey: .distribution)
        outsideMass = try c.decodeIfPresent(Double.self, forKey: .outsideMass)
        predicted = try c.decodeIfPresent(Int.self, forKey: .predicted)
        predictedChoice = try c.decodeIfPresent(String.self, forKey: .predictedChoice)
        gold = try c.decodeIfPresent([Int].self, forKey: .gold) ?? []
        score = try c.decodeIfPresent(Double.self, forKey: .score)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        errorDetail = try c.decodeIfPresent(String.self, forKey: .errorDetail)
        cached = try c.decodeIfPresent(Bool.self, forKey: .cached) ?? false
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
    }

    /// How the item ended.
    public var outcome: Outcome {
        if error != nil { return .failed }
        guard let score else { return .unscored }
        return score >= 1 ? .correct : .incorrect
    }
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

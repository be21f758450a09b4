public import CultureLensCore
public import CultureLensFormats
public import Foundation

/// One run as an Every Eval Ever (EEE, schema 0.3.0) record: the aggregate JSON and its instance-level samples
/// file, laid out as the EEE datastore lays them out (``directory``), so `DIR/data/...` can be copied into it.
///
/// Everything comes from the run as `report` reads it (``ReportRun``), so the record holds exactly what
/// `results.json` and `samples.jsonl` hold: accuracy overall, per culture and per topic (Wilson 95% intervals and
/// n), the suite's own figures (headline, breakdowns, survey similarity, group scoring, agreement, subset gap, each
/// with its interval) and the calibration ECE land in `evaluation_results` with their `uncertainty`; every
/// `results.json` section (summary, metrics, robustness card, cultural map, preferences, VSM-2013, calibration,
/// diagnostics...) is carried whole, as compact JSON text, in `eval_library.additional_details` (`results.KEY`),
/// because the schema's extension fields hold strings only. The run's metadata is redacted (``Redaction``) before
/// any of it is written.
///
/// The output is deterministic: keys sorted, results in a fixed order, timestamps from the run (not the clock)
/// and the file UUID derived from the run id and spec hash.
public struct EveryEvalEverRecord: Sendable {
    /// The EEE schema version written.
    public static let schemaVersion = "0.3.0"

    /// Who ran the evaluation, for `source_metadata`.
    public struct Options: Sendable, Hashable {
        /// `source_metadata.source_organization_name`.
        public var organization: String
        /// `source_metadata.evaluator_relationship`: `first_party`, `third_party`, `collaborative` or `other`.
        public var evaluatorRelationship: String
        /// The developer folder of the datastore path when the model name has no `developer/` prefix.
        public var developer: String?

        /// The relationships the schema allows.
        public static let relationships = ["first_party", "third_party", "collaborative", "other"]

        /// Creates options.
        public init(organization: String = "", evaluatorRelationship: String = "third_party", developer: String? = nil)
        {
            self.organization = organization
            self.evaluatorRelationship = evaluatorRelationship
            self.developer = developer
        }
    }

    /// The run.
    public let run: ReportRun
    /// Items of the run's suite by id, when known: they give option texts (`input.choices`, `input.reference`).
    public let items: [String: Item]
    /// The options.
    public let options: Options

    /// A record of `run`; `items` default to the built-in suite of the same name.
    public init(run: ReportRun, items: [String: Item]? = nil, options: Options = Options()) {
        var redacted = run
        redacted.metadata = run.metadata.redacted()
        self.run = redacted
        self.items = items ?? ReportRun.builtInItems(suite: run.metadata.suite)
        self.options = options
    }

    // MARK: - Identity and layout

    /// A UUIDv4 (version and variant bits set) from the SHA-256 of the run id and spec hash: the same run always
    /// gets the same file names.
    public var fileUUID: String {
        var bytes = Array(
            Hashing.sha256Hex(of: Data("\(run.metadata.id)\n\(run.metadata.specHash)".utf8)).utf8.prefix(32)
        )
        bytes[12] = UInt8(ascii: "4")
        let variant = "89ab".utf8.map { $0 }
        bytes[16] = variant[Int(Self.hexValue(bytes[16]) % 4)]
        let text = String(decoding: bytes, as: UTF8.self)
        let cuts = [0, 8, 12, 16, 20, 32].map { text.index(text.startIndex, offsetBy: $0) }
        return (0..<5).map { String(text[cuts[$0]..<cuts[$0 + 1]]) }.joined(separator: "-")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") ? byte - UInt8(ascii: "a") + 10 : byte - UInt8(ascii: "0")
    }

    /// `data/COLLECTION/DEVELOPER/MODEL`: the collection is `culturelens_SUITE`; the developer is the model name's
    /// prefix before `/`, else ``Options/developer``, else `unattributed`. Characters other than letters, digits,
    /// `.`, `_` and `-` become `_`.
    public var directory: String {
        let model = run.metadata.model
        let developer: String
        let name: String
        if let slash = model.firstIndex(of: "/") {
            developer = String(model[..<slash])
            name = String(model[model.index(after: slash)...])
        } else {
            developer = options.developer ?? "unattributed"
            name = model
        }
        return ["data", "culturelens_" + run.metadata.suite, developer, name].enumerated().map { index, part in
            index == 0 ? part : Self.pathComponent(part)
        }.joined(separator: "/")
    }

    static func pathComponent(_ text: String) -> String {
        let safe = String(
            text.unicodeScalars.map { scalar -> Character in
                let ok =
                    (scalar.value < 128 && CharacterSet.alphanumerics.contains(scalar))
                    || ".-_".unicodeScalars.contains(scalar)
                return ok ? Character(scalar) : "_"
            }
        )
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return trimmed.isEmpty || trimmed == "data" || trimmed.lowercased() == "unknown" ? "_" + trimmed : trimmed
    }

    /// The aggregate file's path relative to the output directory.
    public var aggregatePath: String { "\(directory)/\(fileUUID).json" }
    /// The samples file's path relative to the output directory (also `detailed_evaluation_results.file_path`).
    public var samplesPath: String { "\(directory)/\(fileUUID)_samples.jsonl" }

    /// Seconds since 1970 of the run's end (else its start), as text: `retrieved_timestamp`. From the run rather
    /// than the clock, so exporting twice gives the same bytes.
    var timestamp: String {
        let text = run.metadata.finishedAt ?? run.metadata.createdAt
        guard let date = try? Date(text, strategy: .iso8601) else { return "0" }
        return String(Int(date.timeIntervalSince1970))
    }

    /// `SUITE/MODEL/TIMESTAMP`, the form the schema recommends.
    public var evaluationID: String { "\(run.metadata.suite)/\(run.metadata.model)/\(timestamp)" }

    // MARK: - Writing

    /// Writes both files under `directory` (created as needed) and returns their URLs (aggregate, samples).
    @discardableResult
    public func write(into directory: URL) throws -> (aggregate: URL, samples: URL) {
        let samples = try samplesJSONL()
        let aggregate = try aggregateJSON(samplesFile: samples)
        let aggregateURL = directory.appendingPathComponent(aggregatePath)
        let samplesURL = directory.appendingPathComponent(samplesPath)
        try FileManager.default.createDirectory(
            at: aggregateURL.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try samples.write(to: samplesURL, options: .atomic)
        try aggregate.write(to: aggregateURL, options: .atomic)
        return (aggregateURL, samplesURL)
    }

    /// The aggregate record (pretty, sorted keys, ending in a line feed); `samplesFile` is the samples file's
    /// bytes, for its checksum and row count.
    public func aggregateJSON(samplesFile: Data) throws -> Data {
        var data = try Self.encoder(pretty: true).encode(aggregate(samplesFile: samplesFile))
        data.append(0x0A)
        return data
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Compact sorted JSON text of `value`, as the schema's string-valued extension fields hold it.
    static func text(_ value: DataValue) -> String {
        (try? encoder(pretty: false).encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// Compact sorted JSON text of a typed `results.json` section, keys as `results.json` writes them.
    static func text(_ value: some Encodable) -> String {
        (try? ResultsDocument.encoder(pretty: false).encode(value)).map { String(decoding: $0, as: UTF8.self) }
            ?? "null"
    }

    // MARK: - The aggregate

    func aggregate(samplesFile: Data) -> DataValue {
        let metadata = run.metadata
        let rows = samplesFile.split(separator: 0x0A).count
        var record: [String: DataValue] = [
            "schema_version": .string(Self.schemaVersion),
            "evaluation_id": .string(evaluationID),
            "retrieved_timestamp": .string(timestamp),
            "source_metadata": DataValue(sourceMetadata),
            "model_info": modelInfo,
            "eval_library": DataValue([
                "name": .string("culturelens"),
                "version": .string(run.writerVersion.isEmpty ? "unknown" : run.writerVersion),
                "additional_details": DataValue(sections.mapValues(DataValue.string)),
            ]),
            "evaluation_results": .array(evaluationResults),
            "detailed_evaluation_results": DataValue([
                "format": .string("jsonl"),
                "file_path": .string(samplesPath),
                "hash_algorithm": .string("sha256"),
                "checksum": .string(Hashing.sha256Hex(of: samplesFile)),
                "total_rows": .number(Double(rows)),
            ]),
        ]
        if !metadata.createdAt.isEmpty { record["evaluation_timestamp"] = .string(metadata.createdAt) }
        return DataValue(record)
    }

    var sourceMetadata: [String: DataValue] {
        let metadata = run.metadata
        var details: [String: String] = [
            "run_id": metadata.id,
            "suite": metadata.suite,
            "suite_version": metadata.suiteVersion,
            "spec_hash": metadata.specHash,
            "status": metadata.status,
            "item_count": String(metadata.itemCount),
            "api": metadata.api,
            "scoring": metadata.scoring,
            "tool_version": metadata.toolVersion,
            "created_at": metadata.createdAt,
        ]
        if let finished = metadata.finishedAt { details["finished_at"] = finished }
        if let variants = metadata.variants { details["variants"] = variants.joined(separator: ",") }
        return [
            "source_name": .string("CultureLens"),
            "source_type": .string("evaluation_run"),
            "source_organization_name": .string(options.organization),
            "evaluator_relationship": .string(options.evaluatorRelationship),
            "additional_details": DataValue(details.filter { !$0.value.isEmpty }.mapValues(DataValue.string)),
        ]
    }

    var modelInfo: DataValue {
        let metadata = run.metadata
        let host = URLComponents(string: metadata.endpoint)?.host ?? ""
        let local = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) || metadata.model.hasPrefix("local:")
        var details: [String: String] = [
            "deployment_type": local ? "self_deployed" : "unknown",
            "model_availability": "unknown",
        ]
        if !metadata.endpoint.isEmpty { details["endpoint"] = metadata.endpoint }
        if !metadata.api.isEmpty { details["api"] = metadata.api }
        var info: [String: DataValue] = [
            "name": .string(metadata.model),
            "id": .string(metadata.model),
            "additional_details": DataValue(details.mapValues(DataValue.string)),
        ]
        if let slash = metadata.model.firstIndex(of: "/") {
            info["developer"] = .string(String(metadata.model[..<slash]))
        } else if let developer = options.developer {
            info["developer"] = .string(developer)
        }
        return DataValue(info)
    }

    /// Every `results.json` section as compact JSON text under `results.KEY`, plus the redacted settings.
    var sections: [String: String] {
        var sections: [String: String] = ["results.summary": Self.text(run.summary)]
        for (key, value) in run.extras { sections["results." + key] = Self.text(value) }
        if let map = run.culturalMap { sections["results.cultural_map"] = Self.text(map) }
        if let preferences = run.preferences { sections["results.preferences"] = Self.text(preferences) }
        if let vsm2013 = run.vsm2013 { sections["results.vsm_2013"] = Self.text(vsm2013) }
        if let calibration = run.calibration { sections["results.calibration"] = Self.text(calibration) }
        if let card = run.card { sections["results.card"] = Self.text(card) }
        if !run.metadata.settings.isEmpty {
            sections["run.settings"] = Self.text(DataValue(run.metadata.settings.mapValues(DataValue.string)))
        }
        return sections
    }
}

import CultureLensCore
import Foundation

/// The pure part of provider batch mode: which requests go into which batch input file, and what the output and
/// error files say about each of them. The line formats default to the OpenAI Batch API's; a ``BatchProvider``
/// passes its own input line (Anthropic's `{"custom_id","params"}`) and reads its results with `parseLines`.
///
/// Requests are deduplicated by cache key, and the cache key is each line's `custom_id`, so results map back to
/// requests exactly whatever order the provider returns them in. Bodies are produced by the caller (the
/// interactive client's own encoder), so a batch line carries byte-for-byte the body an interactive call would send.
///
/// ```swift
/// let plan = BatchPlan(requests: runner.requests(for: suite), model: "gpt-4o-mini")
/// let chunks = plan.chunks { OpenAIClient.requestBody(for: $0, model: plan.model) }
/// // upload chunks[i].jsonl, create a batch for chunks[i].endpoint, wait, download, then:
/// let parsed = BatchPlan.parseResults(output, file: "output") { try OpenAIClient.decodeResponse($0, api: .chat) }
/// ```
public struct BatchPlan: Sendable {
    /// One distinct request: its cache key (also its `custom_id`) and the request.
    public struct Entry: Sendable, Hashable {
        /// Cache key under the plan's model; the line's `custom_id`.
        public var key: String
        /// The request.
        public var request: ModelRequest

        /// Creates an entry.
        public init(key: String, request: ModelRequest) {
            self.key = key
            self.request = request
        }
    }

    /// The input of one batch: requests of one API, within the provider's size limits.
    public struct Chunk: Sendable, Hashable {
        /// The API every line of the chunk calls.
        public var api: ModelAPI
        /// Cache keys of the lines, in file order.
        public var keys: [String]
        /// The JSONL input file: one line per key, each ending in `\n`.
        public var jsonl: Data

        /// The batch `endpoint` (and each line's `url`).
        public var endpoint: String { BatchPlan.endpoint(for: api) }
    }

    /// Most requests per batch by default: the OpenAI limit.
    public static let defaultMaxRequests = 50_000
    /// Most input-file bytes per batch by default: under the OpenAI limit of 200 MB, leaving room for the
    /// multipart envelope and for providers that count in MiB or MB.
    public static let defaultMaxBytes = 190_000_000

    /// Model name: part of every cache key and of every body.
    public let model: String
    /// Distinct requests in first-seen order.
    public let entries: [Entry]
    private let positions: [String: Int]

    /// Plans `requests` (duplicates removed by cache key, first occurrence kept).
    public init(requests: some Sequence<ModelRequest>, model: String) {
        var entries: [Entry] = []
        var positions: [String: Int] = [:]
        for request in requests {
            let key = request.cacheKey(model: model)
            guard positions[key] == nil else { continue }
            positions[key] = entries.count
            entries.append(Entry(key: key, request: request))
        }
        self.model = model
        self.entries = entries
        self.positions = positions
    }

    /// Distinct requests.
    public var count: Int { entries.count }

    /// All cache keys, in first-seen order.
    public var keys: [String] { entries.map(\.key) }

    /// The request whose cache key is `key`.
    public func request(forKey key: String) -> ModelRequest? {
        positions[key].map { entries[$0].request }
    }

    /// The batch endpoint and line `url` of an API.
    public static func endpoint(for api: ModelAPI) -> String {
        switch api {
        case .completions: "/v1/completions"
        case .chat: "/v1/chat/completions"
        }
    }

    /// One input line, without its newline: `{"custom_id":…,"method":"POST","url":…,"body":<body>}`.
    ///
    /// `body` is spliced in as it is (it must be one JSON object), so it stays byte-identical to an interactive body.
    public static func inputLine(customID: String, api: ModelAPI, body: Data) -> Data {
        var line = Data(#"{"custom_id":"#.utf8)
        line.append(CanonicalJSON.encode(customID))
        line.append(Data(#","method":"POST","url":"#.utf8))
        line.append(CanonicalJSON.encode(endpoint(for: api)))
        line.append(Data(#","body":"#.utf8))
        line.append(body)
        line.append(Data("}".utf8))
        return line
    }

    /// Splits the plan into batch inputs: one API per chunk, at most `maxRequests` lines and `maxBytes` bytes each
    /// (a single line larger than `maxBytes` gets a chunk of its own, for the provider to refuse).
    /// - Parameters:
    ///   - maxRequests: Most lines per chunk (at least 1).
    ///   - maxBytes: Most bytes per input file, newlines included.
    ///   - body: The JSON body of a request, as the interactive client sends it.
    ///   - line: One input line from `custom_id`, API and body (default: the OpenAI line, ``inputLine(customID:api:body:)``).
    public func chunks(
        maxRequests: Int = defaultMaxRequests,
        maxBytes: Int = defaultMaxBytes,
        body: (ModelRequest) -> Data,
        line inputLine: (String, ModelAPI, Data) -> Data = BatchPlan.inputLine
    ) -> [Chunk] {
        let limit = max(1, maxRequests)
        var chunks: [Chunk] = []
        for api in ModelAPI.allCases {
            var current = Chunk(api: api, keys: [], jsonl: Data())
            for entry in entries where entry.request.api == api {
                var line = inputLine(entry.key, api, body(entry.request))
                line.append(0x0A)
                if !current.keys.isEmpty, current.keys.count >= limit || current.jsonl.count + line.count > maxBytes {
                    chunks.append(current)
                    current = Chunk(api: api, keys: [], jsonl: Data())
                }
                current.keys.append(entry.key)
                current.jsonl.append(line)
            }
            if !current.keys.isEmpty { chunks.append(current) }
        }
        return chunks
    }

    /// The input file for `keys` (those this plan knows, in the given order), e.g. to upload a chunk recorded by
    /// an earlier invocation.
    /// - Returns: the chunk; `nil` when none of the keys is in the plan.
    public func chunk(
        keys: [String],
        body: (ModelRequest) -> Data,
        line inputLine: (String, ModelAPI, Data) -> Data = BatchPlan.inputLine
    ) -> Chunk? {
        let known = keys.compactMap { key in request(forKey: key).map { (key, $0) } }
        guard let api = known.first?.1.api else { return nil }
        var chunk = Chunk(api: api, keys: [], jsonl: Data())
        for (key, request) in known where request.api == api {
            chunk.keys.append(key)
            chunk.jsonl.append(inputLine(key, api, body(request)))
            chunk.jsonl.append(0x0A)
        }
        return chunk
    }

    // MARK: - Results

    /// Parses a batch output or error file into one result per `custom_id`.
    ///
    /// A line with status 200 is decoded by `decodeBody` (the interactive client's decoder, so a batch answer is
    /// exactly what the same interactive answer would be); another status is classified like an interactive HTTP
    /// answer (``ModelFailure/httpStatus(_:body:retryAfter:)``); a line with only an `error` object becomes a failure
    /// by its code. Lines that cannot be attributed to a request (not JSON, no `custom_id`) are reported as problems
    /// with their line number, and parsing goes on: one bad line must not lose a paid-for batch.
    /// - Parameters:
    ///   - data: The file's bytes (JSONL; LF or CRLF; blank lines skipped).
    ///   - file: The file's name in problems, e.g. `output file file-abc`.
    ///   - decodeBody: Decodes a 200 body; throws ``ModelFailure`` (or anything, read as a malformed response).
    public static func parseResults(
        _ data: Data,
        file: String,
        decodeBody: (Data) throws -> ModelResponse
    ) -> BatchResults {
        let decoder = JSONDecoder()
        return parseLines(data, file: file) { bytes in
            let decoded = try decoder.decode(OutputLine.self, from: Data(bytes))
            // The body is handed to the decoder as the raw bytes it came as: no re-encoding, and the decoder
            // sees exactly what an interactive call would have received.
            let body = RawJSON.value(at: ["response", "body"], in: bytes).flatMap { range in
                bytes[range].elementsEqual("null".utf8) ? nil : Data(bytes[range])
            }
            return (decoded.customID, result(of: decoded, body: body, decodeBody: decodeBody))
        }
    }

    /// The line loop of every results format: one result per `custom_id`, from `interpret`, which reads one
    /// non-blank line (without its line break) into its `custom_id` and result and throws when the line is not a
    /// result line. Unreadable lines and lines without a `custom_id` become problems with their line numbers; of a
    /// `custom_id` seen twice, a success beats a failure, otherwise the first line stands.
    static func parseLines(
        _ data: Data,
        file: String,
        interpret: ([UInt8]) throws -> (customID: String?, result: Result<ModelResponse, ModelFailure>)
    ) -> BatchResults {
        var parsed = BatchResults()
        var lineNumber = 0
        for rawLine in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            parsed.lines += 1
            let interpreted: (customID: String?, result: Result<ModelResponse, ModelFailure>)
            do {
                interpreted = try interpret(Array(line))
            } catch {
                let snippet = String(decoding: line.prefix(80), as: UTF8.self)
                parsed.problems.append(
                    .init(file: file, line: lineNumber, message: "not a batch result line: \(snippet)")
                )
                continue
            }
            guard let customID = interpreted.customID, !customID.isEmpty else {
                parsed.problems.append(.init(file: file, line: lineNumber, message: "no custom_id"))
                continue
            }
            let result = interpreted.result
            if let earlier = parsed.results[customID] {
                parsed.problems.append(
                    .init(file: file, line: lineNumber, message: "custom_id \(customID) appears more than once")
                )
                // A success beats a failure; otherwise the first line stands.
                if case .success = earlier { continue }
                if case .failure = result { continue }
            }
            parsed.results[customID] = result
        }
        return parsed
    }

    /// `body` decoded by `decodeBody`, a thrown ``ModelFailure`` as it is and anything else as a malformed response.
    static func decoded(_ body: Data, _ decodeBody: (Data) throws -> ModelResponse) -> Result<
        ModelResponse, ModelFailure
    > {
        do {
            return .success(try decodeBody(body))
        } catch let failure as ModelFailure {
            return .failure(failure)
        } catch {
            return .failure(ModelFailure(kind: .malformedResponse, detail: "undecodable body: \(error)"))
        }
    }

    private static func result(
        of line: OutputLine,
        body: Data?,
        decodeBody: (Data) throws -> ModelResponse
    ) -> Result<ModelResponse, ModelFailure> {
        if let status = line.response?.statusCode {
            guard status == 200 else { return .failure(.httpStatus(status, body: body ?? Data())) }
            if let error = line.error { return .failure(failure(code: error.code, message: error.message)) }
            guard let body else {
                return .failure(ModelFailure(kind: .malformedResponse, detail: "status 200 without a body"))
            }
            return decoded(body, decodeBody)
        }
        if let error = line.error { return .failure(failure(code: error.code, message: error.message)) }
        return .failure(
            ModelFailure(kind: .malformedResponse, detail: "batch line has neither a response nor an error")
        )
    }

    /// A line-level `error` object (no HTTP status) as a failure: expiry is a timeout, rate limits are rate limits,
    /// invalid requests are client errors, anything else is the provider's fault.
    static func failure(code: String?, message: String?) -> ModelFailure {
        let code = code ?? "unknown"
        let lowered = code.lowercased()
        let kind: FailureKind =
            if lowered.contains("expired") {
                .timeout
            } else if lowered.contains("rate_limit") {
                .rateLimited
            } else if lowered.contains("invalid") || lowered.contains("not_found") || lowered.contains("too_large") {
                .clientError
            } else {
                .serverError
            }
        return ModelFailure(kind: kind, detail: "batch error \(code): \(message.map { String($0.prefix(300)) } ?? "")")
    }
}

/// What a batch output or error file said: a result per `custom_id`, and the lines that could not be read.
public struct BatchResults: Sendable {
    /// A response or a classified failure per `custom_id`.
    public var results: [String: Result<ModelResponse, ModelFailure>] = [:]
    /// Lines that could not be attributed to a request, with their line numbers.
    public var problems: [BatchFileProblem] = []
    /// Non-blank lines read.
    public var lines = 0

    /// Creates an empty result set.
    public init() {}
}

/// A line of a batch file that could not be used.
public struct BatchFileProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file, e.g. `output file file-abc`.
    public var file: String
    /// 1-based physical line.
    public var line: Int
    /// What is wrong with it.
    public var message: String

    public var description: String { "\(file) line \(line): \(message)" }
}

// MARK: - Wire types

/// One line of an output or error file: `{"id","custom_id","response":{"status_code","request_id","body"},"error"}`.
private struct OutputLine: Decodable {
    struct Response: Decodable {
        var statusCode: Int?

        enum CodingKeys: String, CodingKey {
            case statusCode = "status_code"
        }
    }

    struct LineError: Decodable {
        var code: String?
        var message: String?
    }

    var customID: String?
    var response: Response?
    var error: LineError?

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id"
        case response, error
    }
}

/// Finds the raw bytes of a value inside a JSON document without building it: a skipping scanner, enough to cut
/// a response body out of a batch line that ``JSONDecoder`` has already validated.
enum RawJSON {
    /// The byte range of the value at `path` (object keys from the top), or `nil` when a key is missing or a
    /// value on the way is not an object. Keys are compared as raw bytes (an escaped key does not match).
    static func value(at path: [String], in bytes: [UInt8]) -> Range<Int>? {
        var index = skipWhitespace(bytes, 0)
        for (depth, key) in path.enumerated() {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
            index += 1
            let wanted = Array(key.utf8)
            var found: Range<Int>?
            while true {
                index = skipWhitespace(bytes, index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                let keyStart = index + 1
                guard let keyEnd = skipString(bytes, index) else { return nil }
                let name = bytes[keyStart..<(keyEnd - 1)]
                index = skipWhitespace(bytes, keyEnd)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index = skipWhitespace(bytes, index + 1)
                guard let valueEnd = skipValue(bytes, index) else { return nil }
                if name.elementsEqual(wanted) {
                    found = index..<valueEnd
                    break
                }
                index = skipWhitespace(bytes, valueEnd)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
            guard let found else { return nil }
            if depth == path.count - 1 { return found }
            index = found.lowerBound
        }
        return nil
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// From an opening quote to just past the closing one.
    private static func skipString(_ bytes: [UInt8], _ start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// From the first byte of a value to just past its last.
    private static func skipValue(_ bytes: [UInt8], _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = skipString(bytes, index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            // A number or a literal: up to the next delimiter.
            while index < bytes.count, !isWhitespace(bytes[index]),
                bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}"), bytes[index] != UInt8(ascii: "]")
            {
                index += 1
            }
            return index
        }
    }
}

public import CultureLensCore
import CultureLensModels
import Foundation
import Synchronization

/// An in-process fake of the OpenAI Batch API (plus the interactive completion endpoints), served by a
/// ``ScriptedHTTPServer``: `POST /v1/files` (multipart), `POST /v1/batches`, `GET /v1/batches[/{id}]`,
/// `GET /v1/files/{id}/content`, `POST /v1/completions`, `POST /v1/chat/completions`, `GET /v1/models`.
///
/// A batch moves `validating` → `in_progress` → `completed` over ``Behaviour/pollsPerPhase`` polls per phase, then
/// answers every input line with ``Answer`` (the same function answers interactive calls, so a batch run and an
/// interactive run see the same answers). ``Behaviour`` makes lines fail (into the error file), go missing, come
/// back in reverse order, or makes whole batches fail.
///
/// All state lives in this object, not in the HTTP server: shut the server down and ``start(port:)`` again (same
/// port) to simulate a provider that kept the batches while the client was gone.
public final class FakeOpenAIBatchServer: Sendable {
    /// What happens to one batch line.
    public enum LineFate: Sendable, Hashable {
        /// Answered with status 200 and the scripted body (output file).
        case answer
        /// Answered with this HTTP status and an error body (error file).
        case httpError(status: Int)
        /// No response, only a line-level error object with this code (error file), e.g. `batch_expired`.
        case lineError(code: String)
        /// Left out of both files.
        case omit
    }

    /// How the fake behaves.
    public struct Behaviour: Sendable {
        /// Status checks spent in `validating`, then as many in `in_progress`, before the batch is final.
        public var pollsPerPhase: Int
        /// Whether output lines come back in reverse input order.
        public var reverseOutput: Bool
        /// Whether batches end `failed` (as after a validation error), without output.
        public var failBatches: Bool
        /// When set, requests without `Authorization: Bearer <apiKey>` get 401.
        public var apiKey: String?
        /// The fate of each batch line, from its prompt.
        public var fate: @Sendable (_ prompt: String) -> LineFate

        /// Creates a behaviour.
        public init(
            pollsPerPhase: Int = 1,
            reverseOutput: Bool = false,
            failBatches: Bool = false,
            apiKey: String? = nil,
            fate: @escaping @Sendable (_ prompt: String) -> LineFate = { _ in .answer }
        ) {
            self.pollsPerPhase = pollsPerPhase
            self.reverseOutput = reverseOutput
            self.failBatches = failBatches
            self.apiKey = apiKey
            self.fate = fate
        }
    }

    /// The response body (JSON) for a prompt, e.g. `FakeOpenAI.completion(text: " B", topLogprobs: …)`.
    public typealias Answer = @Sendable (_ api: ModelAPI, _ prompt: String) -> String

    /// What the fake has seen, for assertions.
    public struct Counters: Sendable, Hashable {
        /// `POST /files` calls that stored a file.
        public var uploads = 0
        /// `POST /batches` calls that created a batch.
        public var batchCreates = 0
        /// `GET /batches/{id}` calls.
        public var polls = 0
        /// `GET /batches` (list) calls.
        public var lists = 0
        /// `GET /files/{id}/content` calls.
        public var downloads = 0
        /// Interactive completion calls.
        public var interactive = 0
        /// Requests refused for a missing or wrong key.
        public var unauthorized = 0
    }

    private struct StoredFile {
        var filename: String
        var purpose: String
        var bytes: [UInt8]
    }

    private struct StoredBatch {
        var id: String
        var inputFileID: String
        var endpoint: String
        var polls = 0
        var status = "validating"
        var total = 0
        var outputFileID: String?
        var errorFileID: String?
        var completed = 0
        var failed = 0
        var errors: [String] = []
    }

    private struct State {
        var files: [String: StoredFile] = [:]
        var batches: [String: StoredBatch] = [:]
        var batchOrder: [String] = []
        var counters = Counters()
        var nextID = 1
    }

    private let behaviour: Behaviour
    private let answer: Answer
    private let state = Mutex(State())

    /// Creates a fake with no files and no batches.
    public init(behaviour: Behaviour = Behaviour(), answer: @escaping Answer) {
        self.behaviour = behaviour
        self.answer = answer
    }

    /// Starts an HTTP server on this fake's state. Call it again after shutting the server down to "restart"
    /// the provider with its files and batches intact (pass the old port to keep the base URL).
    public func start(port: Int = 0) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start(port: port) { [self] request in handle(request) }
    }

    /// What the fake has seen so far.
    public var counters: Counters { state.withLock { $0.counters } }

    /// The stored bytes of a file (uploaded input, or a generated output or error file).
    public func fileContents(id: String) -> [UInt8]? { state.withLock { $0.files[id]?.bytes } }

    /// Ids of the uploaded input files, in upload order.
    public var inputFileIDs: [String] {
        state.withLock { state in state.files.filter { $0.value.purpose == "batch" }.keys.sorted(by: Self.byNumber) }
    }

    /// Answers one request (also usable without a server).
    public func handle(_ request: ScriptedRequest) -> ScriptedAction {
        if let key = behaviour.apiKey, request.header("Authorization") != "Bearer \(key)" {
            state.withLock { $0.counters.unauthorized += 1 }
            return .respond(status: 401, body: FakeOpenAI.error(message: "Incorrect API key provided"))
        }
        var path = request.path
        if path.hasPrefix("/v1/") { path.removeFirst(3) }
        let parts = path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("POST", 1) where parts[0] == "files":
            return upload(request)
        case ("POST", 1) where parts[0] == "batches":
            return createBatch(request)
        case ("GET", 1) where parts[0] == "batches":
            return listBatches()
        case ("GET", 2) where parts[0] == "batches":
            return poll(parts[1])
        case ("GET", 3) where parts[0] == "files" && parts[2] == "content":
            return download(parts[1])
        case ("POST", 1) where parts[0] == "completions":
            return interactive(request, api: .completions)
        case ("POST", 2) where parts[0] == "chat" && parts[1] == "completions":
            return interactive(request, api: .chat)
        case ("GET", 1) where parts[0] == "models":
            return .json(FakeOpenAI.models(ids: ["fake-model"]))
        default:
            return .respond(status: 404, body: FakeOpenAI.error(message: "no route \(request.method) \(request.path)"))
        }
    }

    // MARK: - Routes

    private func upload(_ request: ScriptedRequest) -> ScriptedAction {
        guard let boundary = Self.boundary(request.header("Content-Type")) else {
            return .respond(status: 400, body: FakeOpenAI.error(message: "expected multipart/form-data"))
        }
        let fields = Self.multipartFields(request.body, boundary: boundary)
        guard let purpose = fields["purpose"].map({ String(decoding: $0.bytes, as: UTF8.self) }), purpose == "batch",
            let file = fields["file"]
        else {
            return .respond(status: 400, body: FakeOpenAI.error(message: "need fields purpose=batch and file"))
        }
        let id = state.withLock { state in
            let id = "file-in-\(state.nextID)"
            state.nextID += 1
            state.files[id] = StoredFile(filename: file.filename ?? "upload.jsonl", purpose: purpose, bytes: file.bytes)
            state.counters.uploads += 1
            return id
        }
        return .json(
            Self.encode(
                FileBody(
                    id: id,
                    object: "file",
                    bytes: file.bytes.count,
                    created_at: FakeOpenAI.created,
                    filename: file.filename ?? "upload.jsonl",
                    purpose: purpose
                )
            )
        )
    }

    private func createBatch(_ request: ScriptedRequest) -> ScriptedAction {
        guard let body = try? JSONDecoder().decode(CreateBody.self, from: Data(request.body)),
            body.completion_window == "24h"
        else {
            return .respond(
                status: 400,
                body: FakeOpenAI.error(message: "need input_file_id, endpoint, completion_window=24h")
            )
        }
        let batch: StoredBatch? = state.withLock { state in
            guard state.files[body.input_file_id]?.purpose == "batch" else { return nil }
            let id = "batch_\(state.nextID)"
            state.nextID += 1
            let batch = StoredBatch(id: id, inputFileID: body.input_file_id, endpoint: body.endpoint)
            state.batches[id] = batch
            state.batchOrder.append(id)
            state.counters.batchCreates += 1
            return batch
        }
        guard let batch else {
            return .respond(status: 404, body: FakeOpenAI.error(message: "no such file \(body.input_file_id)"))
        }
        return .json(Self.batchJSON(batch))
    }

    private func listBatches() -> ScriptedAction {
        let batches = state.withLock { state in
            state.counters.lists += 1
            return state.batchOrder.reversed().compactMap { state.batches[$0] }
        }
        let items = batches.map(Self.batchJSON).joined(separator: ",")
        return .json(#"{"data":[\#(items)],"has_more":false,"object":"list"}"#)
    }

    private func poll(_ id: String) -> ScriptedAction {
        let phase = max(1, behaviour.pollsPerPhase)
        // The batch is advanced under the lock; answering the lines (user code) happens outside it.
        let step: (batch: StoredBatch, input: [UInt8])? = state.withLock { state in
            state.counters.polls += 1
            guard var batch = state.batches[id] else { return nil }
            batch.polls += 1
            let input = state.files[batch.inputFileID]?.bytes ?? []
            state.batches[id] = batch
            return (batch, input)
        }
        guard let step else {
            return .respond(status: 404, body: FakeOpenAI.error(message: "no such batch \(id)"))
        }
        var batch = step.batch
        let input = step.input
        if !BatchJobState.isTerminal(batch.status) {
            let lines = input.split(separator: 0x0A).filter { !$0.isEmpty }
            batch.total = lines.count
            if batch.polls <= phase {
                batch.status = "validating"
            } else if batch.polls <= 2 * phase {
                batch.status = "in_progress"
                batch.completed = lines.count / 2
            } else {
                finish(&batch, lines: lines.map { Array($0) })
            }
            state.withLock { $0.batches[id] = batch }
        }
        return .json(Self.batchJSON(batch))
    }

    private func download(_ id: String) -> ScriptedAction {
        let file = state.withLock { state in
            state.counters.downloads += 1
            return state.files[id]
        }
        guard let file else { return .respond(status: 404, body: FakeOpenAI.error(message: "no such file \(id)")) }
        return .respond(
            status: 200,
            headers: [("Content-Type", "application/octet-stream")],
            body: String(decoding: file.bytes, as: UTF8.self)
        )
    }

    private func interactive(_ request: ScriptedRequest, api: ModelAPI) -> ScriptedAction {
        state.withLock { $0.counters.interactive += 1 }
        guard let body = try? JSONDecoder().decode(RequestBody.self, from: Data(request.body)) else {
            return .respond(status: 400, body: FakeOpenAI.error(message: "undecodable body"))
        }
        return .json(answer(api, body.prompt ?? body.messages?.first?.content ?? ""))
    }

    // MARK: - Processing

    /// Answers every line and writes the output and error files (or fails the batch).
    private func finish(_ batch: inout StoredBatch, lines: [[UInt8]]) {
        if behaviour.failBatches {
            batch.status = "failed"
            batch.completed = 0
            batch.errors = ["invalid_request: the fake was told to fail this batch"]
            return
        }
        var output: [String] = []
        var errors: [String] = []
        for (number, line) in lines.enumerated() {
            guard let input = try? JSONDecoder().decode(InputLine.self, from: Data(line)) else {
                batch.status = "failed"
                batch.errors = ["invalid_json_line (line \(number + 1)): not a request line"]
                return
            }
            guard input.method == "POST", input.url == batch.endpoint, input.body.model != nil else {
                batch.status = "failed"
                batch.errors = ["invalid_request (line \(number + 1)): url, method or model does not match the batch"]
                return
            }
            let api: ModelAPI = input.url == "/v1/chat/completions" ? .chat : .completions
            let prompt = input.body.prompt ?? input.body.messages?.first?.content ?? ""
            let customID = Self.encode(input.custom_id)
            let lineID = #""id":"batch_req_\#(batch.id)_\#(number + 1)""#
            switch behaviour.fate(prompt) {
            case .answer:
                output.append(
                    #"{"custom_id":\#(customID),"error":null,\#(lineID),"response":{"body":\#(answer(api, prompt)),"request_id":"req_\#(number + 1)","status_code":200}}"#
                )
            case .httpError(let status):
                let body = FakeOpenAI.error(message: "scripted failure \(status)", type: "server_error")
                errors.append(
                    #"{"custom_id":\#(customID),"error":null,\#(lineID),"response":{"body":\#(body),"request_id":"req_\#(number + 1)","status_code":\#(status)}}"#
                )
            case .lineError(let code):
                let error = Self.encode(LineError(code: code, message: "scripted line error"))
                errors.append(#"{"custom_id":\#(customID),"error":\#(error),\#(lineID),"response":null}"#)
            case .omit:
                continue
            }
        }
        if behaviour.reverseOutput {
            output.reverse()
            errors.reverse()
        }
        batch.status = "completed"
        batch.completed = output.count
        batch.failed = errors.count
        state.withLock { state in
            // Like the real API: a file only for a non-empty side, each with its own id.
            func store(_ lines: [String], prefix: String, filename: String) -> String? {
                guard !lines.isEmpty else { return nil }
                let id = "\(prefix)-\(state.nextID)"
                state.nextID += 1
                state.files[id] = StoredFile(
                    filename: filename, purpose: "batch_output", bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
                return id
            }
            if let id = store(output, prefix: "file-out", filename: "output.jsonl") { batch.outputFileID = id }
            if let id = store(errors, prefix: "file-err", filename: "errors.jsonl") { batch.errorFileID = id }
        }
    }

    // MARK: - Wire helpers

    private static func batchJSON(_ batch: StoredBatch) -> String {
        encode(
            BatchBody(
                id: batch.id,
                object: "batch",
                endpoint: batch.endpoint,
                input_file_id: batch.inputFileID,
                completion_window: "24h",
                status: batch.status,
                output_file_id: batch.outputFileID,
                error_file_id: batch.errorFileID,
                created_at: FakeOpenAI.created,
                request_counts: .init(total: batch.total, completed: batch.completed, failed: batch.failed),
                errors: batch.errors.isEmpty
                    ? nil
                    : .init(
                        object: "list",
                        data: batch.errors.map {
                            .init(code: String($0.prefix { $0 != ":" && $0 != " " }), message: $0)
                        }
                    )
            )
        )
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("FakeOpenAIBatchServer: encoding failed: \(error)")
        }
    }

    private static func byNumber(_ a: String, _ b: String) -> Bool {
        let number = { (id: String) in Int(id.split(separator: "-").last ?? "") ?? 0 }
        return number(a) < number(b)
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    private static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The fields of a multipart body by name: good enough for well-formed client uploads.
    private static func multipartFields(_ body: [UInt8], boundary: String) -> [String: (
        filename: String?, bytes: [UInt8]
    )] {
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var fields: [String: (filename: String?, bytes: [UInt8])] = [:]
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            if body[partStart...].starts(with: [0x0D, 0x0A]) { partStart += 2 }
            guard let split = find(headerEnd, in: body, from: partStart), split < end else { continue }
            let headers = String(decoding: body[partStart..<split], as: UTF8.self)
            var contentEnd = end
            if contentEnd >= 2, body[contentEnd - 2] == 0x0D, body[contentEnd - 1] == 0x0A { contentEnd -= 2 }
            let content = Array(body[(split + headerEnd.count)..<max(split + headerEnd.count, contentEnd)])
            guard let name = parameter("name", in: headers) else { continue }
            fields[name] = (parameter("filename", in: headers), content)
        }
        return fields
    }

    private static func parameter(_ name: String, in headers: String) -> String? {
        guard let range = headers.range(of: "; \(name)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private struct FileBody: Encodable {
        var id: String
        var object: String
        var bytes: Int
        var created_at: Int
        var filename: String
        var purpose: String
    }

    private struct CreateBody: Decodable {
        var input_file_id: String
        var endpoint: String
        var completion_window: String
    }

    private struct BatchBody: Encodable {
        struct Counts: Encodable {
            var total: Int
            var completed: Int
            var failed: Int
        }

        struct Errors: Encodable {
            struct Entry: Encodable {
                var code: String
                var message: String
            }

            var object: String
            var data: [Entry]
        }

        var id: String
        var object: String
        var endpoint: String
        var input_file_id: String
        var completion_window: String
        var status: String
        var output_file_id: String?
        var error_file_id: String?
        var created_at: Int
        var request_counts: Counts
        var errors: Errors?

        enum CodingKeys: String, CodingKey {
            case id, object, endpoint, input_file_id, completion_window, status, output_file_id, error_file_id
            case created_at, request_counts, errors
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(object, forKey: .object)
            try container.encode(endpoint, forKey: .endpoint)
            try container.encode(input_file_id, forKey: .input_file_id)
            try container.encode(completion_window, forKey: .completion_window)
            try container.encode(status, forKey: .status)
            try container.encode(output_file_id, forKey: .output_file_id)  // explicit null, as OpenAI sends it
            try container.encode(error_file_id, forKey: .error_file_id)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(request_counts, forKey: .request_counts)
            try container.encode(errors, forKey: .errors)
        }
    }

    private struct LineError: Encodable {
        var code: String
        var message: String
    }

    private struct RequestBody: Decodable {
        struct Message: Decodable {
            var content: String
        }

        var model: String?
        var prompt: String?
        var messages: [Message]?
    }

    private struct InputLine: Decodable {
        var custom_id: String
        var method: String
        var url: String
        var body: RequestBody
    }
}

import Foundation
import Synchronization

/// An in-process fake of Anthropic's Messages API and Message Batches API, served by a ``ScriptedHTTPServer``:
/// `POST /v1/messages`, `POST /v1/messages/batches`, `GET /v1/messages/batches/{id}` and
/// `GET /v1/messages/batches/{id}/results`.
///
/// It checks what the real API insists on and refuses anything else the way the API does: a missing or wrong
/// `x-api-key` gets 401 `authentication_error`; a missing or wrong `anthropic-version`, a POST without
/// `content-type: application/json`, or a body that is not a Messages body (no `model`, no positive `max_tokens`, a
/// `system` that is not a top-level string, a message role other than `user`/`assistant` or turns that do not
/// alternate starting with `user`, a field the API does not take such as `logprobs`) gets 400
/// `invalid_request_error` naming the problem. Batch `custom_id`s must match `^[a-zA-Z0-9_-]{1,64}$`.
///
/// A batch is `in_progress` for ``Behaviour/pollsInProgress`` status checks, then `ended`; each request's
/// ``Fate`` decides its results line. All state lives in this object: shut the server down and ``start(port:)``
/// again to simulate a provider that kept its batches while the client was gone.
public final class FakeAnthropicServer: Sendable {
    /// What happens to one batch request.
    public enum Fate: Sendable, Hashable {
        /// `succeeded`, with the scripted answer.
        case succeeded
        /// `errored`, with this error type (e.g. `invalid_request_error`).
        case errored(type: String)
        /// `canceled`.
        case canceled
        /// `expired`.
        case expired
    }

    /// How the fake behaves.
    public struct Behaviour: Sendable {
        /// The key every request must carry as `x-api-key`.
        public var apiKey: String
        /// Status checks a batch stays `in_progress` for before it is `ended`.
        public var pollsInProgress: Int
        /// The fate of a batch request, from its prompt (the last user message's text).
        public var fate: @Sendable (_ prompt: String) -> Fate

        /// Creates a behaviour.
        public init(
            apiKey: String,
            pollsInProgress: Int = 1,
            fate: @escaping @Sendable (_ prompt: String) -> Fate = { _ in .succeeded }
        ) {
            self.apiKey = apiKey
            self.pollsInProgress = pollsInProgress
            self.fate = fate
        }
    }

    /// The answer text for a request's top-level `system` (if any) and prompt (the last user message's text).
    public typealias Answer = @Sendable (_ system: String?, _ prompt: String) -> String

    /// What the fake has seen, for assertions.
    public struct Counters: Sendable, Hashable {
        /// Every request received, refused ones included.
        public var requests = 0
        /// `POST /v1/messages` calls answered.
        public var messages = 0
        /// Requests refused with 400 or 401.
        public var rejected = 0
        /// Batches created.
        public var batchCreates = 0
        /// `GET /v1/messages/batches/{id}` calls.
        public var polls = 0
        /// Results downloads.
        public var resultDownloads = 0
    }

    private struct Request {
        var customID: String
        var system: String?
        var prompt: String
    }

    private struct Batch {
        var id: String
        var requests: [Request]
        var polls = 0
    }

    private struct State {
        var counters = Counters()
        var batches: [String: Batch] = [:]
        var systems: [String?] = []
        var rejections: [String] = []
        var nextID = 1
    }

    private let behaviour: Behaviour
    private let answer: Answer
    private let state = Mutex(State())

    /// Creates a fake with no batches.
    public init(behaviour: Behaviour, answer: @escaping Answer) {
        self.behaviour = behaviour
        self.answer = answer
    }

    /// Starts an HTTP server on this fake's state (again after a shutdown: pass the old port to keep the URL).
    public func start(port: Int = 0) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start(port: port) { [self] request in handle(request) }
    }

    /// What the fake has seen so far.
    public var counters: Counters { state.withLock { $0.counters } }

    /// The top-level `system` of every accepted Messages body (interactive and batch), in arrival order.
    public var systems: [String?] { state.withLock { $0.systems } }

    /// Why requests were refused, in arrival order.
    public var rejections: [String] { state.withLock { $0.rejections } }

    /// Answers one request (also usable without a server).
    public func handle(_ request: ScriptedRequest) -> ScriptedAction {
        state.withLock { $0.counters.requests += 1 }
        guard request.header("x-api-key") == behaviour.apiKey else {
            return reject(401, "authentication_error", "invalid x-api-key")
        }
        guard request.header("anthropic-version") == "2023-06-01" else {
            return reject(400, "invalid_request_error", "anthropic-version: header is required (2023-06-01)")
        }
        if request.method == "POST", request.header("content-type")?.lowercased().hasPrefix("application/json") != true
        {
            return reject(400, "invalid_request_error", "content-type must be application/json")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        let route = parts.count >= 3 && parts[0] == "v1" && parts[1] == "messages" && parts[2] == "batches"
        switch (request.method, parts.count) {
        case ("POST", 2) where parts == ["v1", "messages"]:
            return createMessage(request.body)
        case ("POST", 3) where route:
            return createBatch(request.body)
        case ("GET", 4) where route:
            return poll(parts[3], host: request.header("host") ?? "127.0.0.1")
        case ("GET", 5) where route && parts[4] == "results":
            return results(parts[3])
        default:
            return .respond(
                status: 404,
                body: Self.error("not_found_error", "no route \(request.method) \(request.path)")
            )
        }
    }

    // MARK: - Endpoints

    private func createMessage(_ body: [UInt8]) -> ScriptedAction {
        let params: Request
        switch Self.check(try? JSONSerialization.jsonObject(with: Data(body)), customID: "") {
        case .failure(let problem): return reject(400, "invalid_request_error", problem.message)
        case .success(let checked): params = checked
        }
        state.withLock { state in
            state.counters.messages += 1
            state.systems.append(params.system)
        }
        return .json(Self.message(text: answer(params.system, params.prompt)))
    }

    private func createBatch(_ body: [UInt8]) -> ScriptedAction {
        guard let root = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let entries = root["requests"] as? [Any], !entries.isEmpty
        else { return reject(400, "invalid_request_error", "requests: a non-empty array is required") }
        guard entries.count <= 100_000 else { return reject(400, "invalid_request_error", "too many requests") }
        var requests: [Request] = []
        for (index, entry) in entries.enumerated() {
            guard let entry = entry as? [String: Any], let customID = entry["custom_id"] as? String,
                customID.count <= 64, !customID.isEmpty,
                customID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else { return reject(400, "invalid_request_error", "requests.\(index).custom_id: invalid") }
            switch Self.check(entry["params"], customID: customID) {
            case .failure(let problem):
                return reject(400, "invalid_request_error", "requests.\(index).params.\(problem.message)")
            case .success(let request): requests.append(request)
            }
        }
        guard Set(requests.map(\.customID)).count == requests.count else {
            return reject(400, "invalid_request_error", "custom_id values must be unique")
        }
        let batch = state.withLock { state in
            let batch = Batch(id: "msgbatch_\(state.nextID)", requests: requests)
            state.nextID += 1
            state.batches[batch.id] = batch
            state.counters.batchCreates += 1
            state.systems += requests.map(\.system)
            return batch
        }
        return .json(batchBody(batch, host: nil))
    }

    private func poll(_ id: String, host: String) -> ScriptedAction {
        let batch = state.withLock { state -> Batch? in
            state.counters.polls += 1
            state.batches[id]?.polls += 1
            return state.batches[id]
        }
        guard let batch else { return .respond(status: 404, body: Self.error("not_found_error", "no batch \(id)")) }
        return .json(batchBody(batch, host: host))
    }

    private func results(_ id: String) -> ScriptedAction {
        let batch = state.withLock { state -> Batch? in
            state.counters.resultDownloads += 1
            return state.batches[id]
        }
        guard let batch, isEnded(batch) else {
            return .respond(status: 404, body: Self.error("not_found_error", "no results for \(id) yet"))
        }
        var lines: [String] = []
        for request in batch.requests {
            let result: [String: Any]
            switch behaviour.fate(request.prompt) {
            case .succeeded:
                let message = Self.message(text: answer(request.system, request.prompt))
                result = ["type": "succeeded", "message": Self.object(message)]
            case .errored(let type):
                result = [
                    "type": "errored",
                    "error": ["type": "error", "error": ["type": type, "message": "scripted \(type)"]],
                ]
            case .canceled: result = ["type": "canceled"]
            case .expired: result = ["type": "expired"]
            }
            lines.append(Self.encode(["custom_id": request.customID, "result": result]))
        }
        return .respond(
            status: 200,
            headers: [("Content-Type", "application/binary")],
            body: lines.joined(separator: "\n") + "\n"
        )
    }

    // MARK: - Helpers

    private func isEnded(_ batch: Batch) -> Bool { batch.polls > behaviour.pollsInProgress }

    private func batchBody(_ batch: Batch, host: String?) -> String {
        let ended = isEnded(batch)
        var counts = ["processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0]
        for request in batch.requests {
            guard ended else {
                counts["processing", default: 0] += 1
                continue
            }
            switch behaviour.fate(request.prompt) {
            case .succeeded: counts["succeeded", default: 0] += 1
            case .errored: counts["errored", default: 0] += 1
            case .canceled: counts["canceled", default: 0] += 1
            case .expired: counts["expired", default: 0] += 1
            }
        }
        var body: [String: Any] = [
            "id": batch.id,
            "type": "message_batch",
            "processing_status": ended ? "ended" : "in_progress",
            "request_counts": counts,
            "created_at": "2026-01-01T00:00:00Z",
            "expires_at": "2026-01-02T00:00:00Z",
            "results_url": NSNull(),
        ]
        if ended, let host { body["results_url"] = "http://\(host)/v1/messages/batches/\(batch.id)/results" }
        return Self.encode(body)
    }

    private func reject(_ status: Int, _ type: String, _ message: String) -> ScriptedAction {
        state.withLock { state in
            state.counters.rejected += 1
            state.rejections.append(message)
        }
        return .respond(status: status, body: Self.error(type, message))
    }

    private struct Problem: Error {
        var message: String
    }

    /// A Messages body checked as the API checks it, reduced to its system, prompt and `custom_id`.
    private static func check(_ value: Any?, customID: String) -> Result<Request, Problem> {
        guard let body = value as? [String: Any] else {
            return .failure(Problem(message: "body: an object is required"))
        }
        let allowed: Set<String> = [
            "model", "max_tokens", "system", "messages", "temperature", "stop_sequences", "top_p", "top_k", "metadata",
        ]
        if let extra = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            return .failure(Problem(message: "\(extra): Extra inputs are not permitted"))
        }
        guard let model = body["model"] as? String, !model.isEmpty else {
            return .failure(Problem(message: "model: Field required"))
        }
        guard let maxTokens = body["max_tokens"] as? Int, maxTokens > 0 else {
            return .failure(Problem(message: "max_tokens: Field required (a positive integer)"))
        }
        if body["system"] != nil, !(body["system"] is String) {
            return .failure(Problem(message: "system: a string is expected"))
        }
        guard let messages = body["messages"] as? [[String: Any]], !messages.isEmpty else {
            return .failure(Problem(message: "messages: a non-empty array is required"))
        }
        var prompt = ""
        for (index, message) in messages.enumerated() {
            let role = message["role"] as? String
            guard role == "user" || role == "assistant" else {
                return .failure(
                    Problem(
                        message: "messages.\(index).role: Input should be 'user' or 'assistant' (system is top-level)"
                    )
                )
            }
            guard role == (index.isMultiple(of: 2) ? "user" : "assistant") else {
                return .failure(
                    Problem(message: "messages: roles must alternate between user and assistant, from user")
                )
            }
            let text: String
            if let content = message["content"] as? String {
                text = content
            } else if let blocks = message["content"] as? [[String: Any]], !blocks.isEmpty,
                blocks.allSatisfy({ $0["type"] is String })
            {
                text = blocks.compactMap { $0["text"] as? String }.joined(separator: "\n")
            } else {
                return .failure(Problem(message: "messages.\(index).content: a string or content blocks are required"))
            }
            if role == "user" { prompt = text }
        }
        return .success(Request(customID: customID, system: body["system"] as? String, prompt: prompt))
    }

    /// A `/v1/messages` response body with one text block.
    private static func message(text: String) -> String {
        encode([
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": "fake-claude",
            "content": [["type": "text", "text": text]],
            "stop_reason": "end_turn",
            "stop_sequence": NSNull(),
            "usage": ["input_tokens": 12, "output_tokens": 3],
        ])
    }

    private static func error(_ type: String, _ message: String) -> String {
        encode(["type": "error", "error": ["type": type, "message": message]])
    }

    private static func object(_ json: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? NSNull()
    }

    private static func encode(_ value: Any) -> String {
        do {
            let data = try JSONSerialization.data(
                withJSONObject: value,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
            return String(decoding: data, as: UTF8.self)
        } catch {
            preconditionFailure("FakeAnthropicServer: encoding failed: \(error)")
        }
    }
}

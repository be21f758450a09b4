import AsyncHTTPClient
public import CultureLensCore
import Foundation
import NIOCore
import NIOHTTP1

/// A ``LanguageModel`` speaking the OpenAI-compatible HTTP API (`/completions`, `/chat/completions`, `/models`):
/// llama.cpp, vLLM, Ollama, OpenAI and most hosted providers.
///
/// Transient failures (429, 5xx, timeouts, dropped connections, malformed bodies) are retried by a
/// ``RetryStateMachine`` that honours `Retry-After`. The API key is held in memory only and sent as a bearer
/// token; it is never part of a cache key, an error message or a log line.
public final class OpenAIClient: LanguageModel {
    /// Client settings.
    public struct Configuration: Sendable {
        /// Base URL including the version path, e.g. `http://127.0.0.1:8080/v1`.
        public var baseURL: String
        /// Model name sent in requests.
        public var model: String
        /// Bearer token, if the server needs one.
        public var apiKey: String?
        /// Per-attempt timeout in seconds.
        public var timeout: Double
        /// Connect timeout in seconds; `nil` means `timeout`, at most 10 s. AsyncHTTPClient keeps retrying a refused
        /// connection until this runs out, so it is how long a dead endpoint takes to fail.
        public var connectTimeout: Double?
        /// Retry policy.
        public var retry: RetryStateMachine.Configuration
        /// Connections kept per host; set it to the run's concurrency so requests do not queue in the pool.
        public var maxConnections: Int
        /// Display endpoint recorded with runs; defaults to the base URL.
        public var displayEndpoint: String?
        /// Seed for retry jitter.
        public var jitterSeed: UInt64

        /// Creates a configuration.
        public init(
            baseURL: String,
            model: String,
            apiKey: String? = nil,
            timeout: Double = 60,
            retry: RetryStateMachine.Configuration = .init(),
            maxConnections: Int = 16,
            displayEndpoint: String? = nil,
            jitterSeed: UInt64 = 0x5EED,
            connectTimeout: Double? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.model = model
            self.apiKey = apiKey
            self.timeout = timeout
            self.retry = retry
            self.maxConnections = maxConnections
            self.displayEndpoint = displayEndpoint
            self.jitterSeed = jitterSeed
        }
    }

    /// The settings in force.
    public let configuration: Configuration
    private let http: HTTPClient
    private let retry: RetryDriver

    /// Name and display endpoint.
    public var identity: ModelIdentity {
        ModelIdentity(name: configuration.model, endpoint: configuration.displayEndpoint ?? configuration.baseURL)
    }

    /// Creates a client with its own connection pool. Call ``shutdown()`` when done.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - clock: The clock retry back-off sleeps on; a test passes a manual one.
    public init(configuration: Configuration, clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        retry = RetryDriver(configuration: configuration.retry, clock: clock)
        http = .modelClient(
            timeout: configuration.timeout,
            connectTimeout: configuration.connectTimeout,
            readTimeout: configuration.timeout,
            maxConnections: configuration.maxConnections
        )
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `request`, retrying transient failures.
    public func send(_ request: ModelRequest) async throws -> ModelReply {
        if let failure = Self.unsupportedContent(in: request) { throw failure }
        let seed = configuration.jitterSeed ^ Self.fnv1a(request.prompt)
        let (reply, attempts) = try await retry.run(seed: seed) { try await attempt(request) }
        return ModelReply(response: reply.response, attempts: attempts, usage: reply.usage)
    }

    /// Lists the model ids the server offers (`GET /models`).
    public func listModels() async throws -> [String] {
        var request = HTTPClientRequest(url: configuration.baseURL + "/models")
        addHeaders(to: &request)
        let (status, body, _) = try await execute(request)
        guard status == 200 else { throw Self.statusFailure(status, body: body, retryAfter: nil) }
        do {
            return try JSONDecoder().decode(ModelList.self, from: body).data.map(\.id).sorted()
        } catch {
            throw ModelFailure(kind: .malformedResponse, detail: "GET /models: \(error)")
        }
    }

    // MARK: - One attempt

    private func attempt(_ request: ModelRequest) async throws -> (response: ModelResponse, usage: TokenUsage?) {
        let path = request.api == .completions ? "/completions" : "/chat/completions"
        var http = HTTPClientRequest(url: configuration.baseURL + path)
        http.method = .POST
        addHeaders(to: &http)
        http.headers.add(name: "Content-Type", value: "application/json")
        http.body = .bytes(ByteBuffer(bytes: requestBody(request)))
        let (status, body, retryAfter) = try await execute(http)
        guard status == 200 else { throw Self.statusFailure(status, body: body, retryAfter: retryAfter) }
        return try Self.decodeReply(body, api: request.api)
    }

    private func addHeaders(to request: inout HTTPClientRequest) {
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "culturelens/\(CultureLensVersion.current)")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
    }

    private func execute(_ request: HTTPClientRequest) async throws -> (Int, Data, Double?) {
        let timeout = TimeAmount.milliseconds(Int64(configuration.timeout * 1000))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw Self.transportFailure(error, phase: "request")
        }
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryStateMachine.parseRetryAfter($0) }
        do {
            let buffer = try await response.body.collect(upTo: 32 * 1024 * 1024)
            return (Int(response.status.code), Data(buffer.readableBytesView), retryAfter)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            let failure = Self.transportFailure(error, phase: "body")
            if failure.kind == .timeout { throw failure }
            throw ModelFailure(
                kind: .malformedResponse,
                detail: "truncated body: \(failure.detail)",
                status: Int(response.status.code)
            )
        }
    }

    private func requestBody(_ request: ModelRequest) -> Data {
        Self.requestBody(for: request, model: configuration.model)
    }

    /// The JSON body sent for `request` to `/completions` or `/chat/completions`: canonical JSON, so the batch
    /// path (which embeds it in each input line) sends byte-for-byte what an interactive call sends.
    ///
    /// `/completions` gets the messages rendered by ``CompletionTemplate`` (a plain prompt as its text);
    /// `/chat/completions` gets each message with its role, its content a string when it is one text part.
    public static func requestBody(for request: ModelRequest, model: String) -> Data {
        switch request.api {
        case .completions:
            CanonicalJSON.encode(
                CompletionBody(
                    model: model,
                    prompt: CompletionTemplate.render(request.messages),
                    maxTokens: request.maxTokens,
                    temperature: request.temperature,
                    logprobs: request.topLogprobs,
                    seed: request.seed
                )
            )
        case .chat:
            CanonicalJSON.encode(
                ChatBody(
                    model: model,
                    messages: request.messages.map(ChatBody.Message.init),
                    maxTokens: request.maxTokens,
                    temperature: request.temperature,
                    logprobs: request.topLogprobs != nil ? true : nil,
                    topLogprobs: request.topLogprobs,
                    seed: request.seed
                )
            )
        }
    }

    /// The failure for a request this client cannot send, else `nil`: image parts are reserved and not sent yet
    /// (a request is rejected rather than sent without its image).
    public static func unsupportedContent(in request: ModelRequest) -> ModelFailure? {
        guard request.messages.contains(where: \.hasImage) else { return nil }
        return ModelFailure(
            kind: .clientError,
            detail: "the request has an image part; image input is not supported by the OpenAI-compatible client yet"
        )
    }

    /// FNV-1a: a stable per-prompt seed (Swift's `hashValue` changes from process to process).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    // MARK: - Classification

    static func statusFailure(_ status: Int, body: Data, retryAfter: Double?) -> ModelFailure {
        .httpStatus(status, body: body, retryAfter: retryAfter)
    }

    static func transportFailure(_ error: any Error, phase: String) -> ModelFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout, .writeTimeout:
                return ModelFailure(kind: .timeout, detail: "\(phase): \(error.shortDescription)")
            default:
                return ModelFailure(kind: .connection, detail: "\(phase): \(error.shortDescription)")
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ModelFailure(kind: .timeout, detail: "\(phase): connect timeout")
        }
        return ModelFailure(kind: .connection, detail: "\(phase): \(String(describing: error).prefix(200))")
    }

    /// Decodes a 200 body of either API into a ``ModelResponse``.
    ///
    /// A body without log-probabilities is a valid response (the server's answer, cached like any other); the
    /// scorer counts it as `missing_logprobs` when logprobs were wanted.
    public static func decodeResponse(_ body: Data, api: ModelAPI) throws -> ModelResponse {
        try decodeReply(body, api: api).response
    }

    /// ``decodeResponse(_:api:)`` with the tokens the server reports in `usage`, when it does (read leniently: an
    /// odd `usage` is `nil`, never a failure).
    public static func decodeReply(_ body: Data, api: ModelAPI) throws -> (response: ModelResponse, usage: TokenUsage?)
    {
        // The direct reader gives the decoder's result for well-formed bodies, in a fraction of its time; anything
        // else goes to the decoder, so failures and their messages are the decoder's.
        if let reply = fastDecodeReply(body, api: api) { return reply }
        let response = try foundationDecodeResponse(body, api: api)
        return (response, UsageEnvelope.tokens(in: body))
    }

    /// ``decodeResponse(_:api:)`` through `JSONDecoder` and the `Decodable` wire types only.
    static func foundationDecodeResponse(_ body: Data, api: ModelAPI) throws -> ModelResponse {
        let response: ModelResponse
        do {
            switch api {
            case .completions:
                let decoded = try JSONDecoder().decode(CompletionResult.self, from: body)
                guard let choice = decoded.choices.first else {
                    throw ModelFailure(kind: .malformedResponse, detail: "no choices in response")
                }
                let top = choice.logprobs?.topLogprobs?.first.flatMap { $0 }.map { dictionary in
                    dictionary.map { TokenLogprob(token: $0.key, logprob: $0.value) }
                        .sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.token < $1.token }
                }
                response = ModelResponse(
                    text: choice.text ?? "",
                    firstTokenTopLogprobs: top,
                    finishReason: choice.finishReason
                )
            case .chat:
                let decoded = try JSONDecoder().decode(ChatResult.self, from: body)
                guard let choice = decoded.choices.first else {
                    throw ModelFailure(kind: .malformedResponse, detail: "no choices in response")
                }
                let top = choice.logprobs?.content?.first?.topLogprobs?.map {
                    TokenLogprob(token: $0.token, logprob: $0.logprob)
                }
                response = ModelResponse(
                    text: choice.message?.content ?? "",
                    firstTokenTopLogprobs: top,
                    finishReason: choice.finishReason
                )
            }
        } catch let failure as ModelFailure {
            throw failure
        } catch {
            let snippet = String(decoding: body.prefix(120), as: UTF8.self)
            throw ModelFailure(kind: .malformedResponse, detail: "undecodable JSON (\(error)): \(snippet)")
        }
        return response
    }
}

// MARK: - Wire types

private struct CompletionBody: Encodable {
    var model: String
    var prompt: String
    var maxTokens: Int
    var temperature: Double
    var logprobs: Int?
    var seed: Int?

    enum CodingKeys: String, CodingKey {
        case model, prompt, temperature, logprobs, seed
        case maxTokens = "max_tokens"
    }
}

private struct ChatBody: Encodable {
    struct Message: Encodable {
        var role: String
        var content: Content

        init(_ message: ChatMessage) {
            role = message.role.rawValue
            content = message.singleText.map(Content.text) ?? .parts(message.content.map(Part.init))
        }
    }

    /// A string for one text part, else OpenAI's array of typed parts.
    enum Content: Encodable {
        case text(String)
        case parts([Part])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let parts): try container.encode(parts)
            }
        }
    }

    /// `{"type": "text", "text": …}` or `{"type": "image_url", "image_url": {"url": …}}`.
    struct Part: Encodable {
        struct ImageURL: Encodable {
            var url: String
        }

        var type: String
        var text: String?
        var imageURL: ImageURL?

        init(_ part: ContentPart) {
            switch part {
            case .text(let text):
                type = "text"
                self.text = text
            case .image(let image):
                type = "image_url"
                imageURL = ImageURL(url: image.url)
            }
        }

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    var model: String
    var messages: [Message]
    var maxTokens: Int
    var temperature: Double
    var logprobs: Bool?
    var topLogprobs: Int?
    var seed: Int?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, logprobs, seed
        case maxTokens = "max_tokens"
        case topLogprobs = "top_logprobs"
    }
}

private struct CompletionResult: Decodable {
    struct Choice: Decodable {
        struct Logprobs: Decodable {
            var topLogprobs: [[String: Double]?]?

            enum CodingKeys: String, CodingKey {
                case topLogprobs = "top_logprobs"
            }
        }

        var text: String?
        var finishReason: String?
        var logprobs: Logprobs?

        enum CodingKeys: String, CodingKey {
            case text, logprobs
            case finishReason = "finish_reason"
        }
    }

    var choices: [Choice]
}

private struct ChatResult: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            var content: String?
        }

        struct Logprobs: Decodable {
            struct Entry: Decodable {
                struct Alternative: Decodable {
                    var token: String
                    var logprob: Double
                }

                var token: String
                var logprob: Double
                var topLogprobs: [Alternative]?

                enum CodingKeys: String, CodingKey {
                    case token, logprob
                    case topLogprobs = "top_logprobs"
                }
            }

            var content: [Entry]?
        }

        var message: Message?
        var finishReason: String?
        var logprobs: Logprobs?

        enum CodingKeys: String, CodingKey {
            case message, logprobs
            case finishReason = "finish_reason"
        }
    }

    var choices: [Choice]
}

private struct ModelList: Decodable {
    struct Entry: Decodable {
        var id: String
    }

    var data: [Entry]
}

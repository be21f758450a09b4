import AsyncHTTPClient
public import CultureLensCore
public import Foundation
import NIOCore
import NIOHTTP1

/// A ``LanguageModel`` speaking Anthropic's Messages API (`POST /v1/messages`); the Message Batches API is in
/// `AnthropicClient+Batches.swift`.
///
/// The request's system messages become the top-level `system` string (the API has no system role inside
/// `messages`), consecutive messages of one role are merged (the API wants user and assistant turns alternating),
/// and the reply's text blocks are concatenated. There are no log-probabilities: a request asking for them is
/// refused before anything is sent.
///
/// Failures are classified from the error body (`{"type":"error","error":{"type","message"}}`): 429
/// `rate_limit_error` is a rate limit, 529 `overloaded_error` and other 5xx are server errors (retried, and an
/// ``EndpointPool`` treats them as congestion), other 4xx are client errors. The wait before a retry is the
/// `retry-after` header, else the reset time of an exhausted `anthropic-ratelimit-*` limit, fed to the
/// ``RetryStateMachine`` as a `Retry-After`. The API key is sent as `x-api-key` only; it is never part of a cache key,
/// an error message or a log line.
public final class AnthropicClient: LanguageModel {
    /// Where the API lives when no `--base-url` is given.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The `anthropic-version` header sent with every request.
    public static let apiVersion = "2023-06-01"
    /// Why logprob scoring is refused for this provider.
    public static let noLogprobsMessage =
        "Anthropic's Messages API returns no log-probabilities: use --scoring generate"

    /// Client settings.
    public struct Configuration: Sendable {
        /// Base URL without the version path, e.g. `https://api.anthropic.com` (a trailing `/v1` is dropped).
        public var baseURL: String
        /// Model name sent in requests.
        public var model: String
        /// The API key (`x-api-key`).
        public var apiKey: String?
        /// Per-attempt timeout in seconds.
        public var timeout: Double
        /// Connect timeout in seconds; `nil` means `timeout`, at most 10 s.
        public var connectTimeout: Double?
        /// Timeout in seconds of batch result downloads, which can be large.
        public var transferTimeout: Double
        /// Retry policy.
        public var retry: RetryStateMachine.Configuration
        /// Connections kept per host; set it to the run's concurrency.
        public var maxConnections: Int
        /// Display endpoint recorded with runs; defaults to the base URL.
        public var displayEndpoint: String?
        /// Seed for retry jitter.
        public var jitterSeed: UInt64

        /// Creates a configuration.
        public init(
            baseURL: String = AnthropicClient.defaultBaseURL,
            model: String,
            apiKey: String? = nil,
            timeout: Double = 60,
            connectTimeout: Double? = nil,
            transferTimeout: Double = 900,
            retry: RetryStateMachine.Configuration = .init(),
            maxConnections: Int = 16,
            displayEndpoint: String? = nil,
            jitterSeed: UInt64 = 0x5EED
        ) {
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            if base.hasSuffix("/v1") { base.removeLast(3) }
            self.baseURL = base
            self.model = model
            self.apiKey = apiKey
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.transferTimeout = transferTimeout
            self.retry = retry
            self.maxConnections = maxConnections
            self.displayEndpoint = displayEndpoint
            self.jitterSeed = jitterSeed
        }
    }

    /// The settings in force.
    public let configuration: Configuration
    private let http: HTTPClient
    let retry: RetryDriver
    /// The wall-clock time that `anthropic-ratelimit-*-reset` timestamps are measured against.
    private let now: @Sendable () -> Date

    /// Name and display endpoint.
    public var identity: ModelIdentity {
        ModelIdentity(name: configuration.model, endpoint: configuration.displayEndpoint ?? configuration.baseURL)
    }

    /// Creates a client with its own connection pool. Call ``shutdown()`` when done.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - clock: The clock retry back-off sleeps on; a test passes a manual one.
    ///   - now: The current time, for rate-limit reset timestamps; a test passes a fixed one.
    public init(
        configuration: Configuration,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.now = now
        retry = RetryDriver(configuration: configuration.retry, clock: clock)
        http = .modelClient(
            timeout: configuration.timeout,
            connectTimeout: configuration.connectTimeout,
            readTimeout: max(configuration.timeout, configuration.transferTimeout),
            maxConnections: configuration.maxConnections
        )
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `request` to `/v1/messages`, retrying transient failures.
    public func send(_ request: ModelRequest) async throws -> ModelReply {
        if let failure = Self.unsupportedContent(in: request) { throw failure }
        let body = Self.requestBody(for: request, model: configuration.model)
        let seed = configuration.jitterSeed ^ OpenAIClient.fnv1a(request.prompt)
        let (data, attempts) = try await retry.run(seed: seed) {
            let data = try await attempt(
                "POST /v1/messages",
                method: .POST,
                url: configuration.baseURL + "/v1/messages",
                body: body,
                timeout: configuration.timeout,
                retryTransport: true
            )
            // Decoded inside the retry: a malformed body is retried like any transient failure.
            _ = try Self.decodeResponse(data)
            return data
        }
        return ModelReply(response: try Self.decodeResponse(data), attempts: attempts, usage: Self.usage(in: data))
    }

    /// The tokens a `/v1/messages` body reports in `usage` (`input_tokens`, `output_tokens`), read leniently: an odd
    /// `usage` is `nil`, never a failure.
    public static func usage(in body: Data) -> TokenUsage? {
        UsageEnvelope.tokens(in: body)
    }

    // MARK: - One attempt

    /// Sends one request; the body of a 200, else a classified ``ModelFailure``.
    /// - Parameter retryTransport: Whether a dropped connection may be retried; `false` for calls that must not be
    ///   carried out twice (creating a batch), whose transport failures become final.
    func attempt(
        _ call: String,
        method: HTTPMethod,
        url: String,
        body: Data?,
        timeout: Double,
        retryTransport: Bool,
        maxBytes: Int = 32 * 1024 * 1024
    ) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "accept", value: "application/json")
        request.headers.add(name: "user-agent", value: "culturelens/\(CultureLensVersion.current)")
        request.headers.add(name: "anthropic-version", value: Self.apiVersion)
        if let key = configuration.apiKey, !key.isEmpty { request.headers.add(name: "x-api-key", value: key) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.send(request, timeout: timeout, call: call, mayRepeat: retryTransport)
        let data: Data
        do {
            data = Data(try await response.body.collect(upTo: maxBytes).readableBytesView)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            let failure = ModelFailure.transport(error, call: call, phase: "body", mayRepeat: retryTransport)
            guard failure.kind == .connection else { throw failure }
            throw ModelFailure(
                kind: .malformedResponse,
                detail: "truncated body: \(failure.detail)",
                status: Int(response.status.code)
            )
        }
        let status = Int(response.status.code)
        guard status == 200 else {
            var failure = Self.failure(
                status: status,
                body: data,
                header: { response.headers.first(name: $0) },
                now: now()
            )
            failure.detail = "\(call): \(failure.detail)"
            throw failure
        }
        return data
    }

    // MARK: - Requests

    /// The failure for a request this API cannot answer, else `nil`: log-probabilities (the API has none), the
    /// completions API (it is a chat API), and images other than `https:` or base64 `data:` URLs.
    public static func unsupportedContent(in request: ModelRequest) -> ModelFailure? {
        if request.topLogprobs != nil { return ModelFailure(kind: .clientError, detail: noLogprobsMessage) }
        if request.api == .completions {
            return ModelFailure(
                kind: .clientError,
                detail: "Anthropic's Messages API is a chat API: use --api chat (or leave --api out)"
            )
        }
        for message in request.messages {
            for case .image(let image) in message.content {
                if message.role == .system {
                    return ModelFailure(kind: .clientError, detail: "an image in a system message cannot be sent")
                }
                if MessagesBody.Source(image) == nil {
                    return ModelFailure(
                        kind: .clientError,
                        detail: "image '\(image.url.prefix(40))' is neither an https: nor a base64 data: URL"
                    )
                }
            }
        }
        return nil
    }

    /// The JSON body sent for `request` to `/v1/messages` (and as a batch request's `params`): canonical JSON, so a
    /// batch carries byte-for-byte what an interactive call sends.
    ///
    /// `system` is the system messages' text, joined by blank lines; `messages` are the other messages with
    /// consecutive ones of the same role merged, each `content` a string when it is one text part, else blocks
    /// (`text`, and `image` with a `base64` or `url` source). The request's seed is not sent: the API has none.
    public static func requestBody(for request: ModelRequest, model: String) -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.text)
        var messages: [MessagesBody.Message] = []
        for message in request.messages where message.role != .system {
            if let last = messages.last, last.role == message.role.rawValue {
                messages[messages.count - 1].parts += message.content
            } else {
                messages.append(MessagesBody.Message(role: message.role.rawValue, parts: message.content))
            }
        }
        return CanonicalJSON.encode(
            MessagesBody(
                model: model,
                maxTokens: request.maxTokens,
                system: system.isEmpty ? nil : system.joined(separator: "\n\n"),
                messages: messages,
                temperature: request.temperature
            )
        )
    }

    /// Decodes a 200 body of `/v1/messages`: the `text` blocks of `content` concatenated, and `stop_reason` as the
    /// finish reason (`max_tokens` as `length` and `end_turn`/`stop_sequence` as `stop`, the OpenAI words the rest of
    /// CultureLens reads).
    public static func decodeResponse(_ body: Data) throws -> ModelResponse {
        let decoded: MessageResult
        do {
            decoded = try JSONDecoder().decode(MessageResult.self, from: body)
        } catch {
            let snippet = String(decoding: body.prefix(120), as: UTF8.self)
            throw ModelFailure(kind: .malformedResponse, detail: "undecodable JSON (\(error)): \(snippet)")
        }
        let text = decoded.content.filter { $0.type == "text" }.compactMap(\.text).joined()
        let finish: String? =
            switch decoded.stopReason {
            case "max_tokens": "length"
            case "end_turn", "stop_sequence": "stop"
            default: decoded.stopReason
            }
        return ModelResponse(text: text, firstTokenTopLogprobs: nil, finishReason: finish)
    }

    // MARK: - Classification

    /// Classifies a non-200 answer from its status and error body (`{"type":"error","error":{"type","message"}}`):
    /// 429 is ``FailureKind/rateLimited``, 5xx (529 `overloaded_error` included) ``FailureKind/serverError``, other
    /// statuses ``FailureKind/clientError``. The detail names the error type and message.
    /// - Parameters:
    ///   - header: Reads a response header by name (case-insensitive).
    ///   - now: The current time, for reset timestamps.
    public static func failure(
        status: Int,
        body: Data,
        header: (String) -> String?,
        now: Date
    ) -> ModelFailure {
        let error = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error
        let message = error?.message ?? String(decoding: body.prefix(300), as: UTF8.self)
        let kind: FailureKind =
            switch status {
            case 429: .rateLimited
            case 500...599: .serverError
            default: .clientError
            }
        return ModelFailure(
            kind: kind,
            detail: "HTTP \(status) \(error?.type ?? "error"): \(message.prefix(300))",
            status: status,
            retryAfter: retryDelay(header: header, now: now)
        )
    }

    /// Seconds to wait before the next request, from the response headers: `retry-after` when present, else the
    /// latest `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset` (RFC 3339) among the limits
    /// whose `-remaining` is 0; `nil` when neither says anything.
    public static func retryDelay(header: (String) -> String?, now: Date) -> Double? {
        if let value = header("retry-after"), let seconds = RetryStateMachine.parseRetryAfter(value, now: now) {
            return seconds
        }
        var delay: Double?
        for limit in ["requests", "tokens", "input-tokens", "output-tokens"] {
            guard
                let remaining = header("anthropic-ratelimit-\(limit)-remaining")
                    .flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), remaining == 0,
                let reset = header("anthropic-ratelimit-\(limit)-reset").flatMap(parseTimestamp)
            else { continue }
            delay = max(delay ?? 0, max(0, reset.timeIntervalSince(now)))
        }
        return delay
    }

    /// An RFC 3339 timestamp, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed)
    }
}

// MARK: - Wire types

struct MessagesBody: Encodable {
    struct Message: Encodable {
        var role: String
        var parts: [ContentPart]

        enum CodingKeys: String, CodingKey {
            case role, content
        }

        /// A string for one text part, else blocks.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            if parts.count == 1, case .text(let text) = parts[0] {
                try container.encode(text, forKey: .content)
            } else {
                try container.encode(parts.map(Block.init), forKey: .content)
            }
        }
    }

    /// `{"type":"text","text":…}` or `{"type":"image","source":…}`.
    struct Block: Encodable {
        var type: String
        var text: String?
        var source: Source?

        init(_ part: ContentPart) {
            switch part {
            case .text(let text):
                type = "text"
                self.text = text
            case .image(let image):
                type = "image"
                source = Source(image)
            }
        }
    }

    /// `{"type":"base64","media_type","data"}` for a `data:` URL, `{"type":"url","url"}` for an `https:` one.
    struct Source: Encodable {
        var type: String
        var mediaType: String?
        var data: String?
        var url: String?

        init?(_ image: ImageReference) {
            if image.url.hasPrefix("https://") {
                type = "url"
                url = image.url
                return
            }
            guard image.url.hasPrefix("data:"), let comma = image.url.firstIndex(of: ",") else { return nil }
            let header = image.url[image.url.index(image.url.startIndex, offsetBy: 5)..<comma]
            guard header.hasSuffix(";base64") else { return nil }
            let declared = String(header.dropLast(";base64".count))
            guard let media = declared.isEmpty ? image.mediaType : declared else { return nil }
            type = "base64"
            mediaType = media
            data = String(image.url[image.url.index(after: comma)...])
        }

        enum CodingKeys: String, CodingKey {
            case type, data, url
            case mediaType = "media_type"
        }
    }

    var model: String
    var maxTokens: Int
    var system: String?
    var messages: [Message]
    var temperature: Double

    enum CodingKeys: String, CodingKey {
        case model, system, messages, temperature
        case maxTokens = "max_tokens"
    }
}

private struct MessageResult: Decodable {
    struct Block: Decodable {
        var type: String
        var text: String?
    }

    var content: [Block]
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
        case content
        case stopReason = "stop_reason"
    }
}

/// `{"type":"error","error":{"type","message"}}`.
struct ErrorBody: Decodable {
    struct Detail: Decodable {
        var type: String?
        var message: String?
    }

    var error: Detail?
}

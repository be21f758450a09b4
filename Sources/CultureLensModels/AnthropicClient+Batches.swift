import AsyncHTTPClient
public import CultureLensCore
public import Foundation
import NIOHTTP1

/// Anthropic's Message Batches API as a ``BatchProvider``: `POST /v1/messages/batches` with the requests inline
/// (`{"requests":[{"custom_id","params"}]}`, each `params` the body ``AnthropicClient/requestBody(for:model:)`` sends
/// interactively), `GET /v1/messages/batches/{id}` until `processing_status` is `ended`, then the JSONL at
/// `results_url`: one `{"custom_id","result":{"type":"succeeded"|"errored"|"canceled"|"expired",…}}` per request.
///
/// Results are downloaded from `results_url` only when it is on the configured base URL's host: the API key goes
/// with the download, and must not follow a URL elsewhere (the `{base}/v1/messages/batches/{id}/results` path is used
/// instead).
extension AnthropicClient: BatchProvider {
    /// Most requests per Message Batch.
    public static let maxBatchRequests = 100_000

    /// A Message Batch as the API reports it.
    public struct MessageBatch: Sendable, Hashable, Decodable {
        /// `request_counts`.
        public struct Counts: Sendable, Hashable, Decodable {
            /// Requests not finished yet.
            public var processing: Int
            /// Requests answered.
            public var succeeded: Int
            /// Requests that failed.
            public var errored: Int
            /// Requests cancelled before they were answered.
            public var canceled: Int
            /// Requests not answered within the batch's 24 hours.
            public var expired: Int
        }

        /// Batch id, e.g. `msgbatch_…`.
        public var id: String
        /// `in_progress`, `canceling` or `ended`.
        public var processingStatus: String
        /// Progress counts.
        public var requestCounts: Counts?
        /// Where the results are, once the batch has ended.
        public var resultsURL: String?

        enum CodingKeys: String, CodingKey {
            case id
            case processingStatus = "processing_status"
            case requestCounts = "request_counts"
            case resultsURL = "results_url"
        }
    }

    /// The Messages body.
    public func requestBody(for request: ModelRequest, model: String) -> Data {
        Self.requestBody(for: request, model: model)
    }

    /// `{"custom_id":…,"params":<body>}`.
    public func inputLine(customID: String, api: ModelAPI, body: Data) -> Data {
        var line = Data(#"{"custom_id":"#.utf8)
        line.append(CanonicalJSON.encode(customID))
        line.append(Data(#","params":"#.utf8))
        line.append(body)
        line.append(Data("}".utf8))
        return line
    }

    /// What ``send(_:)`` refuses.
    public func unsupportedContent(in request: ModelRequest) -> ModelFailure? {
        Self.unsupportedContent(in: request)
    }

    /// `nil`: Message Batches carry their requests inline.
    public func uploadInput(_ chunk: BatchPlan.Chunk, filename: String) async throws -> String? { nil }

    /// `nil`: there are no input files to find a batch by.
    public func batchCreated(fromInputFile fileID: String) async -> ProviderBatch? { nil }

    /// `POST /v1/messages/batches` with the chunk's lines as `requests`; retried only when the server answered.
    public func createBatch(_ input: BatchInput) async throws -> ProviderBatch {
        guard case .inline(let chunk) = input else {
            throw ModelFailure(kind: .clientError, detail: "Message Batches take their requests inline, not a file")
        }
        var body = Data(#"{"requests":["#.utf8)
        var first = true
        for line in chunk.jsonl.split(separator: 0x0A) where !line.isEmpty {
            if !first { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: line)
            first = false
        }
        body.append(Data("]}".utf8))
        let call = "POST /v1/messages/batches"
        return Self.provider(try await batchCall(call, method: .POST, path: "/v1/messages/batches", body: body))
    }

    /// `GET /v1/messages/batches/{id}`.
    public func batchStatus(id: String) async throws -> ProviderBatch {
        let path = "/v1/messages/batches/" + OpenAIBatchClient.pathComponent(id)
        return Self.provider(try await batchCall("GET \(path)", method: .GET, path: path, body: nil))
    }

    /// Downloads the batch's results and reads one result per line.
    public func results(of job: BatchJobState.Job) async throws -> BatchResults {
        guard let id = job.batchID else { return BatchResults() }
        let fallback =
            configuration.baseURL + "/v1/messages/batches/" + OpenAIBatchClient.pathComponent(id) + "/results"
        let url = job.resultsURL.flatMap { isOnBaseHost($0) ? $0 : nil } ?? fallback
        let data = try await retry.run(seed: configuration.jitterSeed ^ OpenAIClient.fnv1a(url)) {
            try await attempt(
                "GET results of \(id)",
                method: .GET,
                url: url,
                body: nil,
                timeout: configuration.transferTimeout,
                retryTransport: true,
                maxBytes: 2 << 30
            )
        }.value
        return Self.parseResults(data, file: "results of \(id)")
    }

    /// Reads a results file: `succeeded` lines decode their `message` as ``decodeResponse(_:)`` does, `errored` ones
    /// become failures classified by their error type, `canceled` a server error and `expired` a timeout, each
    /// saying so.
    public static func parseResults(_ data: Data, file: String) -> BatchResults {
        let decoder = JSONDecoder()
        return BatchPlan.parseLines(data, file: file) { bytes in
            let line = try decoder.decode(ResultLine.self, from: Data(bytes))
            let result: Result<ModelResponse, ModelFailure>
            switch line.result?.type {
            case "succeeded":
                if let range = RawJSON.value(at: ["result", "message"], in: bytes) {
                    result = BatchPlan.decoded(Data(bytes[range]), decodeResponse)
                } else {
                    result = .failure(ModelFailure(kind: .malformedResponse, detail: "succeeded without a message"))
                }
            case "errored":
                // `error` is an error response (`{"type":"error","error":{…}}`); a bare `{type, message}` is read too.
                let detail =
                    line.result?.error?.error
                    ?? line.result?.error.map { ErrorBody.Detail(type: $0.type, message: $0.message) }
                let type = detail?.type ?? "error"
                let kind: FailureKind =
                    switch type {
                    case "rate_limit_error": .rateLimited
                    case "api_error", "overloaded_error": .serverError
                    default: .clientError
                    }
                result = .failure(
                    ModelFailure(kind: kind, detail: "errored: \(type): \(detail?.message?.prefix(300) ?? "")")
                )
            case "canceled":
                result = .failure(ModelFailure(kind: .serverError, detail: "canceled before it was answered"))
            case "expired":
                result = .failure(ModelFailure(kind: .timeout, detail: "expired before it was answered"))
            default:
                result = .failure(
                    ModelFailure(kind: .malformedResponse, detail: "unknown result type \(line.result?.type ?? "none")")
                )
            }
            return (line.customID, result)
        }
    }

    // MARK: - Plumbing

    private func batchCall(_ call: String, method: HTTPMethod, path: String, body: Data?) async throws -> MessageBatch {
        let data = try await retry.run(seed: configuration.jitterSeed ^ OpenAIClient.fnv1a(call)) {
            try await attempt(
                call,
                method: method,
                url: configuration.baseURL + path,
                body: body,
                timeout: configuration.timeout,
                retryTransport: method != .POST
            )
        }.value
        do {
            return try JSONDecoder().decode(MessageBatch.self, from: data)
        } catch {
            let snippet = String(decoding: data.prefix(200), as: UTF8.self)
            throw ModelFailure(kind: .malformedResponse, detail: "\(call): unexpected answer (\(error)): \(snippet)")
        }
    }

    /// Whether `url` has the scheme, host and port of the base URL.
    private func isOnBaseHost(_ url: String) -> Bool {
        guard let target = URLComponents(string: url), let base = URLComponents(string: configuration.baseURL) else {
            return false
        }
        return target.scheme == base.scheme && target.host == base.host && target.port == base.port
    }

    /// Counts: `completed` is the succeeded requests, `failed` the errored, canceled and expired ones.
    private static func provider(_ batch: MessageBatch) -> ProviderBatch {
        ProviderBatch(
            id: batch.id,
            status: batch.processingStatus,
            resultsURL: batch.resultsURL,
            requestCounts: batch.requestCounts.map { counts in
                let failed = counts.errored + counts.canceled + counts.expired
                return BatchJobState.RequestCounts(
                    total: counts.processing + counts.succeeded + failed,
                    completed: counts.succeeded,
                    failed: failed
                )
            }
        )
    }
}

/// One results line: `{"custom_id","result":{"type","message"|"error"}}`.
private struct ResultLine: Decodable {
    struct Outcome: Decodable {
        struct LineError: Decodable {
            var type: String?
            var message: String?
            var error: ErrorBody.Detail?
        }

        var type: String?
        var error: LineError?
    }

    var customID: String?
    var result: Outcome?

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id"
        case result
    }
}

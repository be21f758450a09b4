import AsyncHTTPClient
public import CultureLensCore
public import Foundation
import NIOCore
import NIOHTTP1

/// The OpenAI Batch API over HTTP (AsyncHTTPClient): upload an input file (`POST /files`), create a batch
/// (`POST /batches`), poll it (`GET /batches/{id}`), download its output and error files
/// (`GET /files/{id}/content`).
///
/// Authentication and failure classification are those of ``OpenAIClient``: the API key is a bearer header held in
/// memory only, HTTP answers are classified by ``ModelFailure/httpStatus(_:body:retryAfter:)`` and transient
/// failures retried by a ``RetryStateMachine`` honouring `Retry-After`. Creating a batch is retried only when the
/// server answered (429, 5xx): after a dropped connection the batch may exist, and creating it again would pay twice.
public final class OpenAIBatchClient: Sendable {
    /// Client settings.
    public struct Configuration: Sendable {
        /// Base URL including the version path, e.g. `https://api.openai.com/v1`.
        public var baseURL: String
        /// Bearer token, if the server needs one.
        public var apiKey: String?
        /// Timeout in seconds of small calls (create, poll, list).
        public var timeout: Double
        /// Timeout in seconds of uploads and downloads, which carry up to ~200 MB.
        public var transferTimeout: Double
        /// Largest file downloaded, in bytes.
        public var maxDownloadBytes: Int
        /// Retry policy.
        public var retry: RetryStateMachine.Configuration
        /// Seed for retry jitter.
        public var jitterSeed: UInt64

        /// Creates a configuration.
        public init(
            baseURL: String,
            apiKey: String? = nil,
            timeout: Double = 60,
            transferTimeout: Double = 900,
            maxDownloadBytes: Int = 2 << 30,
            retry: RetryStateMachine.Configuration = .init(),
            jitterSeed: UInt64 = 0x5EED
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
            self.timeout = timeout
            self.transferTimeout = transferTimeout
            self.maxDownloadBytes = maxDownloadBytes
            self.retry = retry
            self.jitterSeed = jitterSeed
        }
    }

    /// A batch as the provider reports it.
    public struct Batch: Sendable, Hashable, Decodable {
        /// Batch id.
        public var id: String
        /// `validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`, `cancelling`, `cancelled`.
        public var status: String
        /// The input file.
        public var inputFileID: String?
        /// The output file (successful lines), once there is one.
        public var outputFileID: String?
        /// The error file (failed lines), once there is one.
        public var errorFileID: String?
        /// Progress counts.
        public var requestCounts: BatchJobState.RequestCounts?
        /// Batch-level errors (why validation failed), as `code: message` strings.
        public var errors: [String]?

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(String.self, forKey: .status)
            inputFileID = try container.decodeIfPresent(String.self, forKey: .inputFileID)
            outputFileID = try container.decodeIfPresent(String.self, forKey: .outputFileID)
            errorFileID = try container.decodeIfPresent(String.self, forKey: .errorFileID)
            requestCounts = try? container.decodeIfPresent(BatchJobState.RequestCounts.self, forKey: .requestCounts)
            let errorList = try? container.decodeIfPresent(ErrorList.self, forKey: .errors)
            errors = errorList?.data?.map { error in
                let line = error.line.map { " (line \($0))" } ?? ""
                return "\(error.code ?? "error")\(line): \(error.message ?? "")"
            }
        }

        private struct ErrorList: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
                var line: Int?
            }

            var data: [Entry]?
        }

        enum CodingKeys: String, CodingKey {
            case id, status, errors
            case inputFileID = "input_file_id"
            case outputFileID = "output_file_id"
            case errorFileID = "error_file_id"
            case requestCounts = "request_counts"
        }
    }

    /// The settings in force.
    public let configuration: Configuration
    private let http: HTTPClient
    private let retry: RetryDriver

    /// Creates a client with its own connection pool. Call ``shutdown()`` when done.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - clock: The clock retry back-off sleeps on; a test passes a manual one.
    public init(configuration: Configuration, clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        retry = RetryDriver(configuration: configuration.retry, clock: clock)
        var httpConfiguration = HTTPClient.Configuration()
        let millis = Int64(configuration.timeout * 1000)
        httpConfiguration.timeout = .init(
            connect: .milliseconds(min(millis, 10_000)),
            read: .milliseconds(Int64(max(configuration.timeout, configuration.transferTimeout) * 1000))
        )
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Uploads a batch input file (`POST /files`, multipart, `purpose=batch`).
    /// - Returns: the file id.
    public func uploadFile(_ contents: Data, filename: String) async throws -> String {
        let boundary = "culturelens-" + UUID().uuidString
        let body = Self.multipartBody(contents, filename: filename, boundary: boundary)
        let data = try await perform(
            "POST /files",
            timeout: configuration.transferTimeout,
            retryTransport: true
        ) {
            var request = self.request(.POST, "/files")
            request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
            request.body = .bytes(ByteBuffer(bytes: body))
            return request
        }
        return try Self.decode(FileObject.self, from: data, call: "POST /files").id
    }

    /// Creates a batch over an uploaded input file (`POST /batches`, completion window 24 h).
    public func createBatch(inputFileID: String, endpoint: String) async throws -> Batch {
        let body = CanonicalJSON.encode(
            CreateBody(inputFileID: inputFileID, endpoint: endpoint, completionWindow: "24h")
        )
        let data = try await perform("POST /batches", timeout: configuration.timeout, retryTransport: false) {
            var request = self.request(.POST, "/batches")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            return request
        }
        return try Self.decode(Batch.self, from: data, call: "POST /batches")
    }

    /// The current state of a batch (`GET /batches/{id}`).
    public func batch(id: String) async throws -> Batch {
        let path = "/batches/" + Self.pathComponent(id)
        let data = try await perform("GET \(path)", timeout: configuration.timeout, retryTransport: true) {
            self.request(.GET, path)
        }
        return try Self.decode(Batch.self, from: data, call: "GET \(path)")
    }

    /// The most recent batches (`GET /batches?limit=N`, first page only): used to find a batch created by an
    /// invocation that died before it could record the batch id.
    public func recentBatches(limit: Int = 100) async throws -> [Batch] {
        let path = "/batches?limit=\(max(1, min(limit, 100)))"
        let data = try await perform("GET /batches", timeout: configuration.timeout, retryTransport: true) {
            self.request(.GET, path)
        }
        return try Self.decode(BatchList.self, from: data, call: "GET /batches").data
    }

    /// A file's contents (`GET /files/{id}/content`).
    public func fileContent(id: String) async throws -> Data {
        let path = "/files/" + Self.pathComponent(id) + "/content"
        return try await perform("GET \(path)", timeout: configuration.transferTimeout, retryTransport: true) {
            self.request(.GET, path)
        }
    }

    // MARK: - Plumbing

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "culturelens/\(CultureLensVersion.current)")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        return request
    }

    /// Sends a request until it answers 200 or fails for good; returns the body.
    private func perform(
        _ call: String,
        timeout: Double,
        retryTransport: Bool,
        build: () -> HTTPClientRequest
    ) async throws -> Data {
        try await retry.run(seed: configuration.jitterSeed ^ OpenAIClient.fnv1a(call)) {
            let (status, body, retryAfter) = try await execute(
                build(),
                timeout: timeout,
                call: call,
                retryTransport: retryTransport
            )
            guard status == 200 else {
                var failure = ModelFailure.httpStatus(status, body: body, retryAfter: retryAfter)
                failure.detail = "\(call): \(failure.detail)"
                throw failure
            }
            return body
        }.value
    }

    private func execute(
        _ request: HTTPClientRequest,
        timeout: Double,
        call: String,
        retryTransport: Bool
    ) async throws -> (Int, Data, Double?) {
        // A failure after which the request may have been carried out is made final (not retryable) when the
        // call must not be repeated.
        let response = try await http.send(request, timeout: timeout, call: call, mayRepeat: retryTransport)
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryStateMachine.parseRetryAfter($0) }
        do {
            let buffer = try await response.body.collect(upTo: configuration.maxDownloadBytes)
            return (Int(response.status.code), Data(buffer.readableBytesView), retryAfter)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw ModelFailure.transport(error, call: call, phase: "body", mayRepeat: retryTransport)
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, call: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            let snippet = String(decoding: data.prefix(200), as: UTF8.self)
            throw ModelFailure(kind: .malformedResponse, detail: "\(call): unexpected answer (\(error)): \(snippet)")
        }
    }

    /// Percent-encodes an id for use as one path segment (ids are provider-chosen strings).
    static func pathComponent(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }

    /// `multipart/form-data` with the fields `purpose=batch` and `file` (JSONL).
    static func multipartBody(_ contents: Data, filename: String, boundary: String) -> Data {
        let safeName = filename.replacingOccurrences(of: "\"", with: "_")
        var body = Data()
        body.append(Data("--\(boundary)\r\n".utf8))
        body.append(Data("Content-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n".utf8))
        body.append(Data("--\(boundary)\r\n".utf8))
        body.append(Data("Content-Disposition: form-data; name=\"file\"; filename=\"\(safeName)\"\r\n".utf8))
        body.append(Data("Content-Type: application/jsonl\r\n\r\n".utf8))
        body.append(contents)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return body
    }
}

// MARK: - Wire types

private struct FileObject: Decodable {
    var id: String
}

private struct BatchList: Decodable {
    var data: [OpenAIBatchClient.Batch]
}

private struct CreateBody: Encodable {
    var inputFileID: String
    var endpoint: String
    var completionWindow: String

    enum CodingKeys: String, CodingKey {
        case endpoint
        case inputFileID = "input_file_id"
        case completionWindow = "completion_window"
    }
}

import CultureLensCore
import Foundation

/// The provider batch jobs of one run, persisted (as `batch-state.json` in the run directory) after every step, so
/// an invocation that is stopped or killed at any moment resumes without uploading or paying twice: a recorded
/// input file is not uploaded again, a recorded batch is polled instead of created again.
///
/// It holds ids, cache keys and statuses, and never a credential: no API key, and an endpoint without user info.
public struct BatchJobState: Sendable, Codable, Hashable {
    /// One batch: the cache keys it covers and how far it got.
    public struct Job: Sendable, Codable, Hashable {
        /// API of every line (the batch endpoint).
        public var api: ModelAPI
        /// Cache keys (the lines' `custom_id`s), in file order.
        public var keys: [String]
        /// The uploaded input file, once uploaded.
        public var inputFileID: String?
        /// The batch, once created.
        public var batchID: String?
        /// Last status the provider reported (`validating`, `in_progress`, …, `completed`).
        public var status: String?
        /// The output file, once the provider has one.
        public var outputFileID: String?
        /// The error file, once the provider has one.
        public var errorFileID: String?
        /// Where the results are downloaded from (Anthropic's `results_url`), once the provider has them.
        public var resultsURL: String?
        /// Request counts last reported.
        public var requestCounts: RequestCounts?
        /// Batch-level errors last reported (why a batch failed).
        public var errors: [String]?

        /// Whether the provider will not change the batch any more.
        public var isTerminal: Bool { status.map(BatchJobState.isTerminal) ?? false }

        enum CodingKeys: String, CodingKey {
            case api, keys, status, errors
            case inputFileID = "input_file_id"
            case batchID = "batch_id"
            case outputFileID = "output_file_id"
            case errorFileID = "error_file_id"
            case resultsURL = "results_url"
            case requestCounts = "request_counts"
        }
    }

    /// A batch's `request_counts`.
    public struct RequestCounts: Sendable, Codable, Hashable {
        /// Requests in the batch.
        public var total: Int
        /// Requests answered successfully so far.
        public var completed: Int
        /// Requests that failed so far.
        public var failed: Int

    }

    /// The usual file name inside a run directory.
    public static let fileName = "batch-state.json"

    /// Format version.
    public var version: Int
    /// The run the batches belong to.
    public var runID: String
    /// Model name (part of every cache key).
    public var model: String
    /// Where the batches live: the base URL, without user info.
    public var endpoint: String
    /// When the first batch was planned.
    public var createdAt: Date
    /// Whether every response was saved to the store: a later invocation then plans new batches instead of
    /// collecting these again.
    public var collected: Bool
    /// The batches, in submission order.
    public var jobs: [Job]

    /// Creates the state of freshly planned batches.
    public init(runID: String, model: String, endpoint: String, createdAt: Date = Date(), jobs: [Job]) {
        self.version = 1
        self.runID = runID
        self.model = model
        self.endpoint = Self.withoutUserInfo(endpoint)
        self.createdAt = createdAt
        self.collected = false
        self.jobs = jobs
    }

    /// Whether every batch reached a final status.
    public var isTerminal: Bool { jobs.allSatisfy(\.isTerminal) }

    /// Whether a provider batch status is final: `completed`, `failed`, `expired` or `cancelled` (OpenAI), `ended`
    /// (Anthropic).
    public static func isTerminal(_ status: String) -> Bool {
        ["completed", "failed", "expired", "cancelled", "ended"].contains(status)
    }

    /// Reads the state at `url`; `nil` when there is no file.
    /// - Throws: when the file exists but is not a state file.
    public static func load(from url: URL) throws -> BatchJobState? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BatchJobState.self, from: Data(contentsOf: url))
    }

    /// Writes the state to `url` atomically (a temporary file renamed over it), creating the directory if needed,
    /// so a kill mid-write leaves the previous state, never a torn one.
    public func save(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// `url` without `user:password@`, which must never reach a file.
    static func withoutUserInfo(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else {
            return url
        }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }

    enum CodingKeys: String, CodingKey {
        case version, model, endpoint, collected, jobs
        case runID = "run_id"
        case createdAt = "created_at"
    }
}

public import CultureLensCore
public import Foundation

/// A provider's batch API as ``BatchCoordinator`` drives it: the seam between the resumable flow (plan, record,
/// poll, collect) and one provider's calls. ``OpenAIBatchClient`` (input file upload, `/batches`, output and error
/// files) and ``AnthropicClient`` (Message Batches, requests inline, one results file) implement it.
public protocol BatchProvider: Sendable {
    /// The JSON body of one request as the provider's interactive endpoint takes it; a batch carries it unchanged.
    func requestBody(for request: ModelRequest, model: String) -> Data
    /// One line of a batch input for the request `customID` with `body`, without its newline.
    func inputLine(customID: String, api: ModelAPI, body: Data) -> Data
    /// Why the provider cannot take `request`, else `nil`; checked for every request before anything is sent.
    func unsupportedContent(in request: ModelRequest) -> ModelFailure?
    /// Uploads a batch's input when the provider takes it as a file, returning the file's id; `nil` when batches
    /// carry their requests inline.
    func uploadInput(_ chunk: BatchPlan.Chunk, filename: String) async throws -> String?
    /// A batch created from the uploaded input file `fileID` by an invocation that died before recording it.
    func batchCreated(fromInputFile fileID: String) async -> ProviderBatch?
    /// Creates a batch. Must not be retried after a dropped connection: the batch may exist, and would be paid twice.
    func createBatch(_ input: BatchInput) async throws -> ProviderBatch
    /// The current state of a batch.
    func batchStatus(id: String) async throws -> ProviderBatch
    /// Downloads and parses the results of a final batch: a result per `custom_id` found.
    func results(of job: BatchJobState.Job) async throws -> BatchResults
}

/// What a new batch is made from.
public enum BatchInput: Sendable {
    /// An input file uploaded by ``BatchProvider/uploadInput(_:filename:)``, of requests to `api`.
    case uploaded(fileID: String, api: ModelAPI)
    /// The requests themselves (``BatchPlan/Chunk/jsonl``, one ``BatchProvider/inputLine(customID:api:body:)`` a
    /// line).
    case inline(BatchPlan.Chunk)
}

/// A batch as a provider reports it, in the terms of ``BatchJobState/Job``.
public struct ProviderBatch: Sendable, Hashable {
    /// Batch id.
    public var id: String
    /// The provider's status word (``BatchJobState/isTerminal(_:)`` knows the final ones).
    public var status: String
    /// The uploaded input file, when there is one.
    public var inputFileID: String?
    /// The output file (successful lines), once there is one.
    public var outputFileID: String?
    /// The error file (failed lines), once there is one.
    public var errorFileID: String?
    /// Where the results are downloaded from, once known.
    public var resultsURL: String?
    /// Progress counts.
    public var requestCounts: BatchJobState.RequestCounts?
    /// Batch-level errors (why it failed).
    public var errors: [String]?

    /// Creates a batch description.
    public init(
        id: String,
        status: String,
        inputFileID: String? = nil,
        outputFileID: String? = nil,
        errorFileID: String? = nil,
        resultsURL: String? = nil,
        requestCounts: BatchJobState.RequestCounts? = nil,
        errors: [String]? = nil
    ) {
        self.id = id
        self.status = status
        self.inputFileID = inputFileID
        self.outputFileID = outputFileID
        self.errorFileID = errorFileID
        self.resultsURL = resultsURL
        self.requestCounts = requestCounts
        self.errors = errors
    }
}

extension BatchResults {
    /// Adds `other`'s lines, problems and results; a success already here is kept over a failure there.
    mutating func merge(_ other: BatchResults) {
        lines += other.lines
        problems += other.problems
        for (key, result) in other.results {
            if case .success = results[key] { continue }
            results[key] = result
        }
    }
}

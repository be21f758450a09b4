public import CultureLensCore
public import Foundation

/// The OpenAI Batch API as a ``BatchProvider``: the requests go up as a JSONL input file, the batch is created over
/// it, and its answers come back in an output and an error file.
extension OpenAIBatchClient: BatchProvider {
    /// The body ``OpenAIClient`` sends to `/completions` or `/chat/completions`.
    public func requestBody(for request: ModelRequest, model: String) -> Data {
        OpenAIClient.requestBody(for: request, model: model)
    }

    /// `{"custom_id","method":"POST","url","body"}`.
    public func inputLine(customID: String, api: ModelAPI, body: Data) -> Data {
        BatchPlan.inputLine(customID: customID, api: api, body: body)
    }

    /// What ``OpenAIClient`` refuses.
    public func unsupportedContent(in request: ModelRequest) -> ModelFailure? {
        OpenAIClient.unsupportedContent(in: request)
    }

    /// Uploads the chunk as a batch input file.
    public func uploadInput(_ chunk: BatchPlan.Chunk, filename: String) async throws -> String? {
        try await uploadFile(chunk.jsonl, filename: filename)
    }

    /// The most recent batch over `fileID`, if the provider lists one.
    public func batchCreated(fromInputFile fileID: String) async -> ProviderBatch? {
        (try? await recentBatches())?.first { $0.inputFileID == fileID }.map(Self.provider)
    }

    /// Creates a batch over an uploaded file; an inline input is uploaded first.
    public func createBatch(_ input: BatchInput) async throws -> ProviderBatch {
        switch input {
        case .uploaded(let fileID, let api):
            return Self.provider(try await createBatch(inputFileID: fileID, endpoint: BatchPlan.endpoint(for: api)))
        case .inline(let chunk):
            let fileID = try await uploadFile(chunk.jsonl, filename: "culturelens-batch.jsonl")
            return try await createBatch(.uploaded(fileID: fileID, api: chunk.api))
        }
    }

    /// `GET /batches/{id}`.
    public func batchStatus(id: String) async throws -> ProviderBatch {
        Self.provider(try await batch(id: id))
    }

    /// Downloads and parses the output file, then the error file.
    public func results(of job: BatchJobState.Job) async throws -> BatchResults {
        var parsed = BatchResults()
        let api = job.api
        for (kind, fileID) in [("output", job.outputFileID), ("error", job.errorFileID)] {
            guard let fileID else { continue }
            let data = try await fileContent(id: fileID)
            parsed.merge(
                BatchPlan.parseResults(data, file: "\(kind) file \(fileID)") {
                    try OpenAIClient.decodeResponse($0, api: api)
                }
            )
        }
        return parsed
    }

    private static func provider(_ batch: Batch) -> ProviderBatch {
        ProviderBatch(
            id: batch.id,
            status: batch.status,
            inputFileID: batch.inputFileID,
            outputFileID: batch.outputFileID,
            errorFileID: batch.errorFileID,
            requestCounts: batch.requestCounts,
            errors: batch.errors
        )
    }
}

import Synchronization

/// A ``LanguageModel`` that answers from collected batch results and hands everything else to the interactive
/// model (or, without fallback, fails it with the batch's own failure).
///
/// The runner sees an ordinary model, so batch answers go through the usual path: scored, and saved together with
/// their result in one transaction (the store has no separate cache write, and so never holds a response without
/// its result or the reverse). Requests the store already caches never reach it.
public final class BatchAnsweredModel: LanguageModel {
    /// How requests were answered so far.
    public struct Counts: Sendable, Hashable {
        /// Answered from the batch results.
        public var fromBatch = 0
        /// Sent to the interactive model.
        public var interactive = 0
        /// Failed with their batch failure (no fallback).
        public var failed = 0

        /// Creates counts.
        public init(fromBatch: Int = 0, interactive: Int = 0, failed: Int = 0) {
            self.fromBatch = fromBatch
            self.interactive = interactive
            self.failed = failed
        }
    }

    private let inner: any LanguageModel
    private let results: [String: Result<ModelResponse, ModelFailure>]
    private let fallback: Bool
    private let counts = Mutex(Counts())

    /// The inner model's identity, so cache keys are the same as the inner model's.
    public var identity: ModelIdentity { inner.identity }

    /// Creates the model.
    /// - Parameters:
    ///   - inner: The interactive model (its name must be the batches' model name).
    ///   - results: Collected results by cache key.
    ///   - fallback: Whether requests without a batch answer go to `inner`; otherwise they fail with the batch's
    ///     failure (or, for requests no batch covered, a connection failure saying so), without any request.
    public init(inner: any LanguageModel, results: [String: Result<ModelResponse, ModelFailure>], fallback: Bool) {
        self.inner = inner
        self.results = results
        self.fallback = fallback
    }

    /// How requests were answered so far.
    public var answered: Counts { counts.withLock { $0 } }

    /// Answers `request` from the batch results, or sends it to the interactive model as configured.
    public func send(_ request: ModelRequest) async throws -> ModelReply {
        let key = request.cacheKey(model: identity.name)
        let result = results[key]
        if case .success(let response) = result {
            counts.withLock { $0.fromBatch += 1 }
            return ModelReply(response: response, attempts: 1)
        }
        if fallback {
            counts.withLock { $0.interactive += 1 }
            return try await inner.send(request)
        }
        counts.withLock { $0.failed += 1 }
        if case .failure(let failure) = result { throw failure }
        throw ModelFailure(kind: .connection, detail: "not answered: the request was in no batch (and fallback is off)")
    }
}

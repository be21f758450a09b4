public import CultureLensCore
import Foundation
import Synchronization

/// A ``LanguageModel`` whose answers come from a closure, counting the requests it receives.
public final class ScriptedLanguageModel: LanguageModel {
    /// Name and endpoint.
    public let identity: ModelIdentity
    private let answer: @Sendable (ModelRequest) async throws -> ModelResponse
    private let counter = Mutex(0)

    /// Creates a model answering with `answer`.
    public init(
        name: String = "scripted",
        answer: @escaping @Sendable (ModelRequest) async throws -> ModelResponse
    ) {
        identity = ModelIdentity(name: name, endpoint: "in-process")
        self.answer = answer
    }

    /// Requests received so far.
    public var requestCount: Int { counter.withLock { $0 } }

    public func send(_ request: ModelRequest) async throws -> ModelReply {
        counter.withLock { $0 += 1 }
        return ModelReply(response: try await answer(request), attempts: 1)
    }

    /// A model with a fixed preference over option labels: logprob requests get `weights` as the top tokens
    /// (label → probability), generate requests get the most likely label as text.
    public static func biased(name: String = "biased", weights: [String: Double]) -> ScriptedLanguageModel {
        let sorted = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ScriptedLanguageModel(name: name) { request in
            let top = sorted.map { TokenLogprob(token: " " + $0.key, logprob: log($0.value)) }
            return ModelResponse(
                text: " " + (sorted.first?.key ?? ""),
                firstTokenTopLogprobs: request.topLogprobs == nil ? nil : top,
                finishReason: "length"
            )
        }
    }
}


extension EvaluationRunner {
    /// What a run would send, counted before any request: its requests, those already in the cache, and the size of
    /// the rest.
    public struct Estimate: Sendable, Hashable, Codable {
        /// Item × variant requests of the run.
        public var requests: Int
        /// Of those, answered from the cache.
        public var cached: Int
        /// Characters of the prompts still to send (messages' text).
        public var promptCharacters: Int
        /// Output tokens the requests still to send may generate at most.
        public var maxOutputTokens: Int

        /// Requests still to send.
        public var toSend: Int { requests - cached }

        /// Prompt tokens still to send, estimated at four characters per token (English text with common
        /// tokenizers; other scripts take more tokens per character, so read it as a lower bound there).
        public var promptTokens: Int { TokenUsage.estimated(characters: promptCharacters) }
    }

    /// Counts what evaluating `suite` under `variants` would send, looking every request up in the cache. Nothing is
    /// sent or saved.
    public func estimate(_ suite: Suite, variants: [PromptVariant] = [.default]) async throws -> Estimate {
        let builder = PromptBuilder()
        var estimate = Estimate(requests: 0, cached: 0, promptCharacters: 0, maxOutputTokens: 0)
        for item in suite.items {
            for variant in variants {
                let prompt = builder.render(item, variant: variant)
                let request = request(for: prompt, item: item)
                estimate.requests += 1
                if try await store.cachedResponse(key: request.cacheKey(model: model.identity.name)) != nil {
                    estimate.cached += 1
                } else {
                    estimate.promptCharacters += request.messages.reduce(0) { $0 + $1.text.count }
                    estimate.maxOutputTokens += request.maxTokens
                }
            }
        }
        return estimate
    }
}

extension EvaluationRunner {
    /// One request asked again: the answer distribution of the cached response and of a fresh one.
    public struct Replay: Sendable, Hashable {
        /// The cached response's distribution over the options (canonical order); `nil` when the request is not in
        /// the cache or its answer could not be scored.
        public var stored: [Double]?
        /// The fresh response's distribution; `nil` when the request failed or its answer could not be scored.
        public var fresh: [Double]?
    }

    /// Sends `item`'s request under `variant` again, bypassing the cache (nothing is saved), and scores both the
    /// cached and the fresh response. The determinism check of `run` uses it: the same request's answer can move
    /// with what the server answered before it.
    public func replay(_ item: Item, variant: PromptVariant = .default) async throws -> Replay {
        let prompt = PromptBuilder().render(item, variant: variant)
        let request = request(for: prompt, item: item)
        let scorer = ItemScorer(mode: scoringMode(for: item, variant: variant))
        func distribution(_ response: ModelResponse) -> [Double]? {
            let outcome = scorer.score(response, prompt: prompt, item: item)
            return outcome.failure == nil ? outcome.distribution : nil
        }
        // Not in the cache, or over the request budget: nothing to compare, nothing sent.
        guard let cached = try await store.cachedResponse(key: request.cacheKey(model: model.identity.name)) else {
            return Replay(stored: nil, fresh: nil)
        }
        var reservation: RequestBudget.Reservation?
        if let budget {
            guard let reserved = budget.reserve(request) else { return Replay(stored: nil, fresh: nil) }
            reservation = reserved
        }
        do {
            let reply = try await model.send(request)
            if let reservation {
                budget?.settle(reservation, usage: reply.usage, outputCharacters: reply.response.text.count)
            }
            return Replay(stored: distribution(cached), fresh: distribution(reply.response))
        } catch is ModelFailure {
            if let reservation { budget?.settle(reservation, usage: nil, outputCharacters: 0) }
            return Replay(stored: distribution(cached), fresh: nil)
        }
    }
}

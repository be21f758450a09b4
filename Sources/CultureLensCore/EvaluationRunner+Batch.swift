extension EvaluationRunner {
    /// The request ``run(_:variants:toolVersion:stop:progress:)`` sends for each item × variant of `suite`, in run
    /// order (duplicates kept): built by the same code, so their cache keys are the ones the run looks up.
    public func requests(for suite: Suite, variants: [PromptVariant] = [.default]) -> [ModelRequest] {
        let builder = PromptBuilder()
        return suite.items.flatMap { item in
            variants.map { variant in request(for: builder.render(item, variant: variant), item: item) }
        }
    }

    /// The distinct requests of `suite` × `variants` the store's cache cannot answer yet, in run order: what a
    /// provider batch should carry.
    public func uncachedRequests(for suite: Suite, variants: [PromptVariant] = [.default]) async throws
        -> [ModelRequest]
    {
        let name = model.identity.name
        var seen: Set<String> = []
        var pending: [ModelRequest] = []
        for request in requests(for: suite, variants: variants) {
            let key = request.cacheKey(model: name)
            guard seen.insert(key).inserted else { continue }
            if try await store.cachedResponse(key: key) == nil { pending.append(request) }
        }
        return pending
    }
}

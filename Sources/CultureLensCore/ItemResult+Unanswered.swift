extension ItemResult {
    /// The result of `item` before any answer is scored: no response, no score, no failure, not from the cache and
    /// no attempts yet. The runner and the rescorer of imported responses both start here and fill in what the
    /// answer gives.
    public static func unanswered(
        runID: String, item: Item, index: Int, variant: String = "default", prompt: String, cacheKey: String = ""
    ) -> ItemResult {
        ItemResult(
            runID: runID, itemID: item.id, itemIndex: index, variant: variant, culture: item.culture,
            topic: item.topic, prompt: prompt, response: nil, distribution: nil, outsideMass: nil, predicted: nil,
            gold: item.gold, score: nil, failure: nil, failureDetail: nil, cacheKey: cacheKey, cached: false,
            attempts: 0)
    }
}

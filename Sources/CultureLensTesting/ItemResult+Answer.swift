public import CultureLensCore

extension ItemResult {
    /// An unscored, uncached answer to `item` (no distribution, prediction or failure yet): the start of a synthetic
    /// result for suites without a right answer (the value suites), to set further fields on.
    public static func answer(runID: String, item: Item, index: Int, response: String?) -> ItemResult {
        ItemResult(
            runID: runID,
            itemID: item.id,
            itemIndex: index,
            culture: item.culture,
            topic: item.topic,
            prompt: item.stem,
            response: response,
            distribution: nil,
            outsideMass: nil,
            predicted: nil,
            gold: [],
            score: nil,
            failure: nil,
            failureDetail: nil,
            cacheKey: "\(runID)-\(index)",
            cached: false,
            attempts: 1
        )
    }
}

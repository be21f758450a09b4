import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets

extension ResolvedSuite {
    /// Whether the suite's items carry Inglehart–Welzel item codes (the `inglehart-welzel` suite).
    var placesOnCulturalMap: Bool {
        suite.items.contains { $0.metadata[InglehartWelzelSuite.itemKey] != nil }
    }

    /// The model's place on the Inglehart–Welzel map from `results`, `nil` for suites without map items.
    func culturalMap(results: [ItemResult]) -> InglehartWelzelPlacement? {
        guard placesOnCulturalMap else { return nil }
        let items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let observations = results.compactMap { result -> InglehartWelzelPlacement.Observation? in
            guard let item = items[result.itemID], let code = item.metadata[InglehartWelzelSuite.itemKey],
                let mapItem = InglehartWelzelMap.Item(rawValue: code),
                let variant = item.metadata[InglehartWelzelSuite.variantKey]
            else { return nil }
            return InglehartWelzelPlacement.Observation(
                item: mapItem,
                variant: variant,
                answer: result.response,
                failure: result.failure
            )
        }
        return InglehartWelzelPlacement(observations)
    }
}

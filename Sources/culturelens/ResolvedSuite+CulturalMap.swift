import ArgumentParser
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
                country: item.metadata[InglehartWelzelSuite.countryKey],
                answer: result.response,
                failure: result.failure
            )
        }
        var personas: [String] = []
        for item in suite.items {
            if let country = item.metadata[InglehartWelzelSuite.countryKey], personas.last != country,
                !personas.contains(country)
            {
                personas.append(country)
            }
        }
        return InglehartWelzelPlacement(observations, personas: personas)
    }

}

/// `--steer countries=JP,DE|all` of `run` and `score`.
struct SteerOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "inglehart-welzel only: also ask every item as a persona of these map countries (`countries=JP,DE` or `all`)."
    )
    var steer: String?

    /// The persona countries, as the map names them; `nil` without `--steer`.
    /// - Throws: `ValidationError` when the suite is not `inglehart-welzel` or a country is not on the map.
    func countries(suite: String) throws -> [String]? {
        guard let steer else { return nil }
        guard suite == InglehartWelzelSuite.name else {
            throw ValidationError(
                "--steer on run and score asks inglehart-welzel with country personas; for survey suites use "
                    + "`culturelens robustness SUITE --steer ...`"
            )
        }
        do {
            return try InglehartWelzelMap.personaCountries(steer)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// `resolved` (the suite named `suite`) with the personas asked for, then its first `limit` items.
    func apply(to resolved: ResolvedSuite, suite: String, limit: Int?) throws -> ResolvedSuite {
        guard let countries = try countries(suite: suite) else { return resolved.prefix(limit) }
        return ResolvedSuite(suite: InglehartWelzelSuite.steered(countries: countries), loaded: nil).prefix(limit)
    }
}

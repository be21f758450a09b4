import ArgumentParser
import CultureLensAnalysis
import CultureLensApp
import CultureLensDatasets

/// `--steer countries=JP,DE|all` of `run` and `score`.
struct SteerOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Value suites (inglehart-welzel, vsm-2013, value-tradeoffs, preferences-jsonl): also ask every item as a persona of these countries (`countries=JP,DE` or `all`: the 107 of the Inglehart–Welzel map)."
    )
    var steer: String?

    /// The persona countries, as the map names them; `nil` without `--steer`.
    /// - Throws: `ValidationError` when the suite is not a value suite or a country is not on the map.
    func countries(suite: String) throws -> [String]? {
        guard let steer else { return nil }
        guard ResolvedSuite.steerableSuites.contains(suite) else {
            throw ValidationError(
                "--steer on run and score asks the value suites (\(ResolvedSuite.steerableSuites.joined(separator: ", "))) "
                    + "with country personas; for survey suites use `culturelens robustness SUITE --steer ...`"
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
        return resolved.steered(countries: countries).prefix(limit)
    }
}

import ArgumentParser
import CultureLensAnalysis
import CultureLensApp
import CultureLensDatasets

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

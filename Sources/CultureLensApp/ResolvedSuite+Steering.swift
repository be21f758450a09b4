import CultureLensCore
public import CultureLensDatasets

extension ResolvedSuite {
    /// The value suites `--steer countries=…` asks under country personas (cultural prompting) on `run` and
    /// `score`.
    public static let steerableSuites = [
        InglehartWelzelSuite.name, VSM2013Suite.name, PreferenceSuite.valueTradeoffs.name,
        PreferenceSuite.userSuiteName,
    ]

    /// This suite's items, then the same items under each of `countries`' personas (names as the Inglehart–Welzel
    /// map writes them): Tao's descriptor-specific wording for `inglehart-welzel`, a system message for `vsm-2013`
    /// and the preference suites. Other suites are returned as they are.
    public func steered(countries: [String]) -> ResolvedSuite {
        switch suite.name {
        case InglehartWelzelSuite.name:
            return ResolvedSuite(suite: InglehartWelzelSuite.steered(countries: countries), loaded: nil)
        case VSM2013Suite.name:
            return ResolvedSuite(
                suite: suite.addingPersonas(
                    countries,
                    countryKey: VSM2013Suite.countryKey,
                    system: VSM2013Suite.personaSystem
                ),
                loaded: nil
            )
        case PreferenceSuite.valueTradeoffs.name, PreferenceSuite.userSuiteName:
            return ResolvedSuite(
                suite: suite.addingPersonas(
                    countries,
                    countryKey: PreferenceSuite.countryKey,
                    system: PreferenceSuite.personaSystem
                ),
                loaded: nil
            )
        default:
            return self
        }
    }
}

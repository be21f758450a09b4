import CultureLensCore

/// The suites built into CultureLens.
public enum SuiteCatalog {
    /// Names of the built-in suites, `starter` first.
    public static var names: [String] { ["starter", InglehartWelzelSuite.name, "value-tradeoffs"] }

    /// Looks up a built-in suite by name.
    public static func suite(named name: String) -> Suite? {
        switch name {
        case "starter": StarterSuite.suite
        case InglehartWelzelSuite.name: InglehartWelzelSuite.suite
        case "value-tradeoffs": PreferenceSuite.valueTradeoffs
        default: nil
        }
    }
}

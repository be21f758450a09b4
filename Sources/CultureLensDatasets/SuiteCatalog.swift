import CultureLensCore

/// The suites built into CultureLens.
public enum SuiteCatalog {
    /// Names of the built-in suites, sorted.
    public static var names: [String] { ["starter", "value-tradeoffs"] }

    /// Looks up a built-in suite by name.
    public static func suite(named name: String) -> Suite? {
        switch name {
        case "starter": StarterSuite.suite
        case "value-tradeoffs": PreferenceSuite.valueTradeoffs
        default: nil
        }
    }
}

/// A culture an item is about: a country (ISO 3166-1 alpha-2) or a named sub-national or cultural region.
///
/// Sub-national regions carry the code of their country in ``country`` so that reports can place them
/// beside it (Assam beside India, West Java beside Indonesia).
public struct Culture: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Stable identifier: `JP` for a country, `IN-AS` (ISO 3166-2) or `NG-NORTH` for a region.
    public var code: String
    /// Display name in English.
    public var name: String
    /// Macro-region used for grouping in reports.
    public var region: MacroRegion
    /// The country a sub-national region belongs to; `nil` for countries.
    public var country: String?

    /// Creates a culture.
    public init(code: String, name: String, region: MacroRegion, country: String? = nil) {
        self.code = code
        self.name = name
        self.region = region
        self.country = country
    }

    /// Whether this culture is a region inside a country rather than a country.
    public var isSubnational: Bool { country != nil }

    public var description: String { "\(name) (\(code))" }

    public static func < (lhs: Culture, rhs: Culture) -> Bool { lhs.code < rhs.code }
}

/// Coarse world regions used to group cultures in tables and maps.
public enum MacroRegion: String, Sendable, Codable, CaseIterable, Comparable {
    case northernAfrica = "northern-africa"
    case subSaharanAfrica = "sub-saharan-africa"
    case northAmerica = "north-america"
    case latinAmerica = "latin-america"
    case europe
    case middleEast = "middle-east"
    case centralAsia = "central-asia"
    case southAsia = "south-asia"
    case eastAsia = "east-asia"
    case southeastAsia = "southeast-asia"
    case oceania

    /// The continent this macro-region lies on, for continent coverage checks.
    public var continent: String {
        switch self {
        case .northernAfrica, .subSaharanAfrica: "Africa"
        case .northAmerica, .latinAmerica: "Americas"
        case .europe: "Europe"
        case .middleEast, .centralAsia, .southAsia, .eastAsia, .southeastAsia: "Asia"
        case .oceania: "Oceania"
        }
    }

    public static func < (lhs: MacroRegion, rhs: MacroRegion) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

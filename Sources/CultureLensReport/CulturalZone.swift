/// The cultural zones of the Inglehart–Welzel map, for colouring its countries.
///
/// The table is CultureLens's own, written from the zones drawn on the published World Values Survey maps (the
/// zone names and which country lies in which zone are facts of those maps; no survey data is copied). A country
/// whose zone is not given here, because the map editions place it differently or it is not drawn on them, has no
/// zone and is shown grey, and the legend says so.
enum CulturalZone: String, CaseIterable, Sendable, Hashable {
    case protestantEurope = "Protestant Europe"
    case catholicEurope = "Catholic Europe"
    case englishSpeaking = "English-speaking"
    case orthodoxEurope = "Orthodox Europe"
    case confucian = "Confucian"
    case westAndSouthAsia = "West & South Asia"
    case latinAmerica = "Latin America"
    case africanIslamic = "African-Islamic"

    /// The zone's name.
    var name: String { rawValue }

    /// A colour per zone from Paul Tol's muted scheme (told apart with colour-blindness), none of them the
    /// blue and orange the map uses for its arrows.
    var color: SVGColor {
        switch self {
        case .protestantEurope: SVGColor(hex: 0x332288)
        case .catholicEurope: SVGColor(hex: 0x88CCEE)
        case .englishSpeaking: SVGColor(hex: 0x117733)
        case .orthodoxEurope: SVGColor(hex: 0xAA4499)
        case .confucian: SVGColor(hex: 0xCC6677)
        case .westAndSouthAsia: SVGColor(hex: 0xDDCC77)
        case .latinAmerica: SVGColor(hex: 0x999933)
        case .africanIslamic: SVGColor(hex: 0x882255)
        }
    }

    /// Countries without a zone in this table.
    static let unknownColor = SVGColor(hex: 0xA0A8B0)

    /// The countries of each zone, named as ``InglehartWelzelMap/countries`` names them.
    static let members: [CulturalZone: [String]] = [
        .protestantEurope: [
            "Denmark", "Finland", "Germany", "Iceland", "Netherlands", "Norway", "Sweden", "Switzerland",
        ],
        .catholicEurope: [
            "Andorra", "Austria", "Belgium", "Croatia", "Czechia", "France", "Hungary", "Italy",
            "Luxembourg", "Malta", "Poland", "Portugal", "Slovakia", "Slovenia", "Spain",
        ],
        .englishSpeaking: [
            "Australia", "Canada", "Great Britain", "Ireland", "New Zealand", "North Ireland", "United States",
        ],
        .orthodoxEurope: [
            "Belarus", "Bosnia Herzegovina", "Bulgaria", "Cyprus", "Georgia", "Greece", "Moldova", "Montenegro",
            "North Macedonia", "Romania", "Russia", "Serbia", "Ukraine",
        ],
        .confucian: ["China", "Hong Kong SAR", "Japan", "Macau SAR", "South Korea", "Taiwan ROC"],
        .westAndSouthAsia: ["India", "Indonesia", "Malaysia", "Myanmar", "Philippines", "Thailand"],
        .latinAmerica: [
            "Argentina", "Bolivia", "Brazil", "Chile", "Colombia", "Ecuador", "Guatemala", "Mexico", "Nicaragua",
            "Peru", "Puerto Rico", "Uruguay", "Venezuela",
        ],
        .africanIslamic: [
            "Algeria", "Burkina Faso", "Ethiopia", "Ghana", "Iraq", "Jordan", "Kenya", "Lebanon", "Libya", "Mali",
            "Morocco", "Nigeria", "Palestine", "Rwanda", "Tunisia", "Yemen", "Zambia", "Zimbabwe",
        ],
    ]

    private static let byCountry: [String: CulturalZone] = {
        var table: [String: CulturalZone] = [:]
        for zone in allCases {
            for country in members[zone] ?? [] { table[country] = zone }
        }
        return table
    }()

    /// The zone of `country` (as the map names it), `nil` when this table does not give one.
    static func of(_ country: String) -> CulturalZone? { byCountry[country] }
}

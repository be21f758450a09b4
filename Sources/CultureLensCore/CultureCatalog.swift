import Synchronization

/// The cultures CultureLens knows by code: every ISO 3166-1 alpha-2 country plus named sub-national and cultural regions.
///
/// Country names are common English short names. Macro-regions follow the UN M49 geoscheme with a few
/// report-oriented choices: the Caucasus, Türkiye, Iran and Western Asia are `middle-east`, Egypt and Sudan are
/// `northern-africa`, Afghanistan is `south-asia`, Mexico, Central America and the Caribbean are `latin-america`,
/// Cyprus and Russia are `europe`, and Antarctica and remote Australian/US territories are `oceania`.
public enum CultureCatalog {
    /// Every known culture, sorted by code.
    public static let all: [Culture] = [
        Culture(code: "AD", name: "Andorra", region: .europe),
        Culture(code: "AE", name: "United Arab Emirates", region: .middleEast),
        Culture(code: "AF", name: "Afghanistan", region: .southAsia),
        Culture(code: "AG", name: "Antigua and Barbuda", region: .latinAmerica),
        Culture(code: "AI", name: "Anguilla", region: .latinAmerica),
        Culture(code: "AL", name: "Albania", region: .europe),
        Culture(code: "AM", name: "Armenia", region: .middleEast),
        Culture(code: "AO", name: "Angola", region: .subSaharanAfrica),
        Culture(code: "AQ", name: "Antarctica", region: .oceania),
        Culture(code: "AR", name: "Argentina", region: .latinAmerica),
        Culture(code: "AS", name: "American Samoa", region: .oceania),
        Culture(code: "AT", name: "Austria", region: .europe),
        Culture(code: "AU", name: "Australia", region: .oceania),
        Culture(code: "AW", name: "Aruba", region: .latinAmerica),
        Culture(code: "AX", name: "Åland Islands", region: .europe),
        Culture(code: "AZ", name: "Azerbaijan", region: .middleEast),
        Culture(code: "BA", name: "Bosnia and Herzegovina", region: .europe),
        Culture(code: "BB", name: "Barbados", region: .latinAmerica),
        Culture(code: "BD", name: "Bangladesh", region: .southAsia),
        Culture(code: "BE", name: "Belgium", region: .europe),
        Culture(code: "BE-VLG", name: "Flanders", region: .europe, country: "BE"),
        Culture(code: "BE-WAL", name: "Wallonia", region: .europe, country: "BE"),
        Culture(code: "BF", name: "Burkina Faso", region: .subSaharanAfrica),
        Culture(code: "BG", name: "Bulgaria", region: .europe),
        Culture(code: "BH", name: "Bahrain", region: .middleEast),
        Culture(code: "BI", name: "Burundi", region: .subSaharanAfrica),
        Culture(code: "BJ", name: "Benin", region: .subSaharanAfrica),
        Culture(code: "BL", name: "Saint Barthélemy", region: .latinAmerica),
        Culture(code: "BM", name: "Bermuda", region: .northAmerica),
        Culture(code: "BN", name: "Brunei", region: .southeastAsia),
        Culture(code: "BO", name: "Bolivia", region: .latinAmerica),
        Culture(code: "BQ", name: "Caribbean Netherlands", region: .latinAmerica),
        Culture(code: "BR", name: "Brazil", region: .latinAmerica),
        Culture(code: "BS", name: "Bahamas", region: .latinAmerica),
        Culture(code: "BT", name: "Bhutan", region: .southAsia),
        Culture(code: "BV", name: "Bouvet Island", region: .latinAmerica),
        Culture(code: "BW", name: "Botswana", region: .subSaharanAfrica),
        Culture(code: "BY", name: "Belarus", region: .europe),
        Culture(code: "BZ", name: "Belize", region: .latinAmerica),
        Culture(code: "CA", name: "Canada", region: .northAmerica),
        Culture(code: "CA-QC", name: "Quebec", region: .northAmerica, country: "CA"),
        Culture(code: "CC", name: "Cocos (Keeling) Islands", region: .oceania),
        Culture(code: "CD", name: "Democratic Republic of the Congo", region: .subSaharanAfrica),
        Culture(code: "CF", name: "Central African Republic", region: .subSaharanAfrica),
        Culture(code: "CG", name: "Republic of the Congo", region: .subSaharanAfrica),
        Culture(code: "CH", name: "Switzerland", region: .europe),
        Culture(code: "CI", name: "Côte d'Ivoire", region: .subSaharanAfrica),
        Culture(code: "CK", name: "Cook Islands", region: .oceania),
        Culture(code: "CL", name: "Chile", region: .latinAmerica),
        Culture(code: "CM", name: "Cameroon", region: .subSaharanAfrica),
        Culture(code: "CN", name: "China", region: .eastAsia),
        Culture(code: "CN-SC", name: "Sichuan", region: .eastAsia, country: "CN"),
        Culture(code: "CO", name: "Colombia", region: .latinAmerica),
        Culture(code: "CR", name: "Costa Rica", region: .latinAmerica),
        Culture(code: "CU", name: "Cuba", region: .latinAmerica),
        Culture(code: "CV", name: "Cabo Verde", region: .subSaharanAfrica),
        Culture(code: "CW", name: "Curaçao", region: .latinAmerica),
        Culture(code: "CX", name: "Christmas Island", region: .oceania),
        Culture(code: "CY", name: "Cyprus", region: .europe),
        Culture(code: "CZ", name: "Czechia", region: .europe),
        Culture(code: "DE", name: "Germany", region: .europe),
        Culture(code: "DE-BY", name: "Bavaria", region: .europe, country: "DE"),
        Culture(code: "DJ", name: "Djibouti", region: .subSaharanAfrica),
        Culture(code: "DK", name: "Denmark", region: .europe),
        Culture(code: "DM", name: "Dominica", region: .latinAmerica),
        Culture(code: "DO", name: "Dominican Republic", region: .latinAmerica),
        Culture(code: "DZ", name: "Algeria", region: .northernAfrica),
        Culture(code: "EC", name: "Ecuador", region: .latinAmerica),
        Culture(code: "EE", name: "Estonia", region: .europe),
        Culture(code: "EG", name: "Egypt", region: .northernAfrica),
        Culture(code: "EH", name: "Western Sahara", region: .northernAfrica),
        Culture(code: "ER", name: "Eritrea", region: .subSaharanAfrica),
        Culture(code: "ES", name: "Spain", region: .europe),
        Culture(code: "ES-CT", name: "Catalonia", region: .europe, country: "ES"),
        Culture(code: "ES-PV", name: "Basque Country", region: .europe, country: "ES"),
        Culture(code: "ET", name: "Ethiopia", region: .subSaharanAfrica),
        Culture(code: "FI", name: "Finland", region: .europe),
        Culture(code: "FJ", name: "Fiji", region: .oceania),
        Culture(code: "FK", name: "Falkland Islands", region: .latinAmerica),
        Culture(code: "FM", name: "Micronesia", region: .oceania),
        Culture(code: "FO", name: "Faroe Islands", region: .europe),
        Culture(code: "FR", name: "France", region: .europe),
        Culture(code: "GA", name: "Gabon", region: .subSaharanAfrica),
        Culture(code: "GB", name: "United Kingdom", region: .europe),
        Culture(code: "GB-SCT", name: "Scotland", region: .europe, country: "GB"),
        Culture(code: "GB-WLS", name: "Wales", region: .europe, country: "GB"),
        Culture(code: "GD", name: "Grenada", region: .latinAmerica),
        Culture(code: "GE", name: "Georgia", region: .middleEast),
        Culture(code: "GF", name: "French Guiana", region: .latinAmerica),
        Culture(code: "GG", name: "Guernsey", region: .europe),
        Culture(code: "GH", name: "Ghana", region: .subSaharanAfrica),
        Culture(code: "GI", name: "Gibraltar", region: .europe),
        Culture(code: "GL", name: "Greenland", region: .northAmerica),
        Culture(code: "GM", name: "Gambia", region: .subSaharanAfrica),
        Culture(code: "GN", name: "Guinea", region: .subSaharanAfrica),
        Culture(code: "GP", name: "Guadeloupe", region: .latinAmerica),
        Culture(code: "GQ", name: "Equatorial Guinea", region: .subSaharanAfrica),
        Culture(code: "GR", name: "Greece", region: .europe),
        Culture(code: "GS", name: "South Georgia and the South Sandwich Islands", region: .latinAmerica),
        Culture(code: "GT", name: "Guatemala", region: .latinAmerica),
        Culture(code: "GU", name: "Guam", region: .oceania),
        Culture(code: "GW", name: "Guinea-Bissau", region: .subSaharanAfrica),
        Culture(code: "GY", name: "Guyana", region: .latinAmerica),
        Culture(code: "HK", name: "Hong Kong", region: .eastAsia),
        Culture(code: "HM", name: "Heard Island and McDonald Islands", region: .oceania),
        Culture(code: "HN", name: "Honduras", region: .latinAmerica),
        Culture(code: "HR", name: "Croatia", region: .europe),
        Culture(code: "HT", name: "Haiti", region: .latinAmerica),
        Culture(code: "HU", name: "Hungary", region: .europe),
        Culture(code: "ID", name: "Indonesia", region: .southeastAsia),
        Culture(code: "ID-BA", name: "Bali", region: .southeastAsia, country: "ID"),
        Culture(code: "ID-JB", name: "West Java", region: .southeastAsia, country: "ID"),
        Culture(code: "IE", name: "Ireland", region: .europe),
        Culture(code: "IL", name: "Israel", region: .middleEast),
        Culture(code: "IM", name: "Isle of Man", region: .europe),
        Culture(code: "IN", name: "India", region: .southAsia),
        Culture(code: "IN-AS", name: "Assam", region: .southAsia, country: "IN"),
        Culture(code: "IN-KL", name: "Kerala", region: .southAsia, country: "IN"),
        Culture(code: "IN-PB", name: "Punjab (India)", region: .southAsia, country: "IN"),
        Culture(code: "IN-TN", name: "Tamil Nadu", region: .southAsia, country: "IN"),
        Culture(code: "IO", name: "British Indian Ocean Territory", region: .subSaharanAfrica),
        Culture(code: "IQ", name: "Iraq", region: .middleEast),
        Culture(code: "IQ-KR", name: "Kurdistan Region", region: .middleEast, country: "IQ"),
        Culture(code: "IR", name: "Iran", region: .middleEast),
        Culture(code: "IS", name: "Iceland", region: .europe),
        Culture(code: "IT", name: "Italy", region: .europe),
        Culture(code: "JE", name: "Jersey", region: .europe),
        Culture(code: "JM", name: "Jamaica", region: .latinAmerica),
        Culture(code: "JO", name: "Jordan", region: .middleEast),
        Culture(code: "JP", name: "Japan", region: .eastAsia),
        Culture(code: "JP-47", name: "Okinawa", region: .eastAsia, country: "JP"),
        Culture(code: "KE", name: "Kenya", region: .subSaharanAfrica),
        Culture(code: "KG", name: "Kyrgyzstan", region: .centralAsia),
        Culture(code: "KH", name: "Cambodia", region: .southeastAsia),
        Culture(code: "KI", name: "Kiribati", region: .oceania),
        Culture(code: "KM", name: "Comoros", region: .subSaharanAfrica),
        Culture(code: "KN", name: "Saint Kitts and Nevis", region: .latinAmerica),
        Culture(code: "KP", name: "North Korea", region: .eastAsia),
        Culture(code: "KR", name: "South Korea", region: .eastAsia),
        Culture(code: "KW", name: "Kuwait", region: .middleEast),
        Culture(code: "KY", name: "Cayman Islands", region: .latinAmerica),
        Culture(code: "KZ", name: "Kazakhstan", region: .centralAsia),
        Culture(code: "LA", name: "Laos", region: .southeastAsia),
        Culture(code: "LB", name: "Lebanon", region: .middleEast),
        Culture(code: "LC", name: "Saint Lucia", region: .latinAmerica),
        Culture(code: "LI", name: "Liechtenstein", region: .europe),
        Culture(code: "LK", name: "Sri Lanka", region: .southAsia),
        Culture(code: "LR", name: "Liberia", region: .subSaharanAfrica),
        Culture(code: "LS", name: "Lesotho", region: .subSaharanAfrica),
        Culture(code: "LT", name: "Lithuania", region: .europe),
        Culture(code: "LU", name: "Luxembourg", region: .europe),
        Culture(code: "LV", name: "Latvia", region: .europe),
        Culture(code: "LY", name: "Libya", region: .northernAfrica),
        Culture(code: "MA", name: "Morocco", region: .northernAfrica),
        Culture(code: "MC", name: "Monaco", region: .europe),
        Culture(code: "MD", name: "Moldova", region: .europe),
        Culture(code: "ME", name: "Montenegro", region: .europe),
        Culture(code: "MF", name: "Saint Martin", region: .latinAmerica),
        Culture(code: "MG", name: "Madagascar", region: .subSaharanAfrica),
        Culture(code: "MH", name: "Marshall Islands", region: .oceania),
        Culture(code: "MK", name: "North Macedonia", region: .europe),
        Culture(code: "ML", name: "Mali", region: .subSaharanAfrica),
        Culture(code: "MM", name: "Myanmar", region: .southeastAsia),
        Culture(code: "MN", name: "Mongolia", region: .eastAsia),
        Culture(code: "MO", name: "Macao", region: .eastAsia),
        Culture(code: "MP", name: "Northern Mariana Islands", region: .oceania),
        Culture(code: "MQ", name: "Martinique", region: .latinAmerica),
        Culture(code: "MR", name: "Mauritania", region: .subSaharanAfrica),
        Culture(code: "MS", name: "Montserrat", region: .latinAmerica),
        Culture(code: "MT", name: "Malta", region: .europe),
        Culture(code: "MU", name: "Mauritius", region: .subSaharanAfrica),
        Culture(code: "MV", name: "Maldives", region: .southAsia),
        Culture(code: "MW", name: "Malawi", region: .subSaharanAfrica),
        Culture(code: "MX", name: "Mexico", region: .latinAmerica),
        Culture(code: "MY", name: "Malaysia", region: .southeastAsia),
        Culture(code: "MZ", name: "Mozambique", region: .subSaharanAfrica),
        Culture(code: "NA", name: "Namibia", region: .subSaharanAfrica),
        Culture(code: "NC", name: "New Caledonia", region: .oceania),
        Culture(code: "NE", name: "Niger", region: .subSaharanAfrica),
        Culture(code: "NF", name: "Norfolk Island", region: .oceania),
        Culture(code: "NG", name: "Nigeria", region: .subSaharanAfrica),
        Culture(code: "NG-NORTH", name: "Northern Nigeria", region: .subSaharanAfrica, country: "NG"),
        Culture(code: "NI", name: "Nicaragua", region: .latinAmerica),
        Culture(code: "NL", name: "Netherlands", region: .europe),
        Culture(code: "NO", name: "Norway", region: .europe),
        Culture(code: "NP", name: "Nepal", region: .southAsia),
        Culture(code: "NR", name: "Nauru", region: .oceania),
        Culture(code: "NU", name: "Niue", region: .oceania),
        Culture(code: "NZ", name: "New Zealand", region: .oceania),
        Culture(code: "OM", name: "Oman", region: .middleEast),
        Culture(code: "PA", name: "Panama", region: .latinAmerica),
        Culture(code: "PE", name: "Peru", region: .latinAmerica),
        Culture(code: "PF", name: "French Polynesia", region: .oceania),
        Culture(code: "PG", name: "Papua New Guinea", region: .oceania),
        Culture(code: "PH", name: "Philippines", region: .southeastAsia),
        Culture(code: "PK", name: "Pakistan", region: .southAsia),
        Culture(code: "PL", name: "Poland", region: .europe),
        Culture(code: "PM", name: "Saint Pierre and Miquelon", region: .northAmerica),
        Culture(code: "PN", name: "Pitcairn Islands", region: .oceania),
        Culture(code: "PR", name: "Puerto Rico", region: .latinAmerica),
        Culture(code: "PS", name: "Palestine", region: .middleEast),
        Culture(code: "PT", name: "Portugal", region: .europe),
        Culture(code: "PW", name: "Palau", region: .oceania),
        Culture(code: "PY", name: "Paraguay", region: .latinAmerica),
        Culture(code: "QA", name: "Qatar", region: .middleEast),
        Culture(code: "RE", name: "Réunion", region: .subSaharanAfrica),
        Culture(code: "RO", name: "Romania", region: .europe),
        Culture(code: "RS", name: "Serbia", region: .europe),
        Culture(code: "RU", name: "Russia", region: .europe),
        Culture(code: "RW", name: "Rwanda", region: .subSaharanAfrica),
        Culture(code: "SA", name: "Saudi Arabia", region: .middleEast),
        Culture(code: "SB", name: "Solomon Islands", region: .oceania),
        Culture(code: "SC", name: "Seychelles", region: .subSaharanAfrica),
        Culture(code: "SD", name: "Sudan", region: .northernAfrica),
        Culture(code: "SE", name: "Sweden", region: .europe),
        Culture(code: "SG", name: "Singapore", region: .southeastAsia),
        Culture(code: "SH", name: "Saint Helena, Ascension and Tristan da Cunha", region: .subSaharanAfrica),
        Culture(code: "SI", name: "Slovenia", region: .europe),
        Culture(code: "SJ", name: "Svalbard and Jan Mayen", region: .europe),
        Culture(code: "SK", name: "Slovakia", region: .europe),
        Culture(code: "SL", name: "Sierra Leone", region: .subSaharanAfrica),
        Culture(code: "SM", name: "San Marino", region: .europe),
        Culture(code: "SN", name: "Senegal", region: .subSaharanAfrica),
        Culture(code: "SO", name: "Somalia", region: .subSaharanAfrica),
        Culture(code: "SR", name: "Suriname", region: .latinAmerica),
        Culture(code: "SS", name: "South Sudan", region: .subSaharanAfrica),
        Culture(code: "ST", name: "São Tomé and Príncipe", region: .subSaharanAfrica),
        Culture(code: "SV", name: "El Salvador", region: .latinAmerica),
        Culture(code: "SX", name: "Sint Maarten", region: .latinAmerica),
        Culture(code: "SY", name: "Syria", region: .middleEast),
        Culture(code: "SZ", name: "Eswatini", region: .subSaharanAfrica),
        Culture(code: "TC", name: "Turks and Caicos Islands", region: .latinAmerica),
        Culture(code: "TD", name: "Chad", region: .subSaharanAfrica),
        Culture(code: "TF", name: "French Southern Territories", region: .subSaharanAfrica),
        Culture(code: "TG", name: "Togo", region: .subSaharanAfrica),
        Culture(code: "TH", name: "Thailand", region: .southeastAsia),
        Culture(code: "TJ", name: "Tajikistan", region: .centralAsia),
        Culture(code: "TK", name: "Tokelau", region: .oceania),
        Culture(code: "TL", name: "Timor-Leste", region: .southeastAsia),
        Culture(code: "TM", name: "Turkmenistan", region: .centralAsia),
        Culture(code: "TN", name: "Tunisia", region: .northernAfrica),
        Culture(code: "TO", name: "Tonga", region: .oceania),
        Culture(code: "TR", name: "Türkiye", region: .middleEast),
        Culture(code: "TT", name: "Trinidad and Tobago", region: .latinAmerica),
        Culture(code: "TV", name: "Tuvalu", region: .oceania),
        Culture(code: "TW", name: "Taiwan", region: .eastAsia),
        Culture(code: "TZ", name: "Tanzania", region: .subSaharanAfrica),
        Culture(code: "UA", name: "Ukraine", region: .europe),
        Culture(code: "UG", name: "Uganda", region: .subSaharanAfrica),
        Culture(code: "UM", name: "U.S. Minor Outlying Islands", region: .oceania),
        Culture(code: "US", name: "United States", region: .northAmerica),
        Culture(code: "US-HI", name: "Hawaii", region: .oceania, country: "US"),
        Culture(code: "US-TX", name: "Texas", region: .northAmerica, country: "US"),
        Culture(code: "UY", name: "Uruguay", region: .latinAmerica),
        Culture(code: "UZ", name: "Uzbekistan", region: .centralAsia),
        Culture(code: "VA", name: "Vatican City", region: .europe),
        Culture(code: "VC", name: "Saint Vincent and the Grenadines", region: .latinAmerica),
        Culture(code: "VE", name: "Venezuela", region: .latinAmerica),
        Culture(code: "VG", name: "British Virgin Islands", region: .latinAmerica),
        Culture(code: "VI", name: "U.S. Virgin Islands", region: .latinAmerica),
        Culture(code: "VN", name: "Vietnam", region: .southeastAsia),
        Culture(code: "VU", name: "Vanuatu", region: .oceania),
        Culture(code: "WF", name: "Wallis and Futuna", region: .oceania),
        Culture(code: "WS", name: "Samoa", region: .oceania),
        Culture(code: "YE", name: "Yemen", region: .middleEast),
        Culture(code: "YT", name: "Mayotte", region: .subSaharanAfrica),
        Culture(code: "ZA", name: "South Africa", region: .subSaharanAfrica),
        Culture(code: "ZM", name: "Zambia", region: .subSaharanAfrica),
        Culture(code: "ZW", name: "Zimbabwe", region: .subSaharanAfrica),
    ]

    /// Looks a culture up by code (case-insensitive) or by English name (case-insensitive, e.g. "United Kingdom",
    /// "UK", "USA", "South Korea", "North Korea", "Northern Nigeria", "West Java", "Assam").
    ///
    /// Underscores are treated as spaces (`North_Korea`) or, in codes, as hyphens (`in_as`); a leading "the",
    /// full stops and common accents are ignored, and "St" matches "Saint".
    ///
    /// - Parameter codeOrName: A culture code such as `JP` or `IN-AS`, an English name, or a known alias.
    /// - Returns: The matching culture, or `nil` if nothing matches.
    public static func culture(for codeOrName: String) -> Culture? {
        // Data files repeat a few culture strings on every row; normalising each again was ~1% of a run's CPU.
        if let known = lookups.withLock({ $0[codeOrName] }) { return known }
        let found = uncachedCulture(for: codeOrName)
        lookups.withLock { memo in
            // Culture strings are few in practice; the bound only stops unusual data from growing the memo.
            if memo.count >= 4_096 { memo.removeAll() }
            memo.updateValue(found, forKey: codeOrName)
        }
        return found
    }

    /// Earlier lookups by their exact argument, found or not (`nil` is remembered too).
    private static let lookups = Mutex<[String: Culture?]>([:])

    private static func uncachedCulture(for codeOrName: String) -> Culture? {
        let trimmed = codeOrName.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed()
        let code = String(String(trimmed).uppercased().map { $0 == "_" ? "-" : $0 })
        if let culture = byCode[code] {
            return culture
        }
        let key = normalizedName(codeOrName)
        guard !key.isEmpty, let found = nameIndex[key] else {
            return nil
        }
        return byCode[found]
    }

    /// Cultures keyed by code.
    private static let byCode: [String: Culture] = Dictionary(
        all.map { ($0.code, $0) },
        uniquingKeysWith: { first, _ in first }
    )

    /// Alternative English names, short forms and local spellings, mapped to culture codes.
    private static let aliases: [String: String] = [
        "UK": "GB",
        "Britain": "GB",
        "Great Britain": "GB",
        "United Kingdom of Great Britain and Northern Ireland": "GB",
        "USA": "US",
        "US": "US",
        "America": "US",
        "United States of America": "US",
        "Korea, Republic of": "KR",
        "Republic of Korea": "KR",
        "Korea, Democratic People's Republic of": "KP",
        "Democratic People's Republic of Korea": "KP",
        "DPRK": "KP",
        "Russian Federation": "RU",
        "Iran, Islamic Republic of": "IR",
        "Viet Nam": "VN",
        "Turkey": "TR",
        "Czech Republic": "CZ",
        "Bolivia, Plurinational State of": "BO",
        "Brunei Darussalam": "BN",
        "Congo, The Democratic Republic of the": "CD",
        "DR Congo": "CD",
        "DRC": "CD",
        "Congo-Kinshasa": "CD",
        "Congo": "CG",
        "Congo-Brazzaville": "CG",
        "Cape Verde": "CV",
        "Ivory Coast": "CI",
        "Lao People's Democratic Republic": "LA",
        "Macau": "MO",
        "Micronesia, Federated States of": "FM",
        "Moldova, Republic of": "MD",
        "Palestine, State of": "PS",
        "Syrian Arab Republic": "SY",
        "Tanzania, United Republic of": "TZ",
        "Venezuela, Bolivarian Republic of": "VE",
        "Holy See": "VA",
        "Vatican": "VA",
        "Virgin Islands, British": "VG",
        "Virgin Islands, U.S.": "VI",
        "Swaziland": "SZ",
        "Burma": "MM",
        "East Timor": "TL",
        "Holland": "NL",
        "UAE": "AE",
        "Hong Kong SAR": "HK",
        "Macao SAR": "MO",
        "Bonaire, Sint Eustatius and Saba": "BQ",
        "Saint Martin (French part)": "MF",
        "Sint Maarten (Dutch part)": "SX",
        "United States Minor Outlying Islands": "UM",
        "Pitcairn": "PN",
        "Falkland Islands (Malvinas)": "FK",
        "Cocos Islands": "CC",
        "Keeling Islands": "CC",
        "Punjab, India": "IN-PB",
        "Indian Punjab": "IN-PB",
        "Iraqi Kurdistan": "IQ-KR",
        "Kurdistan Region of Iraq": "IQ-KR",
        "Catalunya": "ES-CT",
        "Euskadi": "ES-PV",
        "País Vasco": "ES-PV",
        "Bayern": "DE-BY",
        "Vlaanderen": "BE-VLG",
        "Wallonie": "BE-WAL",
        "Jawa Barat": "ID-JB",
        "North Nigeria": "NG-NORTH",
    ]

    /// Normalized names and aliases, mapped to culture codes. Official names win over aliases.
    private static let nameIndex: [String: String] = {
        var index: [String: String] = [:]
        for culture in all {
            let key = normalizedName(culture.name)
            if index[key] == nil {
                index[key] = culture.code
            }
        }
        for (alias, code) in aliases {
            let key = normalizedName(alias)
            if index[key] == nil {
                index[key] = code
            }
        }
        return index
    }()

    /// Accented letters folded to their plain Latin form for name matching.
    private static let foldedLetters: [Character: Character] = {
        let groups: [(Character, String)] = [
            ("a", "àáâãäåā"), ("c", "çć"), ("e", "èéêëē"), ("g", "ğ"), ("i", "ìíîïı"), ("n", "ñń"),
            ("o", "òóôõöøō"), ("s", "şšś"), ("u", "ùúûüū"), ("y", "ýÿ"), ("z", "žż"),
        ]
        var map: [Character: Character] = [:]
        for (plain, accented) in groups {
            for letter in accented {
                map[letter] = plain
            }
        }
        return map
    }()

    /// Lower-cases a name, folds accents, treats underscores as spaces, drops full stops and a leading "the",
    /// and spells out "st" and "&".
    private static func normalizedName(_ name: String) -> String {
        var cleaned = ""
        for character in name.lowercased() {
            switch character {
            case "_":
                cleaned.append(" ")
            case ".":
                continue
            case "\u{2019}":
                cleaned.append("'")
            default:
                cleaned.append(foldedLetters[character] ?? character)
            }
        }
        var words = cleaned.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if words.first == "the" {
            words.removeFirst()
        }
        return words.map { word in
            switch word {
            case "st": "saint"
            case "&": "and"
            default: word
            }
        }.joined(separator: " ")
    }
}

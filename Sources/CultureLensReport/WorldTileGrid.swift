import CultureLensCore

/// The world tile map's layout: one square tile per country (ISO 3166-1) in its approximate geographic place,
/// and each sub-national region of ``CultureCatalog`` on a tile touching its country's tile.
///
/// The grid is hand-made and drawn below as text so it can be read and edited as a map: each row is one line,
/// each cell is two characters (a country code, `..` for sea, or a lower-case alias of a region listed in
/// ``regionAliases``), separated by single spaces. North is up; the Americas are on the left, the Pacific
/// islands on the right, Antarctica at the bottom. Every code of ``CultureCatalog/all`` is placed exactly once,
/// and every region touches its country (including diagonally); the tests check both.
public enum WorldTileGrid {
    /// A tile position: column (west → east) and row (north → south), from 0.
    public struct Position: Sendable, Hashable {
        /// Column.
        public var column: Int
        /// Row.
        public var row: Int
    }

    /// The map, one line per row.
    static let rows: [String] = [
        ".. .. .. .. .. GL .. .. .. .. .. .. IS .. FO .. .. SJ",
        ".. .. CA qc PM .. .. .. .. .. .. .. .. IM sc .. NO SE AX FI",
        ".. hi US .. BM .. .. .. .. .. .. .. IE wl GB .. DK .. .. EE RU",
        ".. MX tx .. BS TC .. .. .. .. .. .. .. GG JE NL DE PL LT LV BY",
        ".. .. BZ KY CU HT DO PR VG AI .. .. .. .. vl BE by CZ SK UA",
        ".. GT HN .. JM .. .. VI MF SX .. .. .. pv FR wa LU LI AT HU MD .. .. .. KZ .. .. MN",
        ".. SV NI .. .. .. .. BL KN AG .. .. PT ES ct AD CH SI HR RS RO .. GE AZ UZ KG .. si CN .. KP JP",
        ".. .. CR PA .. .. .. MS GP DM .. .. .. GI .. MC IT SM BA ME BG TR AM kr TM TJ .. .. MO HK KR ok",
        ".. .. .. .. AW CW BQ .. MQ LC .. .. .. .. .. .. VA MT AL MK GR CY SY IQ IR AF PK NP BT .. TW .. .. MP .. UM",
        ".. .. .. .. CO VE TT GD VC BB .. .. .. MA DZ TN LY EG PS IL LB JO KW .. .. .. pb IN as MM LA VN .. GU",
        ".. .. .. EC PE BR GY SR GF .. .. .. EH MR ML NE TD SD ER .. .. SA BH QA .. .. kl tn BD TH KH .. PH PW FM MH",
        ".. .. .. CL BO PY .. .. .. .. CV GM SN GN BF nn CF SS ET DJ YE OM AE .. .. MV .. LK .. MY .. BN .. .. .. NR KI",
        ".. .. .. .. AR UY .. .. .. .. .. GW SL CI GH NG CM CD UG KE SO .. .. .. .. .. .. .. .. SG ID .. .. PG SB .. TV TK",
        ".. .. .. .. .. FK .. .. .. .. .. .. LR .. TG BJ GQ CG RW TZ .. SC .. .. .. IO .. .. .. .. jb ba TL .. .. VU FJ WF WS AS",
        ".. .. .. .. .. .. .. .. .. .. SH .. .. .. .. ST GA AO BI MW KM .. .. .. .. .. .. .. .. CC CX .. AU .. .. NC .. TO NU CK PF",
        ".. .. .. .. .. .. .. .. GS .. .. .. .. .. .. .. NA ZM ZW MZ YT .. .. .. .. .. .. .. .. .. .. .. .. .. .. NF .. .. .. .. .. PN",
        ".. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. BW SZ .. MG RE MU .. .. .. .. .. .. .. .. .. .. .. .. NZ",
        ".. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. ZA LS",
        ".. .. .. .. .. .. .. .. .. .. .. .. .. .. BV .. .. .. .. .. .. .. .. TF HM",
        ".. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. AQ",
    ]

    /// Lower-case two-letter aliases of the sub-national regions used in ``rows``.
    static let regionAliases: [String: String] = [
        "as": "IN-AS",
        "ba": "ID-BA",
        "by": "DE-BY",
        "ct": "ES-CT",
        "hi": "US-HI",
        "jb": "ID-JB",
        "kl": "IN-KL",
        "kr": "IQ-KR",
        "nn": "NG-NORTH",
        "ok": "JP-47",
        "pb": "IN-PB",
        "pv": "ES-PV",
        "qc": "CA-QC",
        "sc": "GB-SCT",
        "si": "CN-SC",
        "tn": "IN-TN",
        "tx": "US-TX",
        "vl": "BE-VLG",
        "wa": "BE-WAL",
        "wl": "GB-WLS",
    ]

    /// Culture code → tile position.
    public static let positions: [String: Position] = {
        var result: [String: Position] = [:]
        for (row, line) in rows.enumerated() {
            for (column, cell) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated()
            where cell != ".." {
                let code = regionAliases[String(cell)] ?? String(cell)
                result[code] = Position(column: column, row: row)
            }
        }
        return result
    }()

    /// Number of columns.
    public static let columns: Int = (positions.values.map(\.column).max() ?? 0) + 1

    /// Number of rows.
    public static let rowCount: Int = rows.count

    /// The position of a culture code (case-insensitive), or `nil` if it is not on the map.
    public static func position(of code: String) -> Position? {
        positions[code.uppercased()] ?? positions[code]
    }

    /// Tile labels of the sub-national regions: at most three letters, never the code of a country (IQ-KR is
    /// not Korea, CN-SC not Seychelles, IN-AS not American Samoa).
    static let regionLabels: [String: String] = [
        "BE-VLG": "VLG", "BE-WAL": "WAL", "CA-QC": "QC", "CN-SC": "SIC", "DE-BY": "BAV", "ES-CT": "CAT", "ES-PV": "PV",
        "GB-SCT": "SCT", "GB-WLS": "WLS", "ID-BA": "BAL", "ID-JB": "WJV", "IN-AS": "ASM", "IN-KL": "KER",
        "IN-PB": "PUN",
        "IN-TN": "TAM", "IQ-KR": "KRD", "JP-47": "OKI", "NG-NORTH": "NNG", "US-HI": "HI", "US-TX": "TX",
    ]

    /// The short label drawn on a tile: the country code, or a region's entry in ``regionLabels`` (three letters of
    /// its name for a region added to the catalog without one).
    public static func label(for culture: Culture) -> String {
        guard culture.isSubnational else { return culture.code }
        return regionLabels[culture.code] ?? String(culture.name.uppercased().filter(\.isLetter).prefix(3))
    }
}

import CultureLensCore
import Foundation

extension InglehartWelzelMap {
    /// The map countries `--steer` names for cultural prompting: `all` (the 107, in the table's order), or
    /// `countries=JP,DE,Taiwan ROC` (a bare list works too), each a country as the map names it (any case) or a
    /// culture code or name that ``CultureCatalog`` resolves to one of the map's countries.
    /// - Throws: ``PerturbationSpecError`` naming a country that is not on the map, or an empty list.
    public static func personaCountries(_ specification: String) throws(PerturbationSpecError) -> [String] {
        guard let tokens = SteeringTargets.listedNames(specification) else { return countries.map(\.name) }
        var names: [String] = []
        for token in tokens {
            guard let name = mapCountry(for: token) else {
                throw PerturbationSpecError(
                    "'\(token)' in --steer is not a country of the Inglehart–Welzel map (use an ISO 3166-1 code such "
                        + "as JP or a name as the map writes it, e.g. \"Taiwan ROC\"; `all` asks all 107)"
                )
            }
            if !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { throw PerturbationSpecError("--steer needs `all` or `countries=JP,DE,...`") }
        return names
    }

    /// The map's name for a country named or coded `token`, if it is on the map.
    static func mapCountry(for token: String) -> String? {
        if let exact = countries.first(where: { $0.name.lowercased() == token.lowercased() }) { return exact.name }
        guard let culture = CultureCatalog.culture(for: token) else { return nil }
        // Tao's table writes some names its own way ("Taiwan ROC", "Hong Kong SAR"): the catalogue's name as a
        // prefix finds those.
        return countries.first { CultureCatalog.culture(for: $0.name)?.code == culture.code }?.name
            ?? countries.first { $0.name.hasPrefix(culture.name + " ") }?.name
    }
}

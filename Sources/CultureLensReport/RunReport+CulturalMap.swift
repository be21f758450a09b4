public import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
import Foundation

extension RunReport {
    /// Whether `suite`'s items carry Inglehart–Welzel item codes (the `inglehart-welzel` suite): its runs keep their
    /// results for ``culturalMap(suite:results:)``.
    public static func placesOnCulturalMap(_ suite: Suite) -> Bool {
        suite.items.contains { $0.metadata[InglehartWelzelSuite.itemKey] != nil }
    }

    /// The model's place on the Inglehart–Welzel map from `results` of `suite`, `nil` for suites without map items.
    /// Every persona country among the suite's items is listed, answered or not.
    public static func culturalMap(suite: Suite, results: [ItemResult]) -> InglehartWelzelPlacement? {
        guard placesOnCulturalMap(suite) else { return nil }
        let items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let observations = results.compactMap { result -> InglehartWelzelPlacement.Observation? in
            guard let item = items[result.itemID], let code = item.metadata[InglehartWelzelSuite.itemKey],
                let mapItem = InglehartWelzelMap.Item(rawValue: code),
                let variant = item.metadata[InglehartWelzelSuite.variantKey]
            else { return nil }
            return InglehartWelzelPlacement.Observation(
                item: mapItem,
                variant: variant,
                country: item.metadata[InglehartWelzelSuite.countryKey],
                answer: result.response,
                failure: result.failure
            )
        }
        let personas = suite.personaCountries(key: InglehartWelzelSuite.countryKey)
        return InglehartWelzelPlacement(observations, personas: personas)
    }

    /// Lines for the terminal describing a placement on the Inglehart–Welzel map: the model's point with its CI and
    /// n, the five nearest countries, each variant's values and point (or why it has none), and the unparseable
    /// answers per item with their reasons; with cultural prompting, a row per persona country and the share of
    /// countries the persona moved the model toward.
    public func culturalMapTable(_ map: InglehartWelzelPlacement) -> String {
        var lines = [""]
        if let unprompted = map.unprompted { lines += Self.lines(unprompted) }
        if let personas = map.personas { lines += Self.lines(personas, summary: map.steering) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func lines(
        _ personas: [InglehartWelzelPlacement.PersonaPlacement],
        summary: InglehartWelzelPlacement.SteeringSummary?
    ) -> [String] {
        var lines = [""]
        if let summary, let share = summary.share {
            lines.append(
                "cultural prompting: prompted point closer to the country than the unprompted one for "
                    + "\(summary.closer) of \(summary.n) countries, \(percent(share.value)) "
                    + "[95% CI \(percent(share.ciLow)) – \(percent(share.ciHigh))] n=\(summary.n)"
            )
        } else {
            lines.append("cultural prompting: no country has both a prompted and an unprompted point (n=0)")
        }
        lines.append(
            "  " + pad("persona country", 24) + pad("n", 4, right: true) + pad("x", 9, right: true)
                + pad("y", 9, right: true) + pad("before", 9, right: true) + pad("after", 9, right: true)
                + pad("closer", 8, right: true) + pad("unparseable", 13, right: true)
        )
        for persona in personas {
            let model = persona.placement.model
            let unparseable = persona.placement.items.map(\.unparseable).reduce(0, +)
            let answers = persona.placement.items.map(\.answers).reduce(0, +)
            lines.append(
                "  " + pad(persona.country, 24) + pad(model.map { String($0.n) } ?? "0", 4, right: true)
                    + pad(model.map { coordinate($0.x) } ?? "–", 9, right: true)
                    + pad(model.map { coordinate($0.y) } ?? "–", 9, right: true)
                    + pad(persona.distanceBefore.map(coordinate) ?? "–", 9, right: true)
                    + pad(persona.distanceAfter.map(coordinate) ?? "–", 9, right: true)
                    + pad(persona.closer.map { $0 ? "yes" : "no" } ?? "–", 8, right: true)
                    + pad("\(unparseable)/\(answers)", 13, right: true)
                    + (persona.note.map { "  \($0)" } ?? "")
            )
        }
        return lines
    }

    static func lines(_ placement: InglehartWelzelPlacement.Placement) -> [String] {
        var lines: [String] = []
        let title =
            "Inglehart–Welzel map (Tao et al. 2024)" + (placement.country.map { " · persona \($0)" } ?? "")
        let variants = placement.variants.count
        if let model = placement.model {
            func axis(_ name: String, _ value: Double, _ low: Double?, _ high: Double?) -> String {
                name + " " + coordinate(value)
                    + (low.map { " [95% CI \(coordinate($0)) – \(coordinate(high ?? $0))]" } ?? "")
            }
            lines.append(
                "\(title): "
                    + axis("x (self-expression)", model.x, model.ciLow?.x, model.ciHigh?.x) + " · "
                    + axis("y (secular)", model.y, model.ciLow?.y, model.ciHigh?.y)
                    + " · n=\(model.n) placeable of \(variants) variants"
            )
            if let note = model.ciNote { lines.append("  \(note)") }
            lines.append(
                "  nearest: "
                    + model.nearest.map { "\($0.country) \(String(format: "%.3f", $0.distance))" }
                    .joined(separator: " · ")
            )
        } else {
            lines.append("\(title): \(placement.note ?? "not placeable") (\(variants) variants)")
        }
        let items = InglehartWelzelMap.Item.allCases
        lines.append(
            "  " + pad("variant", 8) + items.map { pad($0.rawValue, 6, right: true) }.joined()
                + pad("x", 9, right: true) + pad("y", 9, right: true)
        )
        for variant in placement.variants {
            let values = variant.values.map { pad($0.value.map(value) ?? "–", 6, right: true) }.joined()
            let point =
                variant.point.map { pad(coordinate($0.x), 9, right: true) + pad(coordinate($0.y), 9, right: true) }
                ?? "  " + (variant.note ?? "")
            lines.append("  " + pad(variant.variant, 8) + values + point)
        }
        for count in placement.items where count.unparseable > 0 {
            lines.append(
                "  \(count.item.rawValue): \(count.unparseable) of \(count.answers) answers unparseable ("
                    + count.reasons.map { "\($0.reason): \($0.count)" }.joined(separator: "; ") + ")"
            )
        }
        return lines
    }

    static func coordinate(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func value(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}

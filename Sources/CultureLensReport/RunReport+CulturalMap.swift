public import CultureLensAnalysis
import Foundation

extension RunReport {
    /// Lines for the terminal describing a placement on the Inglehart–Welzel map: the model's point with its CI and
    /// n, the five nearest countries, each variant's values and point (or why it has none), and the unparseable
    /// answers per item with their reasons.
    public func culturalMapTable(_ map: InglehartWelzelPlacement) -> String {
        var lines = [""]
        for placement in [map.unprompted].compactMap({ $0 }) {
            lines += Self.lines(placement)
        }
        return lines.joined(separator: "\n") + "\n"
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

    private static func coordinate(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func value(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}

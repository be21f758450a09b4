import CultureLensFormats
import Foundation

/// How the report shows sections of `results.json` whose shape it does not own (robustness, steerability, metrics
/// and future additions), read as ``DataValue``s. Unlike ``DataValue/number`` and ``DataValue/text``, the
/// accessors here take JSON types as they are: a numeric string is text, not a figure.
extension DataValue {
    /// The number, if this is one.
    var jsonNumber: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The string, if this is one.
    var jsonString: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object's members by key, if this is an object (the first of duplicate keys wins).
    var members: [String: DataValue]? {
        guard case .object(let entries) = self else { return nil }
        return Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// A short plain-text rendering for table cells (numbers with up to 4 significant decimals, members sorted).
    var displayText: String {
        switch self {
        case .null: "—"
        case .bool(let value): value ? "yes" : "no"
        case .number(let value): Self.format(value)
        case .string(let value): value
        case .array(let values): values.map(\.displayText).joined(separator: ", ")
        case .object(let entries):
            entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.displayText)" }.joined(separator: "; ")
        }
    }

    /// A number for display: integral values without decimals, others with up to 4 decimals.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

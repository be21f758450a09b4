import Foundation

/// One value of a loaded dataset record: what a CSV field, a JSON value or a Python literal becomes, so that a
/// dataset spec can address any of them with the same field paths.
public enum DataValue: Sendable, Hashable {
    /// JSON `null`, Python `None`, or a missing value.
    case null
    /// A boolean.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string (every CSV field is one).
    case string(String)
    /// An array (JSON array, Python list or tuple).
    case array([DataValue])
    /// An object (JSON object, Python dict), keys in source order.
    case object([(key: String, value: DataValue)])

    public static func == (lhs: DataValue, rhs: DataValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let entries):
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }

    /// An object of `members`, keys sorted as a decoded object's are.
    public init(_ members: [String: DataValue]) {
        self = .object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    }

    /// The value under `key`, if this is an object holding it.
    public subscript(key: String) -> DataValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The text of a scalar: strings as they are, numbers without a trailing `.0` when integral, booleans as
    /// `true`/`false`; `nil` for null, arrays and objects.
    public var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// The number: numbers as they are, strings that parse as a number; `nil` otherwise.
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .string(let value): Double(value.trimmingCharacters(in: .whitespaces))
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// Whether this is null, an empty string, an empty array or an empty object.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .string(let value): value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .array(let values): values.isEmpty
        case .object(let entries): entries.isEmpty
        case .bool, .number: false
        }
    }

    /// A short description of the kind of value, for errors.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Converts a parsed Python literal (GlobalOpinionQA's `selections` and `options` columns).
    public init(python value: PythonValue) {
        switch value {
        case .none: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .float(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .list(let values), .tuple(let values): self = .array(values.map(DataValue.init(python:)))
        case .dict(let entries), .defaultdict(_, let entries):
            self = .object(
                entries.map { entry in
                    let key = entry.key.stringValue ?? DataValue(python: entry.key).text ?? entry.key.pythonRepr
                    return (key, DataValue(python: entry.value))
                }
            )
        }
    }
}

extension DataValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let values = try? container.decode([DataValue].self) {
            self = .array(values)
        } else {
            let object = try decoder.container(keyedBy: AnyCodingKey.self)
            // Keyed containers do not promise source order; sort so equal input gives equal values.
            self = .object(
                try object.allKeys.map(\.stringValue).sorted().map { key in
                    (key, try object.decode(DataValue.self, forKey: AnyCodingKey(key)))
                }
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let entries):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for entry in entries { try container.encode(entry.value, forKey: AnyCodingKey(entry.key)) }
        }
    }
}

/// A coding key made from any string.
package struct AnyCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?

    package init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    package init?(stringValue: String) { self.init(stringValue) }

    package init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

import CultureLensFormats

/// A field path into a record: keys separated by `.`, with `[]` after a key to take every element of an array
/// (flattening), or `[N]` for one element. `$name` at the start names a record variable (`$Region`, `$key`, `$row`).
///
/// Examples: `prompt_question`, `Gold Label`, `ann.annotations[].en_answers[]`, `choices[0]`, `$Region`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    enum Step: Sendable, Hashable {
        case key(String)
        case all
        case index(Int)
    }

    /// The path as written.
    public let text: String
    let steps: [Step]

    /// Parses a path.
    /// - Throws: a message when the brackets are malformed.
    public init(_ text: String) throws(SpecError) {
        self.text = text
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let bracket = rest.firstIndex(of: "[") else {
                guard !rest.isEmpty else { throw SpecError("empty key in field path '\(text)'") }
                steps.append(.key(String(rest)))
                continue
            }
            let key = rest[..<bracket]
            if !key.isEmpty { steps.append(.key(String(key))) }
            rest = rest[bracket...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    throw SpecError("malformed brackets in field path '\(text)'")
                }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside.isEmpty {
                    steps.append(.all)
                } else if let index = Int(inside) {
                    steps.append(.index(index))
                } else {
                    throw SpecError("'[\(inside)]' in field path '\(text)': expected [] or [N]")
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        guard !steps.isEmpty else { throw SpecError("empty field path") }
        self.steps = steps
    }

    public var description: String { text }

    /// Whether the path flattens arrays (and so yields a list).
    public var isMultiple: Bool { steps.contains(.all) }

    /// The values the path reaches in `root`; empty when it reaches nothing. Missing keys reach nothing.
    public func values(in root: DataValue) -> [DataValue] {
        var current = [root]
        for step in steps {
            var next: [DataValue] = []
            for value in current {
                switch step {
                case .key(let key):
                    if let found = value[key] { next.append(found) }
                case .all:
                    if case .array(let elements) = value { next.append(contentsOf: elements) }
                case .index(let index):
                    if case .array(let elements) = value, elements.indices.contains(index) {
                        next.append(elements[index])
                    }
                }
            }
            current = next
        }
        return current
    }

    /// The single value the path reaches, or `nil`.
    public func value(in root: DataValue) -> DataValue? {
        values(in: root).first
    }
}

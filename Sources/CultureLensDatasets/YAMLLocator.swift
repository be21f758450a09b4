import Yams

/// Finds the line of a key in a YAML document, so spec errors and diagnostics can name `file:line` (Yams's decoding
/// errors carry only the key path).
struct YAMLLocator {
    private let root: Node?

    /// Parses `yaml`; a document that does not parse locates nothing.
    init(yaml: String) {
        root = try? Yams.compose(yaml: yaml)
    }

    /// The 1-based line of `path` (`scoring.rule`, `prompts[2].template`); when the path's last keys are missing,
    /// the line of the deepest one present (e.g. `scoring:` for a missing `scoring.subset`); `nil` when not even
    /// the first key is there.
    func line(of path: String) -> Int? {
        guard var node = root else { return nil }
        var line: Int?
        for step in Self.steps(path) {
            switch (step, node) {
            case (.key(let name), .mapping(let mapping)):
                guard let entry = mapping.first(where: { $0.key.string == name }) else { return line }
                line = entry.key.mark?.line ?? line
                node = entry.value
            case (.index(let index), .sequence(let sequence)):
                guard sequence.indices.contains(index) else { return line }
                node = sequence[index]
                line = node.mark?.line ?? line
            default:
                return line
            }
        }
        return line
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    /// `a.b[2].c` → key a, key b, index 2, key c.
    private static func steps(_ path: String) -> [Step] {
        var steps: [Step] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let open = rest.firstIndex(of: "[") {
                if open > rest.startIndex { steps.append(.key(String(rest[..<open]))) }
                rest = rest[open...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    if let index = Int(rest[rest.index(after: rest.startIndex)..<close]) { steps.append(.index(index)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.key(String(rest)))
            }
        }
        return steps
    }
}

/// A problem found while reading a spec or its data that a run goes on despite (or, as an error, stops at): a spec
/// warning, a malformed row left out, a culture name not in the catalogue. Written to `results.json` under
/// `diagnostics`, so that what was dropped or guessed is on record next to the figures it affects.
///
/// In the spirit of swift-openapi-generator's `Diagnostic`: a severity, a message and where (file, line, field).
public struct Diagnostic: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        /// Worth knowing; nothing was lost.
        case note
        /// Something was left out or guessed (a skipped row, an unresolved culture, an unpinned source).
        case warning
        /// The input is unusable as it is.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// How bad it is.
    public var severity: Severity
    /// What is wrong, in one sentence.
    public var message: String
    /// The spec or data file, when there is one.
    public var file: String?
    /// The 1-based line in ``file``, when known.
    public var line: Int?
    /// The spec key or data field at fault (`scoring.subset`, `country`), when there is one.
    public var field: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    /// `file:line: severity: field 'x': message`, as compilers write it.
    public var description: String {
        var location = file ?? ""
        if let line { location += (location.isEmpty ? "line " : ":") + String(line) }
        let prefix = location.isEmpty ? "" : location + ": "
        let subject = field.map { "field '\($0)': " } ?? ""
        return "\(prefix)\(severity.rawValue): \(subject)\(message)"
    }

    /// By file, line, field, then most severe first and message: the order `results.json` lists them in.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        let left = (lhs.file ?? "", lhs.line ?? 0, lhs.field ?? "")
        let right = (rhs.file ?? "", rhs.line ?? 0, rhs.field ?? "")
        if left != right { return left < right }
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        return lhs.message < rhs.message
    }
}

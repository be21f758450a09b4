/// A named, versioned collection of items evaluated together.
public struct Suite: Sendable, Hashable {
    /// Suite name used on the command line, e.g. `starter`.
    public var name: String
    /// One-line description.
    public var title: String
    /// Version of the suite's content; part of the spec hash.
    public var version: String
    /// Source of the items (dataset id or `built-in`).
    public var source: String
    /// Licence of the items.
    public var licence: String
    /// The items in canonical order.
    public var items: [Item]

    /// Creates a suite.
    public init(name: String, title: String, version: String, source: String, licence: String, items: [Item]) {
        self.name = name
        self.title = title
        self.version = version
        self.source = source
        self.licence = licence
        self.items = items
    }

    /// The first `limit` items (all when `nil`), keeping the canonical order.
    public func prefix(_ limit: Int?) -> Suite {
        guard let limit, limit < items.count else { return self }
        var copy = self
        copy.items = Array(items.prefix(max(0, limit)))
        return copy
    }

    /// A content hash of the suite (name, version and every item), hex sha256.
    public var specHash: String {
        Hashing.sha256Hex(of: CanonicalJSON.encode(SpecHashInput(name: name, version: version, items: items)))
    }

    private struct SpecHashInput: Encodable {
        var name: String
        var version: String
        var items: [Item]
    }
}

/// The suites built into CultureLens.
public enum SuiteCatalog {
    /// Names of the built-in suites, sorted.
    public static var names: [String] { ["starter"] }

    /// Looks up a built-in suite by name.
    public static func suite(named name: String) -> Suite? {
        switch name {
        case "starter": StarterSuite.suite
        default: nil
        }
    }
}

public import CultureLensCore

/// A run reference that matches more than one stored run.
public struct AmbiguousRunReference: Error, Sendable, CustomStringConvertible {
    /// The reference as given.
    public var reference: String
    /// The ids it matches.
    public var matches: [String]

    public var description: String {
        "run id prefix '\(reference)' is ambiguous: \(matches.joined(separator: ", "))"
    }
}

extension ResultStore {
    /// The run whose id is `reference` or, failing that, the one run whose id starts with it; `nil` when none does.
    /// - Throws: ``AmbiguousRunReference`` when several ids start with it.
    public func run(matching reference: String) async throws -> RunRecord? {
        if let exact = try await run(id: reference) { return exact }
        let matches = try await runs().filter { $0.id.hasPrefix(reference) }
        if matches.count > 1 { throw AmbiguousRunReference(reference: reference, matches: matches.map(\.id)) }
        return matches.first
    }
}

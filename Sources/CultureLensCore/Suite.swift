import Crypto
import Foundation

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
    ///
    /// The hashed bytes are the canonical JSON of `{"items": [...], "name": ..., "version": ...}`, as they always
    /// were (run ids and resume depend on them). Large suites encode their items in chunks on every core and feed
    /// the pieces to the hash in order: encoding every item took ~0.15 s of CPU before a 5,000-item run's first request.
    public var specHash: String {
        guard items.count >= Parallel.defaultThreshold else {
            return Hashing.sha256Hex(
                of: CanonicalJSON.encode(SpecHashInput(name: name, version: version, items: items))
            )
        }
        // Without pretty printing an array's encoding is "[" + its elements' encodings joined by "," + "]", and
        // an element encodes to the same bytes inside the array as alone, so chunks' inner bytes concatenate to the
        // whole array's (`specHashMatchesTheCanonicalEncodingOfTheWholeSuite` checks this).
        let items = items
        let encoded = Parallel.mapChunks(count: items.count) { range in
            CanonicalJSON.encode(Array(items[range]))
        }
        var hasher = SHA256()
        hasher.update(data: Data(#"{"items":["#.utf8))
        var first = true
        for data in encoded where data.count > 2 {
            if !first { hasher.update(data: Data(",".utf8)) }
            first = false
            hasher.update(data: data.dropFirst().dropLast())
        }
        hasher.update(data: Data("],".utf8))
        // The name and version as the whole-object encoding writes them (sorted keys: items, name, version).
        let tail = CanonicalJSON.encode(NameAndVersion(name: name, version: version))
        hasher.update(data: tail.dropFirst())
        return Hashing.hex(hasher.finalize())
    }

    struct SpecHashInput: Encodable {
        var name: String
        var version: String
        var items: [Item]
    }

    private struct NameAndVersion: Encodable {
        var name: String
        var version: String
    }
}

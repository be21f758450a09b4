public import CultureLensCore
public import Foundation

/// A ``ResultStore`` held in memory, for tests and dry runs.
public actor InMemoryResultStore: RunAdministration {
    private var runsByID: [String: RunRecord] = [:]
    private var labels: [String: String] = [:]
    private var attachments: [String: [String: Data]] = [:]
    private var cache: [String: ModelResponse] = [:]
    private var resultsByKey: [String: ItemResult] = [:]

    /// Creates an empty store.
    public init() {}

    public func openRun(_ run: RunRecord) async throws -> RunRecord {
        if let existing = runsByID[run.id] { return existing }
        runsByID[run.id] = run
        return run
    }

    /// Like SQLite: updating a run that was never opened does nothing.
    public func updateRun(_ run: RunRecord) async throws {
        if runsByID[run.id] != nil { runsByID[run.id] = run }
    }

    public func run(id: String) async throws -> RunRecord? { runsByID[id] }

    public func runs() async throws -> [RunRecord] {
        // Newest first, ties by id ascending, as the SQLite store orders them.
        runsByID.values.sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id < $1.id }
    }

    public func cachedResponse(key: String) async throws -> ModelResponse? { cache[key] }

    public func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        if let cacheEntry, cache[cacheEntry.key] == nil { cache[cacheEntry.key] = cacheEntry.response }
        resultsByKey["\(result.runID)\u{1F}\(result.itemID)\u{1F}\(result.variant)"] = result
    }

    public func results(runID: String) async throws -> [ItemResult] {
        resultsByKey.values.filter { $0.runID == runID }.sorted {
            ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant)
        }
    }

    public func results(runID: String, after position: ItemResult.Position?, limit: Int) -> [ItemResult] {
        let sorted = resultsByKey.values.filter { $0.runID == runID }.sorted { $0.position < $1.position }
        let rest = position.map { position in sorted.drop { !(position < $0.position) } } ?? sorted[...]
        return Array(rest.prefix(max(0, limit)))
    }

    public func runLabels() async throws -> [String: String] { labels }

    public func setRunLabel(id: String, label: String?) async throws -> Bool {
        guard runsByID[id] != nil else { return false }
        labels[id] = label.flatMap { $0.isEmpty ? nil : $0 }
        return true
    }

    public func setRunAttachment(id: String, name: String, data: Data) async throws -> Bool {
        guard runsByID[id] != nil else { return false }
        attachments[id, default: [:]][name] = data
        return true
    }

    public func runAttachment(id: String, name: String) async throws -> Data? { attachments[id]?[name] }

    public func deleteRun(id: String) async throws -> Bool {
        guard runsByID.removeValue(forKey: id) != nil else { return false }
        labels[id] = nil
        attachments[id] = nil
        resultsByKey = resultsByKey.filter { $0.value.runID != id }
        return true
    }

    /// Number of cached responses.
    public var cachedResponseCount: Int { cache.count }
}

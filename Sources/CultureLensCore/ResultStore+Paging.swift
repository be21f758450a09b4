extension ItemResult {
    /// A result's place in a run, in the order paged reads list them (``ResultStore/results(runID:after:limit:)``):
    /// item index, then variant, then item id (which only breaks ties between distinct items sharing an index).
    public struct Position: Sendable, Hashable, Comparable {
        /// Item index.
        public var itemIndex: Int
        /// Prompt variant id.
        public var variant: String
        /// Item id.
        public var itemID: String

        /// Creates a position.
        public init(itemIndex: Int, variant: String, itemID: String) {
            self.itemIndex = itemIndex
            self.variant = variant
            self.itemID = itemID
        }

        public static func < (a: Position, b: Position) -> Bool {
            (a.itemIndex, a.variant, a.itemID) < (b.itemIndex, b.variant, b.itemID)
        }
    }

    /// This result's position.
    public var position: Position { Position(itemIndex: itemIndex, variant: variant, itemID: itemID) }
}

extension ResultStore {
    public func results(runID: String, after position: ItemResult.Position?, limit: Int) async throws -> [ItemResult] {
        let all = try await results(runID: runID).sorted { $0.position < $1.position }
        let rest = position.map { position in all.drop { !(position < $0.position) } } ?? all[...]
        return Array(rest.prefix(max(0, limit)))
    }

    /// Calls `body` with each of a run's results in the order of ``results(runID:after:limit:)``, reading
    /// `pageSize` results at a time: memory stays bounded by a page however large the run.
    public func forEachResult(
        runID: String,
        pageSize: Int = 1000,
        _ body: (ItemResult) throws -> Void
    ) async throws {
        let pageSize = max(1, pageSize)
        var position: ItemResult.Position?
        while true {
            let page = try await results(runID: runID, after: position, limit: pageSize)
            for result in page { try body(result) }
            guard page.count == pageSize, let last = page.last else { return }
            position = last.position
        }
    }
}

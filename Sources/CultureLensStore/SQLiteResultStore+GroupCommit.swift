import CultureLensCore
import Foundation
import GRDB
import Synchronization

/// Group commit of ``SQLiteResultStore/save(_:cacheEntry:)``.
///
/// One transaction per result cost ~0.4 ms of CPU per item (WAL frame writes and a commit each), the largest
/// store-side cost of a run. Each save queues its rows and schedules a block on GRDB's serial writer queue; the
/// first block to run takes every queued save and commits them all in one transaction, so the saves that arrived
/// while the writer was busy share the next commit, and the blocks scheduled for them find nothing left to do.
/// No save waits for a timer: an idle store commits a lone save at once, and batches only grow under load.
///
/// The protocol's guarantees hold per save: a result and its response are always in the same transaction, and a
/// save returns only after that transaction has committed, so nothing acknowledged is lost by a crash.
extension SQLiteResultStore {
    /// A save waiting for the writer, and the caller to resume once it is committed (or has failed).
    struct PendingSave: Sendable {
        /// What one save writes.
        struct Row: Sendable {
            var result: ItemResult
            var payload: String
            var cache: CacheRow?
        }

        /// A response for the cache table.
        struct CacheRow: Sendable {
            var key: String
            var model: String
            var request: String
            var response: String
        }

        var row: Row
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// Queues `row` and returns once the transaction holding it has committed.
    func commitGrouped(_ row: PendingSave.Row) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pendingSaves.withLock { $0.append(PendingSave(row: row, continuation: continuation)) }
            // This block runs after the append, so it commits `row` itself unless an earlier block already took it.
            pool.asyncWriteWithoutTransaction { db in self.commitPendingSaves(db) }
        }
    }

    /// Commits every queued save; runs on the writer queue.
    private func commitPendingSaves(_ db: Database) {
        let batch = pendingSaves.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !batch.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        do {
            try db.inTransaction {
                for save in batch { try Self.insert(save.row, now: now, db) }
                return .commit
            }
            for save in batch { save.continuation.resume() }
        } catch let error as DatabaseError where batch.count > 1 && error.resultCode == .SQLITE_CONSTRAINT {
            // One bad row (e.g. a result for a run that does not exist) must not fail the others that happened to
            // share its transaction: the whole batch was rolled back, so commit each on its own.
            for save in batch {
                do {
                    try db.inTransaction {
                        try Self.insert(save.row, now: now, db)
                        return .commit
                    }
                    save.continuation.resume()
                } catch {
                    save.continuation.resume(throwing: error)
                }
            }
        } catch {
            // Busy, I/O or full-disk errors would fail row by row too (after another busy timeout each), so
            // every save of the batch reports the error; none of them was committed.
            for save in batch { save.continuation.resume(throwing: error) }
        }
    }

    private static func insert(_ row: PendingSave.Row, now: Double, _ db: Database) throws {
        if let cache = row.cache {
            // Cached statements: the two statements are prepared once per connection, not once per result.
            try db.cachedStatement(
                sql: """
                    INSERT INTO responses (key, model, request, response, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO NOTHING
                    """
            ).execute(arguments: [cache.key, cache.model, cache.request, cache.response, now])
        }
        let result = row.result
        try db.cachedStatement(
            sql: """
                INSERT INTO results (run_id, item_id, variant, item_index, culture, score, failure, cache_key, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(run_id, item_id, variant) DO UPDATE SET
                    item_index = excluded.item_index, culture = excluded.culture, score = excluded.score,
                    failure = excluded.failure, cache_key = excluded.cache_key, payload = excluded.payload
                """
        ).execute(arguments: [
            result.runID, result.itemID, result.variant, result.itemIndex, result.culture, result.score,
            result.failure?.rawValue, result.cacheKey, row.payload,
        ])
    }
}

import CultureLensCore
import CultureLensTesting
import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CultureLensStore

/// Group commit of `SQLiteResultStore.save`: saves that queue while the writer is busy share one transaction.
///
/// Each test holds GRDB's writer queue with a blocking block, queues saves behind it, and only then lets the
/// writer go, so the batch's size is known rather than left to scheduling.
@Suite struct SQLiteGroupCommitTests {
    /// Counts commits on the writer connection, from outside the store.
    final class CommitCounter: TransactionObserver, Sendable {
        private let commits = Mutex(0)
        var count: Int { commits.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// Holds the writer queue until ``release()``.
    final class WriterGate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)

        init(_ store: SQLiteResultStore) {
            store.pool.asyncWriteWithoutTransaction { [semaphore] _ in semaphore.wait() }
        }

        func release() { semaphore.signal() }
    }

    static func waitForQueuedSaves(_ store: SQLiteResultStore, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while store.pendingSaves.withLock({ $0.count }) < count {
            try #require(ContinuousClock.now < deadline, "saves were not queued within 300 s")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func save(_ store: SQLiteResultStore, runID: String, indices: Range<Int>) async -> [Int: Bool] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for index in indices {
                group.addTask {
                    let result = ResultStoreConformance.makeResult(runID: runID, index: index, cacheKey: "key-\(index)")
                    let entry = ResultStoreConformance.makeCacheEntry(
                        key: result.cacheKey,
                        response: ResultStoreConformance.sampleResponse(index)
                    )
                    do {
                        try await store.save(result, cacheEntry: entry)
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (index, saved) in group { outcomes[index] = saved }
            return outcomes
        }
    }

    @Test func savesQueuedBehindABusyWriterCommitInOneTransactionAndSurviveReopening() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let store = try SQLiteResultStore(path: path)
            let run = ResultStoreConformance.makeRun(id: "grouped", createdAt: Date(timeIntervalSince1970: 1_000))
            _ = try await store.openRun(run)
            let counter = CommitCounter()
            store.pool.add(transactionObserver: counter, extent: .databaseLifetime)

            let gate = WriterGate(store)
            async let outcomes = Self.save(store, runID: run.id, indices: 0..<64)
            try await Self.waitForQueuedSaves(store, count: 64)
            gate.release()
            #expect(await outcomes.values.allSatisfy { $0 })
            #expect(counter.count == 1)

            let reopened = try SQLiteResultStore(path: path)
            let results = try await reopened.results(runID: run.id)
            #expect(results.map(\.itemIndex) == Array(0..<64))
            #expect(try await reopened.cachedResponseCount() == 64)
            for index in [0, 31, 63] {
                #expect(
                    try await reopened.cachedResponse(key: "key-\(index)")
                        == ResultStoreConformance.sampleResponse(index)
                )
            }
        }
    }

    @Test func aBadRowFailsAloneAndTheRestOfItsBatchIsCommitted() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let store = try SQLiteResultStore(path: path)
            let run = ResultStoreConformance.makeRun(id: "partly-bad", createdAt: Date(timeIntervalSince1970: 1_000))
            _ = try await store.openRun(run)
            #expect(await Self.save(store, runID: run.id, indices: 0..<10).values.allSatisfy { $0 })

            let gate = WriterGate(store)
            async let good = Self.save(store, runID: run.id, indices: 10..<40)
            // A result for a run that does not exist breaks the results table's foreign key.
            async let bad = Self.save(store, runID: "no-such-run", indices: 40..<41)
            try await Self.waitForQueuedSaves(store, count: 31)
            gate.release()
            #expect(await good.values.allSatisfy { $0 })
            #expect(await bad[40] == false)

            let reopened = try SQLiteResultStore(path: path)
            #expect(try await reopened.results(runID: run.id).map(\.itemIndex) == Array(0..<40))
            #expect(try await reopened.results(runID: "no-such-run").isEmpty)
            // The bad save's response was in its rolled-back transaction too: a result never lacks its response
            // and a response is never kept for a save that reported failure.
            #expect(try await reopened.cachedResponse(key: "key-40") == nil)
        }
    }

    @Test func aFailingBatchReportsTheErrorToEverySaveAndKeepsEarlierCommits() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let store = try SQLiteResultStore(configuration: .init(path: path, busyTimeout: 0.2))
            let run = ResultStoreConformance.makeRun(id: "failing", createdAt: Date(timeIntervalSince1970: 1_000))
            _ = try await store.openRun(run)
            #expect(await Self.save(store, runID: run.id, indices: 0..<5).values.allSatisfy { $0 })

            // Another connection (as another process would) holds the write lock past the busy timeout: an error
            // that is not one row's fault fails every save of the batch, and none of them is half-written.
            let other = try DatabaseQueue(path: path)
            let locked = DispatchSemaphore(value: 0)
            let unlock = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                try? other.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    unlock.wait()
                    try db.execute(sql: "ROLLBACK")
                }
            }
            try await offCooperativePool { locked.wait() }
            let gate = WriterGate(store)
            async let outcomes = Self.save(store, runID: run.id, indices: 5..<25)
            try await Self.waitForQueuedSaves(store, count: 20)
            gate.release()
            let failed = await outcomes
            unlock.signal()
            #expect(failed.count == 20)
            #expect(failed.values.allSatisfy { !$0 })

            let reopened = try SQLiteResultStore(path: path)
            #expect(try await reopened.results(runID: run.id).map(\.itemIndex) == Array(0..<5))
            #expect(try await reopened.cachedResponseCount() == 5)
            // The store keeps working once the lock is gone.
            #expect(await Self.save(store, runID: run.id, indices: 5..<6).values.allSatisfy { $0 })
        }
    }
}

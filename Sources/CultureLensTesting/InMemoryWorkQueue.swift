public import CultureLensCore
public import Foundation
import Synchronization

/// A clock that moves only when told to, for lease tests.
public final class ManualClock: Sendable {
    private let instant: Mutex<Date>

    /// Creates a clock showing `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        instant = Mutex(start)
    }

    /// The current time.
    public var now: Date { instant.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        instant.withLock { $0 = $0.addingTimeInterval(LeasePolicy.seconds(duration)) }
    }
}

/// A ``WorkQueue`` in memory, beside an ``InMemoryResultStore``, on an injectable clock: the lease logic of
/// ``LeasePolicy`` applied as the PostgreSQL queue applies it in SQL.
public actor InMemoryWorkQueue: WorkQueue {
    private struct Entry {
        var runID: String
        var work: WorkItem
        var worker: String?
        var token: String?
        var expiresAt: Date?
        var claims = 0
        var doneAt: Date?
        var doneBy: String?

        var record: LeasePolicy.Record { LeasePolicy.Record(isDone: doneAt != nil, worker: worker, expiresAt: expiresAt) }
    }

    /// The result store that completions save into.
    public nonisolated let store: InMemoryResultStore
    private let now: @Sendable () -> Date
    private var entries: [String: Entry] = [:]
    private var orderByRun: [String: [String]] = [:]
    private var runOrder: [String] = []
    private var settingsByRun: [String: RunModelSettings] = [:]
    private var lastSeen: [String: Date] = [:]

    /// Creates an empty queue saving into `store`, reading time from `now`.
    public init(store: InMemoryResultStore = InMemoryResultStore(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    private static func key(_ runID: String, _ itemID: String, _ variant: String) -> String {
        "\(runID)\u{1F}\(itemID)\u{1F}\(variant)"
    }

    public func enqueue(runID: String, settings: RunModelSettings, items: [WorkItem]) async throws -> EnqueueSummary {
        guard try await store.run(id: runID) != nil else { throw WorkQueueError.unknownRun(runID) }
        settingsByRun[runID] = settings
        if !runOrder.contains(runID) { runOrder.append(runID) }
        var added = 0
        for work in items {
            let key = Self.key(runID, work.itemID, work.variantID)
            guard entries[key] == nil else { continue }
            entries[key] = Entry(runID: runID, work: work)
            orderByRun[runID, default: []].append(key)
            added += 1
        }
        orderByRun[runID]?.sort { lhs, rhs in
            let (a, b) = (entries[lhs]!.work, entries[rhs]!.work)
            return (a.itemIndex, a.variantID) < (b.itemIndex, b.variantID)
        }
        var reopened = 0
        for result in try await store.results(runID: runID) where EvaluationRunner.isTransient(result.failure) {
            let key = Self.key(runID, result.itemID, result.variant)
            guard var entry = entries[key], entry.doneAt != nil else { continue }
            entry.doneAt = nil
            entry.doneBy = nil
            entry.token = nil
            entry.expiresAt = nil
            entry.worker = nil
            entries[key] = entry
            reopened += 1
        }
        return EnqueueSummary(added: added, reopened: reopened, total: orderByRun[runID]?.count ?? 0)
    }

    public func settings(runID: String) async throws -> RunModelSettings? { settingsByRun[runID] }

    public func claim(worker: String, runID: String?, limit: Int, policy: LeasePolicy) async throws -> ClaimOutcome {
        let now = now()
        lastSeen[worker] = now
        let candidates = runID.map { [$0] } ?? runOrder
        for run in candidates {
            let claimable = (orderByRun[run] ?? []).filter { policy.isClaimable(entries[$0]!.record, now: now) }
            guard !claimable.isEmpty else { continue }
            let token = UUID().uuidString
            let expiresAt = policy.expiry(from: now)
            var items: [WorkItem] = []
            var reclaimed = 0
            for key in claimable.prefix(max(1, limit)) {
                var entry = entries[key]!
                if entry.claims > 0 { reclaimed += 1 }
                entry.claims += 1
                entry.worker = worker
                entry.token = token
                entry.expiresAt = expiresAt
                entries[key] = entry
                items.append(entry.work)
            }
            return .claimed(WorkLease(runID: run, worker: worker, token: token, items: items, expiresAt: expiresAt, reclaimed: reclaimed))
        }
        let open = candidates.flatMap { orderByRun[$0] ?? [] }.compactMap { entries[$0] }.filter { $0.doneAt == nil }
        if open.isEmpty { return .finished }
        return .wait(policy.waitBeforeNextClaim(earliestExpiry: open.compactMap(\.expiresAt).min(), now: now))
    }

    public func renew(_ lease: WorkLease, policy: LeasePolicy) async throws -> Int {
        let now = now()
        lastSeen[lease.worker] = now
        var held = 0
        for work in lease.items {
            let key = Self.key(lease.runID, work.itemID, work.variantID)
            guard var entry = entries[key], entry.token == lease.token, entry.doneAt == nil else { continue }
            entry.expiresAt = policy.expiry(from: now)
            entries[key] = entry
            held += 1
        }
        return held
    }

    public func complete(_ result: ItemResult, cacheEntry: CacheEntry?, lease: WorkLease) async throws {
        let key = Self.key(result.runID, result.itemID, result.variant)
        guard var entry = entries[key], entry.token == lease.token, entry.doneAt == nil else {
            throw WorkQueueError.notHeld(runID: result.runID, itemID: result.itemID, variant: result.variant)
        }
        let before = entry
        entry.doneAt = now()
        entry.doneBy = lease.worker
        entries[key] = entry  // marked before the await: a concurrent completion of the same item is refused
        do {
            try await store.save(result, cacheEntry: cacheEntry)
        } catch {
            entries[key] = before
            throw error
        }
    }

    public func release(_ lease: WorkLease) async throws {
        for work in lease.items {
            let key = Self.key(lease.runID, work.itemID, work.variantID)
            guard var entry = entries[key], entry.token == lease.token, entry.doneAt == nil else { continue }
            entry.token = nil
            entry.expiresAt = nil
            entry.worker = nil
            entries[key] = entry
        }
    }

    public func progress(runID: String) async throws -> WorkProgress? {
        guard let keys = orderByRun[runID] else { return nil }
        let now = now()
        var done = 0
        var claimed = 0
        var expired = 0
        var pending = 0
        var reclaimed = 0
        var workers: [String: WorkProgress.Worker] = [:]
        func bump(_ id: String, _ change: (inout WorkProgress.Worker) -> Void) {
            var worker = workers[id] ?? WorkProgress.Worker(id: id, done: 0, claimed: 0, expired: 0, lastSeen: lastSeen[id])
            change(&worker)
            workers[id] = worker
        }
        for key in keys {
            let entry = entries[key]!
            if entry.claims > 1 { reclaimed += 1 }
            switch LeasePolicy().state(of: entry.record, now: now) {
            case .done:
                done += 1
                if let by = entry.doneBy { bump(by) { $0.done += 1 } }
            case .leased(let worker, _):
                claimed += 1
                bump(worker) { $0.claimed += 1 }
            case .expired(let worker, _):
                expired += 1
                bump(worker) { $0.expired += 1 }
            case .pending:
                pending += 1
            }
        }
        return WorkProgress(
            runID: runID, total: keys.count, done: done, claimed: claimed, expired: expired, pending: pending,
            reclaimed: reclaimed, workers: workers.values.sorted { $0.id < $1.id }, asOf: now
        )
    }

    public func itemStatuses(runID: String) async throws -> [WorkItemStatus] {
        (orderByRun[runID] ?? []).compactMap { entries[$0] }.map { entry in
            WorkItemStatus(
                itemID: entry.work.itemID, variant: entry.work.variantID, itemIndex: entry.work.itemIndex,
                worker: entry.worker, leaseExpiresAt: entry.expiresAt, claims: entry.claims,
                doneBy: entry.doneBy, doneAt: entry.doneAt
            )
        }
    }
}

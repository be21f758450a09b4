public import CultureLensCore
import Foundation
import PostgresNIO

/// The work queue: ``LeasePolicy``'s rules as SQL on the database's clock (`now()`), so workers on machines whose
/// clocks disagree still agree on who holds what.
///
/// - Claiming takes up to `limit` open rows whose lease is absent or expired with `FOR UPDATE SKIP LOCKED` (no two
///   workers wait on, or take, the same row) and stamps them with the worker, a fresh token and an expiry.
/// - Completing is one statement: the `UPDATE` that marks the row done only matches while the row still carries
///   the lease's token and is not done, and the response and result are inserted only when it matched. A result
///   from a worker whose lease was taken over is refused, and no item is ever completed twice.
extension PostgresResultStore {
    /// Failure kinds worth trying again (their items are reopened by a repeated enqueue).
    private static var transientFailures: [String] {
        FailureKind.allCases.filter { EvaluationRunner.isTransient($0) }.map(\.rawValue)
    }

    public func enqueue(runID: String, settings: RunModelSettings, items: [WorkItem]) async throws -> EnqueueSummary {
        let settingsJSON = try Self.json(settings)
        let ids = items.map(\.itemID)
        let variants = items.map(\.variantID)
        let indices = items.map(\.itemIndex)
        let itemJSON = try items.map { try Self.json($0.item) }
        let variantJSON = try items.map { try Self.json($0.variant) }
        let transient = Self.transientFailures
        return try await transaction { connection in
            let logger = Self.queryLogger
            let run = try await connection.query("SELECT 1 FROM runs WHERE id = \(runID)", logger: logger).collect()
            guard !run.isEmpty else { throw WorkQueueError.unknownRun(runID) }
            try await connection.query(
                """
                INSERT INTO work_runs (run_id, settings) VALUES (\(runID), \(settingsJSON))
                ON CONFLICT (run_id) DO UPDATE SET settings = excluded.settings
                """,
                logger: logger
            )
            let added = try await connection.query(
                """
                INSERT INTO work (run_id, item_id, variant, item_index, item, prompt_variant)
                SELECT \(runID), u.item_id, u.variant, u.item_index, u.item, u.prompt_variant
                FROM unnest(\(ids)::text[], \(variants)::text[], \(indices)::bigint[], \(itemJSON)::text[], \(variantJSON)::text[])
                    AS u(item_id, variant, item_index, item, prompt_variant)
                ON CONFLICT (run_id, item_id, variant) DO NOTHING
                RETURNING 1
                """,
                logger: logger
            ).collect().count
            let reopened = try await connection.query(
                """
                UPDATE work w SET done_at = NULL, done_by = NULL, worker = NULL, lease_token = NULL, lease_expires_at = NULL
                FROM results r
                WHERE w.run_id = \(runID) AND r.run_id = w.run_id AND r.item_id = w.item_id AND r.variant = w.variant
                    AND w.done_at IS NOT NULL AND r.failure = ANY(\(transient)::text[])
                RETURNING 1
                """,
                logger: logger
            ).collect().count
            let total = try await connection.query("SELECT count(*) FROM work WHERE run_id = \(runID)", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
            return EnqueueSummary(added: added, reopened: reopened, total: total)
        }
    }

    public func settings(runID: String) async throws -> RunModelSettings? {
        let rows = try await execute("SELECT settings FROM work_runs WHERE run_id = \(runID)")
        return try rows.first.map { try Self.decode(RunModelSettings.self, try $0.decode(String.self)) }
    }

    private func heartbeat(_ worker: String) async throws {
        try await execute(
            "INSERT INTO workers (id) VALUES (\(worker)) ON CONFLICT (id) DO UPDATE SET last_seen = now()"
        )
    }

    public func claim(worker: String, runID: String?, limit: Int, policy: LeasePolicy) async throws -> ClaimOutcome {
        try await heartbeat(worker)
        let seconds = policy.durationSeconds
        let limit = max(1, limit)
        for _ in 0..<3 {
            var target = runID
            if target == nil {
                let rows = try await execute(
                    """
                    SELECT w.run_id FROM work w JOIN work_runs r ON r.run_id = w.run_id
                    WHERE w.done_at IS NULL AND (w.lease_expires_at IS NULL OR w.lease_expires_at <= now())
                    ORDER BY r.enqueued_at, w.run_id LIMIT 1
                    """
                )
                target = try rows.first?.decode(String.self)
            }
            guard let target else { break }
            let token = UUID().uuidString.lowercased()
            // The pick is a CTE: a locking CTE runs once. As a subquery in `FROM`, the planner may rescan it for
            // every joined row, and the LIMIT would not hold (seen: all 10 rows of a run taken by a claim of 4).
            let rows = try await execute(
                """
                WITH picked AS (
                    SELECT item_id, variant FROM work
                    WHERE run_id = \(target) AND done_at IS NULL AND (lease_expires_at IS NULL OR lease_expires_at <= now())
                    ORDER BY item_index, variant COLLATE "C"
                    LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE work w SET worker = \(worker), lease_token = \(token),
                    lease_expires_at = now() + make_interval(secs => \(seconds)), claims = w.claims + 1
                FROM picked
                WHERE w.run_id = \(target) AND w.item_id = picked.item_id AND w.variant = picked.variant
                RETURNING w.item_index, w.item, w.prompt_variant, w.lease_expires_at, w.claims
                """
            )
            if !rows.isEmpty {
                var items: [WorkItem] = []
                var expiresAt = Date.distantFuture
                var reclaimed = 0
                for row in rows {
                    let (index, item, variant, expiry, claims) = try row.decode((Int, String, String, Date, Int).self)
                    items.append(
                        WorkItem(itemIndex: index, item: try Self.decode(Item.self, item), variant: try Self.decode(PromptVariant.self, variant))
                    )
                    expiresAt = min(expiresAt, expiry)
                    if claims > 1 { reclaimed += 1 }
                }
                items.sort { ($0.itemIndex, $0.variantID) < ($1.itemIndex, $1.variantID) }
                return .claimed(
                    WorkLease(runID: target, worker: worker, token: token, items: items, expiresAt: expiresAt, reclaimed: reclaimed)
                )
            }
            if runID != nil { break }
        }
        let rows: [PostgresRow]
        if let runID {
            rows = try await execute(
                "SELECT count(*), min(lease_expires_at), now() FROM work WHERE done_at IS NULL AND run_id = \(runID)"
            )
        } else {
            rows = try await execute("SELECT count(*), min(lease_expires_at), now() FROM work WHERE done_at IS NULL")
        }
        guard let row = rows.first else { return .finished }
        let (open, earliest, now) = try row.decode((Int, Date?, Date).self)
        if open == 0 { return .finished }
        return .wait(policy.waitBeforeNextClaim(earliestExpiry: earliest, now: now))
    }

    public func renew(_ lease: WorkLease, policy: LeasePolicy) async throws -> Int {
        try await heartbeat(lease.worker)
        let rows = try await execute(
            """
            UPDATE work SET lease_expires_at = now() + make_interval(secs => \(policy.durationSeconds))
            WHERE lease_token = \(lease.token) AND done_at IS NULL
            RETURNING 1
            """
        )
        return rows.count
    }

    public func complete(_ result: ItemResult, cacheEntry: CacheEntry?, lease: WorkLease) async throws {
        let payload = try Self.json(result)
        let failure = result.failure?.rawValue
        let request = try cacheEntry.map { try Self.json($0.request) }
        let response = try cacheEntry.map { try Self.json($0.response) }
        let now = Date().timeIntervalSince1970
        // One statement, so one transaction: the row is marked done only while it carries this lease's token, and
        // the response and result are written only if it was.
        let rows = try await execute(
            """
            WITH done AS (
                UPDATE work SET done_at = now(), done_by = \(lease.worker)
                WHERE run_id = \(result.runID) AND item_id = \(result.itemID) AND variant = \(result.variant)
                    AND lease_token = \(lease.token) AND done_at IS NULL
                RETURNING 1
            ), cached AS (
                INSERT INTO responses (key, model, request, response, created_at)
                SELECT \(cacheEntry?.key)::text, \(cacheEntry?.model)::text, \(request)::text, \(response)::text, \(now)::float8
                WHERE \(cacheEntry?.key)::text IS NOT NULL AND EXISTS (SELECT 1 FROM done)
                ON CONFLICT (key) DO NOTHING
            )
            INSERT INTO results (run_id, item_id, variant, item_index, culture, score, failure, cache_key, payload)
            SELECT \(result.runID)::text, \(result.itemID)::text, \(result.variant)::text, \(result.itemIndex)::bigint,
                \(result.culture)::text, \(result.score)::float8, \(failure)::text, \(result.cacheKey)::text, \(payload)::text
            WHERE EXISTS (SELECT 1 FROM done)
            ON CONFLICT (run_id, item_id, variant) DO UPDATE SET
                item_index = excluded.item_index, culture = excluded.culture, score = excluded.score,
                failure = excluded.failure, cache_key = excluded.cache_key, payload = excluded.payload
            RETURNING 1
            """
        )
        guard rows.count == 1 else {
            throw WorkQueueError.notHeld(runID: result.runID, itemID: result.itemID, variant: result.variant)
        }
    }

    public func release(_ lease: WorkLease) async throws {
        try await execute(
            """
            UPDATE work SET worker = NULL, lease_token = NULL, lease_expires_at = NULL
            WHERE lease_token = \(lease.token) AND done_at IS NULL
            """
        )
    }

    public func progress(runID: String) async throws -> WorkProgress? {
        let known = try await execute("SELECT 1 FROM work_runs WHERE run_id = \(runID)")
        guard !known.isEmpty else { return nil }
        let totals = try await execute(
            """
            SELECT count(*), count(done_at),
                count(*) FILTER (WHERE done_at IS NULL AND lease_expires_at > now()),
                count(*) FILTER (WHERE done_at IS NULL AND lease_expires_at <= now()),
                count(*) FILTER (WHERE claims > 1),
                now()
            FROM work WHERE run_id = \(runID)
            """
        )
        guard let row = totals.first else { return nil }
        let (total, done, claimed, expired, reclaimed, now) = try row.decode((Int, Int, Int, Int, Int, Date).self)
        let workerRows = try await execute(
            """
            WITH t AS (
                SELECT coalesce(done_by, worker) AS id,
                    count(*) FILTER (WHERE done_at IS NOT NULL) AS done,
                    count(*) FILTER (WHERE done_at IS NULL AND lease_expires_at > now()) AS claimed,
                    count(*) FILTER (WHERE done_at IS NULL AND lease_expires_at <= now()) AS expired
                FROM work
                WHERE run_id = \(runID) AND (done_at IS NOT NULL OR lease_expires_at IS NOT NULL)
                GROUP BY 1
            )
            SELECT t.id, t.done, t.claimed, t.expired, k.last_seen
            FROM t LEFT JOIN workers k ON k.id = t.id
            WHERE t.id IS NOT NULL
            ORDER BY t.id COLLATE "C"
            """
        )
        let workers = try workerRows.map { row in
            let (id, done, claimed, expired, lastSeen) = try row.decode((String, Int, Int, Int, Date?).self)
            return WorkProgress.Worker(id: id, done: done, claimed: claimed, expired: expired, lastSeen: lastSeen)
        }
        return WorkProgress(
            runID: runID, total: total, done: done, claimed: claimed, expired: expired,
            pending: total - done - claimed - expired, reclaimed: reclaimed, workers: workers, asOf: now
        )
    }

    public func itemStatuses(runID: String) async throws -> [WorkItemStatus] {
        let rows = try await execute(
            """
            SELECT item_id, variant, item_index, worker, lease_expires_at, claims, done_by, done_at
            FROM work WHERE run_id = \(runID) ORDER BY item_index, variant COLLATE "C"
            """
        )
        return try rows.map { row in
            let (itemID, variant, index, worker, expiry, claims, doneBy, doneAt) =
                try row.decode((String, String, Int, String?, Date?, Int, String?, Date?).self)
            return WorkItemStatus(
                itemID: itemID, variant: variant, itemIndex: index, worker: worker, leaseExpiresAt: expiry,
                claims: claims, doneBy: doneBy, doneAt: doneAt
            )
        }
    }
}

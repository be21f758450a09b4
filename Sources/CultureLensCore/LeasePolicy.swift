import Foundation

/// The lease rules of a ``WorkQueue``, free of I/O so they can be tested with any clock.
///
/// A worker claims a batch of work items; each claimed item carries a lease that expires ``duration`` after the
/// claim (or the last renewal). A live worker renews its leases every ``renewalInterval``; a worker that died
/// stops renewing, its leases expire, and its unfinished items become claimable again by any worker. Completing
/// an item is fenced by the lease token: once another worker has re-claimed an item, the first worker's late
/// result is refused, so every item is completed exactly once.
///
/// The in-memory queue applies these functions directly; the PostgreSQL queue expresses the same predicates in
/// SQL, on the database's clock (so workers on machines with skewed clocks agree).
public struct LeasePolicy: Sendable, Hashable {
    /// How long a claim lasts without renewal.
    public var duration: Duration
    /// How often a worker renews the leases it holds.
    public var renewalInterval: Duration
    /// The longest a worker waits before asking for work again while every unfinished item is leased by others,
    /// or while the queue is empty and the worker is told to wait for new work.
    public var maximumWait: Duration

    /// Creates a policy. The renewal interval defaults to a third of the lease, so two renewals can be missed
    /// (a slow database round trip, a long pause) before the lease is lost.
    public init(duration: Duration = .seconds(60), renewalInterval: Duration? = nil, maximumWait: Duration = .seconds(5)) {
        self.duration = duration
        self.renewalInterval = renewalInterval ?? duration / 3
        self.maximumWait = maximumWait
    }

    /// The lease duration in seconds.
    public var durationSeconds: Double { Self.seconds(duration) }

    /// What is known about one work item's lease.
    public struct Record: Sendable, Hashable {
        /// Whether the item has been completed.
        public var isDone: Bool
        /// The worker that holds (or last held) the lease; `nil` when never claimed or released.
        public var worker: String?
        /// When the lease runs out; `nil` when the item is not leased.
        public var expiresAt: Date?

        /// Creates a record.
        public init(isDone: Bool, worker: String?, expiresAt: Date?) {
            self.isDone = isDone
            self.worker = worker
            self.expiresAt = expiresAt
        }
    }

    /// The state of one work item at a moment.
    public enum State: Sendable, Hashable {
        /// Never claimed, or released: claimable.
        case pending
        /// Leased by a live worker until the date: not claimable.
        case leased(worker: String, until: Date)
        /// The lease ran out (the worker died or stalled): claimable again.
        case expired(worker: String, since: Date)
        /// Completed.
        case done
    }

    /// The state of an item described by `record` at `now`. A lease that expires exactly at `now` has expired.
    public func state(of record: Record, now: Date) -> State {
        if record.isDone { return .done }
        guard let expiresAt = record.expiresAt else { return .pending }
        let worker = record.worker ?? ""
        return expiresAt > now ? .leased(worker: worker, until: expiresAt) : .expired(worker: worker, since: expiresAt)
    }

    /// Whether a worker may claim the item now.
    public func isClaimable(_ record: Record, now: Date) -> Bool {
        switch state(of: record, now: now) {
        case .pending, .expired: true
        case .leased, .done: false
        }
    }

    /// When a lease taken or renewed at `now` runs out.
    public func expiry(from now: Date) -> Date {
        now.addingTimeInterval(durationSeconds)
    }

    /// How long to wait before the next claim when nothing was claimable: until the earliest lease held by
    /// another worker runs out (plus a small margin), at most ``maximumWait``; ``maximumWait`` when no lease is
    /// held (the queue is empty and the worker waits for new work).
    public func waitBeforeNextClaim(earliestExpiry: Date?, now: Date) -> Duration {
        guard let earliestExpiry else { return maximumWait }
        let margin = 0.05
        let seconds = max(0, earliestExpiry.timeIntervalSince(now)) + margin
        let wait = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        return min(wait, maximumWait)
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Parses a duration written as `90`, `90s`, `500ms`, `2m` or `1h`.
    public static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count)), value.isFinite, value > 0 else { return nil }
            return .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        guard let value = Double(trimmed), value.isFinite, value > 0 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}

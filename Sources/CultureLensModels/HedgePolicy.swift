/// When a request that has not answered yet gets a second copy (a *hedge*), and how many may. Pure state, no clocks
/// or I/O: the caller passes latencies and waiting times in seconds, so it is unit-tested synchronously.
///
/// - **Deadline.** Per endpoint, the ``Configuration/percentile`` of its recent success latencies
///   (a ``LatencyWindow``) times ``Configuration/factor``, clamped to ``Configuration/floor`` ...
///   ``Configuration/ceiling`` (the request timeout). Until an endpoint has ``Configuration/warmup`` answers there is
///   no deadline: its latency distribution is not known yet, and a guess would hedge a slow model's every request.
/// - **Budget.** Hedges are at most ``Configuration/share`` of the requests started (rounded down, at least one once
///   any request started), so a slow endpoint cannot double the load on itself: when every request is slow the
///   deadline rises with the distribution, and the budget caps what is left.
///
/// A request that waits past the deadline says nothing about congestion (a 429 or a 5xx does): the pool does not
/// lower its concurrency limit for it, so requests the server accepted and never answered cannot collapse the limit.
///
/// ```swift
/// var policy = HedgePolicy(configuration: .init(share: 0.05, ceiling: 60))
/// policy.requestStarted()
/// if let deadline = policy.deadline(for: window), waited >= deadline, policy.admitHedge() { /* send a copy */ }
/// ```
public struct HedgePolicy: Sendable {
    /// Settings.
    public struct Configuration: Sendable, Hashable {
        /// Most hedges as a share of requests started, in [0, 1]; 0 turns hedging off.
        public var share: Double
        /// The latency quantile the deadline starts from, in (0, 1).
        public var percentile: Double
        /// Multiplier on that quantile: how much slower than a usual slow answer a request must be to be hedged.
        public var factor: Double
        /// Shortest deadline in seconds: on a fast endpoint a few milliseconds of jitter must not trigger hedges.
        public var floor: Double
        /// Longest deadline in seconds (the request timeout: hedging after it would be pointless).
        public var ceiling: Double
        /// Answers an endpoint needs before it has a deadline.
        public var warmup: Int

        /// Creates settings; values are clamped to their ranges.
        public init(
            share: Double,
            percentile: Double = 0.95,
            factor: Double = 1.5,
            floor: Double = 0.25,
            ceiling: Double = 60,
            warmup: Int = 10
        ) {
            self.share = share.isFinite ? min(max(share, 0), 1) : 0
            self.percentile = percentile.isFinite ? min(max(percentile, 0.5), 0.999) : 0.95
            self.factor = factor.isFinite ? max(1, factor) : 1.5
            self.floor = floor.isFinite ? max(0.001, floor) : 0.25
            self.ceiling = ceiling.isFinite ? max(self.floor, ceiling) : 60
            self.warmup = max(1, warmup)
        }

        /// No hedging.
        public static let off = Configuration(share: 0)

        /// Whether hedges may be sent at all.
        public var isEnabled: Bool { share > 0 }
    }

    /// The settings in force.
    public let configuration: Configuration
    /// Requests started (first copies; retries count again, as they are sent again).
    public private(set) var requests = 0
    /// Hedges admitted.
    public private(set) var hedges = 0
    /// Hedges that answered before the first copy.
    public private(set) var wins = 0

    /// Creates a policy with no requests yet.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Counts a request being sent.
    public mutating func requestStarted() {
        requests += 1
    }

    /// The deadline for a request to an endpoint whose recent latencies are `window`, or `nil` when hedging is off
    /// or the endpoint has not answered ``Configuration/warmup`` times yet.
    public func deadline(for window: LatencyWindow) -> Double? {
        guard configuration.isEnabled, window.count >= configuration.warmup,
            let quantile = window.quantile(configuration.percentile)
        else { return nil }
        return min(configuration.ceiling, max(configuration.floor, quantile * configuration.factor))
    }

    /// Whether the budget allows one more hedge now.
    public var hasBudget: Bool {
        guard configuration.isEnabled, requests > 0 else { return false }
        return hedges < max(1, Int((configuration.share * Double(requests)).rounded(.down)))
    }

    /// Whether the budget allows one more hedge now; if so it is counted.
    public mutating func admitHedge() -> Bool {
        guard hasBudget else { return false }
        hedges += 1
        return true
    }

    /// Counts a hedge that answered before its first copy.
    public mutating func hedgeWon() {
        wins += 1
    }

    /// What to do for a request that has waited `waited` seconds on an endpoint with latencies `window`.
    public func decision(waited: Double, window: LatencyWindow) -> Decision {
        guard configuration.isEnabled, waited < configuration.ceiling else { return .never }
        guard let deadline = deadline(for: window) else { return .wait(seconds: configuration.floor) }
        return waited >= deadline ? .hedge : .wait(seconds: deadline - waited)
    }

    /// What ``decision(waited:window:)`` says.
    public enum Decision: Sendable, Hashable {
        /// Past the deadline: send a copy if the budget allows.
        case hedge
        /// Ask again after this many seconds (before the deadline, or while the endpoint warms up).
        case wait(seconds: Double)
        /// Hedging is off, or the request is at its timeout anyway.
        case never
    }
}

/// The most recent success latencies of one endpoint (a ring of ``capacity`` samples), with their quantiles.
public struct LatencyWindow: Sendable, Hashable {
    /// Samples kept.
    public let capacity: Int
    private var samples: [Double] = []
    private var next = 0
    /// Sorted copy of `samples`, rebuilt lazily when stale: quantiles are asked for far more often than the window
    /// changes by much, and one sort per ``refreshEvery`` samples keeps the per-request cost flat.
    private var sorted: [Double] = []
    private var sinceSort = 0
    private static let refreshEvery = 8
    /// Up to this many samples the sort is cheap enough to redo on every one, so warm-up deadlines are exact.
    private static let sortAlways = 64

    /// Creates an empty window.
    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        samples.reserveCapacity(self.capacity)
    }

    /// Samples held.
    public var count: Int { samples.count }

    /// Adds a latency in seconds; non-finite or negative values are ignored.
    public mutating func record(_ latency: Double) {
        guard latency.isFinite, latency >= 0 else { return }
        if samples.count < capacity {
            samples.append(latency)
        } else {
            samples[next] = latency
        }
        next = (next + 1) % capacity
        sinceSort += 1
        if sinceSort >= Self.refreshEvery || samples.count <= Self.sortAlways {
            sorted = samples.sorted()
            sinceSort = 0
        }
    }

    /// The `p` quantile (nearest rank) of the samples as of the last refresh, or `nil` when empty.
    public func quantile(_ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

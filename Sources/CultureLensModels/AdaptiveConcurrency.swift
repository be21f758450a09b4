/// An AIMD (additive increase, multiplicative decrease) limit on requests in flight to one endpoint. Pure state, no
/// clocks or I/O: callers pass in what happened and how long it took, so it is unit-tested synchronously.
///
/// - **Increase.** In *slow start* (until the first congestion signal) every success adds 1, which doubles the limit
///   per round trip; afterwards a whole window of successes (as many as the current limit) adds 1.
/// - **Decrease.** A 429 or a 5xx/timeout multiplies the limit by ``Configuration/decreaseFactor`` (0.5), never below
///   ``Configuration/minimum``.
/// - **Latency.** An EWMA of success latencies is compared with the lowest EWMA seen so far; above
///   ``Configuration/latencyTolerance`` times that baseline (and more than ``Configuration/latencyFloor`` above it)
///   the limit shrinks gently (×0.9) and stops growing.
/// - **Congestion epochs.** Every decrease starts a new epoch, and only requests *started* in the current epoch can
///   cause the next one. Thirty requests that were all in flight when the server began answering 429 therefore cost
///   one halving, not thirty. Successes only count towards an increase in the epoch they started in, too.
/// - **Only a used limit grows.** A success counts towards an increase only if its request was sent with the limit
///   full (as TCP validates its congestion window, RFC 7661): a caller that keeps fewer requests in flight than the
///   limit learns nothing about whether the server takes more, and growing anyway let the limit drift far above a
///   server's capacity while a slow client was not using it.
///
/// ```swift
/// var limit = AdaptiveConcurrency(configuration: .init(initial: 4, maximum: 32))
/// let ticket = limit.ticket()          // when a request is sent
/// limit.record(.success(latency: 0.2), ticket: ticket)   // when it completes
/// ```
public struct AdaptiveConcurrency: Sendable {
    /// Limits and tuning.
    public struct Configuration: Sendable, Hashable {
        /// The limit before any feedback.
        public var initial: Int
        /// The floor: decreases never go below it.
        public var minimum: Int
        /// The ceiling (the run's `--concurrency`).
        public var maximum: Int
        /// Factor applied on 429, 5xx and timeouts, in (0, 1).
        public var decreaseFactor: Double
        /// Factor applied when latency is too high, in (0, 1); gentler than ``decreaseFactor``.
        public var latencyDecreaseFactor: Double
        /// Back off when the smoothed latency exceeds this multiple of the lowest smoothed latency; `nil` turns the
        /// latency signal off.
        public var latencyTolerance: Double?
        /// EWMA weight of a new latency sample, in (0, 1].
        public var latencySmoothing: Double
        /// Successes needed before the latency signal is trusted.
        public var latencyWarmup: Int
        /// Latency growth in seconds below which the latency signal stays quiet, however large the ratio: on a
        /// sub-millisecond endpoint a few milliseconds of queueing triple the latency without costing throughput.
        public var latencyFloor: Double
        /// Whether to grow by 1 per success (doubling per round trip) until the first congestion signal.
        public var slowStart: Bool

        /// Creates a configuration; values are clamped so that `1 ≤ minimum ≤ initial ≤ maximum`.
        public init(
            initial: Int = 4,
            minimum: Int = 1,
            maximum: Int = 64,
            decreaseFactor: Double = 0.5,
            latencyDecreaseFactor: Double = 0.9,
            latencyTolerance: Double? = 3,
            latencySmoothing: Double = 0.2,
            latencyWarmup: Int = 8,
            latencyFloor: Double = 0.05,
            slowStart: Bool = true
        ) {
            self.minimum = max(1, minimum)
            self.maximum = max(self.minimum, maximum)
            self.initial = min(self.maximum, max(self.minimum, initial))
            self.decreaseFactor = min(max(decreaseFactor, 0.01), 0.99)
            self.latencyDecreaseFactor = min(max(latencyDecreaseFactor, 0.01), 0.99)
            self.latencyTolerance = latencyTolerance.map { max(1, $0) }
            self.latencySmoothing = min(max(latencySmoothing, 0.01), 1)
            self.latencyWarmup = max(1, latencyWarmup)
            self.latencyFloor = latencyFloor.isFinite ? max(0, latencyFloor) : 0
            self.slowStart = slowStart
        }
    }

    /// What happened to one request, as far as congestion is concerned.
    public enum Signal: Sendable, Hashable {
        /// A response arrived after `latency` seconds.
        case success(latency: Double)
        /// HTTP 429: the server says we are too many.
        case rateLimited
        /// HTTP 5xx or a timeout: the server is overloaded or failing.
        case overloaded
    }

    /// Why the limit changed.
    public enum Reason: String, Sendable, Hashable {
        /// Successes grew it.
        case increase
        /// A 429 halved it.
        case rateLimited
        /// A 5xx or timeout halved it.
        case overloaded
        /// Latency above tolerance shrank it.
        case latency
    }

    /// Taken when a request is sent and handed back with its outcome, so stale signals can be told apart.
    public struct Ticket: Sendable, Hashable {
        /// The congestion epoch the request started in.
        public let epoch: Int
        /// Whether the limit was full when the request was sent (the request itself included).
        public let limitFull: Bool
    }

    /// The settings in force.
    public let configuration: Configuration
    /// Requests allowed in flight now.
    public private(set) var limit: Int
    /// Decreases so far; also the current congestion epoch.
    public private(set) var epoch = 0
    /// Smoothed success latency in seconds, once there is a sample.
    public private(set) var smoothedLatency: Double?
    /// The lowest smoothed latency seen after warm-up: the latency of an unloaded server.
    public private(set) var baselineLatency: Double?
    /// Whether the limit is still in slow start.
    public private(set) var inSlowStart: Bool
    private var successesSinceChange = 0
    private var latencySamples = 0

    /// Creates a limit at `configuration.initial`.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        limit = configuration.initial
        inSlowStart = configuration.slowStart
    }

    /// A ticket for a request being sent now, with `inFlight` requests in flight counting this one; `nil` (the
    /// default) counts the limit as full.
    public func ticket(inFlight: Int? = nil) -> Ticket {
        Ticket(epoch: epoch, limitFull: inFlight.map { $0 >= limit } ?? true)
    }

    /// Feeds the outcome of the request that took `ticket`.
    /// - Returns: the reason when the limit changed, else `nil`.
    @discardableResult
    public mutating func record(_ signal: Signal, ticket: Ticket) -> Reason? {
        let current = ticket.epoch == epoch
        switch signal {
        case .rateLimited:
            return current ? decrease(by: configuration.decreaseFactor, reason: .rateLimited) : nil
        case .overloaded:
            return current ? decrease(by: configuration.decreaseFactor, reason: .overloaded) : nil
        case .success(let latency):
            let congested = observe(latency: latency)
            guard current else { return nil }
            if congested { return decrease(by: configuration.latencyDecreaseFactor, reason: .latency) }
            guard ticket.limitFull else { return nil }
            successesSinceChange += 1
            // Slow start grows by one per success; congestion avoidance by one per full window.
            guard inSlowStart || successesSinceChange >= limit, limit < configuration.maximum else { return nil }
            limit += 1
            successesSinceChange = 0
            return .increase
        }
    }

    /// Updates the EWMA and baseline; returns whether latency says the endpoint is congested.
    private mutating func observe(latency: Double) -> Bool {
        guard latency.isFinite, latency >= 0 else { return false }
        let alpha = configuration.latencySmoothing
        let smoothed = smoothedLatency.map { $0 + alpha * (latency - $0) } ?? latency
        smoothedLatency = smoothed
        latencySamples += 1
        guard latencySamples >= configuration.latencyWarmup else { return false }
        // The baseline is the lowest *smoothed* latency rather than the lowest sample, so one unusually fast reply
        // does not make every later normal one look congested.
        baselineLatency = min(baselineLatency ?? smoothed, smoothed)
        guard let tolerance = configuration.latencyTolerance, let baseline = baselineLatency, baseline > 0 else {
            return false
        }
        return smoothed > tolerance * baseline && smoothed - baseline > configuration.latencyFloor
    }

    private mutating func decrease(by factor: Double, reason: Reason) -> Reason? {
        inSlowStart = false
        epoch += 1
        successesSinceChange = 0
        let lowered = max(configuration.minimum, Int((Double(limit) * factor).rounded(.down)))
        guard lowered < limit else { return nil }
        limit = lowered
        return reason
    }
}

import CultureLensCore
import CultureLensModels
import Testing

/// The AIMD limit, driven synchronously: no clocks, no I/O.
struct AdaptiveConcurrencyTests {
    /// One simulated round trip against a server that answers 429 to every request above `cap` in flight: the
    /// limiter sends `limit` requests at once; the ones over the cap come back first (429s are fast).
    /// - Returns: requests sent and 429s received in the round.
    static func round(_ limiter: inout AdaptiveConcurrency, cap: Int, latency: Double = 0.1) -> (
        sent: Int, rejected: Int
    ) {
        let sent = limiter.limit
        let tickets = (0..<sent).map { _ in limiter.ticket() }
        let rejected = max(0, sent - cap)
        for ticket in tickets.suffix(rejected) { limiter.record(.rateLimited, ticket: ticket) }
        for ticket in tickets.prefix(sent - rejected) { limiter.record(.success(latency: latency), ticket: ticket) }
        return (sent, rejected)
    }

    @Test func slowStartDoublesPerRoundTripUntilTheFirstCongestionSignal() {
        var limiter = AdaptiveConcurrency(configuration: .init(initial: 4, maximum: 64))
        _ = Self.round(&limiter, cap: 1000)
        #expect(limiter.limit == 8)
        _ = Self.round(&limiter, cap: 1000)
        #expect(limiter.limit == 16)
        #expect(limiter.inSlowStart)
    }

    @Test func convergesBelowAHardCapAndRecoversWhenItLifts() {
        let cap = 6
        var limiter = AdaptiveConcurrency(configuration: .init(initial: 4, maximum: 64))
        var limits: [Int] = []
        var sent = 0
        var rejected = 0
        for index in 0..<300 {
            let result = Self.round(&limiter, cap: cap)
            if index >= 100 {
                sent += result.sent
                rejected += result.rejected
                limits.append(limiter.limit)
            }
        }
        // AIMD saw-tooth: grows one per window up to the first limit the server refuses (cap + 1), then halves.
        #expect(limits.max()! <= cap + 1)
        let mean = Double(limits.reduce(0, +)) / Double(limits.count)
        #expect(mean <= Double(cap), "mean limit \(mean)")
        #expect(mean >= Double(cap) / 2, "mean limit \(mean)")
        #expect(rejected > 0)
        #expect(Double(rejected) / Double(sent) < 0.1, "\(rejected) of \(sent) rejected")
        #expect(!limiter.inSlowStart)

        // The cap lifts: additive increase climbs back, one per window, to the configured maximum.
        for _ in 0..<100 { _ = Self.round(&limiter, cap: 1000) }
        #expect(limiter.limit == 64)
    }

    /// A sender that keeps fewer requests in flight than the limit does not grow it (in slow start or after);
    /// once it fills the limit, growth resumes. Without this rule, a client too slow to use its limit let the limit
    /// climb far above a server's cap (seen in `EndpointPoolTests` under CI load: limit 8 against a cap of 6).
    @Test(arguments: [true, false])
    func anUnusedLimitDoesNotGrow(slowStart: Bool) {
        var limiter = AdaptiveConcurrency(configuration: .init(initial: 8, maximum: 64, slowStart: slowStart))
        for _ in 0..<200 {
            // Three in flight at most against a limit of 8.
            let tickets = (1...3).map { limiter.ticket(inFlight: $0) }
            for ticket in tickets { #expect(limiter.record(.success(latency: 0.1), ticket: ticket) == nil) }
        }
        #expect(limiter.limit == 8)
        // Full: every request sent with 8 in flight.
        for _ in 0..<(slowStart ? 1 : 8) {
            let tickets = (0..<limiter.limit).map { _ in limiter.ticket(inFlight: limiter.limit) }
            for ticket in tickets { limiter.record(.success(latency: 0.1), ticket: ticket) }
        }
        #expect(limiter.limit > 8)
    }

    @Test func aBurstOf429sFromOneEpochDecreasesOnce() {
        var limiter = AdaptiveConcurrency(configuration: .init(initial: 32, maximum: 64))
        let tickets = (0..<30).map { _ in limiter.ticket() }
        var reasons: [AdaptiveConcurrency.Reason] = []
        for ticket in tickets {
            if let reason = limiter.record(.rateLimited, ticket: ticket) { reasons.append(reason) }
        }
        #expect(reasons == [.rateLimited])
        #expect(limiter.limit == 16)
        #expect(limiter.epoch == 1)
        // Successes of the stale epoch neither grow the limit nor count towards the next window.
        for ticket in tickets { limiter.record(.success(latency: 0.1), ticket: ticket) }
        #expect(limiter.limit == 16)
        // A request sent after the decrease may decrease again; so may 5xx and timeouts.
        #expect(limiter.record(.overloaded, ticket: limiter.ticket()) == .overloaded)
        #expect(limiter.limit == 8)
    }

    @Test func neverGoesBelowTheMinimumOrAboveTheMaximum() {
        var limiter = AdaptiveConcurrency(configuration: .init(initial: 8, minimum: 2, maximum: 10))
        for _ in 0..<20 { limiter.record(.rateLimited, ticket: limiter.ticket()) }
        #expect(limiter.limit == 2)
        for _ in 0..<1000 { limiter.record(.success(latency: 0.1), ticket: limiter.ticket()) }
        #expect(limiter.limit == 10)
    }

    @Test func configurationIsClamped() {
        let settings = AdaptiveConcurrency.Configuration(initial: 100, minimum: 0, maximum: 16, decreaseFactor: 3)
        #expect(settings.minimum == 1)
        #expect(settings.initial == 16)
        #expect(settings.decreaseFactor < 1)
    }

    @Test func latencyAboveToleranceBacksOffGently() throws {
        var limiter = AdaptiveConcurrency(
            configuration: .init(initial: 20, maximum: 64, latencyTolerance: 2, latencyWarmup: 8, slowStart: false)
        )
        for _ in 0..<20 { limiter.record(.success(latency: 0.1), ticket: limiter.ticket()) }
        #expect(limiter.limit == 21)
        let baseline = try #require(limiter.baselineLatency)
        #expect(abs(baseline - 0.1) < 1e-9)

        // The server slows down tenfold: the smoothed latency crosses 2 × baseline after a few replies.
        var reasons: [AdaptiveConcurrency.Reason] = []
        var stale: [AdaptiveConcurrency.Ticket] = []
        for _ in 0..<10 {
            let ticket = limiter.ticket()
            stale.append(ticket)
            if let reason = limiter.record(.success(latency: 1.0), ticket: ticket) {
                reasons.append(reason)
                break
            }
        }
        #expect(reasons == [.latency])
        #expect(limiter.limit == 18)  // 21 × 0.9, not halved
        // Slow replies to requests sent before that decrease do not decrease again.
        for ticket in stale { #expect(limiter.record(.success(latency: 1.0), ticket: ticket) == nil) }
        #expect(limiter.limit == 18)
        // While latency stays high, each new round trip shrinks it a little more, and it never grows.
        for _ in 0..<3 { limiter.record(.success(latency: 1.0), ticket: limiter.ticket()) }
        #expect(limiter.limit == 12)  // 18 → 16 → 14 → 12
    }

    @Test func latencySignalCanBeTurnedOff() {
        var limiter = AdaptiveConcurrency(
            configuration: .init(initial: 10, maximum: 64, latencyTolerance: nil, slowStart: false)
        )
        for _ in 0..<20 { limiter.record(.success(latency: 0.1), ticket: limiter.ticket()) }
        for _ in 0..<40 { limiter.record(.success(latency: 5), ticket: limiter.ticket()) }
        #expect(limiter.limit > 10)
    }

    /// A sub-millisecond endpoint whose latency grows tenfold to 4 ms under load is not congested in any way that
    /// matters: the absolute floor keeps the limit from collapsing, while the same ratio at 0.1 → 1 s backs off.
    @Test(arguments: [(0.0004, 0.004, false), (0.1, 1.0, true)])
    func latencySignalIgnoresGrowthBelowTheFloor(_ fast: Double, _ slow: Double, _ backsOff: Bool) {
        var limiter = AdaptiveConcurrency(
            configuration: .init(initial: 32, maximum: 32, latencyTolerance: 3, latencyWarmup: 8, slowStart: false)
        )
        for _ in 0..<20 { limiter.record(.success(latency: fast), ticket: limiter.ticket()) }
        var reasons: [AdaptiveConcurrency.Reason] = []
        for _ in 0..<200 {
            if let reason = limiter.record(.success(latency: slow), ticket: limiter.ticket()) { reasons.append(reason) }
        }
        #expect(reasons.contains(.latency) == backsOff, "\(reasons)")
        #expect((limiter.limit < 32) == backsOff, "limit \(limiter.limit)")
    }
}

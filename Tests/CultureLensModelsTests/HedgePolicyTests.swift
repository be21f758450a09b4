import CultureLensModels
import Testing

/// The hedge deadline and budget, driven synchronously: no clocks, no I/O.
struct HedgePolicyTests {
    static func window(_ latencies: [Double]) -> LatencyWindow {
        var window = LatencyWindow()
        for latency in latencies { window.record(latency) }
        return window
    }

    @Test func noDeadlineUntilTheEndpointHasWarmedUpOrWhenOff() {
        let policy = HedgePolicy(configuration: .init(share: 0.05, warmup: 10))
        #expect(policy.deadline(for: Self.window(Array(repeating: 1, count: 9))) == nil)
        #expect(
            policy.decision(waited: 10, window: Self.window(Array(repeating: 1, count: 9))) == .wait(seconds: 0.25)
        )
        #expect(policy.deadline(for: Self.window(Array(repeating: 1, count: 10))) == 1.5)
        let off = HedgePolicy(configuration: .off)
        #expect(off.deadline(for: Self.window(Array(repeating: 1, count: 50))) == nil)
        #expect(off.decision(waited: 100, window: Self.window(Array(repeating: 1, count: 50))) == .never)
    }

    @Test func theDeadlineIsAHighQuantileTimesTheFactorBetweenFloorAndCeiling() {
        let policy = HedgePolicy(configuration: .init(share: 0.05, percentile: 0.9, factor: 2, floor: 0.5, ceiling: 30))
        // 1...100 ms: the 90th percentile (nearest rank) is 90 ms; ×2 = 0.18 s, under the floor.
        let fast = Self.window((1...100).map { Double($0) / 1000 })
        #expect(policy.deadline(for: fast) == 0.5)
        // 1...100 s: 90 s × 2 = 180 s, over the ceiling.
        let slow = Self.window((1...100).map { Double($0) })
        #expect(policy.deadline(for: slow) == 30)
        // 1...20 s: 18 s × 2 = 36 → 30; 1...10 s: 9 × 2 = 18.
        #expect(policy.deadline(for: Self.window((1...10).map { Double($0) })) == 18)
        #expect(policy.decision(waited: 10, window: Self.window((1...10).map { Double($0) })) == .wait(seconds: 8))
        #expect(policy.decision(waited: 18, window: Self.window((1...10).map { Double($0) })) == .hedge)
        // At the timeout a hedge is pointless: the first copy is about to fail anyway.
        #expect(policy.decision(waited: 30, window: slow) == .never)
    }

    @Test func hedgesStayWithinTheirShareOfRequests() {
        var policy = HedgePolicy(configuration: .init(share: 0.05))
        let admitted1 = policy.admitHedge()
        #expect(!admitted1, "no request, no hedge")
        policy.requestStarted()
        let admitted2 = policy.admitHedge()
        #expect(admitted2, "one hedge is allowed from the first request on")
        let admitted3 = policy.admitHedge()
        #expect(!admitted3)
        for _ in 1..<40 { policy.requestStarted() }
        let admitted4 = policy.admitHedge()
        #expect(admitted4, "40 requests allow 2")
        #expect(!policy.hasBudget)
        for _ in 0..<20 { policy.requestStarted() }
        let admitted5 = policy.admitHedge()
        #expect(admitted5, "60 requests allow 3")
        #expect(policy.hedges == 3)
        #expect(policy.requests == 60)
        policy.hedgeWon()
        #expect(policy.wins == 1)
    }

    @Test func theWindowKeepsTheMostRecentSamplesAndIgnoresNonsense() {
        var window = LatencyWindow(capacity: 4)
        #expect(window.quantile(0.5) == nil)
        for latency in [9.0, 9, 9, 9, 1, 2, 3, 4] { window.record(latency) }
        window.record(.nan)
        window.record(-1)
        #expect(window.count == 4)
        #expect(window.quantile(1) == 4, "the 9 s samples were overwritten")
        #expect(window.quantile(0.25) == 1)
    }
}

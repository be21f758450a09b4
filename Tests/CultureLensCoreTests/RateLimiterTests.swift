import CultureLensCore
import CultureLensModels
import Testing

/// Requests- and tokens-per-minute buckets against a fake clock.
struct RateLimiterTests {
    /// Sends `count` requests as early as the limiter allows, advancing a fake clock by each wait.
    /// - Returns: the send times.
    static func schedule(_ limiter: inout RateLimiter, count: Int, tokens: Int = 1) -> [Double] {
        var now = 0.0
        var times: [Double] = []
        // Bounded so a limiter that never says go fails the test instead of hanging it.
        for _ in 0..<10_000 where times.count < count {
            switch limiter.acquire(tokens: tokens, now: now) {
            case .go: times.append(now)
            case .wait(let seconds):
                #expect(seconds > 0)
                now += seconds
            }
        }
        #expect(times.count == count)
        return times
    }

    @Test func requestsPerMinuteNeverExceedTheBucket() {
        // 120 rpm = 2 per second; the bucket holds one second's worth.
        var limiter = RateLimiter(configuration: .init(requestsPerMinute: 120))
        let times = Self.schedule(&limiter, count: 10)
        #expect(times.prefix(2) == [0, 0])
        #expect(abs(times[9] - 4.0) < 1e-9)
        // In every window [times[i], times[j]] at most capacity + rate × width requests went out.
        for i in times.indices {
            for j in times.indices where j >= i {
                let sent = Double(j - i + 1)
                #expect(sent <= 2 + 2 * (times[j] - times[i]) + 1e-9, "window \(i)...\(j)")
            }
        }
    }

    @Test func aWaitTakesNothing() {
        var limiter = RateLimiter(configuration: .init(requestsPerMinute: 60))
        #expect(limiter.acquire(tokens: 1, now: 0) == .go)
        #expect(limiter.acquire(tokens: 1, now: 0.25) == .wait(seconds: 0.75))
        #expect(limiter.acquire(tokens: 1, now: 0.5) == .wait(seconds: 0.5))
        #expect(limiter.delay(tokens: 1, now: 0.5) == 0.5)
        #expect(limiter.acquire(tokens: 1, now: 1) == .go)
    }

    @Test func tokensPerMinuteLimitTokenThroughput() {
        // 6000 tpm = 100 tokens per second, bucket 100 tokens; 60-token requests.
        var limiter = RateLimiter(configuration: .init(tokensPerMinute: 6000))
        let times = Self.schedule(&limiter, count: 11, tokens: 60)
        #expect(times[0] == 0)
        #expect(abs(times[1] - 0.2) < 1e-9)  // 40 left, 20 more needed at 100/s
        // 11 requests × 60 tokens = 660 tokens: the first 100 were in the bucket, the rest took 5.6 s to refill.
        #expect(abs(times[10] - 5.6) < 1e-6)
    }

    @Test func anOversizedRequestGoesWhenTheBucketIsFullAndLeavesItInDebt() {
        // 600 tpm = 10 tokens per second, bucket 10; a 50-token request can never fit, so it goes on a full bucket.
        var limiter = RateLimiter(configuration: .init(tokensPerMinute: 600))
        #expect(limiter.acquire(tokens: 50, now: 0) == .go)
        #expect(limiter.availableTokens == -40)
        // The debt is paid before anything else goes: 50 tokens per 5 s is the configured 10 per second.
        #expect(limiter.acquire(tokens: 50, now: 0) == .wait(seconds: 5))
        #expect(limiter.acquire(tokens: 50, now: 5) == .go)
    }

    @Test func bothLimitsMustAgree() {
        var limiter = RateLimiter(configuration: .init(requestsPerMinute: 600, tokensPerMinute: 600))
        // Plenty of requests (10/s) but only 10 tokens per second.
        #expect(limiter.acquire(tokens: 10, now: 0) == .go)
        #expect(limiter.acquire(tokens: 10, now: 0) == .wait(seconds: 1))
        #expect(limiter.acquire(tokens: 10, now: 1) == .go)
    }

    @Test func settlingWithTheActualUsageGivesBackOrTakesTokens() {
        var limiter = RateLimiter(configuration: .init(tokensPerMinute: 6000))
        #expect(limiter.acquire(tokens: 90, now: 0) == .go)
        #expect(limiter.availableTokens == 10)
        limiter.settle(charged: 90, actual: 30, now: 0)
        #expect(limiter.availableTokens == 70)
        // Never above a full bucket.
        limiter.settle(charged: 90, actual: 0, now: 0)
        #expect(limiter.availableTokens == 100)
        // An under-estimate is taken afterwards.
        limiter.settle(charged: 10, actual: 150, now: 0)
        #expect(limiter.availableTokens == -40)
    }

    @Test func unlimitedAlwaysGoes() {
        var limiter = RateLimiter(configuration: .init())
        #expect(!limiter.configuration.isLimited)
        for _ in 0..<1000 { #expect(limiter.acquire(tokens: 1_000_000, now: 0) == .go) }
        #expect(RateLimiter.Configuration(requestsPerMinute: 0, tokensPerMinute: -5).isLimited == false)
    }

    @Test func tokensAreEstimatedFromThePromptAndTheMaximumGenerated() {
        let request = ModelRequest(
            api: .completions,
            prompt: String(repeating: "x", count: 400),
            maxTokens: 48,
            topLogprobs: nil
        )
        #expect(RateLimiter.estimatedTokens(for: request) == 148)
        #expect(RateLimiter.estimatedTokens(characters: 0) == 1)
        #expect(RateLimiter.estimatedTokens(characters: 5) == 2)
    }
}

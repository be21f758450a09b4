import CultureLensCore

/// Requests-per-minute and tokens-per-minute limits as two token buckets. Pure state: the caller passes `now` (seconds
/// on any monotonic clock), so it is unit-tested with a fake clock.
///
/// Each bucket refills continuously at `perMinute / 60` per second up to a capacity of `burstSeconds` worth of
/// refill (at least one request, or one request's tokens). A request goes when both buckets hold its cost; a request
/// costing more than a full bucket goes once the bucket is full and leaves it in debt, so the long-run rate still
/// holds. Tokens are estimated before sending (``estimatedTokens(for:)``) and can be corrected afterwards with
/// ``settle(charged:actual:now:)`` when the real count is known.
public struct RateLimiter: Sendable {
    /// The limits; `nil` means unlimited.
    public struct Configuration: Sendable, Hashable {
        /// Requests per minute.
        public var requestsPerMinute: Double?
        /// Prompt plus completion tokens per minute.
        public var tokensPerMinute: Double?
        /// Seconds of refill a bucket can hold, i.e. how bursty the start may be.
        public var burstSeconds: Double

        /// Creates limits.
        public init(requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil, burstSeconds: Double = 1) {
            self.requestsPerMinute = requestsPerMinute.flatMap { $0 > 0 ? $0 : nil }
            self.tokensPerMinute = tokensPerMinute.flatMap { $0 > 0 ? $0 : nil }
            self.burstSeconds = max(0.001, burstSeconds)
        }

        /// Whether any limit is set.
        public var isLimited: Bool { requestsPerMinute != nil || tokensPerMinute != nil }
    }

    /// Whether a request may go now.
    public enum Decision: Sendable, Hashable {
        /// Send it; its cost has been taken from the buckets.
        case go
        /// Nothing was taken; ask again in this many seconds.
        case wait(seconds: Double)
    }

    /// One token bucket.
    struct Bucket: Sendable, Hashable {
        let ratePerSecond: Double
        let capacity: Double
        var level: Double
        var updatedAt: Double?

        init(perMinute: Double, burstSeconds: Double) {
            ratePerSecond = perMinute / 60
            capacity = max(1, ratePerSecond * burstSeconds)
            level = capacity
        }

        mutating func refill(now: Double) {
            guard let last = updatedAt else {
                updatedAt = now
                return
            }
            // A clock that stepped back refills nothing rather than draining the bucket.
            guard now > last else { return }
            level = min(capacity, level + (now - last) * ratePerSecond)
            updatedAt = now
        }

        /// Seconds until `cost` can be taken (0 when it can be now); an oversized cost needs only a full bucket.
        func wait(for cost: Double) -> Double {
            let needed = min(cost, capacity)
            // A rounding-error shortfall counts as enough: its wait would be too small to move the clock.
            return level >= needed - 1e-9 * max(1, needed) ? 0 : (needed - level) / ratePerSecond
        }
    }

    /// The limits in force.
    public let configuration: Configuration
    private var requests: Bucket?
    private var tokens: Bucket?

    /// Creates full buckets.
    public init(configuration: Configuration) {
        self.configuration = configuration
        requests = configuration.requestsPerMinute.map {
            Bucket(perMinute: $0, burstSeconds: configuration.burstSeconds)
        }
        tokens = configuration.tokensPerMinute.map { Bucket(perMinute: $0, burstSeconds: configuration.burstSeconds) }
    }

    /// Asks to send one request costing `tokens` tokens at `now`; takes the cost only when the answer is `.go`.
    public mutating func acquire(tokens cost: Int, now: Double) -> Decision {
        requests?.refill(now: now)
        tokens?.refill(now: now)
        let wait = max(requests?.wait(for: 1) ?? 0, tokens?.wait(for: Double(max(0, cost))) ?? 0)
        guard wait <= 0 else { return .wait(seconds: wait) }
        requests?.level -= 1
        tokens?.level -= Double(max(0, cost))
        return .go
    }

    /// Seconds until a request costing `tokens` could go, without taking anything.
    public func delay(tokens cost: Int, now: Double) -> Double {
        var copy = self
        copy.requests?.refill(now: now)
        copy.tokens?.refill(now: now)
        return max(copy.requests?.wait(for: 1) ?? 0, copy.tokens?.wait(for: Double(max(0, cost))) ?? 0)
    }

    /// Corrects a request's token charge once its real size is known: over-estimates are given back (up to a full
    /// bucket), under-estimates are taken (possibly into debt).
    public mutating func settle(charged: Int, actual: Int, now: Double) {
        guard var bucket = tokens, charged != actual else { return }
        bucket.refill(now: now)
        bucket.level = min(bucket.capacity, bucket.level + Double(charged - actual))
        tokens = bucket
    }

    /// Tokens currently in the token bucket (negative when in debt); `nil` without a token limit.
    public var availableTokens: Double? { tokens?.level }

    /// Estimated tokens a request uses: about four characters of prompt per token, plus every token it may generate.
    public static func estimatedTokens(for request: ModelRequest) -> Int {
        estimatedTokens(characters: request.prompt.count) + max(0, request.maxTokens)
    }

    /// About four characters per token, at least one token.
    public static func estimatedTokens(characters: Int) -> Int {
        max(1, (characters + 3) / 4)
    }
}

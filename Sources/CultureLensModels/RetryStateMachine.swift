import CultureLensCore
import Foundation

/// Decides whether and when to retry a model request. Pure state, no I/O or sleeping, so it is unit-tested
/// synchronously.
///
/// Delay for retry *n* (n ≥ 1) is `baseDelay · multiplier^(n−1)`, capped at `maxDelay`, then scaled by a
/// random factor in `[1 − jitter, 1 + jitter]`. A server's `Retry-After` wins when it is longer, up to
/// `maxRetryAfter`; a longer `Retry-After` than that gives up rather than stalling the run.
public struct RetryStateMachine: Sendable {
    /// Retry settings.
    public struct Configuration: Sendable, Hashable {
        /// Total attempts including the first.
        public var maxAttempts: Int
        /// Delay before the first retry, in seconds.
        public var baseDelay: Double
        /// Growth factor per retry.
        public var multiplier: Double
        /// Cap on the computed delay, in seconds.
        public var maxDelay: Double
        /// Relative jitter, 0...1.
        public var jitter: Double
        /// Longest `Retry-After` honoured, in seconds.
        public var maxRetryAfter: Double

        /// Creates a configuration; the defaults suit hosted APIs and local servers alike.
        public init(
            maxAttempts: Int = 4,
            baseDelay: Double = 0.5,
            multiplier: Double = 2,
            maxDelay: Double = 30,
            jitter: Double = 0.2,
            maxRetryAfter: Double = 120
        ) {
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.multiplier = multiplier
            self.maxDelay = maxDelay
            self.jitter = jitter
            self.maxRetryAfter = maxRetryAfter
        }
    }

    /// What the caller should do next.
    public enum Action: Sendable, Hashable {
        /// Wait this many seconds, then send again.
        case retry(afterSeconds: Double)
        /// Stop and report the failure.
        case giveUp
    }

    /// The settings in force.
    public let configuration: Configuration
    /// Attempts made so far.
    public private(set) var attempts = 0

    /// Creates a state machine for one request.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Records that an attempt is being sent.
    public mutating func attemptStarted() { attempts += 1 }

    /// Decides what follows a failed attempt.
    public mutating func failed(
        _ failure: ModelFailure,
        using generator: inout some RandomNumberGenerator
    ) -> Action {
        guard failure.isRetryable, attempts < configuration.maxAttempts else { return .giveUp }
        let exponent = Double(max(0, attempts - 1))
        var delay = min(configuration.maxDelay, configuration.baseDelay * pow(configuration.multiplier, exponent))
        if configuration.jitter > 0 {
            delay *= Double.random(in: (1 - configuration.jitter)...(1 + configuration.jitter), using: &generator)
        }
        if let retryAfter = failure.retryAfter {
            if retryAfter > configuration.maxRetryAfter { return .giveUp }
            delay = max(delay, retryAfter)
        }
        return .retry(afterSeconds: delay)
    }

    /// Parses a `Retry-After` header: delta-seconds or an HTTP date relative to `now`.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

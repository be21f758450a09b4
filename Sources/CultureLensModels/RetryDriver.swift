public import CultureLensCore
import CultureLensStatistics

/// Runs one request's attempts under a ``RetryStateMachine``: sends, and after a retryable ``ModelFailure`` sleeps
/// the machine's back-off (`Retry-After` included) on an injected clock before sending again. The one retry loop
/// of ``OpenAIClient`` and ``OpenAIBatchClient``.
///
/// Cancellation is checked before every attempt and ends a back-off sleep at once. Errors other than
/// ``ModelFailure`` (cancellation among them) are thrown as they are, without a retry.
///
/// ```swift
/// let retry = RetryDriver(configuration: .init(maxAttempts: 3), clock: clock)
/// let (reply, attempts) = try await retry.run(seed: 42) { try await sendOnce() }
/// ```
public struct RetryDriver: Sendable {
    /// The retry policy.
    public let configuration: RetryStateMachine.Configuration
    /// The clock back-off sleeps on.
    public let clock: any Clock<Duration>

    /// Creates a driver.
    /// - Parameters:
    ///   - configuration: The retry policy.
    ///   - clock: The clock back-off sleeps on; a test passes a manual one.
    public init(configuration: RetryStateMachine.Configuration, clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Calls `attempt` until it succeeds or the policy gives up.
    /// - Parameters:
    ///   - seed: Seeds the jitter, so a request's delays are reproducible.
    ///   - attempt: One attempt; throws a ``ModelFailure`` to be classified.
    /// - Returns: the attempt's value and the number of attempts made.
    /// - Throws: the last ``ModelFailure`` (with ``ModelFailure/attempts`` set) when the policy gives up; any other
    ///   error of `attempt` at once; `CancellationError`.
    public func run<T>(seed: UInt64, _ attempt: () async throws -> T) async throws -> (value: T, attempts: Int) {
        var machine = RetryStateMachine(configuration: configuration)
        var generator = SplitMix64(seed: seed)
        while true {
            try Task.checkCancellation()
            machine.attemptStarted()
            do {
                return (try await attempt(), machine.attempts)
            } catch var failure as ModelFailure {
                failure.attempts = machine.attempts
                switch machine.failed(failure, using: &generator) {
                case .giveUp:
                    throw failure
                case .retry(let seconds):
                    try await clock.sleep(for: .milliseconds(Int64(seconds * 1000)))
                }
            }
        }
    }
}

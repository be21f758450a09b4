import CultureLensCore
import CultureLensModels
import CultureLensTesting
import Synchronization
import Testing

/// The one retry loop of the clients, on a test clock: exact back-off, `Retry-After`, giving up, cancellation.
struct RetryDriverTests {
    static let policy = RetryStateMachine.Configuration(
        maxAttempts: 4,
        baseDelay: 0.5,
        multiplier: 2,
        maxDelay: 1.5,
        jitter: 0,
        maxRetryAfter: 10
    )

    static func failure(_ kind: FailureKind = .serverError, retryAfter: Double? = nil) -> ModelFailure {
        var failure = ModelFailure(kind: kind, detail: "scripted")
        failure.retryAfter = retryAfter
        return failure
    }

    @Test func backsOffExactlyThenSucceeds() async throws {
        let clock = TestClock()
        let driver = RetryDriver(configuration: Self.policy, clock: clock)
        let calls = Mutex(0)
        let (value, attempts) = try await clock.run {
            try await driver.run(seed: 1) {
                let call = calls.withLock { count -> Int in
                    count += 1
                    return count
                }
                if call < 4 { throw Self.failure() }
                return "ok"
            }
        }
        #expect(value == "ok")
        #expect(attempts == 4)
        // 0.5 s · 2^(n−1), capped at 1.5 s.
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .milliseconds(1500)])
        #expect(clock.now.offset == .seconds(3))
    }

    @Test func retryAfterWinsWhenLongerAndGivingUpStampsTheAttempts() async throws {
        let clock = TestClock()
        let driver = RetryDriver(configuration: Self.policy, clock: clock)
        await #expect {
            _ = try await clock.run {
                try await driver.run(seed: 1) { () -> Int in throw Self.failure(.rateLimited, retryAfter: 3) }
            }
        } throws: { error in
            (error as? ModelFailure)?.attempts == 4
        }
        #expect(clock.sleeps == [.seconds(3), .seconds(3), .seconds(3)])
    }

    @Test func permanentFailuresAndOtherErrorsAreNotRetried() async throws {
        let clock = TestClock()
        let driver = RetryDriver(configuration: Self.policy, clock: clock)
        await #expect {
            _ = try await driver.run(seed: 1) { () -> Int in throw Self.failure(.clientError) }
        } throws: { error in
            (error as? ModelFailure)?.attempts == 1
        }
        struct Other: Error {}
        await #expect(throws: Other.self) {
            _ = try await driver.run(seed: 1) { () -> Int in throw Other() }
        }
        #expect(clock.sleeps.isEmpty)
    }

    @Test func cancellationEndsTheBackOffAtOnce() async throws {
        let clock = TestClock()
        let driver = RetryDriver(configuration: Self.policy, clock: clock)
        let calls = Mutex(0)
        let task = Task {
            try await driver.run(seed: 1) { () -> Int in
                calls.withLock { $0 += 1 }
                throw Self.failure()
            }
        }
        await clock.waitForSleepers()
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(calls.withLock { $0 } == 1)
        #expect(clock.now == TestClock.Instant())
    }
}

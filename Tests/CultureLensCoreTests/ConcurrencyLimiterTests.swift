import CultureLensCore
import Synchronization
import Testing

/// The async semaphore the runner holds around each model call.
struct ConcurrencyLimiterTests {
    @Test func neverMoreHoldersThanPermits() async throws {
        let limiter = ConcurrencyLimiter(limit: 3)
        let holders = Locked((now: 0, peak: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await limiter.withPermit {
                        holders.value.withLock {
                            $0.now += 1; $0.peak = max($0.peak, $0.now)
                        }
                        try await Task.sleep(for: .milliseconds(1))
                        holders.value.withLock { $0.now -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(holders.value.withLock { $0.peak } == 3)
        #expect(limiter.inUse == 0)
        #expect(limiter.waitingCount == 0)
    }

    @Test func waitersAreServedInArrivalOrder() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let order = Locked<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                group.addTask {
                    try await limiter.acquire()
                    order.value.withLock { $0.append(index) }
                    limiter.release()
                }
                // Queue them one at a time so the arrival order is known.
                try await Self.waitUntil { limiter.waitingCount == index + 1 }
            }
            limiter.release()
            try await group.waitForAll()
        }
        #expect(order.value.withLock { $0 } == [0, 1, 2, 3, 4])
        #expect(limiter.inUse == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueueWithoutAPermit() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let cancelled = Task { try await limiter.acquire() }
        try await Self.waitUntil { limiter.waitingCount == 1 }
        let next = Task { try await limiter.acquire() }
        try await Self.waitUntil { limiter.waitingCount == 2 }

        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(limiter.waitingCount == 1)
        #expect(limiter.inUse == 1)

        // The permit skips the cancelled waiter and goes to the next one.
        limiter.release()
        try await next.value
        #expect(limiter.inUse == 1)
        #expect(limiter.waitingCount == 0)
        limiter.release()
        #expect(limiter.inUse == 0)
    }

    @Test func anAlreadyCancelledTaskGetsNoPermit() async throws {
        let limiter = ConcurrencyLimiter(limit: 2)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(limiter.inUse == 0)
        #expect(limiter.waitingCount == 0)
    }

    @Test func aPermitIsReleasedWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let limiter = ConcurrencyLimiter(limit: 1)
        await #expect(throws: Boom.self) { try await limiter.withPermit { throw Boom() } }
        #expect(limiter.inUse == 0)
        try await limiter.withPermit {}
        #expect(limiter.inUse == 0)
    }

    /// Polls `condition`. The deadline is long because the full suite can starve this process's two cooperative
    /// threads for tens of seconds (CLI tests block them in `waitUntilExit`); it only turns a hang into a failure.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not reached within 300 s")
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// A lock-protected value shared with child tasks.
private final class Locked<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }
}

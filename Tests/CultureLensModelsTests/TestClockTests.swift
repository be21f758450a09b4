import CultureLensTesting
import Synchronization
import Testing

/// The manual test clock: time moves only when advanced, sleepers wake in deadline order, cancellation is honoured.
struct TestClockTests {
    @Test func timeStandsStillUntilAdvanced() {
        let clock = TestClock()
        let start = clock.now
        #expect(clock.now == start)
        clock.advance(by: .milliseconds(250))
        #expect(start.duration(to: clock.now) == .milliseconds(250))
        clock.advance(to: start)
        #expect(start.duration(to: clock.now) == .milliseconds(250), "the clock never goes back")
        #expect(clock.minimumResolution == .zero)
    }

    @Test func aSleeperWakesExactlyAtItsDeadline() async throws {
        let clock = TestClock()
        let woke = Mutex(false)
        let task = Task {
            try await clock.sleep(for: .seconds(2))
            woke.withLock { $0 = true }
        }
        await clock.waitForSleepers()
        #expect(clock.sleeps == [.seconds(2)])
        clock.advance(by: .seconds(2) - .nanoseconds(1))
        #expect(clock.sleeperCount == 1)
        #expect(!woke.withLock { $0 })
        clock.advance(by: .nanoseconds(1))
        try await task.value
        #expect(woke.withLock { $0 })
        #expect(clock.sleeperCount == 0)
    }

    @Test func sleepersWakeInDeadlineOrder() async throws {
        let clock = TestClock()
        let order = Mutex<[Int]>([])
        let stream = AsyncStream<Int>.makeStream()
        // Registered out of deadline order; ties wake in the order they went to sleep.
        for (index, seconds) in [(0, 3), (1, 1), (2, 2), (3, 1)] {
            let task = Task {
                try await clock.sleep(until: clock.now.advanced(by: .seconds(seconds)))
                stream.continuation.yield(index)
            }
            await clock.waitForSleepers(index + 1)
            _ = task
        }
        #expect(clock.nextDeadline == TestClock.Instant(offset: .seconds(1)))
        clock.advance(by: .seconds(1))
        var iterator = stream.stream.makeAsyncIterator()
        for _ in 0..<2 { if let index = await iterator.next() { order.withLock { $0.append(index) } } }
        #expect(Set(order.withLock { $0 }) == [1, 3])
        clock.advance(by: .seconds(1))
        if let index = await iterator.next() { order.withLock { $0.append(index) } }
        clock.advance(by: .seconds(1))
        if let index = await iterator.next() { order.withLock { $0.append(index) } }
        #expect(order.withLock { Array($0.suffix(2)) } == [2, 0])
        #expect(clock.sleeps == [.seconds(3), .seconds(1), .seconds(2), .seconds(1)])
    }

    @Test func aPastDeadlineReturnsAtOnce() async throws {
        let clock = TestClock()
        clock.advance(by: .seconds(5))
        try await clock.sleep(until: TestClock.Instant(offset: .seconds(1)))
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
        #expect(clock.sleeps == [.seconds(-4), .zero])
    }

    @Test func cancellingASleeperThrowsAtOnceAndRemovesIt() async throws {
        let clock = TestClock()
        let task = Task { try await clock.sleep(for: .seconds(3600)) }
        await clock.waitForSleepers()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == TestClock.Instant())

        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(1))
        }
        await #expect(throws: CancellationError.self) { try await cancelledFirst.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func runAdvancesThroughSequentialSleeps() async throws {
        let clock = TestClock()
        let start = clock.now
        let total = try await clock.run {
            for seconds in [1, 2, 4] { try await clock.sleep(for: .seconds(seconds)) }
            return start.duration(to: clock.now)
        }
        #expect(total == .seconds(7))
        #expect(clock.sleeps == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func waitingForSleepersCanBeCancelled() async {
        let clock = TestClock()
        let waiter = Task { await clock.waitForSleepers(2) }
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}

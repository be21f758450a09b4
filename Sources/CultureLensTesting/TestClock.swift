import Synchronization

/// A manual `Clock` for tests: time stands still until the test moves it with ``advance(by:)`` or
/// ``advance(to:)``, so code that sleeps or reads `now` through an injected clock is tested with exact times and
/// without waiting.
///
/// - Sleepers whose deadline is reached are resumed in deadline order (ties in the order they went to sleep). The
///   clock is set to the target before any of them runs, so every woken task reads the final ``now``.
/// - A sleep whose deadline is not in the future returns at once; a cancelled sleep throws `CancellationError` at
///   once, whatever its deadline.
/// - Every sleep asked for is recorded in ``sleeps`` (as deadline − now), so a test can assert exact delays.
/// - ``waitForSleepers(_:)`` lets a test wait, without sleeping, until the code under test is asleep; ``run(_:)``
///   advances to each deadline as soon as something sleeps, for code that sleeps on one task at a time.
///
/// ```swift
/// let clock = TestClock()
/// let task = Task { try await client.send(request) }   // 429, Retry-After: 1
/// await clock.waitForSleepers()
/// #expect(clock.sleeps == [.seconds(1)])
/// clock.advance(by: .seconds(1))
/// ```
public final class TestClock: Clock, Sendable {
    /// A point on a ``TestClock``: the time since the clock's origin.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock's origin.
        public var offset: Duration

        /// Creates the instant `offset` after the origin.
        public init(offset: Duration = .zero) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }

        public func duration(to other: Instant) -> Duration { other.offset - offset }

        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

        public var description: String { "t+\(offset)" }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        var id: UInt64
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var now: Instant
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
        var sleeps: [Duration] = []
        var nextID: UInt64 = 0

        mutating func makeID() -> UInt64 {
            nextID += 1
            return nextID
        }

        /// Removes and returns the watchers whose count of sleepers is reached.
        mutating func satisfiedWatchers() -> [Watcher] {
            let ready = watchers.filter { $0.count <= sleepers.count }
            watchers.removeAll { $0.count <= sleepers.count }
            return ready
        }
    }

    private let state: Mutex<State>

    /// Creates a clock standing at `now` (by default its origin).
    public init(now: Instant = Instant()) { state = Mutex(State(now: now)) }

    /// The current time; moves only when the test advances it.
    public var now: Instant { state.withLock { $0.now } }

    /// Zero: the clock can be advanced by any amount.
    public var minimumResolution: Duration { .zero }

    /// Tasks asleep on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline of a sleeping task, if any.
    public var nextDeadline: Instant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Every sleep asked for so far, as its deadline minus the time it was asked at, in the order asked.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Sleeps until the clock is advanced to `deadline`; throws `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.makeID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, watchers) = state.withLock { state -> (Result<Void, any Error>?, [Watcher]) in
                    // Checked under the lock: a cancellation handler that ran before we registered found nothing to
                    // remove, and one that runs later finds the sleeper.
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    state.sleeps.append(state.now.duration(to: deadline))
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.satisfiedWatchers())
                }
                if let immediate { continuation.resume(with: immediate) }
                for watcher in watchers { watcher.continuation.resume(returning: true) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline is reached.
    public func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves the clock to `instant` (never backwards) and wakes every sleeper whose deadline is reached, in deadline
    /// order.
    public func advance(to instant: Instant) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant)
            let now = state.now
            let due = state.sleepers.enumerated()
                .filter { $0.element.deadline <= now }
                .sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }
                .map(\.element)
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until at least `count` tasks are asleep on the clock.
    /// - Returns: `false` when the waiting task was cancelled first.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1) async -> Bool {
        let id = state.withLock { $0.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if state.sleepers.count >= count { return true }
                    state.watchers.append(Watcher(id: id, count: count, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let watcher = state.withLock { state in
                state.watchers.firstIndex { $0.id == id }.map { state.watchers.remove(at: $0) }
            }
            watcher?.continuation.resume(returning: false)
        }
    }

    /// Runs `operation`, advancing the clock to the earliest deadline whenever something sleeps on it, until the
    /// operation returns. Meant for code that sleeps on one task at a time (retry back-off, polling), whose every
    /// `now` and sleep it then makes exact. Several sleepers are still woken in deadline order, but the clock moves
    /// on without waiting for a woken task to run, so times across tasks mean little: advance by hand for those.
    public func run<T>(_ operation: () async throws -> T) async rethrows -> T {
        let driver = Task {
            while await waitForSleepers(1) {
                if let next = nextDeadline { advance(to: next) }
            }
        }
        defer { driver.cancel() }
        return try await operation()
    }
}

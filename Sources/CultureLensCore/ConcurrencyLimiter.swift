import Synchronization

/// An async counting semaphore: at most ``limit`` holders at once, waiters served first come, first served.
///
/// ``EvaluationRunner`` holds one permit only around `model.send`, so "requests in flight" is what `--concurrency`
/// bounds, and an item's cache lookup, scoring and save happen outside its request slot. No clocks and no I/O.
///
/// Cancellation-safe: a task cancelled while waiting leaves the queue without taking a permit and ``acquire()`` throws
/// `CancellationError`. A permit granted just before the cancellation is kept: ``acquire()`` returns normally and the
/// caller releases it as usual (``withPermit(_:)`` always does).
///
/// ```swift
/// let requests = ConcurrencyLimiter(limit: 64)
/// let reply = try await requests.withPermit { try await model.send(request) }
/// ```
public final class ConcurrencyLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    /// Permits in total.
    public let limit: Int
    private let state: Mutex<State>

    /// Creates a limiter with `limit` permits (at least 1).
    public init(limit: Int) {
        self.limit = max(1, limit)
        state = Mutex(State(available: self.limit))
    }

    /// Permits held now.
    public var inUse: Int { state.withLock { limit - $0.available } }

    /// Tasks waiting for a permit now.
    public var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Takes a permit, waiting (cancellably) behind earlier waiters while none is free.
    /// - Throws: `CancellationError` if the task is cancelled before a permit is granted.
    public func acquire() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, any Error>? = state.withLock { state in
                    // Checked under the lock: a cancellation handler that ran before we queued found nothing to
                    // remove, and one that runs later finds the waiter.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    // Queue behind earlier waiters, so a permit freed while others wait goes to the oldest.
                    if state.waiters.isEmpty, state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a permit: the oldest waiter gets it directly, otherwise it becomes free.
    public func release() {
        let next: Waiter? = state.withLock { state in
            if state.waiters.isEmpty {
                precondition(state.available < limit, "ConcurrencyLimiter released more permits than it granted")
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    /// Runs `body` holding a permit, released however `body` ends.
    /// - Throws: `CancellationError` if cancelled while waiting, or what `body` throws.
    public func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }
}

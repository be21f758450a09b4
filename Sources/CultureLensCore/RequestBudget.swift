import Synchronization

/// A cap on the model calls one invocation may send (`run --max-requests`): cache hits cost nothing, and a call's
/// retries count once. When it is spent the run stops like an interrupted one: every item not yet sent is left for
/// the next invocation, which resumes from the store under a higher cap without repeating a request.
public final class RequestBudget: Sendable {
    /// Calls allowed in all.
    public let limit: Int
    private let state = Mutex((spent: 0, refused: false))

    /// A budget of `limit` calls.
    public init(limit: Int) { self.limit = max(0, limit) }

    /// Takes one call from the budget.
    /// - Returns: Whether one was left.
    public func take() -> Bool {
        state.withLock { state in
            guard state.spent < limit else {
                state.refused = true
                return false
            }
            state.spent += 1
            return true
        }
    }

    /// Calls taken so far.
    public var used: Int { state.withLock { $0.spent } }

    /// Whether a call was refused because the budget was spent (a run that needed exactly `limit` calls was not).
    public var isExhausted: Bool { state.withLock { $0.refused } }
}

import Synchronization

/// Lets a scripted server answer the first `answered` requests at once and hold the rest until the test opens the
/// gate: a test that must kill a process mid-run then sees it mid-run however long CPU-bound tests starve its poll.
public final class RequestGate: Sendable {
    private let state: Mutex<(arrived: Int, open: Bool)>
    private let limit: Int

    /// A closed gate that lets `answered` requests through first.
    public init(answered: Int) {
        self.limit = answered
        self.state = Mutex((arrived: 0, open: false))
    }

    /// Called by the handler for each request: returns at once for the first requests and after ``open()`` for the
    /// rest (or when the handler's task is cancelled).
    public func pass() async {
        let held = state.withLock { state in
            state.arrived += 1
            return state.arrived > limit && !state.open
        }
        guard held else { return }
        while !state.withLock({ $0.open }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Whether a request has been held (every answered request has arrived).
    public var isHolding: Bool { state.withLock { $0.arrived > limit && !$0.open } }

    /// Lets every held and later request through.
    public func open() { state.withLock { $0.open = true } }
}

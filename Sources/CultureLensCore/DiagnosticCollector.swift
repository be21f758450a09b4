import Synchronization

/// Collects ``Diagnostic``s from any task (spec validation, the loaders' parallel row building) and hands them back
/// sorted and without duplicates, so the same input always lists the same diagnostics in the same order.
///
/// In the spirit of swift-openapi-generator's `DiagnosticCollector`, kept in memory: the diagnostics end up in
/// `results.json`, not on a terminal.
public final class DiagnosticCollector: Sendable {
    private let state = Mutex<[Diagnostic]>([])

    /// An empty collector.
    public init() {}

    /// Records `diagnostic`.
    public func emit(_ diagnostic: Diagnostic) {
        state.withLock { $0.append(diagnostic) }
    }

    /// Records each of `diagnostics`.
    public func emit(contentsOf diagnostics: some Sequence<Diagnostic>) {
        let list = Array(diagnostics)
        state.withLock { $0 += list }
    }

    /// Everything recorded, sorted (``Diagnostic/<(_:_:)``), duplicates removed.
    public var diagnostics: [Diagnostic] {
        let all = state.withLock { $0 }
        return Array(Set(all)).sorted()
    }

    /// Whether an error was recorded.
    public var hasErrors: Bool { state.withLock { $0.contains { $0.severity == .error } } }
}

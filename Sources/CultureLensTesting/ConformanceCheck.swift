/// One named check of a conformance suite (``ResultStoreConformance``, ``WorkQueueConformance``) over a subject:
/// a store, or a queue with its harness. Named so `@Test(arguments:)` lists each check by its function name.
public struct ConformanceCheck<Subject>: Sendable, CustomStringConvertible {
    /// Name of the check (its function name).
    public let name: String
    /// Runs the check against a subject.
    public let run: @Sendable (Subject) async throws -> Void

    /// Creates a check.
    public init(name: String, run: @escaping @Sendable (Subject) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var description: String { name }
}

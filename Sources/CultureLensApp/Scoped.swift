/// Runs `body` with `resource`, then `close` on every path (return, throw, cancellation): the one shape behind
/// ``withStore(at:_:)``, ``withModelSession(_:concurrency:runDirectory:_:)`` and ``withWorkerModels(_:_:)``.
func scoped<Resource, T>(
    _ resource: Resource,
    close: (Resource) async -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    do {
        let result = try await body(resource)
        await close(resource)
        return result
    } catch {
        await close(resource)
        throw error
    }
}

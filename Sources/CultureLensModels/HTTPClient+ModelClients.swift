import AsyncHTTPClient
import CultureLensCore
import NIOCore

extension HTTPClient {
    /// The connection pool of a model client: `maxConnections` per host (so requests do not queue in the pool),
    /// a connect timeout of `connectTimeout` or else `timeout` capped at 10 s (AsyncHTTPClient keeps retrying a
    /// refused connection until it runs out, so it is how long a dead endpoint takes to fail), and a read timeout of
    /// `readTimeout`.
    static func modelClient(
        timeout: Double,
        connectTimeout: Double?,
        readTimeout: Double,
        maxConnections: Int
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnections)
        )
        let connectMillis = connectTimeout.map { Int64($0 * 1000) } ?? min(Int64(timeout * 1000), 10_000)
        configuration.timeout = .init(
            connect: .milliseconds(connectMillis),
            read: .milliseconds(Int64(readTimeout * 1000))
        )
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends `request` for `call`: cancellation comes out as `CancellationError`, any other error as a
    /// ``ModelFailure/transport(_:call:phase:mayRepeat:)`` failure.
    func send(
        _ request: HTTPClientRequest,
        timeout: Double,
        call: String,
        mayRepeat: Bool
    ) async throws -> HTTPClientResponse {
        do {
            return try await execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            if isTaskCancelled() || error is CancellationError { throw CancellationError() }
            throw ModelFailure.transport(error, call: call, phase: "request", mayRepeat: mayRepeat)
        }
    }
}

/// `Task.isCancelled`, out of `HTTPClient`'s scope (where `Task` is `HTTPClient.Task`).
private func isTaskCancelled() -> Bool { Task.isCancelled }

extension ModelFailure {
    /// A transport failure of `call` (see ``OpenAIClient/transportFailure(_:phase:)``); when the call must not be
    /// repeated (creating a batch: it may have been carried out, and would be paid twice) it is made final.
    static func transport(_ error: any Error, call: String, phase: String, mayRepeat: Bool) -> ModelFailure {
        let failure = OpenAIClient.transportFailure(error, phase: "\(call) \(phase)")
        guard !mayRepeat else { return failure }
        return ModelFailure(kind: .clientError, detail: failure.detail + " (not retried: it may have been carried out)")
    }
}

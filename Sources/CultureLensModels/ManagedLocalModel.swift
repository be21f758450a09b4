public import CultureLensCore
import Synchronization

/// The managed local model as a ``LanguageModel``: the llama.cpp server starts on the first request that misses
/// the cache, so a run answered entirely from the cache never loads the model.
public final class ManagedLocalModel: LanguageModel {
    private enum State {
        case idle
        case starting(Task<(LocalModelServer, OpenAIClient), any Error>)
        case running(LocalModelServer, OpenAIClient)
        case closed
    }

    /// Name (the installation's model) and display endpoint.
    public var identity: ModelIdentity {
        ModelIdentity(name: configuration.installation.model.name, endpoint: "local llama.cpp")
    }
    private let configuration: LocalModelServer.Configuration
    private let clientTimeout: Double
    private let maxConnections: Int
    private let state = Mutex<State>(.idle)

    /// Creates the model; nothing starts until the first ``send(_:)``.
    public init(server configuration: LocalModelServer.Configuration, timeout: Double, maxConnections: Int) {
        self.configuration = configuration
        self.clientTimeout = timeout
        self.maxConnections = maxConnections
    }

    /// Sends a request, starting the server first if needed.
    public func send(_ request: ModelRequest) async throws -> ModelReply {
        try await client().send(request)
    }

    /// The running server's base URL (e.g. `http://127.0.0.1:41234/v1`), `nil` until it has started.
    public var baseURL: String? {
        state.withLock { if case .running(let server, _) = $0 { server.baseURL } else { nil } }
    }

    /// Whether the server has been started.
    public var isStarted: Bool {
        state.withLock { if case .running = $0 { true } else { false } }
    }

    private func client() async throws -> OpenAIClient {
        let task: Task<(LocalModelServer, OpenAIClient), any Error> = try state.withLock { state in
            switch state {
            case .running(let server, let client):
                return Task { (server, client) }
            case .starting(let task):
                return task
            case .closed:
                throw LocalModelError(message: "the local model was already stopped")
            case .idle:
                let configuration = configuration
                let timeout = clientTimeout
                let connections = maxConnections
                let task = Task {
                    let server = try await LocalModelServer.start(configuration)
                    let client = OpenAIClient(
                        configuration: .init(
                            baseURL: server.baseURL,
                            model: configuration.installation.model.name,
                            timeout: timeout,
                            maxConnections: connections,
                            displayEndpoint: "local llama.cpp"
                        )
                    )
                    return (server, client)
                }
                state = .starting(task)
                return task
            }
        }
        do {
            let (server, client) = try await task.value
            let stillWanted = state.withLock { state -> Bool in
                switch state {
                case .closed: return false
                default:
                    state = .running(server, client)
                    return true
                }
            }
            guard stillWanted else {
                server.stop()
                try? await client.shutdown()
                throw CancellationError()
            }
            return client
        } catch {
            state.withLock { state in
                if case .starting = state { state = .idle }
            }
            throw error
        }
    }

    /// Shuts the client down and stops the server.
    public func close() async {
        let previous = state.withLock { state -> State in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .running(let server, let client):
            try? await client.shutdown()
            server.stop()
        case .starting(let task):
            if let (server, client) = try? await task.value {
                try? await client.shutdown()
                server.stop()
            }
        case .idle, .closed:
            break
        }
    }

    /// Stops the server at once, from a signal handler.
    public func emergencyStop() {
        state.withLock { state in
            if case .running(let server, _) = state { server.stop() }
        }
    }
}

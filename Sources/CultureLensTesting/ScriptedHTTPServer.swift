import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One fully received HTTP request, as seen by a ``ScriptedHTTPServer``.
public struct ScriptedRequest: Sendable {
    /// The request method, e.g. `"POST"`.
    public var method: String
    /// The request target exactly as sent, e.g. `"/v1/completions?x=1"`.
    public var uri: String
    /// The request headers in wire order (names as sent by the client).
    public var headers: [(String, String)]
    /// The complete request body (de-chunked if the client used chunked encoding).
    public var body: [UInt8]

    /// Creates a request value (mostly useful for unit-testing handler closures directly).
    public init(method: String, uri: String, headers: [(String, String)], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences are repaired with U+FFFD).
    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// The path part of ``uri`` (everything before the first `?`).
    public var path: String {
        if let q = uri.firstIndex(of: "?") { return String(uri[..<q]) }
        return uri
    }

    /// The value of the first header named `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }
}

/// What a ``ScriptedHTTPServer`` does in reply to one request.
public indirect enum ScriptedAction: Sendable {
    /// Sends a complete response. A `Content-Length` header is added unless `headers`
    /// already contains `Content-Length` or `Transfer-Encoding`. The connection is kept
    /// alive unless the client asked for `Connection: close`.
    case respond(status: Int, headers: [(String, String)] = [("Content-Type", "application/json")], body: String)
    /// Sleeps for the given duration, then performs `then`. If the client disconnects
    /// (or the server shuts down) during the sleep, the action is silently dropped.
    case delay(Duration, then: ScriptedAction)
    /// Sends the response head announcing the *full* `Content-Length` of `body`, then only
    /// the first `sendBytes` bytes of the body, then closes the connection (FIN).
    case truncated(
        status: Int, headers: [(String, String)] = [("Content-Type", "application/json")], body: String,
        sendBytes: Int)
    /// Closes the connection immediately without sending any response bytes. The client
    /// observes an orderly close (EOF) before any response byte, i.e. a "server disconnected"
    /// / "connection closed" error.
    case reset

    /// Convenience: a `200 OK` JSON response.
    public static func json(_ body: String, status: Int = 200) -> ScriptedAction {
        .respond(status: status, body: body)
    }
}

/// A real HTTP/1.1 server on `127.0.0.1` whose responses are scripted by an async closure.
///
/// Intended for fault-injection tests of HTTP clients: every request is passed to the
/// handler, which returns a ``ScriptedAction`` (respond, delay, truncate, reset).
/// Keep-alive and (pipelined) request sequences on one connection are supported; requests on
/// one connection are answered strictly in order.
///
/// Always call ``shutdown()`` (or use ``withServer(port:handler:isolation:_:)``): the server owns
/// a one-thread `MultiThreadedEventLoopGroup` that must be shut down. Handler closures should
/// honour task cancellation, because ``shutdown()`` cancels and then awaits in-flight handlers.
public final class ScriptedHTTPServer: Sendable {
    /// The signature of the request handler.
    public typealias Handler = @Sendable (ScriptedRequest) async -> ScriptedAction

    /// The TCP port the server is bound to (the ephemeral port if started with port 0).
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let state: ScriptedServerState

    private init(port: Int, group: MultiThreadedEventLoopGroup, serverChannel: any Channel, state: ScriptedServerState) {
        self.port = port
        self.group = group
        self.serverChannel = serverChannel
        self.state = state
    }

    /// The base URL of the server, e.g. `http://127.0.0.1:54321` (no trailing slash).
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Total number of complete requests received so far (thread-safe).
    public var requestCount: Int { state.box.withLock { $0.requests.count } }

    /// All complete requests received so far, in arrival order (thread-safe snapshot).
    public var requests: [ScriptedRequest] { state.box.withLock { $0.requests } }

    /// Starts a server on `127.0.0.1:port` (`port: 0` picks a free ephemeral port).
    /// - Parameters:
    ///   - port: The port to bind; 0 (the default) picks an ephemeral port.
    ///   - handler: Called once per complete request, off the event loop.
    public static func start(port: Int = 0, handler: @escaping Handler) async throws -> ScriptedHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = ScriptedServerState()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard state.register(channel: channel) else {
                        // Server is shutting down: refuse the connection.
                        channel.close(promise: nil)
                        return
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHTTPHandler(state: state, handler: handler))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            guard let boundPort = channel.localAddress?.port else {
                try? await channel.close()
                throw ScriptedHTTPServerError.noLocalAddress
            }
            return ScriptedHTTPServer(port: boundPort, group: group, serverChannel: channel, state: state)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Starts a server, runs `body` with it and shuts the server down afterwards
    /// (also when `body` throws).
    public static func withServer<Result>(
        port: Int = 0,
        handler: @escaping Handler,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (ScriptedHTTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(port: port, handler: handler)
        let result: Result
        do {
            result = try await body(server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
        return result
    }

    /// Stops accepting connections, closes all open connections, cancels and awaits in-flight
    /// handler tasks and shuts down the server's event loop group. Idempotent.
    public func shutdown() async throws {
        let alreadyShuttingDown = state.box.withLock { s in
            defer { s.isShuttingDown = true }
            return s.isShuttingDown
        }
        if alreadyShuttingDown { return }

        try? await serverChannel.close()
        // No new child channels can be accepted now; close the existing ones.
        let children = state.box.withLock { Array($0.channels.values) }
        for child in children {
            child.close(promise: nil)
            try? await child.closeFuture.get()
        }
        // Closing the channels cancelled their in-flight tasks; wait for them so none of them
        // touches the event loop after it has been shut down.
        let tasks = state.box.withLock { Array($0.tasks.values) }
        for task in tasks {
            task.cancel()
            await task.value
        }
        try await group.shutdownGracefully()
    }
}

/// Errors thrown by ``ScriptedHTTPServer``.
public enum ScriptedHTTPServerError: Error, Sendable {
    /// The bound server socket reported no local address/port.
    case noLocalAddress
}

/// Shared, lock-protected bookkeeping of one server.
final class ScriptedServerState: Sendable {
    /// Where handler tasks run: off the cooperative pool (``ScriptedHandlerExecutor``).
    let executor = ScriptedHandlerExecutor()
    struct State {
        var requests: [ScriptedRequest] = []
        var channels: [ObjectIdentifier: any Channel] = [:]
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var nextTaskID: UInt64 = 0
        var isShuttingDown = false
    }

    let box = Mutex(State())

    /// Tracks `channel` until it closes. Returns `false` if the server is shutting down.
    func register(channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let accepted = box.withLock { s -> Bool in
            guard !s.isShuttingDown else { return false }
            s.channels[id] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = box.withLock { $0.channels.removeValue(forKey: id) }
            }
        }
        return accepted
    }

    func record(_ request: ScriptedRequest) {
        box.withLock { $0.requests.append(request) }
    }

    func nextTaskID() -> UInt64 {
        box.withLock { s in
            defer { s.nextTaskID += 1 }
            return s.nextTaskID
        }
    }

    func add(task: Task<Void, Never>, id: UInt64) {
        box.withLock { $0.tasks[id] = task }
    }

    func removeTask(id: UInt64) {
        _ = box.withLock { $0.tasks.removeValue(forKey: id) }
    }
}

/// Per-connection handler. All state is confined to the channel's event loop.
final class ScriptedHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: ScriptedServerState
    private let handler: ScriptedHTTPServer.Handler
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var inFlight: (id: UInt64, task: Task<Void, Never>)?
    private var isClosed = false

    init(state: ScriptedServerState, handler: @escaping ScriptedHTTPServer.Handler) {
        self.state = state
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            self.head = nil
            let request = ScriptedRequest(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: body)
            body = []
            state.record(request)
            dispatch(request, version: head.version, keepAlive: head.isKeepAlive, context: context)
        }
    }

    /// Runs the user's async handler off the loop and comes back to the loop to act.
    private func dispatch(
        _ request: ScriptedRequest, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        let promise = context.eventLoop.makePromise(of: ScriptedAction.self)
        let handler = self.handler
        let task = Task(executorPreference: state.executor) {
            var action = await handler(request)
            while case .delay(let duration, let next) = action {
                // A cancelled sleep (disconnect / shutdown) just ends the wait early; the
                // resulting action is then dropped because the channel is closed.
                try? await Task.sleep(for: duration)
                action = next
            }
            // Always fulfilled, so the promise never leaks.
            promise.succeed(action)
        }
        let id = state.nextTaskID()
        state.add(task: task, id: id)
        inFlight = (id, task)
        promise.futureResult.assumeIsolated().whenSuccess { action in
            self.state.removeTask(id: id)
            if self.inFlight?.id == id { self.inFlight = nil }
            self.perform(action, version: version, keepAlive: keepAlive, context: context)
        }
    }

    private func perform(_ action: ScriptedAction, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard !isClosed, context.channel.isActive else { return }
        switch action {
        case .respond(let status, let headers, let body):
            let bytes = Array(body.utf8)
            var httpHeaders = HTTPHeaders(headers)
            if !httpHeaders.contains(name: "Content-Length") && !httpHeaders.contains(name: "Transfer-Encoding") {
                httpHeaders.add(name: "Content-Length", value: String(bytes.count))
            }
            if !keepAlive { httpHeaders.replaceOrAdd(name: "Connection", value: "close") }
            let responseHead = HTTPResponseHead(
                version: version, status: HTTPResponseStatus(statusCode: status), headers: httpHeaders)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            if !bytes.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }

        case .truncated(let status, let headers, let body, let sendBytes):
            let bytes = Array(body.utf8)
            var httpHeaders = HTTPHeaders(headers)
            httpHeaders.remove(name: "Transfer-Encoding")
            httpHeaders.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            let responseHead = HTTPResponseHead(
                version: version, status: HTTPResponseStatus(statusCode: status), headers: httpHeaders)
            let prefix = bytes.prefix(max(0, min(sendBytes, bytes.count)))
            let lastWrite: EventLoopFuture<Void>
            if prefix.isEmpty {
                lastWrite = context.writeAndFlush(wrapOutboundOut(.head(responseHead)))
            } else {
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                let buffer = context.channel.allocator.buffer(bytes: prefix)
                lastWrite = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))))
            }
            // Close only once the partial response has actually reached the socket.
            lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }

        case .reset:
            context.close(promise: nil)

        case .delay(_, let next):
            // Delays are resolved in `dispatch`; handle defensively anyway.
            perform(next, version: version, keepAlive: keepAlive, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        inFlight?.task.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isClosed = true
        inFlight?.task.cancel()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

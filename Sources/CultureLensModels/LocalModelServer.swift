public import CultureLensCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts, health-checks and stops the managed llama.cpp server (`python -m llama_cpp.server`) for the local
/// model. No `--chat_format` is given, so `/chat/completions` renders messages with the chat template in the
/// GGUF's `tokenizer.chat_template` metadata.
///
/// The server never outlives CultureLens: a watchdog thread inside the server process exits it when its parent
/// changes (CultureLens was killed, even with `kill -9`), and each server is recorded in a pidfile under
/// `$CULTURELENS_HOME/servers` so the next start reaps any that slipped through.
public final class LocalModelServer: Sendable {
    /// Server settings.
    public struct Configuration: Sendable {
        /// The installation to run.
        public var installation: LocalModelInstallation
        /// CultureLens home; pidfiles go in `servers/` beneath it.
        public var home: String
        /// File the server's stdout and stderr are written to.
        public var logPath: String
        /// Context window in tokens.
        public var contextSize: Int
        /// Parallel request slots; llama-cpp-python serves one at a time, so this mostly sizes the queue.
        public var threads: Int
        /// How long to wait for the server to answer `/v1/models`, in seconds.
        public var startupTimeout: Double

        /// Creates a configuration.
        public init(
            installation: LocalModelInstallation,
            home: String,
            logPath: String,
            contextSize: Int = 2048,
            threads: Int = 2,
            startupTimeout: Double = 180
        ) {
            self.installation = installation
            self.home = home
            self.logPath = logPath
            self.contextSize = contextSize
            self.threads = threads
            self.startupTimeout = startupTimeout
        }
    }

    /// Base URL of the running server, e.g. `http://127.0.0.1:41234/v1`.
    public let baseURL: String
    /// Process id of the server.
    public let pid: Int32
    private let process: Process
    private let pidfile: String

    private init(baseURL: String, process: Process, pidfile: String) {
        self.baseURL = baseURL
        self.process = process
        self.pid = process.processIdentifier
        self.pidfile = pidfile
    }

    /// Starts the server on a free loopback port and waits until `/v1/models` answers.
    /// - Throws: ``LocalModelError`` when the server exits early or does not answer in time (the log tail is
    ///   included).
    public static func start(_ configuration: Configuration) async throws -> LocalModelServer {
        let serversFolder = configuration.home + "/servers"
        try FileManager.default.createDirectory(atPath: serversFolder, withIntermediateDirectories: true)
        reapOrphans(in: serversFolder)
        let port: Int
        do { port = try LoopbackPort.free() } catch { throw LocalModelError(message: error.description) }
        let logURL = URL(fileURLWithPath: configuration.logPath)
        try FileManager.default.createDirectory(at: logURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.installation.python)
        process.arguments = [
            "-c", watchdogScript,
            "--model", configuration.installation.modelPath,
            "--model_alias", configuration.installation.model.name,
            "--host", "127.0.0.1",
            "--port", String(port),
            "--n_ctx", String(configuration.contextSize),
            "--n_threads", String(configuration.threads),
            "--logits_all", "true",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["CULTURELENS_PARENT_PID"] = String(getpid())
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pidfile = "\(serversFolder)/\(process.processIdentifier).pid"
        try? "\(process.processIdentifier) \(getpid())\n".write(toFile: pidfile, atomically: true, encoding: .utf8)
        let server = LocalModelServer(baseURL: "http://127.0.0.1:\(port)/v1", process: process, pidfile: pidfile)

        let deadline = ContinuousClock.now + .milliseconds(Int64(configuration.startupTimeout * 1000))
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                server.stop()
                throw LocalModelError(
                    message: "the local model server exited during start-up (status \(process.terminationStatus)); log \(configuration.logPath):\n\(tail(of: configuration.logPath))"
                )
            }
            if await isHealthy(port: port) { return server }
            do {
                try await Task.sleep(for: .milliseconds(250))
            } catch {
                server.stop()
                throw error
            }
        }
        server.stop()
        throw LocalModelError(
            message: "the local model server did not answer within \(Int(configuration.startupTimeout)) s; log \(configuration.logPath):\n\(tail(of: configuration.logPath))"
        )
    }

    /// Stops the server: SIGTERM, then SIGKILL after 5 s; removes its pidfile. Safe to call twice.
    public func stop() {
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: pidfile)
    }

    // MARK: - Helpers

    /// Runs llama_cpp.server in this Python process, with a daemon thread that exits the process as soon as its
    /// parent is gone (re-parenting changes `getppid()`), so a killed CultureLens leaves no server behind.
    static let watchdogScript = """
        import os, sys, threading, time, runpy
        parent = int(os.environ.get("CULTURELENS_PARENT_PID", "0"))
        def watch():
            while True:
                if parent and os.getppid() != parent:
                    os._exit(0)
                time.sleep(0.5)
        threading.Thread(target=watch, daemon=True).start()
        sys.argv = ["llama_cpp.server"] + sys.argv[1:]
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
        """

    /// Kills servers whose CultureLens parent has died and removes stale pidfiles.
    static func reapOrphans(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasSuffix(".pid") {
            let path = folder + "/" + name
            let fields = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: " ").compactMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            guard fields.count == 2 else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            let (serverPID, parentPID) = (fields[0], fields[1])
            if isAlive(parentPID) && parentPID != getpid() { continue }
            if isAlive(serverPID), commandLine(of: serverPID).contains("llama_cpp.server") {
                kill(serverPID, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static func commandLine(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether `GET /v1/models` answers 200, over a plain blocking socket (no client pool to tear down).
    static func isHealthy(port: Int) async -> Bool {
        await Task.detached {
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socketFD >= 0 else { return false }
            defer { close(socketFD) }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return false }
            let request = "GET /v1/models HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
            _ = request.withCString { send(socketFD, $0, strlen($0), 0) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let received = recv(socketFD, &buffer, buffer.count, 0)
            guard received > 12 else { return false }
            return String(decoding: buffer[0..<received], as: UTF8.self).hasPrefix("HTTP/1.1 200")
                || String(decoding: buffer[0..<received], as: UTF8.self).hasPrefix("HTTP/1.0 200")
        }.value
    }

    static func tail(of path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

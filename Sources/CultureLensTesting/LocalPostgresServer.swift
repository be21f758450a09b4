import CultureLensModels
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries, a fresh data directory in the
/// temporary folder, trust authentication, listening on a free loopback port (and a socket in its own folder).
/// As root, `initdb` and the server run as the `postgres` system user (PostgreSQL refuses to run as root).
///
/// Start with ``start(durable:)`` and always ``stop()`` (or use ``withServer(durable:_:)``). A server left behind
/// by a test process that was killed is stopped by the next ``start(durable:)``.
public final class LocalPostgresServer: Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The folder holding the data directory, the socket and the log.
    public let folder: String
    /// Where `initdb`, `pg_ctl` and `psql` are.
    public let binaries: String
    private let asPostgresUser: Bool

    private init(port: Int, folder: String, binaries: String, asPostgresUser: Bool) {
        self.port = port
        self.folder = folder
        self.binaries = binaries
        self.asPostgresUser = asPostgresUser
    }

    /// The server's log file.
    public var logPath: String { folder + "/server.log" }

    /// A `postgres://` URL of a database on this server.
    public func url(database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    /// Errors starting or using the server.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the tool's output.
        public var description: String
    }

    /// The newest installed PostgreSQL's `bin` folder (`/usr/lib/postgresql/N/bin`), or `nil`.
    public static func installedBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() {
            let bin = "\(root)/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb") { return bin }
        }
        return nil
    }

    /// Creates a cluster and starts it. `durable: false` (the default for tests) turns fsync off: a test server
    /// never needs to survive a power loss, and it makes every commit much cheaper.
    public static func start(durable: Bool = false) async throws -> LocalPostgresServer {
        try await offPool { try startBlocking(durable: durable) }
    }

    /// Starts a server, runs `body`, and stops the server (also when `body` throws).
    public static func withServer<T>(durable: Bool = false, _ body: (LocalPostgresServer) async throws -> T) async throws -> T {
        let server = try await start(durable: durable)
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Creates a database.
    public func createDatabase(_ name: String) async throws {
        let psql = binaries + "/psql"
        let port = port
        try await Self.offPool {
            _ = try Self.execute(
                psql,
                ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
                 "CREATE DATABASE \"\(name)\""],
                directory: "/"
            )
        }
    }

    /// Runs SQL with `psql` and returns its unaligned, tuples-only output.
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let psql = binaries + "/psql"
        let port = port
        return try await Self.offPool {
            try Self.execute(
                psql,
                ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                directory: "/"
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Stops the server (fast shutdown) and removes its folder.
    public func stop() async {
        let (folder, binaries, asPostgresUser) = (folder, binaries, asPostgresUser)
        _ = try? await Self.offPool {
            _ = try? Self.execute(
                binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "-t", "30", "stop"],
                directory: folder, asPostgresUser: asPostgresUser
            )
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    // MARK: - Implementation

    private static let folderPrefix = "culturelens-pg-"

    private static func startBlocking(durable: Bool) throws -> LocalPostgresServer {
        guard let binaries = installedBinaries() else {
            throw Failure(description: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql")
        }
        let asPostgresUser = getuid() == 0
        reapAbandonedServers(binaries: binaries, asPostgresUser: asPostgresUser)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(folderPrefix + UUID().uuidString.lowercased()).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try String(getpid()).write(toFile: folder + "/owner.pid", atomically: true, encoding: .utf8)
        if asPostgresUser {
            guard let user = getpwnam("postgres") else {
                throw Failure(description: "running as root, but there is no `postgres` system user to run PostgreSQL as")
            }
            chown(folder, user.pointee.pw_uid, user.pointee.pw_gid)
            chmod(folder, 0o700)
        }
        do {
            _ = try execute(
                binaries + "/initdb",
                ["-D", folder + "/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                directory: folder, asPostgresUser: asPostgresUser
            )
            var settings = [
                "-c listen_addresses=127.0.0.1", "-k \(folder)", "-c max_connections=400", "-c shared_buffers=64MB",
            ]
            if !durable { settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] }
            var lastError: (any Error)?
            for _ in 0..<5 {
                let port = try LoopbackPort.free()
                do {
                    _ = try execute(
                        binaries + "/pg_ctl",
                        ["-D", folder + "/data", "-o", (["-p \(port)"] + settings).joined(separator: " "), "-l", folder + "/server.log",
                         "-w", "-t", "60", "start"],
                        directory: folder, asPostgresUser: asPostgresUser
                    )
                    return LocalPostgresServer(port: port, folder: folder, binaries: binaries, asPostgresUser: asPostgresUser)
                } catch {
                    lastError = error  // most likely the port was taken in between: try another
                }
            }
            throw lastError ?? Failure(description: "pg_ctl start failed")
        } catch {
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure(description: "\(error)\nserver log:\n\(log.suffix(2000))")
        }
    }

    /// Stops servers whose test process is gone (killed before it could stop them).
    private static func reapAbandonedServers(binaries: String, asPostgresUser: Bool) {
        let temporary = FileManager.default.temporaryDirectory.path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for entry in entries where entry.hasPrefix(folderPrefix) {
            let folder = temporary + "/" + entry
            guard let text = try? String(contentsOfFile: folder + "/owner.pid", encoding: .utf8),
                let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if kill(owner, 0) == 0 || errno != ESRCH { continue }  // the owner is alive
            _ = try? execute(
                binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "-t", "30", "stop"],
                directory: folder, asPostgresUser: asPostgresUser
            )
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// Runs a tool to completion and returns its output; throws with the output on a non-zero exit.
    ///
    /// posix_spawn and a blocking waitpid, not Foundation's `Process`: `pg_ctl start` leaves a daemon behind, and
    /// `Process` was seen to miss the exit of `runuser` in that case. Output goes to a file, not a pipe, since the
    /// daemon keeps the tool's descriptors open.
    @discardableResult
    private static func execute(_ tool: String, _ arguments: [String], directory: String, asPostgresUser: Bool = false) throws -> String {
        // `env -C` sets the working directory (one the postgres user can enter).
        let command = ["/usr/bin/env", "-C", directory, tool] + arguments
        let argv = asPostgresUser ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + command : command
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-pgtool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: \(errno)") }
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            let name = (tool as NSString).lastPathComponent
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return text
    }

    /// Runs blocking work (child processes) off the cooperative pool.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

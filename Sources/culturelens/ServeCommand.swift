import ArgumentParser
import CultureLensServer
import CultureLensStore
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the local dashboard: runs, leaderboards, run pages, comparisons and a JSON API.",
        discussion: """
            Read-only by default: deleting or labelling a run (DELETE /api/runs/ID, POST /api/runs/ID/label) needs \
            the header `Authorization: Bearer TOKEN` with the random token printed at start-up. Binds 127.0.0.1 \
            unless --host says otherwise. See docs/dashboard.md.
            """
    )

    @Option(name: .long, help: "Address to bind (default: loopback only).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port: Int = 8080

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() async throws {
        if let location = storeOptions.store, location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            printError("error: the dashboard reads SQLite stores only; give --store a SQLite file path")
            throw ExitCode(2)
        }
        let store: SQLiteResultStore
        do {
            store = try SQLiteResultStore(path: storeOptions.storePath)
        } catch {
            printError("cannot open the store at \(storeOptions.storePath): \(error)")
            throw ExitCode(1)
        }
        let token = DashboardServer.generateToken()
        let server = DashboardServer(store: store, configuration: .init(host: host, port: port, token: token))
        let shownHost = host.contains(":") ? "[\(host)]" : host
        if !DashboardServer.Configuration.isLoopback(host) {
            printError(
                "warning: listening on \(host), not loopback: anyone who can reach this address can read every run"
            )
        }
        do {
            try await server.run {
                // Written unbuffered, so the address and token show at once even when stdout is a pipe.
                let banner = """
                    CultureLens dashboard: http://\(shownHost):\(port)/  (store \(storeOptions.storePath))
                    write token (DELETE /api/runs/ID, POST /api/runs/ID/label): Authorization: Bearer \(token)
                    Ctrl-C stops it.

                    """
                FileHandle.standardOutput.write(Data(banner.utf8))
            }
        } catch {
            printError("error: the dashboard stopped: \(error)")
            throw ExitCode(1)
        }
    }
}

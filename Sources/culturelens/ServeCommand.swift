import ArgumentParser
import CultureLensApp
import CultureLensServer
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
        try await storeOptions.withOpenedStore { opened in
            try await serve(opened)
        }
    }

    /// Serves the dashboard over an open store (SQLite or PostgreSQL) until stopped.
    private func serve(_ opened: OpenedStore) async throws {
        let token = DashboardServer.generateToken()
        let server = DashboardServer(store: opened.store, configuration: .init(host: host, port: port, token: token))
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
                    CultureLens dashboard: http://\(shownHost):\(port)/  (store \(opened.location))
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

import CultureLensCore
import CultureLensPostgres
import CultureLensTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `culturelens serve --store postgres://...`: the dashboard reads and administers the runs of a real PostgreSQL
/// store, through the same App layer as SQLite.
@Suite(.localPostgres) struct ServePostgresTests {
    @Test func theDashboardShowsAndAdministersThePostgresRuns() async throws {
        let postgres = try #require(LocalPostgresTrait.server)
        let database = "serve_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await postgres.createDatabase(database)
        let url = postgres.url(database: database)

        // Two runs with a result each, written by the store itself; one is labelled.
        let store = try await PostgresResultStore.connect(url: url)
        var ids: [String] = []
        for (index, name) in ["first", "second"].enumerated() {
            let run = ResultStoreConformance.makeRun(
                id: "pg-serve-\(name)",
                createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
            )
            let opened = try await store.openRun(run)
            let result = ResultStoreConformance.makeResult(runID: opened.id, index: 0, cacheKey: "k-\(name)")
            try await store.save(
                result,
                cacheEntry: ResultStoreConformance.makeCacheEntry(
                    key: result.cacheKey,
                    response: ResultStoreConformance.sampleResponse(index)
                )
            )
            ids.append(opened.id)
        }
        #expect(try await store.setRunLabel(id: ids[0], label: "baseline <b>"))
        await store.close()

        let logs = try CLIProcess.temporaryDirectory("serve-pg")
        let (process, port) = try await Self.startServe(url: url, logs: logs)
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let banner = try String(contentsOfFile: logs + "/stdout", encoding: .utf8)
        // The banner names the store without its password.
        #expect(banner.contains("(store postgres://"))
        let token = try #require(
            banner.split(separator: "\n").first { $0.contains("Bearer ") }?.split(separator: " ").last
        )

        let runs = try Self.curl(["http://127.0.0.1:\(port)/api/runs"])
        #expect(runs.status == 200)
        #expect(runs.body.contains(ids[0]) && runs.body.contains(ids[1]))
        #expect(runs.body.contains("baseline <b>") || runs.body.contains("baseline \\u003cb\\u003e"))
        let page = try Self.curl(["http://127.0.0.1:\(port)/"])
        #expect(page.status == 200)
        #expect(page.body.contains(ids[1]))
        #expect(!page.body.contains("baseline <b>"), "the label is escaped in the page")

        // Writes go through PostgreSQL too, and need the token.
        let refused = try Self.curl(["-X", "DELETE", "http://127.0.0.1:\(port)/api/runs/\(ids[1])"])
        #expect(refused.status == 401)
        let deleted = try Self.curl([
            "-X", "DELETE", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/api/runs/\(ids[1])",
        ])
        #expect((200..<300).contains(deleted.status))
        let reopened = try await PostgresResultStore.connect(url: url)
        let remaining = try await reopened.runs().map(\.id)
        await reopened.close()
        #expect(remaining == [ids[0]])
    }

    /// Starts `culturelens serve` on a free port below the ephemeral range and waits for its banner.
    static func startServe(url: String, logs: String) async throws -> (Process, Int) {
        for _ in 0..<20 {
            let port = Int.random(in: 20_000..<32_000)
            let process = try CLIProcess.start(
                ["serve", "--store", url, "--port", String(port)],
                environment: ["CULTURELENS_HOME": logs],
                logFolder: logs
            )
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline, process.isRunning {
                let banner = (try? String(contentsOfFile: logs + "/stdout", encoding: .utf8)) ?? ""
                if banner.contains("Bearer ") { return (process, port) }
                try await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: logs + "/stderr", encoding: .utf8)) ?? ""
            // Another listener had the port: try another one; anything else is a failure.
            guard errors.contains("in use") else {
                throw CLIFailure(message: "serve did not start: \(errors)")
            }
        }
        throw CLIFailure(message: "no free port for serve")
    }

    struct CLIFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs curl and returns the HTTP status and body.
    static func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-w", "\n%{http_code}", "--max-time", "30"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? -1, lines.dropLast().joined(separator: "\n"))
    }
}

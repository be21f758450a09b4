import CultureLensCore
import CultureLensDatasets
import CultureLensModels
import CultureLensStatistics
import CultureLensStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real llama.cpp server with the real Gemma 3 270M model (installed by `make setup`). Serialized: the model
/// takes both cores.
@Suite(.serialized)
struct LocalModelTests {
    static func installation() throws -> LocalModelInstallation {
        try LocalModelInstallation.locate(workingDirectory: CLIProcess.packageRoot)
    }

    @Test func realModelScoresStarterItemsAndASecondRunIsAllCacheHits() async throws {
        let home = try CLIProcess.temporaryDirectory("local-home")
        let storePath = home + "/culturelens.sqlite"
        let suite = StarterSuite.suite.prefix(24)
        let configuration = LocalModelServer.Configuration(
            installation: try Self.installation(),
            home: home,
            logPath: home + "/llama-server.log"
        )

        let model = ManagedLocalModel(server: configuration, timeout: 300, maxConnections: 4)
        let runner = EvaluationRunner(
            model: model,
            store: try SQLiteResultStore(path: storePath),
            configuration: .init(api: .completions, scoring: .logprobs, concurrency: 4)
        )
        let first = try await runner.run(suite, toolVersion: "test")
        await model.close()
        #expect(first.run.status == .completed)
        #expect(first.results.count == 24)
        #expect(first.results.allSatisfy { $0.failure == nil }, "\(first.results.compactMap(\.failureDetail))")
        for result in first.results {
            let distribution = try #require(result.distribution)
            #expect(distribution.count == suite.items[result.itemIndex].choices.count)
            #expect(abs(distribution.reduce(0, +) - 1) < 1e-9)
            #expect(distribution.allSatisfy { $0 >= 0 })
            let outside = try #require(result.outsideMass)
            #expect((0...1).contains(outside))
        }
        // A base model this small leans on some labels: the argmax is not spread evenly over the positions.
        let summary = RunSummary(results: first.results, itemCount: 24)
        #expect(summary.accuracy.n == 24)

        // Persisted: a new store on the same file sees every result; a second run is all cache hits and never
        // even starts the server.
        let reopened = try SQLiteResultStore(path: storePath)
        #expect(try await reopened.results(runID: first.run.id).count == 24)
        let secondModel = ManagedLocalModel(server: configuration, timeout: 300, maxConnections: 4)
        let second = try await EvaluationRunner(
            model: secondModel,
            store: reopened,
            configuration: runner.configuration
        )
        .run(suite, toolVersion: "test")
        #expect(second.results.count == 24)
        #expect(second.results.allSatisfy { $0.cached })
        #expect(!secondModel.isStarted)
        #expect(second.results.map(\.distribution) == first.results.map(\.distribution))
        await secondModel.close()
        let log = try String(contentsOfFile: home + "/llama-server.log", encoding: .utf8)
        #expect(!log.isEmpty)
    }

    /// The run card on the real model: a small sample under every rotation, and the determinism check (on by
    /// default for the managed model) re-sending requests past the cache to the real llama.cpp server.
    @Test func runCardOnTheLocalModelMeasuresTheDeterminismFloor() async throws {
        _ = try Self.installation()
        let home = try CLIProcess.temporaryDirectory("card-local")
        let output = try await CLIProcess.run(
            [
                "run", "starter", "--limit", "16", "--json", "--concurrency", "2", "--card-minimum", "8",
                "--determinism-sample", "8",
            ],
            environment: ["CULTURELENS_HOME": home],
            timeout: 900
        )
        #expect(output.status == 0, "\(output.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let card = try #require(document["card"] as? [String: Any])
        #expect((card["sample"] as? [String: Any])?["items"] as? Int == 8)
        let determinism = try #require(card["determinism"] as? [String: Any])
        #expect(determinism["requests"] as? Int == 8)
        let compared = try #require(determinism["compared"] as? Int)
        #expect(compared + (determinism["failed"] as? Int ?? -1) == 8)
        #expect(compared > 0)
        let largest = try #require(determinism["max_abs_delta"] as? Double)
        #expect(largest >= 0 && largest < 0.5)
        let verdicts = try #require(card["verdicts"] as? [[String: Any]])
        #expect(verdicts.contains { $0["check"] as? String == "determinism" })
        // Gemma 3 270M puts most of its mass outside the option letters and leans on the first letter.
        #expect(verdicts.contains { $0["check"] as? String == "outside_mass" })
        let aBias = try #require((card["a_bias"] as? [String: Any])?["value"] as? Double)
        #expect(aBias > 0)
        #expect(["caution", "unreliable"].contains(card["level"] as? String))
    }

    @Test func killedCLILeavesNoServerAndResumes() async throws {
        _ = try Self.installation()
        let home = try CLIProcess.temporaryDirectory("orphan-home")
        let logs = try CLIProcess.temporaryDirectory("orphan-logs")
        let arguments = ["run", "starter", "--limit", "20", "--concurrency", "2", "--no-card"]
        let environment = ["CULTURELENS_HOME": home]
        let process = try CLIProcess.start(arguments, environment: environment, logFolder: logs)

        // Wait for the server's pidfile and a few stored results.
        let store = try SQLiteResultStore(path: home + "/culturelens.sqlite")
        var serverPID: Int32?
        var stored = 0
        let deadline = Date().addingTimeInterval(240)
        while (serverPID == nil || stored < 3), Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            let pidfiles = (try? FileManager.default.contentsOfDirectory(atPath: home + "/servers")) ?? []
            serverPID = pidfiles.compactMap { Int32($0.replacingOccurrences(of: ".pid", with: "")) }.first
            if let run = try await store.runs().first { stored = try await store.results(runID: run.id).count }
        }
        let pid = try #require(serverPID, "no server pidfile appeared")
        #expect(process.isRunning, "the run finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // The server's watchdog notices its parent is gone and exits.
        let gone = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < gone { try await Task.sleep(for: .milliseconds(100)) }
        #expect(kill(pid, 0) != 0, "llama.cpp server \(pid) outlived the killed CLI")

        let resumed = try await CLIProcess.run(arguments + ["--json"], environment: environment, timeout: 600)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let runID = try #require(try await store.runs().first?.id)
        let results = try await store.results(runID: runID)
        #expect(results.count == 20)
        #expect(Set(results.map(\.itemID)).count == 20)
        #expect(results.filter(\.cached).count >= stored)
        // The resumed run's own server is gone too, and its pidfile removed.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: home + "/servers")) ?? []
        #expect(leftovers.isEmpty)
    }
}

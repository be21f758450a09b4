import CultureLensCore
import CultureLensStore
import CultureLensTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` in the middle of a run, then the same command again: exactly-once results, nothing re-requested.
struct CrashResumeTests {
    @Test func killedRunResumesWithExactlyOnceResults() async throws {
        let home = try CLIProcess.temporaryDirectory("crash-home")
        let logs = try CLIProcess.temporaryDirectory("crash-logs")
        // The first 12 requests are answered at once; the rest wait until the test has killed the CLI and opened the
        // gate. So the kill always lands mid-run, however long CPU-bound tests keep this process's poll from running
        // (the server answers from its own thread, and the CLI once finished all 40 items before a starved poll).
        let gate = RequestGate(answered: 12)
        let server = try await ScriptedHTTPServer.start { _ in
            await gate.pass()
            return .json(FakeOpenAI.completion(text: " C", topLogprobs: [(" C", -0.1), (" Yes", -0.7), (" A", -2.5)]))
        }
        let arguments = [
            "run", "starter", "--model", "slow-model", "--base-url", server.baseURL + "/v1",
            "--scoring", "logprobs", "--api", "completions", "--limit", "40", "--concurrency", "2", "--no-card",
        ]
        let environment = ["CULTURELENS_HOME": home]
        let process = try CLIProcess.start(arguments, environment: environment, logFolder: logs)

        // Wait until some, not all, results are stored, then kill -9.
        let store = try SQLiteResultStore(path: home + "/culturelens.sqlite")
        var stored = 0
        let deadline = Date().addingTimeInterval(300)
        while stored < 8, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            if let run = try await store.runs().first { stored = try await store.results(runID: run.id).count }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let runID = try #require(try await store.runs().first?.id)
        let beforeResume = try await store.results(runID: runID)
        #expect(beforeResume.count >= 8 && beforeResume.count < 40)
        let savedPrompts = Set(beforeResume.map(\.prompt))
        gate.open()

        let resumed = try await CLIProcess.run(arguments, environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try await store.results(runID: runID)
        #expect(after.count == 40)
        #expect(Set(after.map(\.itemID)).count == 40)
        #expect(after.allSatisfy { $0.failure == nil })
        // Every response saved before the kill was requested exactly once over both invocations.
        let prompts = server.requests.compactMap { request -> String? in
            guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return nil
            }
            return body["prompt"] as? String
        }
        for prompt in savedPrompts {
            #expect(prompts.filter { $0 == prompt }.count == 1)
        }
        // Only the requests in flight at the kill (at most the concurrency) were sent twice.
        #expect(prompts.count <= 40 + 2 + 1)  // +1: the capability probe is skipped when --api and --scoring are given
        #expect(try await store.runs().count == 1)
        try await server.shutdown()
    }
}

import CultureLensCore
import CultureLensStore
import CultureLensTesting
import Foundation
import Testing

/// The command-line contract: exit codes, messages, outputs.
struct CLITests {
    @Test func unknownSuiteIsAUsageErrorListingTheChoices() async throws {
        let output = try await CLIProcess.run(["run", "no-such-suite"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("unknown suite 'no-such-suite'"))
        #expect(output.stderr.contains("starter"))
    }

    /// The queue records one temperature-0 request per item: a sampled run must not be queued as if it were one.
    @Test func enqueueRejectsSampling() async throws {
        let output = try await CLIProcess.run([
            "run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--store",
            "postgres://nobody@127.0.0.1:9/none", "--enqueue", "--samples", "3", "--temperature", "0.7",
        ])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--enqueue does not take --samples or --temperature"))
    }

    @Test func unknownModelWithoutBaseURLIsAUsageError() async throws {
        let output = try await CLIProcess.run(["run", "starter", "--model", "gpt-x"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("unknown model 'gpt-x'"))
        #expect(output.stderr.contains("local"))
    }

    @Test func localModelWithoutVirtualenvTellsTheUserToRunMakeDemo() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        let output = try await CLIProcess.run(
            ["run", "starter", "--limit", "2"],
            environment: ["CULTURELENS_VENV": "/nonexistent/venv", "CULTURELENS_HOME": home]
        )
        #expect(output.status == 1)
        #expect(output.stderr.contains("make demo"))
    }

    @Test func unreachableEndpointFailsClearlyWithinTheTimeout() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused. Connection refused is
        // immediate and four attempts with back-off take ~4 s, but no wall-clock bound is asserted: on two loaded CI
        // cores this test once waited 171 s for its turn. A hang is caught by the process timeout instead: the
        // process is killed, and a killed process does not exit with status 1.
        let output = try await CLIProcess.run(
            ["run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2"],
            environment: ["CULTURELENS_HOME": home],
            timeout: 600
        )
        #expect(output.status == 1)
        #expect(output.stderr.contains("cannot use http://127.0.0.1:9/v1"))
    }

    @Test func suitesListsTheStarterSuite() async throws {
        let output = try await CLIProcess.run(["suites"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("starter"))
        #expect(output.stdout.contains("88"))
    }

    @Test func runHelpMatchesGoldenFile() async throws {
        let output = try await CLIProcess.run(["run", "--help"])
        #expect(output.status == 0)
        // The binary prints what the in-process golden test (CultureLensCLITests) checks; this one does not record.
        let goldenPath = CLIProcess.packageRoot + "/Tests/CultureLensCLITests/Golden/run-help.txt"
        let golden = try String(contentsOfFile: goldenPath, encoding: .utf8)
        #expect(output.stdout == golden)
    }

    /// A full run against an OpenAI-compatible server that serves logprobs on /v1/completions.
    @Test func runsAgainstAnyOpenAICompatibleServer() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        let out = try CLIProcess.temporaryDirectory("out")
        let server = try await ScriptedHTTPServer.start { request in
            switch request.path {
            case "/v1/completions":
                return .json(FakeOpenAI.completion(text: " B", topLogprobs: [(" B", -0.2), (" A", -2.0), (" Yes", -1.5), (" the", -3)]))
            default:
                return .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", server.baseURL + "/v1",
                "--limit", "30", "--output", out, "--json", "--api-key-env", "CL_TEST_KEY",
            ],
            environment: ["CULTURELENS_HOME": home, "CL_TEST_KEY": "sk-secret-test-key"]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["scoring"] as? String == "logprobs")
        #expect(run["api"] as? String == "completions")
        let summary = try #require(document["summary"] as? [String: Any])
        let perCulture = try #require(summary["per_culture"] as? [[String: Any]])
        #expect(perCulture.count >= 15)
        for group in perCulture {
            let accuracy = try #require(group["accuracy"] as? [String: Any])
            #expect(accuracy["n"] is Int && accuracy["ci_low"] is Double && accuracy["ci_high"] is Double)
        }
        let resultsFile = try String(contentsOfFile: out + "/results.json", encoding: .utf8)
        let samples = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8)
        #expect(samples.split(separator: "\n").count == 30)
        // The API key reaches the server as a bearer token and nowhere else.
        #expect(server.requests.contains { $0.header("Authorization") == "Bearer sk-secret-test-key" })
        for text in [resultsFile, samples, output.stdout, output.stderr] {
            #expect(!text.contains("sk-secret-test-key"))
        }
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: home + "/culturelens.sqlite" + suffix))) ?? Data()
            #expect(bytes.range(of: Data("sk-secret-test-key".utf8)) == nil)
        }
    }
}

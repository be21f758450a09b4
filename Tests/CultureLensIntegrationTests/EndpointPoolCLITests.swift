import CultureLensTesting
import Foundation
import Testing

/// `culturelens run` with several `--base-url`s, rate limits and the adaptive switch.
struct EndpointPoolCLITests {
    @Test func runOverTwoEndpointsSucceedsWhenOneIsDeadAndSummarisesEachEndpoint() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        let server = try await ScriptedHTTPServer.start { request in
            request.path == "/v1/completions"
                ? .json(FakeOpenAI.completion(text: " B", topLogprobs: [(" B", -0.2), (" A", -2.0), (" Yes", -1.5)]))
                : .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
        }
        defer { Task { try? await server.shutdown() } }
        // Port 9 (discard) on loopback: nothing listens there. AsyncHTTPClient retries a refused connection until
        // its connect timeout, so the probe's first attempt fails after 3 s; the read timeout stays at its default
        // so that a loaded machine cannot time out the healthy endpoint too.
        let dead = "http://127.0.0.1:9/v1"
        let output = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", dead, "--base-url", server.baseURL + "/v1",
                "--limit", "20", "--json", "--rpm", "6000", "--connect-timeout", "3", "--no-card",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stderr.split(separator: "\n").filter { $0.hasPrefix("endpoint ") }
        #expect(lines.count == 2, "\(output.stderr)")
        // Down, or probing if its cooldown just ended; never up.
        #expect(lines.first?.hasPrefix("endpoint \(dead): ") == true, "\(lines)")
        #expect(lines.first?.hasPrefix("endpoint \(dead): up") == false, "\(lines)")
        #expect(lines.last?.hasPrefix("endpoint \(server.baseURL)/v1: up") == true, "\(lines)")
        #expect(lines.last?.contains("ok 21") == true, "the probe and 20 items: \(lines)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["endpoint"] as? String == "\(dead),\(server.baseURL)/v1")
    }

    @Test func rateLimitsMustBePositiveAndNeedARemoteEndpoint() async throws {
        let zero = try await CLIProcess.run([
            "run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--rpm", "0",
        ])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--rpm must be positive"))
        let local = try await CLIProcess.run(["run", "starter", "--tpm", "1000"])
        #expect(local.status == 2)
        #expect(local.stderr.contains("--base-url endpoints"))
        let notAURL = try await CLIProcess.run([
            "run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--base-url", "nope",
        ])
        #expect(notAURL.status == 2)
        #expect(notAURL.stderr.contains("--base-url 'nope' is not a URL"))
        let noConnect = try await CLIProcess.run([
            "run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--connect-timeout", "0",
        ])
        #expect(noConnect.status == 2)
        #expect(noConnect.stderr.contains("--connect-timeout must be positive"))
    }
}

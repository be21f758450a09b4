import CultureLensCore
import CultureLensTesting
import Foundation
import Testing

/// `culturelens run --batch` as a user runs it: the built binary against ``FakeOpenAIBatchServer``.
struct BatchCLITests {
    static let key = "sk-batch-cli-secret"

    static func answer(_ api: ModelAPI, _ prompt: String) -> String {
        let pick = prompt.utf8.reduce(0 as UInt64) { $0 &* 31 &+ UInt64($1) } % 2 == 0 ? " A" : " B"
        let top: [(String, Double)] = [(pick, -0.1), (pick == " A" ? " B" : " A", -2.4), (" Yes", -3.0), (" No", -3.5)]
        return api == .chat
            ? FakeOpenAI.chatCompletion(text: pick, topLogprobs: top)
            : FakeOpenAI.completion(text: pick, topLogprobs: top)
    }

    static func arguments(_ server: ScriptedHTTPServer, output: String, _ extra: [String]) -> [String] {
        [
            "run", "starter", "--model", "fake-model", "--base-url", server.baseURL + "/v1", "--api", "completions",
            "--scoring", "logprobs", "--limit", "20", "--output", output, "--api-key-env", "CL_BATCH_KEY",
            "--batch-poll-interval", "0.05",
        ] + extra
    }

    @Test func batchWithTheLocalModelIsAUsageError() async throws {
        let output = try await CLIProcess.run(["run", "starter", "--batch"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--batch needs a provider with a batch API"))
        let modifiers = try await CLIProcess.run(["run", "starter", "--batch-no-fallback"])
        #expect(modifiers.status == 2)
        #expect(modifiers.stderr.contains("apply only with --batch"))
    }

    @Test func submitOnlyThenCollectScoresEveryItemFromOneBatch() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        let out = try CLIProcess.temporaryDirectory("out")
        let fake = FakeOpenAIBatchServer(behaviour: .init(pollsPerPhase: 2, apiKey: Self.key), answer: Self.answer)
        let server = try await fake.start()
        let environment = ["CULTURELENS_HOME": home, "CL_BATCH_KEY": Self.key]

        // 1. Submit only: the batch is uploaded and created, the state recorded, and the command exits at once.
        let submitted = try await CLIProcess.run(
            Self.arguments(server, output: out, ["--batch", "--batch-submit-only"]),
            environment: environment
        )
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stderr.contains("20 distinct request(s), 0 already cached"))
        #expect(submitted.stderr.contains("submitted; run the same command again"))
        #expect(fake.counters.uploads == 1 && fake.counters.batchCreates == 1)
        let stateText = try String(contentsOfFile: out + "/batch-state.json", encoding: .utf8)
        #expect(stateText.contains("batch_"))
        #expect(!FileManager.default.fileExists(atPath: out + "/results.json"))

        // 2. The same command without --batch-submit-only resumes: no new upload, waits, downloads, scores.
        let collected = try await CLIProcess.run(
            Self.arguments(server, output: out, ["--batch", "--json"]),
            environment: environment
        )
        #expect(collected.status == 0, "\(collected.stderr)")
        #expect(collected.stderr.contains("resuming 1 batch(es)"))
        #expect(collected.stderr.contains(": completed"))
        #expect(collected.stderr.contains("20 answered by the batch, 0 sent interactively, 0 recorded as failures"))
        #expect(fake.counters.uploads == 1 && fake.counters.batchCreates == 1)
        #expect(fake.counters.interactive == 0)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(collected.stdout.utf8)) as? [String: Any]
        )
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["done"] as? Int == 20)
        let samples = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8)
        #expect(samples.split(separator: "\n").count == 20)

        // 3. Again: everything is cached, nothing is submitted.
        let again = try await CLIProcess.run(Self.arguments(server, output: out, ["--batch"]), environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("nothing to submit"))
        #expect(fake.counters.uploads == 1)

        let finalState = try String(contentsOfFile: out + "/batch-state.json", encoding: .utf8)
        let results = try String(contentsOfFile: out + "/results.json", encoding: .utf8)
        for text in [
            stateText, finalState, results, samples, submitted.stderr, collected.stdout, collected.stderr, again.stderr,
        ] {
            #expect(!text.contains(Self.key))
        }
        #expect(finalState.contains(#""collected" : true"#))
        try await server.shutdown()
    }

    @Test func unansweredLinesAreFailuresWithoutFallbackAndInteractiveWithIt() async throws {
        let home = try CLIProcess.temporaryDirectory("home")
        let out = try CLIProcess.temporaryDirectory("out")
        let behaviour = FakeOpenAIBatchServer.Behaviour(
            reverseOutput: true,
            apiKey: Self.key,
            fate: { prompt in prompt.contains("Japan") || prompt.contains("Brazil") ? .httpError(status: 500) : .answer
            }
        )
        let fake = FakeOpenAIBatchServer(behaviour: behaviour, answer: Self.answer)
        let server = try await fake.start()
        let environment = ["CULTURELENS_HOME": home, "CL_BATCH_KEY": Self.key]

        let strict = try await CLIProcess.run(
            Self.arguments(server, output: out, ["--batch", "--batch-no-fallback"]),
            environment: environment
        )
        #expect(strict.status == 1, "\(strict.stderr)")
        #expect(strict.stderr.contains("not answered (http_5xx:"))
        #expect(strict.stderr.contains("recording the"))
        #expect(strict.stderr.contains("failed after every retry; run the same command again"))
        #expect(fake.counters.interactive == 0)
        let failed = fake.counters.batchCreates == 1 ? try Self.failedCount(strict.stderr) : -1
        #expect(failed > 0)

        // The run completed, so the batch is collected: the re-run submits a new batch for the failed requests
        // only, whose lines fail again and go out interactively.
        let fallback = try await CLIProcess.run(
            Self.arguments(server, output: out, ["--batch"]),
            environment: environment
        )
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stderr.contains("\(20 - failed) already cached"))
        #expect(fallback.stderr.contains("sending the \(failed) unanswered request(s) interactively"))
        #expect(fake.counters.uploads == 2)
        #expect(fake.counters.interactive == failed)
        try await server.shutdown()
    }

    /// The count in `batch: N answered, M not answered`.
    static func failedCount(_ stderr: String) throws -> Int {
        let line = try #require(stderr.split(separator: "\n").first { $0.contains(" not answered") })
        let words = line.split(separator: " ")
        let index = try #require(words.firstIndex(of: "not"))
        return try #require(Int(words[index - 1]))
    }
}

import CultureLensTesting
import Foundation
import Testing

/// `culturelens run --provider anthropic` as a user runs it: the built binary against ``FakeAnthropicServer``, which
/// refuses wrong headers and body shapes with 400 (so a run that scores every item sent only well-formed requests).
struct AnthropicCLITests {
    static let key = "sk-ant-cli-secret"

    /// Four items, gold answers A, A, B, C: a model answering A scores 2 of 4.
    static let items = """
        {"id": "q1", "question": "Which is alpha?", "choices": ["alpha", "beta", "gamma"], "answer": "A"}
        {"id": "q2", "question": "Which is first?", "choices": ["one", "two", "three"], "answer": "A"}
        {"id": "q3", "question": "Which is beta?", "choices": ["alpha", "beta", "gamma"], "answer": "B"}
        {"id": "q4", "question": "Which is gamma?", "choices": ["alpha", "beta", "gamma"], "answer": "C"}
        """

    /// A fake whose batches answer every item "A" but error on beta and let gamma expire.
    static func batchFake(pollsInProgress: Int = 1) -> FakeAnthropicServer {
        FakeAnthropicServer(
            behaviour: .init(apiKey: key, pollsInProgress: pollsInProgress) { prompt in
                if prompt.contains("Which is beta?") { return .errored(type: "invalid_request_error") }
                if prompt.contains("Which is gamma?") { return .expired }
                return .succeeded
            }
        ) { _, _ in "Answer: A" }
    }

    static func arguments(_ server: ScriptedHTTPServer, data: URL, _ extra: [String]) -> [String] {
        [
            "run", "mcq-jsonl", "--data", data.path, "--provider", "anthropic", "--model", "claude-test",
            "--base-url", server.baseURL, "--no-card",
        ] + extra
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every file under `directory` and the store, as text, for the key check.
    static func writtenTexts(_ directories: [String]) -> [String] {
        directories.flatMap { directory in
            (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).compactMap { path in
                (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))).map {
                    String(decoding: $0, as: UTF8.self)
                }
            }
        }
    }

    @Test func runScoresGeneratedAnswersAndKeepsTheKeyOutOfEveryFile() async throws {
        let home = try CLIProcess.temporaryDirectory("anthropic-home")
        let out = try CLIProcess.temporaryDirectory("anthropic-out")
        let data = try BenchmarkFixtures.write(Self.items, named: "items.jsonl")
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { _, _ in "Answer: A" }
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            Self.arguments(server, data: data, ["--json", "--output", out]),
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(output.status == 0, "\(output.stderr)")
        #expect(fake.counters.rejected == 0, "\(fake.rejections)")
        #expect(fake.counters.messages == 4)
        let document = try Self.json(output.stdout)
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["scoring"] as? String == "generate")
        #expect(run["api"] as? String == "chat")
        let metrics = try #require(document["metrics"] as? [String: Any])
        let headline = try #require(metrics["headline"] as? [String: Any])
        #expect(headline["n"] as? Int == 4 && headline["successes"] as? Int == 2)
        for text in Self.writtenTexts([home, out]) + [output.stdout, output.stderr] {
            #expect(!text.contains(Self.key))
        }
    }

    @Test func logprobScoringAndAMissingKeyAreRefusedBeforeAnyRequest() async throws {
        let data = try BenchmarkFixtures.write(Self.items, named: "items.jsonl")
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { _, _ in "Answer: A" }
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let home = try CLIProcess.temporaryDirectory("anthropic-refused")
        let logprobs = try await CLIProcess.run(
            Self.arguments(server, data: data, ["--scoring", "logprobs"]),
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(logprobs.status == 2)
        #expect(
            logprobs.stderr.contains("Anthropic's Messages API returns no log-probabilities: use --scoring generate")
        )
        let noKey = try await CLIProcess.run(
            Self.arguments(server, data: data, []),
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": ""]
        )
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("ANTHROPIC_API_KEY is not set"), "\(noKey.stderr)")
        let otherVariable = try await CLIProcess.run(
            Self.arguments(server, data: data, ["--api-key-env", "CL_CLAUDE_KEY"]),
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(otherVariable.status == 2)
        #expect(otherVariable.stderr.contains("CL_CLAUDE_KEY is not set"))
        #expect(fake.counters.requests == 0)
    }

    /// `--batch --batch-no-fallback`: the errored and expired requests are recorded as failures of their kinds, and
    /// nothing is sent interactively.
    @Test func batchWithoutFallbackRecordsUnansweredRequestsAsFailures() async throws {
        let home = try CLIProcess.temporaryDirectory("anthropic-strict-home")
        let data = try BenchmarkFixtures.write(Self.items, named: "items.jsonl")
        let fake = Self.batchFake()
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let strict = try await CLIProcess.run(
            Self.arguments(server, data: data, ["--batch", "--batch-no-fallback", "--batch-poll-interval", "0.05"]),
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(strict.status == 1, "\(strict.stderr)")
        #expect(strict.stderr.contains("recording the 2 unanswered request(s) as failures"), "\(strict.stderr)")
        #expect(strict.stderr.contains("2 answered by the batch, 0 sent interactively, 2 recorded as failures"))
        #expect(fake.counters.batchCreates == 1 && fake.counters.messages == 0)
    }

    /// Two `--base-url`s through the endpoint pool: one always overloaded (529), the other answers everything.
    @Test func anOverloadedEndpointIsFailedOverInThePool() async throws {
        let home = try CLIProcess.temporaryDirectory("anthropic-pool")
        let data = try BenchmarkFixtures.write(Self.items, named: "items.jsonl")
        let overloaded = try await ScriptedHTTPServer.start { _ in
            .respond(
                status: 529,
                body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
            )
        }
        defer { Task { try? await overloaded.shutdown() } }
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { _, _ in "Answer: A" }
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "mcq-jsonl", "--data", data.path, "--provider", "anthropic", "--model", "claude-test",
                "--base-url", overloaded.baseURL, "--base-url", server.baseURL, "--no-card", "--json",
            ],
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let metrics = try #require(try Self.json(output.stdout)["metrics"] as? [String: Any])
        let headline = try #require(metrics["headline"] as? [String: Any])
        #expect(headline["n"] as? Int == 4 && headline["successes"] as? Int == 2)
        #expect(fake.counters.messages == 4 && fake.counters.rejected == 0)
        let lines = output.stderr.split(separator: "\n").filter { $0.hasPrefix("endpoint ") }
        #expect(lines.count == 2, "\(output.stderr)")
        #expect(lines.last?.hasPrefix("endpoint \(server.baseURL): up") == true, "\(lines)")
    }

    @Test func batchLimitsAndEnqueueFollowTheProvider() async throws {
        let environment = ["ANTHROPIC_API_KEY": Self.key]
        let base = ["run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9"]
        let openAI = try await CLIProcess.run(base + ["--batch", "--batch-max-requests", "60000"])
        #expect(openAI.status == 2)
        #expect(openAI.stderr.contains("--batch-max-requests must be 1...50000 with --provider openai"))
        let anthropic = ["--provider", "anthropic", "--batch", "--batch-max-requests"]
        let tooMany = try await CLIProcess.run(base + anthropic + ["100001"], environment: environment)
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.contains("must be 1...100000 with --provider anthropic"), "\(tooMany.stderr)")
        let enqueue = try await CLIProcess.run(
            base + ["--provider", "anthropic", "--enqueue", "--store", "postgres://u@127.0.0.1:9/db"],
            environment: environment
        )
        #expect(enqueue.status == 2)
        #expect(enqueue.stderr.contains("--enqueue works with OpenAI-compatible servers only"), "\(enqueue.stderr)")
    }

    /// A persona run: the suite's system message, and the persona's, arrive as the top-level `system`.
    @Test func personaSystemPromptsArriveTopLevel() async throws {
        let home = try CLIProcess.temporaryDirectory("anthropic-persona")
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { _, _ in "3" }
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "inglehart-welzel", "--steer", "countries=JP", "--provider", "anthropic", "--model",
                "claude-test",
                "--base-url", server.baseURL, "--no-card",
            ],
            environment: ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        )
        #expect(output.status == 0, "\(output.stderr)")
        #expect(fake.counters.rejected == 0, "\(fake.rejections)")
        let systems = fake.systems
        #expect(!systems.isEmpty && systems.allSatisfy { $0 != nil })
        #expect(systems.contains { $0?.contains("born in Japan") == true }, "\(systems)")
    }

    /// `--batch`: submit only, then the same command collects the one recorded batch; an errored and an expired
    /// request are counted and sent interactively.
    @Test func batchSubmitOnlyThenCollectResumesTheRecordedBatch() async throws {
        let home = try CLIProcess.temporaryDirectory("anthropic-batch-home")
        let out = try CLIProcess.temporaryDirectory("anthropic-batch-out")
        let data = try BenchmarkFixtures.write(Self.items, named: "items.jsonl")
        let fake = Self.batchFake(pollsInProgress: 2)
        let server = try await fake.start()
        defer { Task { try? await server.shutdown() } }
        let environment = ["CULTURELENS_HOME": home, "ANTHROPIC_API_KEY": Self.key]
        let batch = ["--batch", "--batch-poll-interval", "0.05", "--output", out]

        let submitted = try await CLIProcess.run(
            Self.arguments(server, data: data, batch + ["--batch-submit-only"]),
            environment: environment
        )
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stderr.contains("4 distinct request(s), 0 already cached"))
        #expect(submitted.stderr.contains("msgbatch_1: in_progress"), "\(submitted.stderr)")
        #expect(fake.counters.batchCreates == 1 && fake.counters.messages == 0)

        let collected = try await CLIProcess.run(
            Self.arguments(server, data: data, batch + ["--json"]),
            environment: environment
        )
        #expect(collected.status == 0, "\(collected.stderr)")
        #expect(collected.stderr.contains("resuming 1 batch(es)"))
        #expect(collected.stderr.contains(": ended, 2/4 done, 2 failed"), "\(collected.stderr)")
        #expect(collected.stderr.contains("batch: 2 answered, 2 not answered (http_4xx: 1, timeout: 1;"))
        #expect(collected.stderr.contains("2 answered by the batch, 2 sent interactively, 0 recorded as failures"))
        #expect(fake.counters.batchCreates == 1)
        #expect(fake.counters.messages == 2)
        #expect(fake.counters.rejected == 0, "\(fake.rejections)")
        let metrics = try #require(try Self.json(collected.stdout)["metrics"] as? [String: Any])
        let headline = try #require(metrics["headline"] as? [String: Any])
        #expect(headline["n"] as? Int == 4 && headline["successes"] as? Int == 2)
        let state = try String(contentsOfFile: out + "/batch-state.json", encoding: .utf8)
        #expect(state.contains("msgbatch_1") && state.contains(#""collected" : true"#))
        for text in Self.writtenTexts([home, out]) + [submitted.stderr, collected.stdout, collected.stderr] {
            #expect(!text.contains(Self.key))
        }
    }
}

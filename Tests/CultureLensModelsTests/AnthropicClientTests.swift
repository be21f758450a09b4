import CultureLensCore
import CultureLensModels
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// ``AnthropicClient`` against ``FakeAnthropicServer`` (which refuses wrong headers and body shapes) and scripted
/// servers: the Messages body, decoding, error classification, rate-limit waits on an injected clock, and the
/// Message Batches flow through ``BatchCoordinator``.
struct AnthropicClientTests {
    static let key = "sk-ant-test-secret"

    /// Fast retries without jitter, so every wait is exact.
    static let retry = RetryStateMachine.Configuration(
        maxAttempts: 4,
        baseDelay: 0.5,
        multiplier: 2,
        maxDelay: 10,
        jitter: 0,
        maxRetryAfter: 60
    )

    static func client(
        _ server: ScriptedHTTPServer,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> AnthropicClient {
        AnthropicClient(
            configuration: .init(baseURL: server.baseURL, model: "claude-test", apiKey: key, retry: retry),
            clock: clock,
            now: now
        )
    }

    static func body(_ request: ModelRequest) throws -> [String: Any] {
        let data = AnthropicClient.requestBody(for: request, model: "claude-test")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    // MARK: - Body and response

    @Test func systemMessagesGoTopLevelAndTurnsAlternate() throws {
        let request = ModelRequest(
            api: .chat,
            messages: [
                .system("You are a survey respondent."),
                .user("Example question?"),
                .assistant("Answer: B"),
                .system("Answer with one letter."),
                .user("Real question?"),
                ChatMessage(
                    role: .user,
                    content: [.image(ImageReference(url: "data:image/png;base64,iVBORw0K")), .text("And this?")]
                ),
            ],
            maxTokens: 16,
            temperature: 0,
            topLogprobs: nil,
            seed: 7
        )
        let body = try Self.body(request)
        #expect(body["model"] as? String == "claude-test")
        #expect(body["max_tokens"] as? Int == 16)
        #expect(body["temperature"] as? Double == 0)
        #expect(body["system"] as? String == "You are a survey respondent.\n\nAnswer with one letter.")
        #expect(body["seed"] == nil && body["logprobs"] == nil && body["top_logprobs"] == nil)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        #expect(messages[0]["content"] as? String == "Example question?")
        let blocks = try #require(messages[2]["content"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["text", "image", "text"])
        let source = try #require(blocks[1]["source"] as? [String: Any])
        #expect(source["type"] as? String == "base64")
        #expect(source["media_type"] as? String == "image/png")
        #expect(source["data"] as? String == "iVBORw0K")
    }

    @Test func requestsTheAPICannotAnswerAreRefused() {
        let logprobs = ModelRequest(api: .chat, prompt: "Q?", maxTokens: 1, topLogprobs: 5)
        #expect(AnthropicClient.unsupportedContent(in: logprobs)?.detail == AnthropicClient.noLogprobsMessage)
        let completions = ModelRequest(api: .completions, prompt: "Q?", maxTokens: 1, topLogprobs: nil)
        #expect(AnthropicClient.unsupportedContent(in: completions)?.detail.contains("chat API") == true)
        let ftp = ModelRequest(
            api: .chat,
            messages: [ChatMessage(role: .user, content: [.image(ImageReference(url: "ftp://x/y.png"))])],
            maxTokens: 1,
            topLogprobs: nil
        )
        #expect(AnthropicClient.unsupportedContent(in: ftp)?.kind == .clientError)
        let plain = ModelRequest(api: .chat, prompt: "Q?", maxTokens: 1, topLogprobs: nil)
        #expect(AnthropicClient.unsupportedContent(in: plain) == nil)
    }

    @Test func textBlocksAreConcatenatedAndStopReasonsMapped() throws {
        let body = Data(
            #"""
            {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Answer: "},
            {"type":"tool_use","id":"t","name":"x","input":{}},{"type":"text","text":"C"}],"stop_reason":"max_tokens",
            "usage":{"input_tokens":3,"output_tokens":2}}
            """#.utf8
        )
        let response = try AnthropicClient.decodeResponse(body)
        #expect(response.text == "Answer: C")
        #expect(response.finishReason == "length")
        #expect(response.firstTokenTopLogprobs == nil)
        #expect(throws: ModelFailure.self) { try AnthropicClient.decodeResponse(Data("{\"content\":3}".utf8)) }
    }

    // MARK: - Failures

    @Test func errorsAreClassifiedByStatusAndKeepTheirMessage() {
        func failure(_ status: Int, _ type: String) -> ModelFailure {
            let body = Data(#"{"type":"error","error":{"type":"\#(type)","message":"scripted \#(type)"}}"#.utf8)
            return AnthropicClient.failure(status: status, body: body, header: { _ in nil }, now: Date())
        }
        let rateLimited = failure(429, "rate_limit_error")
        #expect(rateLimited.kind == .rateLimited && rateLimited.isRetryable)
        let overloaded = failure(529, "overloaded_error")
        #expect(overloaded.kind == .serverError && overloaded.isRetryable)
        #expect(overloaded.detail == "HTTP 529 overloaded_error: scripted overloaded_error")
        #expect(failure(500, "api_error").isRetryable)
        for (status, type) in [
            (400, "invalid_request_error"), (401, "authentication_error"), (403, "permission_error"),
            (404, "not_found_error"),
        ] {
            let refused = failure(status, type)
            #expect(refused.kind == .clientError && !refused.isRetryable, "\(status)")
            #expect(refused.detail.contains(type) && refused.detail.contains("scripted"))
        }
    }

    @Test func retryAfterWinsOverExhaustedLimitResets() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func delay(_ headers: [String: String]) -> Double? {
            AnthropicClient.retryDelay(header: { headers[$0] }, now: now)
        }
        let inTwelve = "2027-01-15T08:00:12Z"
        #expect(
            delay([
                "retry-after": "7", "anthropic-ratelimit-requests-remaining": "0",
                "anthropic-ratelimit-requests-reset": inTwelve,
            ]) == 7
        )
        #expect(
            delay(["anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": inTwelve])
                == 12
        )
        // A limit with room left says nothing; of two exhausted limits the later reset counts.
        #expect(
            delay([
                "anthropic-ratelimit-requests-remaining": "3", "anthropic-ratelimit-requests-reset": inTwelve,
            ]) == nil
        )
        #expect(
            delay([
                "anthropic-ratelimit-requests-remaining": "0",
                "anthropic-ratelimit-requests-reset": "2027-01-15T08:00:02.500Z",
                "anthropic-ratelimit-tokens-remaining": "0", "anthropic-ratelimit-tokens-reset": inTwelve,
            ]) == 12
        )
        #expect(delay([:]) == nil)
    }

    /// 429 with `retry-after`, then 529, then 429 with an exhausted request limit: each is retried after the wait it
    /// asks for, slept on the injected clock.
    @Test func rateLimitsAndOverloadAreRetriedOnTheInjectedClock() async throws {
        let calls = Mutex(0)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let server = try await ScriptedHTTPServer.start { request in
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            let error = { (status: Int, type: String, headers: [(String, String)]) -> ScriptedAction in
                .respond(
                    status: status,
                    headers: [("Content-Type", "application/json")] + headers,
                    body: #"{"type":"error","error":{"type":"\#(type)","message":"try later"}}"#
                )
            }
            switch call {
            case 1: return error(429, "rate_limit_error", [("retry-after", "3")])
            case 2: return error(529, "overloaded_error", [])
            case 3:
                return error(
                    429,
                    "rate_limit_error",
                    [
                        ("anthropic-ratelimit-requests-remaining", "0"),
                        ("anthropic-ratelimit-requests-reset", "2027-01-15T08:00:05Z"),
                    ]
                )
            default:
                return .json(
                    #"{"type":"message","content":[{"type":"text","text":"Answer: A"}],"stop_reason":"end_turn"}"#
                )
            }
        }
        let clock = TestClock()
        let client = Self.client(server, clock: clock, now: { now })
        let reply = try await clock.run {
            try await client.send(ModelRequest(api: .chat, prompt: "Q?", maxTokens: 8, topLogprobs: nil))
        }
        #expect(reply.response.text == "Answer: A")
        #expect(reply.attempts == 4)
        // retry-after 3 s over the 0.5 s back-off, the 1 s back-off after 529, the 5 s to the reset over 2 s.
        #expect(clock.sleeps == [.seconds(3), .seconds(1), .seconds(5)])
        for request in server.requests {
            #expect(request.header("x-api-key") == Self.key)
            #expect(request.header("anthropic-version") == "2023-06-01")
            #expect(request.header("content-type") == "application/json")
            #expect(request.header("authorization") == nil)
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func refusedRequestsAreNotRetriedAndNeverCarryTheKey() async throws {
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: "another-key")) { _, _ in "Answer: A" }
        let server = try await fake.start()
        let client = Self.client(server)
        let failure = try await #require(throws: ModelFailure.self) {
            try await client.send(ModelRequest(api: .chat, prompt: "Q?", maxTokens: 8, topLogprobs: nil))
        }
        #expect(failure.kind == .clientError && failure.status == 401 && failure.attempts == 1)
        #expect(failure.detail.contains("authentication_error: invalid x-api-key"))
        #expect(!failure.description.contains(Self.key))
        // Logprobs are refused before anything is sent.
        let before = fake.counters.requests
        let refused = try await #require(throws: ModelFailure.self) {
            try await client.send(ModelRequest(api: .chat, prompt: "Q?", maxTokens: 1, topLogprobs: 5))
        }
        #expect(refused.detail == AnthropicClient.noLogprobsMessage)
        #expect(fake.counters.requests == before)
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func theFakeAcceptsTheClientsBodiesAndSeesTheSystemPrompt() async throws {
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { system, prompt in
            system == nil ? "Answer: A" : "Answer: B (\(prompt))"
        }
        let server = try await fake.start()
        let client = Self.client(server)
        let plain = try await client.send(ModelRequest(api: .chat, prompt: "Q1?", maxTokens: 8, topLogprobs: nil))
        #expect(plain.response.text == "Answer: A")
        #expect(plain.usage == TokenUsage(promptTokens: 12, completionTokens: 3), "usage's input and output tokens")
        #expect(AnthropicClient.usage(in: Data(#"{"usage": {"input_tokens": "many"}}"#.utf8)) == nil)
        let persona = try await client.send(
            ModelRequest(
                api: .chat,
                messages: [.system("You live in Japan."), .user("Q2?")],
                maxTokens: 8,
                topLogprobs: nil
            )
        )
        #expect(persona.response.text == "Answer: B (Q2?)")
        #expect(fake.systems == [nil, "You live in Japan."])
        #expect(fake.counters.rejected == 0 && fake.counters.messages == 2)
        try await client.shutdown()
        try await server.shutdown()
    }

    /// The fake is strict: what the real API refuses, it refuses with 400 (or 401), so passing runs prove shape.
    @Test func theFakeRefusesWrongHeadersAndBodies() {
        let fake = FakeAnthropicServer(behaviour: .init(apiKey: Self.key)) { _, _ in "Answer: A" }
        let good = [("x-api-key", Self.key), ("anthropic-version", "2023-06-01"), ("content-type", "application/json")]
        func status(_ headers: [(String, String)], _ body: String, path: String = "/v1/messages") -> Int? {
            let request = ScriptedRequest(method: "POST", uri: path, headers: headers, body: Array(body.utf8))
            if case .respond(let status, _, _) = fake.handle(request) { return status }
            return nil
        }
        let valid = #"{"model":"m","max_tokens":4,"system":"s","messages":[{"role":"user","content":"Q?"}]}"#
        #expect(status(good, valid) == 200)
        #expect(status(Array(good.dropFirst()), valid) == 401)
        #expect(status([good[0], ("anthropic-version", "2024-01-01"), good[2]], valid) == 400)
        #expect(status([good[0], good[1]], valid) == 400)
        for body in [
            #"{"model":"m","messages":[{"role":"user","content":"Q?"}]}"#,
            #"{"model":"m","max_tokens":4,"messages":[{"role":"system","content":"s"},{"role":"user","content":"Q?"}]}"#,
            #"{"model":"m","max_tokens":4,"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}"#,
            #"{"model":"m","max_tokens":4,"logprobs":true,"messages":[{"role":"user","content":"Q?"}]}"#,
            #"{"model":"m","max_tokens":4,"system":[1],"messages":[{"role":"user","content":"Q?"}]}"#,
        ] {
            #expect(status(good, body) == 400, "\(body)")
        }
        let badID = #"{"requests":[{"custom_id":"a b","params":\#(valid)}]}"#
        #expect(status(good, badID, path: "/v1/messages/batches") == 400)
        #expect(fake.counters.rejected == 9 && fake.counters.messages == 1)
    }

    // MARK: - Message Batches

    @Test func batchesAreSubmittedPolledCollectedAndResumed() async throws {
        let fake = FakeAnthropicServer(
            behaviour: .init(apiKey: Self.key, pollsInProgress: 2) { prompt in
                switch prompt {
                case "Q3?": .errored(type: "invalid_request_error")
                case "Q4?": .expired
                case "Q5?": .canceled
                default: .succeeded
                }
            }
        ) { _, prompt in "Answer: \(prompt)" }
        let server = try await fake.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anthropic-batch-\(UUID())")
        let configuration = BatchCoordinator.Configuration(
            stateFile: directory.appendingPathComponent(BatchJobState.fileName),
            runID: "run-a",
            model: "claude-test",
            endpoint: server.baseURL,
            pollInterval: .milliseconds(10),
            maxRequestsPerBatch: AnthropicClient.maxBatchRequests
        )
        let requests = (1...6).map { ModelRequest(api: .chat, prompt: "Q\($0)?", maxTokens: 8, topLogprobs: nil) }
        let client = Self.client(server)

        // Submit, then a fresh coordinator (a new invocation) resumes the recorded batch instead of creating one.
        let submitted = try #require(
            try await BatchCoordinator(provider: client, configuration: configuration).submit(requests)
        )
        #expect(submitted.jobs.count == 1 && submitted.jobs[0].batchID == "msgbatch_1")
        #expect(submitted.jobs[0].inputFileID == nil)
        let coordinator = BatchCoordinator(provider: client, configuration: configuration)
        let resumed = try #require(try await coordinator.submit(requests))
        #expect(fake.counters.batchCreates == 1)
        let finished = try await coordinator.wait(resumed)
        #expect(finished.jobs[0].status == "ended")
        let counts = try #require(finished.jobs[0].requestCounts)
        #expect(counts.total == 6 && counts.completed == 3 && counts.failed == 3)
        #expect(finished.jobs[0].resultsURL?.hasSuffix("/v1/messages/batches/msgbatch_1/results") == true)

        let collection = try await coordinator.collect(finished)
        #expect(collection.answered == 3 && collection.failed == 3 && collection.missing == 0)
        #expect(collection.failuresByKind == [.clientError: 1, .timeout: 1, .serverError: 1])
        let key = requests[0].cacheKey(model: "claude-test")
        #expect(try collection.results[key]?.get().text == "Answer: Q1?")
        let errored = requests[2].cacheKey(model: "claude-test")
        guard case .failure(let failure)? = collection.results[errored] else {
            Issue.record("Q3 should have failed")
            return
        }
        #expect(failure.detail.contains("invalid_request_error"))
        #expect(fake.counters.rejected == 0)
        for request in server.requests {
            #expect(request.header("x-api-key") == Self.key && request.header("anthropic-version") == "2023-06-01")
        }
        let state = try String(contentsOf: configuration.stateFile, encoding: .utf8)
        #expect(!state.contains(Self.key))
        #expect(state.contains("msgbatch_1"))
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func resultsLinesAreReadLikeTheAPIWritesThem() throws {
        let data = Data(
            """
            {"custom_id":"a","result":{"type":"succeeded","message":{"type":"message","content":[{"type":"text","text":"Answer: D"}],"stop_reason":"end_turn"}}}
            {"custom_id":"b","result":{"type":"errored","error":{"type":"error","error":{"type":"overloaded_error","message":"busy"}}}}
            {"custom_id":"c","result":{"type":"errored","error":{"type":"rate_limit_error","message":"flat"}}}
            not json

            {"result":{"type":"expired"}}
            """.utf8
        )
        let parsed = AnthropicClient.parseResults(data, file: "results")
        #expect(parsed.lines == 5)
        #expect(try parsed.results["a"]?.get().text == "Answer: D")
        guard case .failure(let overloaded)? = parsed.results["b"], case .failure(let limited)? = parsed.results["c"]
        else {
            Issue.record("b and c should be failures")
            return
        }
        #expect(overloaded.kind == .serverError && overloaded.detail.contains("busy"))
        #expect(limited.kind == .rateLimited)
        #expect(parsed.problems.map(\.line) == [4, 6])
    }
}

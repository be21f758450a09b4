import CultureLensCore
import CultureLensDatasets
import CultureLensModels
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// Fault-injection tests of the real ``OpenAIClient`` (AsyncHTTPClient) against the real ``ScriptedHTTPServer``
/// (a NIO HTTP/1.1 server on 127.0.0.1): response shapes, retries, timeouts, broken bodies and an end-to-end run.
struct OpenAIClientFaultTests {
    /// Fast retries: 3 attempts, 10 ms then 20 ms between them, no jitter, `Retry-After` honoured up to 5 s.
    static let fastRetry = RetryStateMachine.Configuration(
        maxAttempts: 3,
        baseDelay: 0.01,
        multiplier: 2,
        maxDelay: 0.05,
        jitter: 0,
        maxRetryAfter: 5
    )

    static let letters: [(String, Double)] = [(" A", -0.1), (" B", -2.5), (" C", -3.0), (" D", -4.5)]

    // MARK: - 1. Response shapes and request bodies

    @Test func completionsResponseParsesAndRequestBodyIsAsSpecified() async throws {
        let top: [(String, Double)] = [(" B", -0.2), (" A", -1.7), (" C", -3.25), (" D", -6.5)]
        let reply = try await Self.withClient(
            apiKey: "KEY",
            handler: { _ in .json(FakeOpenAI.completion(text: " B", topLogprobs: top)) }
        ) { client, server in
            let reply = try await client.send(Self.request(.completions, prompt: "Question: 1+1?\nAnswer:"))
            let seen = try #require(server.requests.first)
            #expect(server.requestCount == 1)
            #expect(seen.method == "POST")
            #expect(seen.path == "/v1/completions")
            #expect(seen.header("Authorization") == "Bearer KEY")
            #expect(seen.header("Content-Type") == "application/json")
            let body = try JSONDecoder().decode(CompletionWire.self, from: Data(seen.body))
            #expect(body.model == "fake-model")
            #expect(body.prompt == "Question: 1+1?\nAnswer:")
            #expect(body.max_tokens == 1)
            #expect(body.logprobs == 20)
            #expect(body.temperature == 0)
            #expect(!seen.bodyString.contains("KEY"))  // the key travels in the header only
            return reply
        }
        #expect(reply.attempts == 1)
        #expect(reply.response.text == " B")
        #expect(reply.response.finishReason == "length")
        #expect(reply.response.firstTokenTopLogprobs == top.map { TokenLogprob(token: $0.0, logprob: $0.1) })
    }

    @Test func chatResponseParsesAndRequestBodyIsAsSpecified() async throws {
        let top: [(String, Double)] = [(" Yes", -0.05), (" No", -3.0), (" Neither", -4.0), ("Yes", -5.5)]
        let reply = try await Self.withClient(
            handler: { _ in .json(FakeOpenAI.chatCompletion(text: " Yes", topLogprobs: top)) }
        ) { client, server in
            let reply = try await client.send(Self.request(.chat, prompt: "Is it polite?"))
            let seen = try #require(server.requests.first)
            #expect(server.requestCount == 1)
            #expect(seen.method == "POST")
            #expect(seen.path == "/v1/chat/completions")
            #expect(seen.header("Authorization") == nil)  // no apiKey configured → no header
            let body = try JSONDecoder().decode(ChatWire.self, from: Data(seen.body))
            #expect(body.model == "fake-model")
            #expect(body.messages.count == 1)
            #expect(body.messages.first?.role == "user")
            #expect(body.messages.first?.content == "Is it polite?")
            #expect(body.max_tokens == 1)
            #expect(body.logprobs == true)
            #expect(body.top_logprobs == 20)
            return reply
        }
        #expect(reply.attempts == 1)
        #expect(reply.response.text == " Yes")
        #expect(reply.response.finishReason == "length")
        #expect(reply.response.firstTokenTopLogprobs == top.map { TokenLogprob(token: $0.0, logprob: $0.1) })
    }

    @Test func emptyApiKeySendsNoAuthorizationHeader() async throws {
        try await Self.withClient(
            apiKey: "",
            handler: { _ in .json(FakeOpenAI.completion(text: " A", topLogprobs: Self.letters)) }
        ) { client, server in
            _ = try await client.send(Self.request(.completions))
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }

    // MARK: - 2. Retry-After

    @Test func rateLimitWithRetryAfterIsHonouredThenSucceeds() async throws {
        let calls = Counter()
        let clock = TestClock()
        try await Self.withClient(
            clock: clock,
            advancing: false,
            handler: { _ in
                calls.next() == 1
                    ? .respond(
                        status: 429,
                        headers: [("Content-Type", "application/json"), ("Retry-After", "1")],
                        body: FakeOpenAI.error(message: "slow down", type: "rate_limit_exceeded")
                    )
                    : .json(FakeOpenAI.completion(text: " A", topLogprobs: Self.letters))
            }
        ) { client, server in
            let task = Task { try await client.send(Self.request(.completions)) }
            await clock.waitForSleepers()
            // Retry-After: 1 wins over the 10 ms back-off, and is waited out to the nanosecond.
            #expect(clock.sleeps == [.seconds(1)])
            clock.advance(by: .seconds(1) - .nanoseconds(1))
            #expect(clock.sleeperCount == 1)
            #expect(server.requestCount == 1)
            clock.advance(by: .nanoseconds(1))
            let reply = try await task.value
            #expect(reply.attempts == 2)
            #expect(reply.response.text == " A")
            #expect(server.requestCount == 2)
        }
    }

    // MARK: - 3. Server errors

    @Test func persistentServerErrorGivesUpAfterMaxAttempts() async throws {
        let clock = TestClock()
        try await Self.withClient(
            clock: clock,
            handler: { _ in
                .respond(status: 500, body: FakeOpenAI.error(message: "boom", type: "server_error"))
            }
        ) { client, server in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .serverError)
            #expect(failure.status == 500)
            #expect(failure.attempts == 3)
            #expect(server.requestCount == 3)
            // No jitter: exactly 10 ms, then 20 ms, and no sleep after the last attempt.
            #expect(clock.sleeps == [.milliseconds(10), .milliseconds(20)])
        }
    }

    @Test func serviceUnavailableTwiceThenSuccess() async throws {
        let calls = Counter()
        let clock = TestClock()
        try await Self.withClient(
            clock: clock,
            handler: { _ in
                calls.next() <= 2
                    ? .respond(status: 503, body: FakeOpenAI.error(message: "overloaded", type: "server_error"))
                    : .json(FakeOpenAI.completion(text: " C", topLogprobs: Self.letters))
            }
        ) { client, server in
            let reply = try await client.send(Self.request(.completions))
            #expect(reply.attempts == 3)
            #expect(reply.response.text == " C")
            #expect(server.requestCount == 3)
            #expect(clock.sleeps == [.milliseconds(10), .milliseconds(20)])
        }
    }

    // MARK: - 4. Dropped connections

    @Test func connectionResetEveryTimeIsAConnectionFailure() async throws {
        try await Self.withClient(handler: { _ in .reset }) { client, server in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .connection, "got \(failure)")
            #expect(failure.status == nil)
            #expect(failure.attempts == 3)
            #expect(server.requestCount == 3)
        }
    }

    @Test func connectionResetOnceThenSuccess() async throws {
        let calls = Counter()
        let clock = TestClock()
        try await Self.withClient(
            clock: clock,
            handler: { _ in
                calls.next() == 1 ? .reset : .json(FakeOpenAI.completion(text: " D", topLogprobs: Self.letters))
            }
        ) { client, server in
            let reply = try await client.send(Self.request(.completions))
            #expect(reply.attempts == 2)
            #expect(reply.response.text == " D")
            #expect(server.requestCount == 2)
            #expect(clock.sleeps == [.milliseconds(10)])
        }
    }

    // MARK: - 5. Timeouts

    @Test func slowResponseTimesOutWithBoundedAttempts() async throws {
        let testClock = TestClock()
        try await Self.withClient(
            timeout: 0.5,
            clock: testClock,
            handler: { _ in
                .delay(.seconds(60), then: .json(FakeOpenAI.completion(text: " A", topLogprobs: Self.letters)))
            }
        ) { client, server in
            let clock = ContinuousClock()
            let start = clock.now
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            let elapsed = Self.seconds(clock.now - start)
            #expect(failure.kind == .timeout, "got \(failure)")
            #expect(failure.attempts == 3)
            #expect(server.requestCount == 3)
            // The back-off is on the test clock, exactly 10 ms then 20 ms. The timeouts are the real network's,
            // 3 × 0.5 s: a lower bound holds on any machine. No upper bound is asserted (a loaded CI machine can
            // delay anything): a `.timeout` failure already proves the timeout cut in, since the server's answer
            // after 60 s would have been a success.
            #expect(testClock.sleeps == [.milliseconds(10), .milliseconds(20)])
            #expect(elapsed >= 1.4, "took \(elapsed) s")
        }
    }

    // MARK: - 6. Broken bodies

    @Test func malformedJSONIsMalformedResponseAndRetried() async throws {
        let clock = TestClock()
        try await Self.withClient(clock: clock, handler: { _ in .json("{\"choices\": [ {\"text\": ") }) {
            client,
            server in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .malformedResponse)
            #expect(failure.attempts == 3)
            #expect(server.requestCount == 3)
            #expect(clock.sleeps == [.milliseconds(10), .milliseconds(20)])
        }
    }

    @Test func wrongJSONShapeIsMalformedResponse() async throws {
        // Valid JSON, but not a completion: no `choices`.
        try await Self.withClient(handler: { _ in .json("{\"object\":\"list\",\"data\":[]}") }) { client, _ in
            let failure = try await Self.expectFailure(client, Self.request(.chat))
            #expect(failure.kind == .malformedResponse)
        }
        // `choices` present but empty.
        try await Self.withClient(handler: { _ in .json("{\"choices\":[]}") }) { client, _ in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .malformedResponse)
        }
    }

    @Test func truncatedBodyIsMalformedResponse() async throws {
        let body = FakeOpenAI.completion(text: " A", topLogprobs: Self.letters)
        try await Self.withClient(handler: { _ in
            .truncated(status: 200, body: body, sendBytes: body.utf8.count / 3)
        }) { client, server in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .malformedResponse, "got \(failure)")
            #expect(failure.status == 200)
            #expect(failure.attempts == 3)
            #expect(server.requestCount == 3)
        }
    }

    @Test func truncatedOnceThenSuccess() async throws {
        let body = FakeOpenAI.chatCompletion(text: " B", topLogprobs: Self.letters)
        let calls = Counter()
        try await Self.withClient(handler: { _ in
            calls.next() == 1 ? .truncated(status: 200, body: body, sendBytes: 10) : .json(body)
        }) { client, server in
            let reply = try await client.send(Self.request(.chat))
            #expect(reply.attempts == 2)
            #expect(reply.response.text == " B")
            #expect(server.requestCount == 2)
        }
    }

    // MARK: - 7. Missing logprobs

    /// A body without logprobs is a valid answer: returned (so it can be cached and counted as missing_logprobs
    /// by the scorer), never retried.
    @Test func missingLogprobsIsReturnedNotRetried() async throws {
        try await Self.withClient(handler: { _ in
            .json(FakeOpenAI.completion(text: " A", topLogprobs: nil))
        }) { client, server in
            let reply = try await client.send(Self.request(.completions))
            #expect(reply.response.firstTokenTopLogprobs == nil)
            #expect(reply.attempts == 1)
            #expect(server.requestCount == 1)
        }
        try await Self.withClient(handler: { _ in
            .json(FakeOpenAI.chatCompletion(text: " A", topLogprobs: nil))
        }) { client, server in
            let reply = try await client.send(Self.request(.chat))
            #expect(reply.response.firstTokenTopLogprobs == nil)
            #expect(server.requestCount == 1)
        }
        // An empty alternatives list is returned as empty; the scorer counts it as missing.
        try await Self.withClient(handler: { _ in
            .json(FakeOpenAI.chatCompletion(text: " A", topLogprobs: []))
        }) { client, server in
            let reply = try await client.send(Self.request(.chat))
            #expect(reply.response.firstTokenTopLogprobs?.isEmpty ?? true)
            #expect(server.requestCount == 1)
        }
    }

    @Test func noLogprobsAreFineWhenNoneWereAskedFor() async throws {
        try await Self.withClient(handler: { _ in
            .json(FakeOpenAI.completion(text: "The answer is B.", topLogprobs: nil))
        }) { client, server in
            let reply = try await client.send(
                ModelRequest(api: .completions, prompt: "Q", maxTokens: 48, topLogprobs: nil)
            )
            #expect(reply.response.text == "The answer is B.")
            #expect(reply.response.firstTokenTopLogprobs == nil)
            let seen = try #require(server.requests.first)
            let body = try JSONDecoder().decode(CompletionWire.self, from: Data(seen.body))
            #expect(body.logprobs == nil)
            #expect(body.max_tokens == 48)
        }
    }

    // MARK: - 8. Client errors

    @Test func badRequestIsClientErrorAndNotRetried() async throws {
        try await Self.withClient(
            apiKey: "sk-secret-123",
            handler: { _ in .respond(status: 400, body: FakeOpenAI.error(message: "max_tokens too large")) }
        ) { client, server in
            let failure = try await Self.expectFailure(client, Self.request(.completions))
            #expect(failure.kind == .clientError)
            #expect(failure.status == 400)
            #expect(failure.attempts == 1)
            #expect(server.requestCount == 1)
            #expect(failure.detail.contains("max_tokens too large"))
            #expect(!failure.detail.contains("sk-secret-123"))
        }
    }

    @Test func unauthorisedIsClientErrorAndNotRetried() async throws {
        try await Self.withClient(
            apiKey: "sk-secret-123",
            handler: { _ in
                .respond(status: 401, body: FakeOpenAI.error(message: "Incorrect API key", code: "invalid_api_key"))
            }
        ) { client, server in
            let failure = try await Self.expectFailure(client, Self.request(.chat))
            #expect(failure.kind == .clientError)
            #expect(failure.status == 401)
            #expect(failure.attempts == 1)
            #expect(server.requestCount == 1)
            #expect(!failure.description.contains("sk-secret-123"))
        }
    }

    // MARK: - Cancellation

    @Test func cancellationDuringTheFirstAttemptThrowsCancellationError() async throws {
        try await Self.withClient(
            timeout: 120,
            handler: { _ in
                .delay(.seconds(60), then: .json(FakeOpenAI.completion(text: " A", topLogprobs: Self.letters)))
            }
        ) { client, server in
            let task = Task { try await client.send(Self.request(.completions)) }
            try await Self.waitUntil { server.requestCount == 1 }
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(server.requestCount == 1)
        }
    }

    /// On the last attempt there is no back-off sleep to notice the cancellation, so the client itself must not turn
    /// AsyncHTTPClient's `CancellationError` into a retryable `.connection` failure (which it then gave up on and
    /// threw as `ModelFailure(kind: .connection)`, and the runner saved as a failed item).
    @Test func cancellationDuringTheLastAttemptThrowsCancellationError() async throws {
        let calls = Counter()
        // The last response would take a minute (well inside the 120 s timeout), so only a prompt cancellation
        // finishes in time even on a heavily loaded machine.
        try await Self.withClient(
            timeout: 120,
            handler: { _ in
                calls.next() < 3
                    ? .respond(status: 500, body: FakeOpenAI.error(message: "boom", type: "server_error"))
                    : .delay(.seconds(60), then: .json(FakeOpenAI.completion(text: " A", topLogprobs: Self.letters)))
            }
        ) { client, server in
            let task = Task { try await client.send(Self.request(.completions)) }
            try await Self.waitUntil { server.requestCount == 3 }
            let clock = ContinuousClock()
            let start = clock.now
            task.cancel()
            let result = await task.result
            #expect(Self.seconds(clock.now - start) < 20, "cancellation must not wait for the 60 s response")
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(server.requestCount == 3)
        }
    }

    // MARK: - 10. listModels

    @Test func listModelsReturnsSortedIDs() async throws {
        try await Self.withClient(
            apiKey: "KEY",
            handler: { request in
                request.path == "/v1/models"
                    ? .json(FakeOpenAI.models(ids: ["zeta-7b", "alpha-1b", "mid-3b"]))
                    : .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
        ) { client, server in
            let ids = try await client.listModels()
            #expect(ids == ["alpha-1b", "mid-3b", "zeta-7b"])
            let seen = try #require(server.requests.first)
            #expect(seen.method == "GET")
            #expect(seen.path == "/v1/models")
            #expect(seen.header("Authorization") == "Bearer KEY")
        }
    }

    @Test func listModelsReportsHTTPErrors() async throws {
        try await Self.withClient(handler: { _ in
            .respond(status: 401, body: FakeOpenAI.error(message: "no key"))
        }) { client, _ in
            let error = await #expect(throws: ModelFailure.self) { try await client.listModels() }
            #expect(error?.kind == .clientError)
            #expect(error?.status == 401)
        }
    }

    // MARK: - 9. End to end

    enum Fault: String, CaseIterable, Sendable {
        case good, serverError, rateLimited, malformed, missingLogprobs, truncated
    }

    @Test func endToEndRunWithMixedFaultsCountsFailuresByKindAndResumes() async throws {
        let suite = StarterSuite.suite.prefix(16)
        let prompts = suite.items.map { PromptBuilder().render($0).text }
        #expect(Set(prompts).count == 16)
        // Stable assignment: rank the prompts by their FNV-1a hash and deal the faults round-robin, so every fault
        // has items (3,3,3,3,2,2 over 16) and the same prompt always gets the same fault.
        let ranked = prompts.sorted { (Self.fnv1a($0), $0) < (Self.fnv1a($1), $1) }
        let faultByPrompt = Dictionary(
            uniqueKeysWithValues: ranked.enumerated().map {
                ($0.element, Fault.allCases[$0.offset % Fault.allCases.count])
            }
        )
        var expected: [Fault: Int] = [:]
        for prompt in prompts { expected[faultByPrompt[prompt]!, default: 0] += 1 }
        #expect(Fault.allCases.allSatisfy { expected[$0, default: 0] > 0 })

        // Tokens for both label styles: letters for multiple choice, answer words for judgement items.
        let goodTop: [(String, Double)] = [
            (" A", -0.4), (" B", -1.6), (" Yes", -1.9), (" C", -2.8), (" No", -3.1), (" D", -3.9), (" Neither", -4.6),
        ]
        let goodBody = FakeOpenAI.completion(text: " A", topLogprobs: goodTop)
        let missingBody = FakeOpenAI.completion(text: " A", topLogprobs: nil)
        let unknownPrompts = Counter()

        try await Self.withClient(
            maxConnections: 4,
            handler: { request in
                guard request.path == "/v1/completions",
                    let body = try? JSONDecoder().decode(CompletionWire.self, from: Data(request.body)),
                    let fault = faultByPrompt[body.prompt]
                else {
                    _ = unknownPrompts.next()
                    return .respond(status: 404, body: FakeOpenAI.error(message: "unexpected request"))
                }
                switch fault {
                case .good:
                    return .json(goodBody)
                case .serverError:
                    return .respond(status: 500, body: FakeOpenAI.error(message: "boom", type: "server_error"))
                case .rateLimited:
                    return .respond(
                        status: 429,
                        headers: [("Content-Type", "application/json"), ("Retry-After", "0")],
                        body: FakeOpenAI.error(message: "slow down", type: "rate_limit_exceeded")
                    )
                case .malformed:
                    return .json("{\"id\":\"cmpl-1\",\"choices\":[{\"text\":\" A\",")
                case .missingLogprobs:
                    return .json(missingBody)
                case .truncated:
                    return .truncated(status: 200, body: goodBody, sendBytes: goodBody.utf8.count / 2)
                }
            }
        ) { client, server in
            let store = InMemoryResultStore()
            let runner = EvaluationRunner(
                model: client,
                store: store,
                configuration: .init(api: .completions, scoring: .logprobs, concurrency: 4)
            )
            let maxAttempts = Self.fastRetry.maxAttempts

            // First invocation.
            let first = try await runner.run(suite, toolVersion: "test")
            #expect(first.run.status == .completed)
            #expect(first.results.count == 16)
            #expect(Set(first.results.map(\.itemID)) == Set(suite.items.map(\.id)))
            #expect(unknownPrompts.value == 0)

            let summary = RunSummary(results: first.results, itemCount: 16)
            #expect(summary.done == 16)
            #expect(summary.failures[FailureKind.serverError.rawValue] == expected[.serverError])
            #expect(summary.failures[FailureKind.rateLimited.rawValue] == expected[.rateLimited])
            #expect(
                summary.failures[FailureKind.malformedResponse.rawValue]
                    == expected[.malformed, default: 0] + expected[.truncated, default: 0]
            )
            #expect(summary.failures[FailureKind.missingLogprobs.rawValue] == expected[.missingLogprobs])
            let otherKinds: [FailureKind] = [
                .clientError, .timeout, .connection, .noLabelInTopLogprobs, .parseFailure, .refusal,
            ]
            for kind in otherKinds { #expect(summary.failures[kind.rawValue] == 0, "\(kind)") }
            #expect(summary.failures.values.reduce(0, +) == 16 - expected[.good, default: 0])
            #expect(summary.accuracy.n == expected[.good])
            #expect(summary.scored == expected[.good])

            for result in first.results {
                let fault = try #require(faultByPrompt[result.prompt])
                #expect(!result.cached)
                if fault == .good {
                    #expect(result.failure == nil, "\(result.itemID): \(result.failureDetail ?? "")")
                    #expect(result.score != nil)
                    #expect(result.attempts == 1)
                    let distribution = try #require(result.distribution)
                    #expect(abs(distribution.reduce(0, +) - 1) < 1e-9)
                } else {
                    #expect(result.failure != nil)
                    #expect(result.score == nil)
                    #expect(result.distribution == nil)
                    #expect(result.attempts == (fault == .missingLogprobs ? 1 : maxAttempts), "\(fault)")
                }
            }

            // Every request is accounted for: good and missing-logprob items once, transient faults maxAttempts times.
            let transient: Set<Fault> = [.serverError, .rateLimited, .malformed, .truncated]
            let transientItems = transient.map { expected[$0, default: 0] }.reduce(0, +)
            let firstRequests = server.requestCount
            #expect(firstRequests <= 16 * maxAttempts)
            #expect(
                firstRequests
                    == expected[.good, default: 0] + expected[.missingLogprobs, default: 0] + transientItems
                    * maxAttempts
            )

            // Second invocation of the same run: good items come from the cache, transient failures are asked again.
            let second = try await runner.run(suite, toolVersion: "test")
            #expect(second.run.id == first.run.id)
            #expect(second.run.status == .completed)
            #expect(second.results.count == 16)
            for result in second.results {
                let fault = try #require(faultByPrompt[result.prompt])
                #expect(result.cached == (fault == .good || fault == .missingLogprobs), "\(fault)")
                if fault == .good { #expect(result.score != nil) } else { #expect(result.score == nil) }
            }
            let secondSummary = RunSummary(results: second.results, itemCount: 16)
            #expect(secondSummary.failures == summary.failures)
            #expect(secondSummary.accuracy == summary.accuracy)
            #expect(secondSummary.cacheHits == expected[.good, default: 0] + expected[.missingLogprobs, default: 0])

            let secondPrompts = server.requests.dropFirst(firstRequests).compactMap {
                try? JSONDecoder().decode(CompletionWire.self, from: Data($0.body)).prompt
            }
            #expect(!secondPrompts.contains { faultByPrompt[$0] == .good }, "a cached item was requested again")
            // Transient failures are requested again, maxAttempts each.
            #expect(
                secondPrompts.filter { faultByPrompt[$0].map(transient.contains) ?? false }.count
                    == transientItems * maxAttempts
            )
            let missingAgain = secondPrompts.filter { faultByPrompt[$0] == .missingLogprobs }.count
            #expect(secondPrompts.count == transientItems * maxAttempts + missingAgain)
            #expect(secondPrompts.count <= 16 * maxAttempts)
            // Missing logprobs is a property of the answer, not of the transport: the response is cached, so
            // resuming does not ask for it again.
            #expect(missingAgain == 0, "missing-logprobs items were requested again on resume")
        }
    }

    // MARK: - Helpers

    /// Starts a server and a client against it, runs `body`, and always shuts both down.
    static func withClient<T>(
        apiKey: String? = nil,
        // Long, so that a loaded CI machine never times out a healthy answer and retries it; timeout tests pass
        // their own.
        timeout: Double = 60,
        maxConnections: Int = 4,
        // Back-off sleeps on this clock; `advancing` moves it to each deadline as soon as the client sleeps, a test
        // that moves it itself passes `false`.
        clock: TestClock = TestClock(),
        advancing: Bool = true,
        handler: @escaping ScriptedHTTPServer.Handler,
        _ body: (OpenAIClient, ScriptedHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await ScriptedHTTPServer.start(handler: handler)
        let client = OpenAIClient(
            configuration: .init(
                baseURL: server.baseURL + "/v1",
                model: "fake-model",
                apiKey: apiKey,
                timeout: timeout,
                retry: fastRetry,
                maxConnections: maxConnections
            ),
            clock: clock
        )
        let result: T
        do {
            if advancing {
                result = try await clock.run { try await body(client, server) }
            } else {
                result = try await body(client, server)
            }
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
        return result
    }

    static func request(_ api: ModelAPI, prompt: String = "Question?\nAnswer:") -> ModelRequest {
        ModelRequest(api: api, prompt: prompt, maxTokens: 1, topLogprobs: 20)
    }

    /// Sends `request`, expecting a ``ModelFailure``; records an issue and throws otherwise.
    static func expectFailure(_ client: OpenAIClient, _ request: ModelRequest) async throws -> ModelFailure {
        do {
            let reply = try await client.send(request)
            Issue.record("expected a ModelFailure, got \(reply.response) after \(reply.attempts) attempts")
            throw UnexpectedSuccess()
        } catch let failure as ModelFailure {
            return failure
        }
    }

    struct UnexpectedSuccess: Error {}

    /// Polls `condition` every 5 ms for up to 300 s.
    static func waitUntil(_ condition: () -> Bool) async throws {
        // Generous: only a hang should trip this, not a loaded CI machine (30 s was once not enough while the whole
        // suite, a browser and the model shared two cores). It returns as soon as the condition holds.
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("condition not met within 300 s")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

/// A thread-safe call counter for handler closures.
private final class Counter: Sendable {
    private let count = Mutex(0)

    /// Increments and returns the new value (1 on the first call).
    func next() -> Int {
        count.withLock {
            $0 += 1; return $0
        }
    }

    var value: Int { count.withLock { $0 } }
}

/// The `/completions` request body as the server receives it.
private struct CompletionWire: Decodable {
    var model: String
    var prompt: String
    var max_tokens: Int
    var temperature: Double
    var logprobs: Int?
    var seed: Int?
}

/// The `/chat/completions` request body as the server receives it.
private struct ChatWire: Decodable {
    struct Message: Decodable {
        var role: String
        var content: String
    }

    var model: String
    var messages: [Message]
    var max_tokens: Int
    var temperature: Double
    var logprobs: Bool?
    var top_logprobs: Int?
}

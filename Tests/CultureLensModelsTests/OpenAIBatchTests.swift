import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Synchronization
import Testing

@testable import CultureLensModels

/// Provider batch mode end to end through the library: ``BatchCoordinator`` and ``OpenAIBatchClient``
/// against ``FakeOpenAIBatchServer`` (a real NIO HTTP server on 127.0.0.1), then the normal runner answering from
/// the batch results.
struct OpenAIBatchTests {
    static let fastRetry = OpenAIClientFaultTests.fastRetry
    static let apiKey = "sk-batch-secret-test-key"
    static let suite = StarterSuite.suite.prefix(24)
    static let runnerConfiguration = EvaluationRunner.Configuration(
        api: .completions,
        scoring: .logprobs,
        concurrency: 4
    )

    /// A stable per-prompt number (FNV-1a), to script answers and fates as functions of the prompt.
    static func hash(_ prompt: String) -> UInt64 {
        prompt.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// The scripted answer: one of six labels, picked by the prompt, with a full top-logprobs list.
    static let answer: FakeOpenAIBatchServer.Answer = { api, prompt in
        let labels = [" A", " B", " C", " D", " Yes", " No"]
        let pick = Int(hash(prompt) % UInt64(labels.count))
        let top = labels.enumerated()
            .map { index, label in (label, index == pick ? -0.1 : -2.0 - Double(index) * 0.25) }
            .sorted { $0.1 > $1.1 }
        return api == .chat
            ? FakeOpenAI.chatCompletion(text: labels[pick], topLogprobs: top)
            : FakeOpenAI.completion(text: labels[pick], topLogprobs: top)
    }

    /// Everything one batch test needs: the fake provider, its server, a store, a state file.
    final class Harness: Sendable {
        let fake: FakeOpenAIBatchServer
        let server: Mutex<ScriptedHTTPServer>
        /// The provider's address as the state file records it: the first server's. A restarted server listens
        /// on another port (see ``restart()``) but stands for the same provider.
        let endpoint: String
        let store = InMemoryResultStore()
        let directory: URL

        init(behaviour: FakeOpenAIBatchServer.Behaviour) async throws {
            var behaviour = behaviour
            behaviour.apiKey = OpenAIBatchTests.apiKey
            fake = FakeOpenAIBatchServer(behaviour: behaviour, answer: OpenAIBatchTests.answer)
            let server = try await Self.startBelowTheEphemeralRange(fake)
            endpoint = "http://127.0.0.1:\(server.port)/v1"
            self.server = Mutex(server)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        }

        /// Where the provider listens now.
        var baseURL: String { "http://127.0.0.1:\(server.withLock { $0.port })/v1" }
        var stateFile: URL { directory.appendingPathComponent(BatchJobState.fileName) }

        /// Starts the fake on a port below the kernel's ephemeral range (32768 and up on Linux).
        ///
        /// An ephemeral port, once free, can be handed to any other test's outgoing connection as its source port,
        /// so only another listener can collide with one below that range, and then another port is tried.
        static func startBelowTheEphemeralRange(_ fake: FakeOpenAIBatchServer) async throws -> ScriptedHTTPServer {
            var lastError: (any Error)?
            for _ in 0..<64 {
                do {
                    return try await fake.start(port: Int.random(in: 20_000..<32_000))
                } catch {
                    lastError = error
                }
            }
            throw lastError ?? CancellationError()
        }

        /// Stops the HTTP server and starts a new one with the fake's state intact, on a new port.
        ///
        /// Binding the old port again failed with "Address already in use" in full-suite runs, even below the
        /// ephemeral range (the old port's connections can outlive the server's close). The state file keeps the
        /// provider's recorded ``endpoint``, so the second invocation is still checked against the same provider.
        func restart() async throws {
            let old = server.withLock { $0 }
            try await old.shutdown()
            let new = try await Self.startBelowTheEphemeralRange(fake)
            server.withLock { $0 = new }
        }

        func shutdown() async {
            try? await server.withLock { $0 }.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }

        func interactiveClient() -> OpenAIClient {
            OpenAIClient(
                configuration: .init(
                    baseURL: baseURL,
                    model: "fake-model",
                    apiKey: OpenAIBatchTests.apiKey,
                    timeout: 60,
                    retry: OpenAIBatchTests.fastRetry,
                    maxConnections: 4
                )
            )
        }

        func batchClient() -> OpenAIBatchClient {
            OpenAIBatchClient(
                configuration: .init(
                    baseURL: baseURL,
                    apiKey: OpenAIBatchTests.apiKey,
                    timeout: 60,
                    retry: OpenAIBatchTests.fastRetry
                )
            )
        }

        func coordinator(
            _ client: OpenAIBatchClient,
            pollInterval: Duration = .milliseconds(50),
            maxRequestsPerBatch: Int = BatchPlan.defaultMaxRequests,
            clock: any Clock<Duration> = ContinuousClock(),
            log: @escaping @Sendable (String) -> Void = { _ in }
        ) -> BatchCoordinator {
            BatchCoordinator(
                client: client,
                configuration: .init(
                    stateFile: stateFile,
                    runID: "run-1",
                    model: "fake-model",
                    endpoint: endpoint,
                    pollInterval: pollInterval,
                    maxRequestsPerBatch: maxRequestsPerBatch
                ),
                clock: clock,
                log: log
            )
        }

        /// Submit, wait, collect, then the normal runner answering from the results.
        func runBatch(fallback: Bool = true) async throws -> (
            results: [ItemResult], collection: BatchCollection, answered: BatchAnsweredModel.Counts
        ) {
            let interactive = interactiveClient()
            let client = batchClient()
            do {
                let runner = EvaluationRunner(
                    model: interactive,
                    store: store,
                    configuration: OpenAIBatchTests.runnerConfiguration
                )
                // The waits between polls are on a test clock, moved on as soon as the coordinator sleeps.
                let clock = TestClock()
                let coordinator = coordinator(client, clock: clock)
                let pending = try await runner.uncachedRequests(for: OpenAIBatchTests.suite)
                let state = try #require(try await coordinator.submit(pending))
                let collection = try await coordinator.collect(
                    try await clock.run { try await coordinator.wait(state) }
                )
                let model = BatchAnsweredModel(inner: interactive, results: collection.results, fallback: fallback)
                var batchRunner = runner
                batchRunner.model = model
                let outcome = try await batchRunner.run(OpenAIBatchTests.suite, toolVersion: "test")
                try coordinator.markCollected()
                try await interactive.shutdown()
                try await client.shutdown()
                return (outcome.results, collection, model.answered)
            } catch {
                try? await interactive.shutdown()
                try? await client.shutdown()
                throw error
            }
        }
    }

    static func withHarness<T>(
        _ behaviour: FakeOpenAIBatchServer.Behaviour = .init(),
        _ body: (Harness) async throws -> T
    ) async throws -> T {
        let harness = try await Harness(behaviour: behaviour)
        do {
            let result = try await body(harness)
            await harness.shutdown()
            return result
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    /// The same suite against a plain scripted completion server, interactively.
    static func interactiveRun() async throws -> (results: [ItemResult], bodies: Set<Data>) {
        let server = try await ScriptedHTTPServer.start { request in
            request.path == "/v1/completions"
                ? .json(answer(.completions, Self.prompt(of: request.body)))
                : .respond(status: 404, body: FakeOpenAI.error(message: "no"))
        }
        let client = OpenAIClient(
            configuration: .init(
                baseURL: server.baseURL + "/v1",
                model: "fake-model",
                timeout: 60,
                retry: fastRetry,
                maxConnections: 4
            )
        )
        let runner = EvaluationRunner(model: client, store: InMemoryResultStore(), configuration: runnerConfiguration)
        let outcome = try await runner.run(suite, toolVersion: "test")
        try await client.shutdown()
        let bodies = Set(server.requests.map { Data($0.body) })
        try await server.shutdown()
        return (outcome.results, bodies)
    }

    static func prompt(of body: [UInt8]) -> String {
        struct Body: Decodable { var prompt: String }
        return (try? JSONDecoder().decode(Body.self, from: Data(body)).prompt) ?? ""
    }

    /// The `body` of each input line, as bytes: everything between `"body":` and the line's final `}`.
    static func inputBodies(_ file: [UInt8]) -> Set<Data> {
        let marker = Array(#","body":"#.utf8)
        return Set(
            file.split(separator: 0x0A).compactMap { line -> Data? in
                let bytes = Array(line)
                guard
                    let start = (0...(bytes.count - marker.count)).first(where: {
                        bytes[$0..<($0 + marker.count)].elementsEqual(marker)
                    })
                else { return nil }
                return Data(bytes[(start + marker.count)..<(bytes.count - 1)])
            }
        )
    }

    static func comparable(_ results: [ItemResult]) -> [String] {
        results.map { result in
            "\(result.itemID)|\(result.variant)|\(result.response ?? "-")|\(result.distribution ?? [])|\(result.predicted ?? -1)|\(result.score ?? -1)|\(result.failure?.rawValue ?? "ok")|\(result.cacheKey)"
        }
    }

    // MARK: - (b) Full flow

    @Test func batchResultsScoreExactlyLikeAnInteractiveRun() async throws {
        let interactive = try await Self.interactiveRun()
        try await Self.withHarness(.init(pollsPerPhase: 2, reverseOutput: true)) { harness in
            let batch = try await harness.runBatch()
            #expect(batch.results.count == 24)
            #expect(Self.comparable(batch.results) == Self.comparable(interactive.results))
            #expect(batch.results.allSatisfy { $0.failure == nil && $0.attempts == 1 && !$0.cached })
            #expect(batch.collection.failed == 0)
            #expect(batch.collection.problems.isEmpty)
            #expect(batch.answered == .init(fromBatch: batch.collection.answered, interactive: 0, failed: 0))

            let counters = harness.fake.counters
            #expect(counters.uploads == 1)
            #expect(counters.batchCreates == 1)
            #expect(counters.polls >= 3)  // validating ×2, in_progress ×2, then completed
            #expect(counters.interactive == 0)
            #expect(counters.unauthorized == 0)  // the key went out as a bearer header on every call

            // Every input line carries byte-for-byte the body the interactive client sent.
            let inputID = try #require(harness.fake.inputFileIDs.first)
            let input = try #require(harness.fake.fileContents(id: inputID))
            #expect(Self.inputBodies(input) == interactive.bodies)

            // The state file records the collected batch, and never the key.
            let text = try String(contentsOf: harness.stateFile, encoding: .utf8)
            #expect(!text.contains(Self.apiKey))
            let state = try #require(try BatchJobState.load(from: harness.stateFile))
            #expect(state.collected)
            #expect(state.jobs.map(\.status) == ["completed"])

            // A second batch invocation of the same run finds everything cached: nothing to submit.
            let model = ScriptedLanguageModel(name: "fake-model") { _ in throw CancellationError() }
            let runner = EvaluationRunner(model: model, store: harness.store, configuration: Self.runnerConfiguration)
            let client = harness.batchClient()
            let pending = try await runner.uncachedRequests(for: Self.suite)
            #expect(pending.isEmpty)
            #expect(try await harness.coordinator(client).submit(pending) == nil)
            try await client.shutdown()
            #expect(harness.fake.counters.uploads == 1)
        }
    }

    @Test func largeRunsAreSplitIntoSeveralBatches() async throws {
        try await Self.withHarness { harness in
            let interactive = harness.interactiveClient()
            let client = harness.batchClient()
            let coordinator = harness.coordinator(client, maxRequestsPerBatch: 10)
            let runner = EvaluationRunner(
                model: interactive,
                store: harness.store,
                configuration: Self.runnerConfiguration
            )
            let pending = try await runner.uncachedRequests(for: Self.suite)
            let state = try #require(try await coordinator.submit(pending))
            #expect(state.jobs.map(\.keys.count) == [10, 10, pending.count - 20])
            let collection = try await coordinator.collect(try await coordinator.wait(state))
            #expect(collection.answered == pending.count)
            #expect(harness.fake.counters.uploads == 3)
            #expect(harness.fake.counters.batchCreates == 3)
            try await interactive.shutdown()
            try await client.shutdown()
        }
    }

    // MARK: - (c) Resume

    @Test func restartBetweenUploadAndDownloadResumesWithoutUploadingAgain() async throws {
        try await Self.withHarness(.init(pollsPerPhase: 3)) { harness in
            // First invocation: submit, poll a little, then stop (as Ctrl-C would) while the batch runs.
            let interactive = harness.interactiveClient()
            let runner = EvaluationRunner(
                model: interactive,
                store: harness.store,
                configuration: Self.runnerConfiguration
            )
            let pending = try await runner.uncachedRequests(for: Self.suite)
            try await interactive.shutdown()
            do {
                let client = harness.batchClient()
                let lines = Mutex<[String]>([])
                let coordinator = harness.coordinator(client) { line in lines.withLock { $0.append(line) } }
                let state = try #require(try await coordinator.submit(pending))
                let polls = Mutex(0)
                await #expect(throws: BatchError.interrupted) {
                    _ = try await coordinator.wait(state) {
                        polls.withLock {
                            $0 += 1; return $0 > 2
                        }
                    }
                }
                try await client.shutdown()
                let log = lines.withLock { $0 }
                #expect(log.contains { $0.contains("uploaded file-in-") })
                #expect(log.contains { $0.contains("created batch_") })
                #expect(log.contains { $0.contains(": validating") })
            }
            let recorded = try #require(try BatchJobState.load(from: harness.stateFile))
            #expect(recorded.jobs.count == 1)
            #expect(recorded.jobs[0].inputFileID != nil && recorded.jobs[0].batchID != nil)
            #expect(!recorded.isTerminal)
            #expect(!recorded.collected)

            // The provider restarts too (its batches survive), then a second invocation with fresh objects.
            try await harness.restart()
            let batch = try await harness.runBatch()
            #expect(batch.results.count == 24)
            #expect(batch.results.allSatisfy { $0.failure == nil })
            #expect(batch.answered.fromBatch == batch.collection.answered)
            let counters = harness.fake.counters
            #expect(counters.uploads == 1)
            #expect(counters.batchCreates == 1)
            #expect(counters.interactive == 0)
            let state = try #require(try BatchJobState.load(from: harness.stateFile))
            #expect(state.jobs[0].batchID == recorded.jobs[0].batchID)
            #expect(state.collected)
        }
    }

    @Test func aBatchCreatedButNotRecordedIsAdoptedNotCreatedAgain() async throws {
        // The provider creates the batch, then the connection drops before the client hears of it.
        let fake = FakeOpenAIBatchServer(answer: Self.answer)
        let dropCreate = Mutex(true)
        let server = try await ScriptedHTTPServer.start { request in
            let action = fake.handle(request)
            if request.method == "POST", request.path == "/v1/batches", dropCreate.withLock({ $0 }) { return .reset }
            return action
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = BatchCoordinator.Configuration(
            stateFile: directory.appendingPathComponent(BatchJobState.fileName),
            runID: "run-1",
            model: "fake-model",
            endpoint: server.baseURL + "/v1",
            pollInterval: .milliseconds(50)
        )
        let client = OpenAIBatchClient(
            configuration: .init(baseURL: server.baseURL + "/v1", timeout: 60, retry: Self.fastRetry)
        )
        let pending = BatchPlan(
            requests: EvaluationRunner(
                model: ScriptedLanguageModel(name: "fake-model") { _ in throw CancellationError() },
                store: InMemoryResultStore(),
                configuration: Self.runnerConfiguration
            ).requests(for: Self.suite),
            model: "fake-model"
        ).entries.map(\.request)

        let coordinator = BatchCoordinator(client: client, configuration: configuration)
        do {
            _ = try await coordinator.submit(pending)
            Issue.record("expected the dropped create to fail")
        } catch let failure as ModelFailure {
            // Not retried: the batch may exist.
            #expect(failure.attempts == 1)
            #expect(failure.detail.contains("not retried"))
        }
        #expect(fake.counters.batchCreates == 1)
        let recorded = try #require(try BatchJobState.load(from: configuration.stateFile))
        #expect(recorded.jobs[0].inputFileID != nil)
        #expect(recorded.jobs[0].batchID == nil)

        dropCreate.withLock { $0 = false }
        let state = try #require(try await coordinator.submit(pending))
        #expect(state.jobs[0].batchID == "batch_2")
        #expect(fake.counters.batchCreates == 1)
        #expect(fake.counters.uploads == 1)
        #expect(fake.counters.lists == 1)
        let collection = try await coordinator.collect(try await coordinator.wait(state))
        #expect(collection.answered == pending.count)
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func aStateFileOfAnotherRunIsNotTouched() async throws {
        try await Self.withHarness { harness in
            var other = BatchJobState(
                runID: "another-run",
                model: "fake-model",
                endpoint: harness.endpoint,
                createdAt: Date(timeIntervalSince1970: 1_700_000_000),
                jobs: [.init(api: .chat, keys: ["k"])]
            )
            other.jobs[0].inputFileID = "file-x"
            try other.save(to: harness.stateFile)
            let client = harness.batchClient()
            await #expect(throws: BatchError.stateMismatch) {
                _ = try await harness.coordinator(client).submit([
                    ModelRequest(api: .chat, prompt: "p", maxTokens: 1, topLogprobs: nil)
                ])
            }
            try await client.shutdown()
            #expect(try BatchJobState.load(from: harness.stateFile) == other)
            #expect(harness.fake.counters.uploads == 0)
        }
    }

    @Test func cancellationEndsTheWaitPromptly() async throws {
        try await Self.withHarness(.init(pollsPerPhase: 1000)) { harness in
            let client = harness.batchClient()
            let clock = TestClock()
            let coordinator = harness.coordinator(client, pollInterval: .seconds(3600), clock: clock)
            let state = try #require(
                try await coordinator.submit([
                    ModelRequest(api: .completions, prompt: "p", maxTokens: 1, topLogprobs: 5)
                ])
            )
            let task = Task { try await coordinator.wait(state) }
            // Polled once, then asleep in the first 200 ms step of the hour-long interval.
            await clock.waitForSleepers()
            #expect(harness.fake.counters.polls == 1)
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            // Ended without the clock moving at all, let alone the hour.
            #expect(clock.now == TestClock.Instant())
            #expect(clock.sleeps == [.milliseconds(200)])
            #expect(harness.fake.counters.polls == 1)
            try await client.shutdown()
        }
    }

    /// Polls are exactly one poll interval apart, slept in steps of 200 ms (so `shouldStop` is checked that often).
    @Test func pollsAreExactlyOnePollIntervalApart() async throws {
        try await Self.withHarness(.init(pollsPerPhase: 1)) { harness in
            let client = harness.batchClient()
            let clock = TestClock()
            let statuses = Mutex<[(Duration, String)]>([])
            let coordinator = harness.coordinator(client, pollInterval: .seconds(1), clock: clock) { line in
                guard let status = ["in_progress", "completed"].first(where: { line.contains(": \($0)") }) else {
                    return
                }
                statuses.withLock { $0.append((clock.now.offset, status)) }
            }
            let state = try #require(
                try await coordinator.submit([
                    ModelRequest(api: .completions, prompt: "p", maxTokens: 1, topLogprobs: 5)
                ])
            )
            let stops = Mutex(0)
            let final = try await clock.run {
                try await coordinator.wait(state) {
                    stops.withLock { $0 += 1 }
                    return false
                }
            }
            try await client.shutdown()
            #expect(final.isTerminal)
            // validating at 0 s, in_progress at 1 s, completed at 2 s.
            #expect(harness.fake.counters.polls == 3)
            #expect(statuses.withLock { $0.map(\.0) } == [.seconds(1), .seconds(2)])
            #expect(statuses.withLock { $0.map(\.1) } == ["in_progress", "completed"])
            #expect(clock.now.offset == .seconds(2))
            #expect(clock.sleeps == Array(repeating: .milliseconds(200), count: 10))
            // Checked before each step, and once more when the interval is over.
            #expect(stops.withLock { $0 } == 12)
        }
    }

    // MARK: - (d) Failures

    /// Prompts whose lines the fake fails: bucket 0 → HTTP 500, 1 → expired, 2 → missing.
    static func bucket(_ prompt: String) -> UInt64 { hash(prompt + "#fate") % 6 }

    static let fates = FakeOpenAIBatchServer.Behaviour(
        reverseOutput: true,
        fate: { prompt in
            switch bucket(prompt) {
            case 0: .httpError(status: 500)
            case 1: .lineError(code: "batch_expired")
            case 2: .omit
            default: .answer
            }
        }
    )

    @Test func failedAndMissingLinesAreCountedAndRecordedWithoutFallback() async throws {
        try await Self.withHarness(Self.fates) { harness in
            let batch = try await harness.runBatch(fallback: false)
            let prompts = Dictionary(grouping: batch.results, by: { Self.bucket($0.prompt) })
            let expected500 = prompts[0]?.count ?? 0
            let expectedExpired = prompts[1]?.count ?? 0
            let expectedMissing = prompts[2]?.count ?? 0
            // The scripted fates must actually hit something for the test to mean anything.
            #expect(expected500 > 0 && expectedExpired > 0 && expectedMissing > 0)

            #expect(batch.collection.missing == expectedMissing)
            #expect(batch.collection.failuresByKind[.serverError] == expected500 + expectedMissing)
            #expect(batch.collection.failuresByKind[.timeout] == expectedExpired)
            #expect(batch.collection.failed == expected500 + expectedExpired + expectedMissing)
            #expect(harness.fake.counters.interactive == 0)
            #expect(batch.answered.failed == batch.collection.failed)

            for result in batch.results {
                switch Self.bucket(result.prompt) {
                case 0:
                    #expect(result.failure == .serverError)
                    #expect(result.failureDetail?.contains("HTTP 500") == true)
                case 1:
                    #expect(result.failure == .timeout)
                    #expect(result.failureDetail?.contains("batch_expired") == true)
                case 2:
                    #expect(result.failure == .serverError)
                    #expect(result.failureDetail?.contains("no line for this request") == true)
                default:
                    #expect(result.failure == nil)
                    #expect(result.score != nil)
                }
            }
            // Transient kinds: the CLI exits 1 and a re-run retries them.
            #expect(batch.results.filter { EvaluationRunner.isTransient($0.failure) }.count == batch.collection.failed)
            #expect(!(try String(contentsOf: harness.stateFile, encoding: .utf8)).contains(Self.apiKey))
        }
    }

    @Test func failedAndMissingLinesFallBackToInteractiveRequests() async throws {
        try await Self.withHarness(Self.fates) { harness in
            let batch = try await harness.runBatch(fallback: true)
            #expect(batch.collection.failed > 0)
            #expect(batch.results.allSatisfy { $0.failure == nil })
            #expect(harness.fake.counters.interactive == batch.collection.failed)
            #expect(batch.answered.interactive == batch.collection.failed)
            #expect(batch.answered.fromBatch == batch.collection.answered)
        }
    }

    @Test func aFailedBatchFailsEveryRequestWithItsErrors() async throws {
        try await Self.withHarness(.init(failBatches: true)) { harness in
            let batch = try await harness.runBatch(fallback: false)
            #expect(batch.collection.answered == 0)
            #expect(batch.collection.failuresByKind.keys.sorted() == [.clientError])
            #expect(batch.results.allSatisfy { $0.failure == .clientError })
            #expect(batch.results.allSatisfy { $0.failureDetail?.contains("told to fail this batch") == true })
            let state = try #require(try BatchJobState.load(from: harness.stateFile))
            #expect(state.jobs[0].status == "failed")
            #expect(state.jobs[0].errors?.first?.contains("invalid_request") == true)
            #expect(!(try String(contentsOf: harness.stateFile, encoding: .utf8)).contains(Self.apiKey))
        }
    }

    @Test func aWrongKeyIsAClientErrorAndNeverLogged() async throws {
        try await Self.withHarness { harness in
            let client = OpenAIBatchClient(
                configuration: .init(
                    baseURL: harness.baseURL,
                    apiKey: "sk-wrong-key",
                    timeout: 60,
                    retry: Self.fastRetry
                )
            )
            let lines = Mutex<[String]>([])
            let coordinator = harness.coordinator(client, log: { line in lines.withLock { $0.append(line) } })
            do {
                _ = try await coordinator.submit([ModelRequest(api: .chat, prompt: "p", maxTokens: 1, topLogprobs: nil)]
                )
                Issue.record("expected 401")
            } catch let failure as ModelFailure {
                #expect(failure.kind == .clientError)
                #expect(failure.status == 401)
                #expect(failure.attempts == 1)
                #expect(!failure.detail.contains("sk-wrong-key"))
            }
            try await client.shutdown()
            #expect(lines.withLock { $0 }.allSatisfy { !$0.contains("sk-wrong-key") })
            #expect(!(try String(contentsOf: harness.stateFile, encoding: .utf8)).contains("sk-wrong-key"))
        }
    }
}

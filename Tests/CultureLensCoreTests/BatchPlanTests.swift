import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Synchronization
import Testing

@testable import CultureLensModels

/// The pure side of provider batch mode: planning, splitting, input lines, parsing output and error files, the
/// persisted job state and the model that answers from batch results.
struct BatchPlanTests {
    static func request(_ prompt: String, api: ModelAPI = .completions) -> ModelRequest {
        ModelRequest(api: api, prompt: prompt, maxTokens: 1, topLogprobs: 20)
    }

    /// A stand-in for the client's body encoder: canonical JSON with the model name.
    static func body(_ request: ModelRequest) -> Data {
        struct Body: Encodable {
            var model: String
            var prompt: String
        }
        return CanonicalJSON.encode(Body(model: "m", prompt: request.prompt))
    }

    /// A stand-in for the client's decoder: `{"text": …}`.
    static func decode(_ data: Data) throws -> ModelResponse {
        struct Body: Decodable { var text: String }
        let body = try JSONDecoder().decode(Body.self, from: data)
        return ModelResponse(text: body.text, firstTokenTopLogprobs: nil, finishReason: "stop")
    }

    // MARK: - Planning

    @Test func deduplicatesByCacheKeyKeepingFirstSeenOrder() {
        let requests = ["a", "b", "a", "c", "b"].map { Self.request($0) } + [Self.request("a", api: .chat)]
        let plan = BatchPlan(requests: requests, model: "m")
        #expect(plan.count == 4)
        #expect(plan.entries.map(\.request.prompt) == ["a", "b", "c", "a"])
        #expect(plan.keys == plan.entries.map { $0.request.cacheKey(model: "m") })
        #expect(plan.request(forKey: Self.request("c").cacheKey(model: "m"))?.prompt == "c")
        #expect(plan.request(forKey: "nope") == nil)
        // The model is part of the key.
        #expect(BatchPlan(requests: requests, model: "other").keys != plan.keys)
    }

    @Test func inputLineCarriesTheBodyByteForByte() throws {
        let body = Data(#"{"model":"m","prompt":"a\/b \u00e9 \"q\""}"#.utf8)
        let line = BatchPlan.inputLine(customID: "k1", api: .chat, body: body)
        #expect(line.range(of: body) != nil)
        struct Line: Decodable {
            var custom_id: String
            var method: String
            var url: String
        }
        let decoded = try JSONDecoder().decode(Line.self, from: line)
        #expect(decoded.custom_id == "k1")
        #expect(decoded.method == "POST")
        #expect(decoded.url == "/v1/chat/completions")
        #expect(BatchPlan.endpoint(for: .completions) == "/v1/completions")
    }

    @Test func splitsByRequestCountBytesAndAPI() throws {
        let requests =
            (0..<5).map { Self.request("prompt \($0)") } + (0..<2).map { Self.request("chat \($0)", api: .chat) }
        let plan = BatchPlan(requests: requests, model: "m")

        let byCount = plan.chunks(maxRequests: 2, body: Self.body)
        #expect(byCount.map(\.keys.count) == [2, 2, 1, 2])
        #expect(byCount.map(\.api) == [.completions, .completions, .completions, .chat])
        #expect(byCount.flatMap(\.keys) == plan.keys)
        for chunk in byCount {
            let lines = chunk.jsonl.split(separator: 0x0A)
            #expect(lines.count == chunk.keys.count)
            #expect(chunk.jsonl.last == 0x0A)
        }

        // Byte limit: each line is the same length here, so a limit of two and a half lines gives two per chunk.
        let lineLength =
            BatchPlan.inputLine(customID: plan.keys[0], api: .completions, body: Self.body(requests[0])).count + 1
        let byBytes = plan.chunks(maxBytes: lineLength * 5 / 2, body: Self.body)
        #expect(byBytes.map(\.keys.count) == [2, 2, 1, 2])
        #expect(byBytes.allSatisfy { $0.jsonl.count <= lineLength * 5 / 2 })

        // One line larger than the byte limit still goes out, alone.
        let tiny = plan.chunks(maxBytes: 10, body: Self.body)
        #expect(tiny.count == 7)

        // Default limits: one chunk per API.
        #expect(plan.chunks(body: Self.body).map(\.keys.count) == [5, 2])
    }

    @Test func rebuildingAChunkFromItsKeysGivesTheSameFile() throws {
        let plan = BatchPlan(requests: (0..<4).map { Self.request("p\($0)") }, model: "m")
        let chunk = try #require(plan.chunks(maxRequests: 3, body: Self.body).first)
        let rebuilt = try #require(plan.chunk(keys: chunk.keys + ["unknown"], body: Self.body))
        #expect(rebuilt == chunk)
        #expect(plan.chunk(keys: ["unknown"], body: Self.body) == nil)
    }

    // MARK: - Results

    static func line(_ customID: String, status: Int = 200, body: String) -> String {
        #"{"id":"r","custom_id":"\#(customID)","response":{"status_code":\#(status),"request_id":"q","body":\#(body)},"error":null}"#
    }

    @Test func parsesOutOfOrderLinesByCustomID() throws {
        let file = [
            Self.line("k3", body: #"{"text":"three"}"#),
            Self.line("k1", body: #"{"text":"one"}"#),
            Self.line("k2", body: #"{"text":"two","extra":[1,2.5,{"deep":null}],"flag":true}"#),
        ].joined(separator: "\n")
        let parsed = BatchPlan.parseResults(Data(file.utf8), file: "output") { try Self.decode($0) }
        #expect(parsed.problems.isEmpty)
        #expect(parsed.lines == 3)
        #expect(try parsed.results["k1"]?.get().text == "one")
        #expect(try parsed.results["k2"]?.get().text == "two")
        #expect(try parsed.results["k3"]?.get().text == "three")
    }

    @Test func theBodyIsFoundWhereverItSitsAndHandedOverAsItCame() throws {
        let bodies = Mutex<[String]>([])
        let file = [
            // Keys in another order, decoys named "body" elsewhere, braces and quotes inside strings.
            #"{"body":{"text":"decoy"},"error":null,"response":{"meta":{"body":1},"status_code":200,"body" : {"text":"a \"}\" b ]","n":[1,{"x":"}"}]}},"custom_id":"k1"}"#,
            #"{"custom_id":"k2","response":{"body":{"text":"\u00e9\n"},"status_code":200}}"#,
        ].joined(separator: "\n")
        let parsed = BatchPlan.parseResults(Data(file.utf8), file: "output") { data in
            bodies.withLock { $0.append(String(decoding: data, as: UTF8.self)) }
            return try Self.decode(data)
        }
        #expect(parsed.problems.isEmpty)
        #expect(try parsed.results["k1"]?.get().text == #"a "}" b ]"#)
        #expect(try parsed.results["k2"]?.get().text == "é\n")
        #expect(
            bodies.withLock { $0 } == [#"{"text":"a \"}\" b ]","n":[1,{"x":"}"}]}"#, #"{"text":"\u00e9\n"}"#]
        )
    }

    @Test func errorLinesAreClassifiedLikeInteractiveAnswers() throws {
        let file = [
            Self.line("s500", status: 500, body: #"{"error":{"message":"boom"}}"#),
            Self.line("s429", status: 429, body: #"{"error":{"message":"slow down"}}"#),
            Self.line("s400", status: 400, body: #"{"error":{"message":"bad"}}"#),
            #"{"id":"r","custom_id":"expired","response":null,"error":{"code":"batch_expired","message":"too late"}}"#,
            #"{"id":"r","custom_id":"cancelled","response":null,"error":{"code":"batch_cancelled","message":"x"}}"#,
            Self.line("undecodable", body: #"{"no_text":1}"#),
            #"{"id":"r","custom_id":"empty","response":null,"error":null}"#,
        ].joined(separator: "\r\n")
        let parsed = BatchPlan.parseResults(Data(file.utf8), file: "errors") { try Self.decode($0) }
        func failure(_ key: String) -> ModelFailure? {
            if case .failure(let failure) = parsed.results[key] { return failure }
            return nil
        }
        #expect(parsed.problems.isEmpty)
        #expect(failure("s500")?.kind == .serverError)
        #expect(failure("s500")?.status == 500)
        #expect(failure("s500")?.detail.contains("boom") == true)
        #expect(failure("s429")?.kind == .rateLimited)
        #expect(failure("s400")?.kind == .clientError)
        #expect(failure("expired")?.kind == .timeout)
        #expect(failure("expired")?.detail.contains("batch_expired") == true)
        #expect(failure("cancelled")?.kind == .serverError)
        #expect(failure("undecodable")?.kind == .malformedResponse)
        #expect(failure("empty")?.kind == .malformedResponse)
    }

    @Test func malformedLinesAreReportedWithTheirLineNumbersAndParsingGoesOn() throws {
        let file = [
            Self.line("k1", body: #"{"text":"one"}"#),
            "",
            "this is not json",
            #"{"id":"r","response":{"status_code":200,"body":{"text":"orphan"}}}"#,
            "   ",
            Self.line("k2", body: #"{"text":"two"}"#),
            Self.line("k2", status: 500, body: #"{"error":{}}"#),
            Self.line("k3", status: 500, body: #"{"error":{}}"#),
            Self.line("k3", body: #"{"text":"three"}"#),
        ].joined(separator: "\n")
        let parsed = BatchPlan.parseResults(Data(file.utf8), file: "output file f-1") { try Self.decode($0) }
        #expect(parsed.lines == 7)
        #expect(parsed.problems.map(\.line) == [3, 4, 7, 9])
        #expect(parsed.problems[0].description.hasPrefix("output file f-1 line 3: not a batch result line"))
        #expect(parsed.problems[1].message == "no custom_id")
        #expect(parsed.problems[2].message.contains("more than once"))
        // A success beats a failure for the same custom_id, whichever comes first.
        #expect(try parsed.results["k2"]?.get().text == "two")
        #expect(try parsed.results["k3"]?.get().text == "three")
        #expect(parsed.results.count == 3)
    }

    // MARK: - Job state

    @Test func jobStateRoundTripsAtomicallyWithoutCredentials() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batch-state-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("runs/r1").appendingPathComponent(BatchJobState.fileName)
        #expect(try BatchJobState.load(from: url) == nil)

        var job = BatchJobState.Job(api: .chat, keys: ["k1", "k2"])
        job.inputFileID = "file-1"
        var state = BatchJobState(
            runID: "r1",
            model: "m",
            endpoint: "https://user:pw@api.example.com/v1",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            jobs: [job]
        )
        #expect(state.endpoint == "https://api.example.com/v1")
        #expect(!state.isTerminal)
        try state.save(to: url)
        #expect(try BatchJobState.load(from: url) == state)

        state.jobs[0].batchID = "batch_1"
        state.jobs[0].status = "expired"
        state.jobs[0].requestCounts = .init(total: 2, completed: 1, failed: 1)
        try state.save(to: url)
        let loaded = try #require(try BatchJobState.load(from: url))
        #expect(loaded == state)
        #expect(loaded.isTerminal)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(#""batch_id" : "batch_1""#))
        #expect(!text.contains("pw"))
        // Only the state file is left: the atomic write's temporary file is gone.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == [
                BatchJobState.fileName
            ]
        )

        for status in ["completed", "failed", "expired", "cancelled"] { #expect(BatchJobState.isTerminal(status)) }
        for status in ["validating", "in_progress", "finalizing", "cancelling"] {
            #expect(!BatchJobState.isTerminal(status))
        }
    }

    // MARK: - Answering from results

    @Test func batchAnsweredModelServesResultsAndFallsBackOrFails() async throws {
        let inner = ScriptedLanguageModel(name: "m") { request in
            ModelResponse(text: "interactive " + request.prompt, firstTokenTopLogprobs: nil, finishReason: "stop")
        }
        let answered = Self.request("answered")
        let failed = Self.request("failed")
        let uncovered = Self.request("uncovered")
        let results: [String: Result<ModelResponse, ModelFailure>] = [
            answered.cacheKey(model: "m"): .success(
                ModelResponse(text: "batch", firstTokenTopLogprobs: nil, finishReason: "stop")
            ),
            failed.cacheKey(model: "m"): .failure(ModelFailure(kind: .timeout, detail: "expired")),
        ]

        let withFallback = BatchAnsweredModel(inner: inner, results: results, fallback: true)
        #expect(withFallback.identity == inner.identity)
        #expect(try await withFallback.send(answered).response.text == "batch")
        #expect(try await withFallback.send(failed).response.text == "interactive failed")
        #expect(try await withFallback.send(uncovered).response.text == "interactive uncovered")
        #expect(withFallback.answered == .init(fromBatch: 1, interactive: 2, failed: 0))
        #expect(inner.requestCount == 2)

        let strict = BatchAnsweredModel(inner: inner, results: results, fallback: false)
        #expect(try await strict.send(answered).response.text == "batch")
        await #expect(throws: ModelFailure(kind: .timeout, detail: "expired")) { try await strict.send(failed) }
        do {
            _ = try await strict.send(uncovered)
            Issue.record("expected a failure")
        } catch let failure as ModelFailure {
            #expect(failure.kind == .connection)
        }
        #expect(strict.answered == .init(fromBatch: 1, interactive: 0, failed: 2))
        #expect(inner.requestCount == 2)
    }

    // MARK: - Runner requests

    @Test func runnerRequestsAreTheOnesTheRunLooksUp() async throws {
        let suite = StarterSuite.suite.prefix(10)
        let store = InMemoryResultStore()
        let model = ScriptedLanguageModel.biased(name: "m", weights: ["A": 0.6, "B": 0.4])
        let runner = EvaluationRunner(model: model, store: store, configuration: .init(api: .chat, scoring: .logprobs))
        let variants = [PromptVariant.default, PromptVariant(sample: 1)]
        let requests = runner.requests(for: suite, variants: variants)
        #expect(requests.count == 20)
        let pending = try await runner.uncachedRequests(for: suite, variants: variants)
        #expect(pending.count == Set(requests.map { $0.cacheKey(model: "m") }).count)

        _ = try await runner.run(suite, variants: variants, toolVersion: "test")
        let results = try await store.results(
            runID: runner.runRecord(for: suite, variants: variants, toolVersion: "test").id
        )
        #expect(Set(results.map(\.cacheKey)) == Set(requests.map { $0.cacheKey(model: "m") }))
        #expect(try await runner.uncachedRequests(for: suite, variants: variants).isEmpty)
    }
}

public import CultureLensCore
public import Foundation

/// Runs a set of requests through a provider's batch API (a ``BatchProvider``: the OpenAI Batch API, Anthropic's
/// Message Batches), resumably: plan, upload (where the provider takes files), create, poll, download, parse.
///
/// Every step is recorded in a ``BatchJobState`` file before the next one starts, so an invocation stopped at any
/// point (Ctrl-C, `kill -9`, a dropped network) is resumed by the next one: recorded input files are not uploaded
/// again and recorded batches are polled, not created again. Only once the caller has saved the responses does
/// ``markCollected()`` let a later invocation plan new batches.
///
/// ```swift
/// let coordinator = BatchCoordinator(provider: client, configuration: .init(stateFile: url, runID: run.id,
///                                    model: "gpt-4o-mini", endpoint: baseURL))
/// if let state = try await coordinator.submit(try await runner.uncachedRequests(for: suite)) {
///     let collection = try await coordinator.collect(try await coordinator.wait(state))
///     // run the runner with BatchAnsweredModel(inner: client, results: collection.results, fallback: true)
///     try coordinator.markCollected()
/// }
/// ```
public struct BatchCoordinator: Sendable {
    /// Coordinator settings.
    public struct Configuration: Sendable {
        /// Where the job state lives (`<run directory>/batch-state.json`).
        public var stateFile: URL
        /// The run the requests belong to; a state file of another run is not touched.
        public var runID: String
        /// Model name: in every body and cache key.
        public var model: String
        /// The base URL, recorded (without user info) so a state file is not resumed against another provider.
        public var endpoint: String
        /// Time between status checks.
        public var pollInterval: Duration
        /// Most requests per batch.
        public var maxRequestsPerBatch: Int
        /// Most input-file bytes per batch.
        public var maxBytesPerBatch: Int

        /// Creates a configuration.
        public init(
            stateFile: URL,
            runID: String,
            model: String,
            endpoint: String,
            pollInterval: Duration = .seconds(30),
            maxRequestsPerBatch: Int = BatchPlan.defaultMaxRequests,
            maxBytesPerBatch: Int = BatchPlan.defaultMaxBytes
        ) {
            self.stateFile = stateFile
            self.runID = runID
            self.model = model
            self.endpoint = endpoint
            self.pollInterval = pollInterval
            self.maxRequestsPerBatch = maxRequestsPerBatch
            self.maxBytesPerBatch = maxBytesPerBatch
        }
    }

    /// The provider's batch API.
    public let provider: any BatchProvider
    /// The settings in force.
    public let configuration: Configuration
    private let log: @Sendable (String) -> Void
    private let clock: any Clock<Duration>

    /// Creates a coordinator.
    /// - Parameters:
    ///   - provider: The provider's batch API.
    ///   - configuration: Settings.
    ///   - clock: The clock the wait between polls sleeps on; a test passes a manual one.
    ///   - log: Receives one human-readable line per step and per status change (the CLI prints them on stderr).
    public init(
        provider: any BatchProvider,
        configuration: Configuration,
        clock: any Clock<Duration> = ContinuousClock(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.provider = provider
        self.configuration = configuration
        self.clock = clock
        self.log = log
    }

    /// Creates a coordinator over the OpenAI Batch API.
    public init(
        client: OpenAIBatchClient,
        configuration: Configuration,
        clock: any Clock<Duration> = ContinuousClock(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(provider: client, configuration: configuration, clock: clock, log: log)
    }

    // MARK: - Submit

    /// Makes sure batches exist for the run: resumes the batches recorded in the state file when it has some that
    /// were not collected yet (uploading or creating only what is missing), otherwise plans `pending` into new
    /// batches and submits them.
    /// - Parameter pending: The run's requests the cache cannot answer (``EvaluationRunner/uncachedRequests(for:variants:)``).
    /// - Returns: the state with every batch created; `nil` when there is nothing to submit or resume.
    /// - Throws: ``BatchError`` when the state file belongs to another run, model or endpoint, or cannot be
    ///   read; ``ModelFailure`` when the provider refuses; `CancellationError`.
    public func submit(_ pending: [ModelRequest]) async throws -> BatchJobState? {
        let provider = provider
        if let failure = pending.lazy.compactMap(provider.unsupportedContent(in:)).first { throw failure }
        let model = configuration.model
        let body: (ModelRequest) -> Data = { provider.requestBody(for: $0, model: model) }
        let line: (String, ModelAPI, Data) -> Data = { provider.inputLine(customID: $0, api: $1, body: $2) }
        let plan = BatchPlan(requests: pending, model: model)
        var state: BatchJobState
        var fresh: [Int: BatchPlan.Chunk] = [:]
        if let existing = try loadState(), !existing.collected {
            try checkBelongs(existing)
            state = existing
            // Requests of batches never uploaded may have been answered since (e.g. interactively): drop them.
            let pendingKeys = Set(plan.keys)
            for index in state.jobs.indices where state.jobs[index].inputFileID == nil {
                state.jobs[index].keys.removeAll { !pendingKeys.contains($0) }
            }
            state.jobs.removeAll { $0.inputFileID == nil && $0.keys.isEmpty }
            guard !state.jobs.isEmpty else { return nil }
            try save(state)
            log("batch: resuming \(state.jobs.count) batch(es) recorded in \(configuration.stateFile.path)")
        } else {
            guard plan.count > 0 else { return nil }
            let chunks = plan.chunks(
                maxRequests: configuration.maxRequestsPerBatch,
                maxBytes: configuration.maxBytesPerBatch,
                body: body,
                line: line
            )
            state = BatchJobState(
                runID: configuration.runID,
                model: model,
                endpoint: configuration.endpoint,
                jobs: chunks.map { BatchJobState.Job(api: $0.api, keys: $0.keys) }
            )
            for (index, chunk) in chunks.enumerated() { fresh[index] = chunk }
            try save(state)
            log("batch: \(plan.count) request(s) to submit in \(chunks.count) batch(es)")
        }

        for index in state.jobs.indices where state.jobs[index].batchID == nil {
            let label = "batch \(index + 1)/\(state.jobs.count)"
            let recordedFile = state.jobs[index].inputFileID
            let input: BatchInput
            if let recordedFile {
                input = .uploaded(fileID: recordedFile, api: state.jobs[index].api)
            } else {
                guard let chunk = fresh[index] ?? plan.chunk(keys: state.jobs[index].keys, body: body, line: line)
                else {
                    continue
                }
                state.jobs[index].keys = chunk.keys
                if let fileID = try await provider.uploadInput(
                    chunk,
                    filename: "culturelens-\(configuration.runID)-\(index + 1).jsonl"
                ) {
                    state.jobs[index].inputFileID = fileID
                    try save(state)
                    log("\(label): uploaded \(fileID) (\(chunk.keys.count) requests, \(Self.size(chunk.jsonl.count)))")
                    input = .uploaded(fileID: fileID, api: chunk.api)
                } else {
                    input = .inline(chunk)
                }
            }
            // An earlier invocation may have died after creating the batch but before recording it: adopt that
            // batch rather than paying for a second one.
            let created: ProviderBatch
            if let recordedFile, let batch = await provider.batchCreated(fromInputFile: recordedFile) {
                created = batch
                log("\(label): found \(batch.id), created earlier for \(recordedFile)")
            } else {
                created = try await provider.createBatch(input)
                log("\(label): created \(created.id)")
            }
            state.jobs[index].batchID = created.id
            Self.apply(created, to: &state.jobs[index])
            try save(state)
        }
        return state
    }

    // MARK: - Wait

    /// Polls every unfinished batch until all are final, saving each status change and logging it.
    /// - Parameters:
    ///   - state: The state returned by ``submit(_:)``.
    ///   - shouldStop: Checked between polls (at least every 200 ms): when it turns true, the wait ends with
    ///     ``BatchError/interrupted`` and the batches go on at the provider, to be collected later.
    /// - Returns: the state with every batch final.
    public func wait(
        _ state: BatchJobState,
        shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> BatchJobState {
        var state = state
        while true {
            for index in state.jobs.indices where !state.jobs[index].isTerminal {
                guard let id = state.jobs[index].batchID else {
                    throw BatchError(.invalidState, "batch \(index + 1) was never created; submit it first")
                }
                let before = state.jobs[index]
                Self.apply(try await provider.batchStatus(id: id), to: &state.jobs[index])
                if state.jobs[index] != before {
                    try save(state)
                    log(Self.statusLine(state.jobs[index], index: index, of: state.jobs.count))
                }
            }
            if state.isTerminal { return state }
            try await Self.pause(configuration.pollInterval, on: clock, shouldStop: shouldStop)
        }
    }

    /// Sleeps `interval` on `clock` in steps of at most 200 ms, checking `shouldStop` before each.
    private static func pause(
        _ interval: Duration,
        on clock: any Clock<Duration>,
        shouldStop: () -> Bool
    ) async throws {
        let elapsed = stopwatch(clock)
        while true {
            if shouldStop() {
                throw BatchError(.interrupted, "stopped while the batches run at the provider")
            }
            let remaining = interval - elapsed()
            guard remaining > .zero else { break }
            try await clock.sleep(for: min(.milliseconds(200), remaining))
        }
    }

    /// A function reading the time since now on `clock`.
    private static func stopwatch<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let origin = clock.now
        return { origin.duration(to: clock.now) }
    }

    // MARK: - Collect

    /// Downloads and parses the output and error files of every batch.
    ///
    /// Every key the batches cover gets a result: a response, the failure its line reported, or, when no line
    /// mentions it, a failure saying why (the batch failed, expired, was cancelled, or just left it out).
    public func collect(_ state: BatchJobState) async throws -> BatchCollection {
        var collection = BatchCollection()
        for (index, job) in state.jobs.enumerated() {
            let label = "batch \(index + 1)/\(state.jobs.count)" + (job.batchID.map { " \($0)" } ?? "")
            let parsed = try await provider.results(of: job)
            let covered = Set(job.keys)
            var stray = 0
            for (key, result) in parsed.results {
                guard covered.contains(key) else {
                    stray += 1
                    continue
                }
                collection.results[key] = result.mapError { failure in
                    var failure = failure
                    failure.detail = "\(label): \(failure.detail)"
                    return failure
                }
            }
            var missing = 0
            for key in job.keys where parsed.results[key] == nil {
                missing += 1
                collection.results[key] = .failure(Self.missingFailure(job, label: label))
            }
            collection.missing += missing
            collection.problems += parsed.problems
            if stray > 0 {
                collection.problems.append(
                    BatchFileProblem(
                        file: label,
                        line: 0,
                        message: "\(stray) line(s) with a custom_id not in this batch, ignored"
                    )
                )
            }
            log(
                "\(label): \(job.status ?? "unknown"), \(parsed.lines) result line(s) downloaded, \(missing) request(s) missing"
            )
        }
        return collection
    }

    /// Records that every response was saved, so the next invocation plans new batches instead of collecting
    /// these again.
    public func markCollected() throws {
        guard var state = try loadState(), !state.collected else { return }
        state.collected = true
        try save(state)
    }

    /// Reads the state file of the run directory, if any.
    public func loadState() throws -> BatchJobState? {
        do {
            return try BatchJobState.load(from: configuration.stateFile)
        } catch {
            throw BatchError(.invalidState, "cannot read \(configuration.stateFile.path): \(error)")
        }
    }

    // MARK: - Helpers

    private func save(_ state: BatchJobState) throws {
        try state.save(to: configuration.stateFile)
    }

    private func checkBelongs(_ state: BatchJobState) throws {
        let endpoint = BatchJobState(runID: "", model: "", endpoint: configuration.endpoint, jobs: []).endpoint
        var mismatches: [String] = []
        if state.runID != configuration.runID { mismatches.append("run \(state.runID), not \(configuration.runID)") }
        if state.model != configuration.model { mismatches.append("model \(state.model), not \(configuration.model)") }
        if state.endpoint != endpoint { mismatches.append("endpoint \(state.endpoint), not \(endpoint)") }
        guard mismatches.isEmpty else {
            throw BatchError(
                .stateMismatch,
                "\(configuration.stateFile.path) holds uncollected batches of another run (\(mismatches.joined(separator: "; "))): "
                    + "collect them with that run's command, or delete the file to abandon them"
            )
        }
    }

    private static func apply(_ batch: ProviderBatch, to job: inout BatchJobState.Job) {
        job.status = batch.status
        job.outputFileID = batch.outputFileID ?? job.outputFileID
        job.errorFileID = batch.errorFileID ?? job.errorFileID
        job.resultsURL = batch.resultsURL ?? job.resultsURL
        job.requestCounts = batch.requestCounts ?? job.requestCounts
        if let errors = batch.errors, !errors.isEmpty { job.errors = errors }
    }

    /// One status line, e.g. `batch 1/2 batch_abc: in_progress, 40/120 done, 1 failed`.
    static func statusLine(_ job: BatchJobState.Job, index: Int, of total: Int) -> String {
        var line = "batch \(index + 1)/\(total) \(job.batchID ?? "?"): \(job.status ?? "unknown")"
        if let counts = job.requestCounts {
            line += ", \(counts.completed)/\(counts.total) done, \(counts.failed) failed"
        }
        if let errors = job.errors, !errors.isEmpty { line += "; errors: " + errors.prefix(3).joined(separator: "; ") }
        return line
    }

    private static func missingFailure(_ job: BatchJobState.Job, label: String) -> ModelFailure {
        switch job.status {
        case "failed":
            let why = job.errors.map { ": " + $0.prefix(3).joined(separator: "; ") } ?? ""
            return ModelFailure(kind: .clientError, detail: "\(label) failed\(why)")
        case "expired":
            return ModelFailure(kind: .timeout, detail: "\(label) expired before answering this request")
        case "cancelled":
            return ModelFailure(kind: .serverError, detail: "\(label) was cancelled before answering this request")
        default:
            return ModelFailure(
                kind: .serverError,
                detail: "\(label): no line for this request in the output or error file"
            )
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes < 1_000_000 ? "\(max(1, bytes / 1000)) kB" : String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}

/// Everything the batches of a run answered.
public struct BatchCollection: Sendable {
    /// A response or a failure for every key the batches cover.
    public var results: [String: Result<ModelResponse, ModelFailure>] = [:]
    /// Keys no line mentioned (included in ``results`` as failures).
    public var missing = 0
    /// Lines of the output and error files that could not be used.
    public var problems: [BatchFileProblem] = []

    /// Creates an empty collection.
    public init() {}

    /// Keys answered with a response.
    public var answered: Int {
        results.values.reduce(0) { count, result in
            if case .success = result { return count + 1 }
            return count
        }
    }

    /// Failed keys (missing ones included) by kind.
    public var failuresByKind: [FailureKind: Int] {
        var counts: [FailureKind: Int] = [:]
        for case .failure(let failure) in results.values { counts[failure.kind, default: 0] += 1 }
        return counts
    }

    /// Failed keys, missing ones included.
    public var failed: Int { results.count - answered }
}

/// Why batch coordination stopped.
public struct BatchError: Error, Sendable, Equatable, CustomStringConvertible {
    fileprivate enum Code: Sendable, Equatable {
        case stateMismatch
        case interrupted
        case invalidState
    }

    private let code: Code
    /// What happened and what to do.
    public let detail: String

    fileprivate init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The state file belongs to another run, model or endpoint.
    public static let stateMismatch = BatchError(.stateMismatch, "")
    /// The wait was stopped; the batches go on at the provider.
    public static let interrupted = BatchError(.interrupted, "")
    /// The state file cannot be read or is inconsistent.
    public static let invalidState = BatchError(.invalidState, "")

    /// Errors compare by kind, not detail, so `error == .interrupted` works.
    public static func == (lhs: BatchError, rhs: BatchError) -> Bool { lhs.code == rhs.code }

    public var description: String { detail }
}

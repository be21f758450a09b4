import Foundation
import Synchronization

/// Counters describing a run in progress, for the progress line.
public struct RunProgress: Sendable, Hashable {
    /// Items with a result (scored or failed).
    public var done: Int
    /// Items in the run.
    public var total: Int
    /// Responses served from the cache.
    public var cacheHits: Int
    /// Items that failed.
    public var errors: Int
    /// Retries made (attempts beyond the first).
    public var retries: Int
    /// Seconds since this invocation started.
    public var elapsed: Double

    /// Items per second in this invocation.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Estimated seconds to completion.
    public var eta: Double? {
        let rate = rate
        return rate > 0 ? Double(total - done) / rate : nil
    }
}

/// A flag the CLI raises on Ctrl-C: no new item starts, in-flight items finish and are saved.
public final class StopSignal: Sendable {
    private let flag = Mutex(false)

    /// Creates a lowered flag.
    public init() {}

    /// Raises the flag.
    public func stop() { flag.withLock { $0 = true } }

    /// Whether the flag is raised.
    public var isStopped: Bool { flag.withLock { $0 } }
}

/// Runs a suite against a model with bounded concurrency, reusing cached responses and resuming earlier results.
public struct EvaluationRunner: Sendable {
    /// Runner settings.
    public struct Configuration: Sendable, Hashable {
        /// API to call.
        public var api: ModelAPI
        /// Scoring mode.
        public var scoring: ScoringMode
        /// Requests in flight at once.
        public var concurrency: Int
        /// Alternatives per position asked for in logprob mode.
        public var topLogprobs: Int
        /// Tokens generated in generate mode.
        public var generateMaxTokens: Int
        /// Sampling temperature of generate-mode requests. Above 0, each request also carries its variant's
        /// ``PromptVariant/sample`` index as its seed, so repeated samples are distinct, cached, reproducible requests.
        public var temperature: Double

        /// Creates a configuration.
        public init(
            api: ModelAPI,
            scoring: ScoringMode,
            concurrency: Int = 16,
            topLogprobs: Int = 20,
            generateMaxTokens: Int = 48,
            temperature: Double = 0
        ) {
            self.api = api
            self.scoring = scoring
            self.concurrency = concurrency
            self.topLogprobs = topLogprobs
            self.generateMaxTokens = generateMaxTokens
            self.temperature = temperature
        }
    }

    /// The model.
    public var model: any LanguageModel
    /// The store.
    public var store: any ResultStore
    /// Settings.
    public var configuration: Configuration
    /// What the run may spend and has spent on model calls (`run --max-requests/--max-tokens/--max-cost`), shared
    /// by copies of the runner; a refused call raises the run's stop signal.
    public var budget: RequestBudget?
    private let builder = PromptBuilder()

    /// Creates a runner.
    public init(model: any LanguageModel, store: any ResultStore, configuration: Configuration) {
        self.model = model
        self.store = store
        self.configuration = configuration
    }

    /// The scoring mode for one item and variant: short answers and reason-first prompts need generated text
    /// whatever the run's mode.
    public func scoringMode(for item: Item, variant: PromptVariant) -> ScoringMode {
        item.kind == .shortAnswer || variant.reasoning == .reasonFirst ? .generate : configuration.scoring
    }

    /// The request for one rendered prompt of `item` under this configuration.
    public func request(for prompt: RenderedPrompt, item: Item) -> ModelRequest {
        switch scoringMode(for: item, variant: prompt.variant) {
        case .logprobs:
            return ModelRequest(
                api: configuration.api,
                messages: prompt.messages,
                maxTokens: 1,
                topLogprobs: configuration.topLogprobs
            )
        case .generate:
            let tokens =
                prompt.variant.reasoning == .reasonFirst
                ? max(256, configuration.generateMaxTokens) : configuration.generateMaxTokens
            guard configuration.temperature > 0 else {
                return ModelRequest(
                    api: configuration.api,
                    messages: prompt.messages,
                    maxTokens: tokens,
                    topLogprobs: nil
                )
            }
            return ModelRequest(
                api: configuration.api,
                messages: prompt.messages,
                maxTokens: tokens,
                temperature: configuration.temperature,
                topLogprobs: nil,
                seed: prompt.variant.sample
            )
        }
    }

    /// The run record this runner would open for `suite` under `variants`.
    public func runRecord(
        for suite: Suite,
        variants: [PromptVariant] = [.default],
        toolVersion: String,
        now: Date = Date()
    ) -> RunRecord {
        let specHash = suite.specHash
        let variantIDs = variants.map(\.id)
        return RunRecord(
            id: RunRecord.makeID(
                suite: suite.name,
                specHash: specHash,
                model: model.identity.name,
                api: configuration.api,
                scoring: configuration.scoring,
                itemCount: suite.items.count,
                variants: variantIDs
            ),
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: specHash,
            model: model.identity.name,
            endpoint: model.identity.endpoint,
            api: configuration.api,
            scoring: configuration.scoring,
            itemCount: suite.items.count,
            toolVersion: toolVersion,
            createdAt: now,
            variants: variantIDs == ["default"] ? nil : variantIDs
        )
    }

    /// Evaluates every item of `suite`, answering from the cache where it can.
    ///
    /// Each finished item is saved at once, together with its response, so a crash loses nothing done and the
    /// next invocation of the same run finds those responses in the cache. Transport failures are not cached
    /// and are tried again by the next invocation.
    /// - Returns: the run record (completed, or interrupted when `stop` was raised) and all its results.
    public func run(
        _ suite: Suite,
        variants: [PromptVariant] = [.default],
        toolVersion: String,
        stop: StopSignal = StopSignal(),
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> (run: RunRecord, results: [ItemResult]) {
        let run = try await execute(suite, variants: variants, toolVersion: toolVersion, stop: stop, progress: progress)
        return (run, try await store.results(runID: run.id))
    }

    /// Evaluates every item of `suite` like ``run(_:variants:toolVersion:stop:progress:)``, without reading the
    /// results back: for callers that stream them from the store (``ResultStore/forEachResult(runID:pageSize:_:)``),
    /// so a large run's results are never all in memory.
    /// - Returns: the run record (completed, or interrupted when `stop` was raised).
    public func execute(
        _ suite: Suite,
        variants: [PromptVariant] = [.default],
        toolVersion: String,
        stop: StopSignal = StopSignal(),
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> RunRecord {
        var run = try await store.openRun(runRecord(for: suite, variants: variants, toolVersion: toolVersion))
        run.status = .running
        run.finishedAt = nil
        try await store.updateRun(run)

        // Every item goes through the cache: items finished by an earlier (even killed) invocation are cache hits,
        // so nothing is requested twice, and the results table's key keeps each item counted once.
        let pending = suite.items.enumerated().flatMap { index, item in variants.map { (index, item, $0) } }
        let start = ContinuousClock.now
        var state = RunProgress(done: 0, total: pending.count, cacheHits: 0, errors: 0, retries: 0, elapsed: 0)
        progress(state)

        let runID = run.id
        let concurrency = max(1, configuration.concurrency)
        // `concurrency` bounds requests in flight, not items: an item holds a request slot only while its model call
        // is out, so a finished request's slot goes straight to an item that has already done its cache lookup,
        // while the finished item is scored and saved (the save waits for its commit) outside the slot. The window
        // of items is twice the slots so a whole wave of next requests is ready; it stays bounded, so memory does.
        // At 1 the run stays strictly sequential: each item sees its predecessor's response in the cache.
        let requests = concurrency > 1 ? ConcurrencyLimiter(limit: concurrency) : nil
        let window = concurrency > 1 ? 2 * concurrency : 1
        try await withThrowingTaskGroup(of: ItemResult?.self) { group in
            var iterator = pending.makeIterator()
            var inFlight = 0
            func schedule() {
                while inFlight < window, !stop.isStopped, let (index, item, variant) = iterator.next() {
                    inFlight += 1
                    group.addTask {
                        try await evaluate(
                            item,
                            index: index,
                            variant: variant,
                            runID: runID,
                            requests: requests,
                            stop: stop
                        )
                    }
                }
            }
            schedule()
            while let outcome = try await group.next() {
                inFlight -= 1
                if let result = outcome {
                    state.done += 1
                    if result.cached { state.cacheHits += 1 }
                    if result.failure != nil { state.errors += 1 }
                    state.retries += max(0, result.attempts - 1)
                    state.elapsed = Self.seconds(since: start)
                    progress(state)
                }
                schedule()
            }
        }

        run.status = stop.isStopped && state.done < state.total ? .interrupted : .completed
        run.finishedAt = Date()
        try await store.updateRun(run)
        return run
    }

    /// Whether a failure is a transport failure, worth trying again on resume; answer-level failures (refusals, parse failures)
    /// are properties of the response and stay.
    public static func isTransient(_ kind: FailureKind?) -> Bool {
        switch kind {
        case .rateLimited, .serverError, .clientError, .timeout, .connection, .malformedResponse: true
        case .missingLogprobs, .noLabelInTopLogprobs, .parseFailure, .refusal, nil: false
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Evaluates one item under one variant (answering from the cache when it can) and saves its result with
    /// its response; used by ``run(_:variants:toolVersion:stop:progress:)`` and by distributed workers.
    public func evaluate(_ item: Item, index: Int, variant: PromptVariant, runID: String) async throws -> ItemResult {
        // Without a stop signal the item always runs to its result.
        guard
            let result = try await evaluate(
                item,
                index: index,
                variant: variant,
                runID: runID,
                requests: nil,
                stop: nil
            )
        else { preconditionFailure("an item without a stop signal is never skipped") }
        return result
    }

    /// Evaluates one item as ``evaluate(_:index:variant:runID:)`` does, holding a permit of `requests` (when given)
    /// only around the model call: a cache hit takes none.
    /// - Returns: `nil` when `stop` was raised before the item's request could be sent; nothing was saved for it.
    func evaluate(
        _ item: Item,
        index: Int,
        variant: PromptVariant,
        runID: String,
        requests: ConcurrencyLimiter?,
        stop: StopSignal?
    ) async throws -> ItemResult? {
        if stop?.isStopped == true { return nil }
        let prompt = builder.render(item, variant: variant)
        let request = request(for: prompt, item: item)
        let key = request.cacheKey(model: model.identity.name)
        var result = ItemResult.unanswered(
            runID: runID,
            item: item,
            index: index,
            variant: variant.id,
            prompt: prompt.displayText,
            cacheKey: key
        )
        var entry: CacheEntry?
        let response: ModelResponse
        if let hit = try await store.cachedResponse(key: key) {
            response = hit
            result.cached = true
        } else {
            // Over a budget cap: raise the stop, and leave this item (not sent) for the next invocation.
            var reservation: RequestBudget.Reservation?
            if let budget {
                guard let reserved = budget.reserve(request) else {
                    stop?.stop()
                    return nil
                }
                reservation = reserved
            }
            do {
                let reply: ModelReply
                if let requests {
                    try await requests.acquire()
                    // Raised while this item waited for its slot: it has not started, so it is left for resume.
                    if stop?.isStopped == true {
                        requests.release()
                        if let reservation { budget?.cancel(reservation) }
                        return nil
                    }
                    defer { requests.release() }
                    reply = try await model.send(request)
                } else {
                    reply = try await model.send(request)
                }
                if let reservation {
                    budget?.settle(reservation, usage: reply.usage, outputCharacters: reply.response.text.count)
                }
                response = reply.response
                result.attempts = reply.attempts
                entry = CacheEntry(key: key, request: request, model: model.identity.name, response: response)
            } catch let failure as ModelFailure {
                if let reservation { budget?.settle(reservation, usage: nil, outputCharacters: 0) }
                result.failure = failure.kind
                result.failureDetail = failure.detail
                result.attempts = failure.attempts
                try await store.save(result, cacheEntry: nil)
                return result
            }
        }
        let outcome = ItemScorer(mode: scoringMode(for: item, variant: variant)).score(
            response,
            prompt: prompt,
            item: item
        )
        result.response = response.text
        result.distribution = outcome.distribution
        result.outsideMass = outcome.outsideMass
        result.predicted = outcome.predicted
        result.score = outcome.score
        result.failure = outcome.failure
        if outcome.failure != nil { result.failureDetail = "response text: \(response.text.prefix(200))" }
        try await store.save(result, cacheEntry: entry)
        return result
    }
}

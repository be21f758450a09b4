public import CultureLensCore
import CultureLensStatistics
import Foundation
import Synchronization

/// A ``LanguageModel`` over several endpoints serving the same model: adaptive concurrency per endpoint,
/// requests-/tokens-per-minute limits, least-outstanding balancing, health tracking and failover.
///
/// - **Balancing.** Each attempt goes to the healthy endpoint with the fewest outstanding requests relative to its
///   current limit (ties: the one that was sent fewer). When every endpoint is at its limit the attempt waits in a
///   FIFO queue; a cancelled waiter leaves the queue without taking anything.
/// - **Limits.** Per endpoint an ``AdaptiveConcurrency`` (AIMD on 429, 5xx and latency) or a fixed limit, and an
///   optional ``RateLimiter`` (its RPM/TPM apply to each endpoint separately). A timeout is not a congestion signal:
///   a server that accepts a request and never answers it says nothing about load, and counting such requests as
///   overload let a few silent requests collapse the limit to its minimum.
/// - **Hedging.** With ``Configuration/hedge`` on, an attempt that has not answered by its endpoint's
///   ``HedgePolicy`` deadline gets a second copy (on another endpoint when one is usable, else on another
///   connection), within the policy's budget; the first answer wins and the other copy is cancelled. A hedge takes
///   no slot under the concurrency limit (the copy it stands in for is most likely dead, and waiting for a slot
///   behind other stalled requests would defeat it) but respects the rate limits.
/// - **Health.** A connection failure, timeout or 5xx marks an endpoint down for a cooldown that doubles with each
///   consecutive failure (1 s, 2 s, 4 s … 30 s). When the cooldown ends one half-open probe is let through; its
///   success brings the endpoint back. Down endpoints are skipped while another is usable; when none is, all are
///   tried, so a single endpoint behaves like a plain client.
/// - **Retries and failover.** The pool owns the retries (the clients make one attempt each). A failed attempt is
///   retried on another endpoint at once when one is usable, otherwise after the ``RetryStateMachine`` back-off.
///   Client errors (4xx) are not failover-worthy: they are given up on, as by ``OpenAIClient``.
///
/// The cache key depends only on the model name and the request, never on which endpoint answered;
/// ``identity``'s endpoint lists every URL, joined by commas.
public final class EndpointPool: LanguageModel {
    /// How each endpoint's concurrency limit is set.
    public enum ConcurrencyMode: Sendable, Hashable {
        /// AIMD between the configuration's minimum and maximum.
        case adaptive(AdaptiveConcurrency.Configuration)
        /// A fixed number of requests in flight per endpoint.
        case fixed(Int)
    }

    /// Pool settings.
    public struct Configuration: Sendable, Hashable {
        /// Retry policy across endpoints.
        public var retry: RetryStateMachine.Configuration
        /// Concurrency limit per endpoint.
        public var concurrency: ConcurrencyMode
        /// Requests/tokens per minute, per endpoint.
        public var rateLimit: RateLimiter.Configuration
        /// First cooldown of an endpoint marked down, in seconds; doubled per consecutive failure.
        public var cooldown: Double
        /// Longest cooldown, in seconds.
        public var maxCooldown: Double
        /// Seed for retry jitter.
        public var jitterSeed: UInt64
        /// When slow attempts get a second copy; off by default.
        public var hedge: HedgePolicy.Configuration

        /// Creates a configuration.
        public init(
            retry: RetryStateMachine.Configuration = .init(),
            concurrency: ConcurrencyMode = .adaptive(.init()),
            rateLimit: RateLimiter.Configuration = .init(),
            cooldown: Double = 1,
            maxCooldown: Double = 30,
            jitterSeed: UInt64 = 0x5EED,
            hedge: HedgePolicy.Configuration = .off
        ) {
            self.hedge = hedge
            self.retry = retry
            self.concurrency = concurrency
            self.rateLimit = rateLimit
            self.cooldown = max(0, cooldown)
            self.maxCooldown = max(self.cooldown, maxCooldown)
            self.jitterSeed = jitterSeed
        }
    }

    /// The settings in force.
    public let configuration: Configuration
    /// Name and every endpoint, comma-separated.
    public let identity: ModelIdentity
    private let models: [any LanguageModel]
    private let state: Mutex<PoolState>
    private let clock: any Clock<Duration>
    /// Time since the pool was created, on `clock`.
    private let elapsed: @Sendable () -> Duration

    /// Creates a pool over `models`, which must all serve the same model name and should make a single attempt per
    /// `send` (the pool retries).
    /// - Parameters:
    ///   - models: The endpoints.
    ///   - configuration: Settings.
    ///   - clock: The clock for latencies, cooldowns, rate limits and back-off; a test passes a manual one.
    public init(
        models: [any LanguageModel],
        configuration: Configuration = .init(),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        precondition(!models.isEmpty, "an endpoint pool needs at least one endpoint")
        self.models = models
        self.configuration = configuration
        self.clock = clock
        elapsed = Self.stopwatch(clock)
        identity = ModelIdentity(
            name: models[0].identity.name,
            endpoint: models.map(\.identity.endpoint).joined(separator: ",")
        )
        state = Mutex(
            PoolState(
                endpoints: models.map { _ in EndpointState(configuration: configuration) },
                hedge: HedgePolicy(configuration: configuration.hedge)
            )
        )
    }

    /// Creates a pool of ``OpenAIClient``s, one per base URL, each making one attempt per request.
    public convenience init(
        baseURLs: [String],
        model: String,
        apiKey: String?,
        timeout: Double,
        connectTimeout: Double? = nil,
        maxConnections: Int,
        configuration: Configuration = .init(),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        let clients = baseURLs.map { url in
            OpenAIClient(
                configuration: .init(
                    baseURL: url,
                    model: model,
                    apiKey: apiKey,
                    timeout: timeout,
                    retry: .init(maxAttempts: 1),
                    maxConnections: maxConnections,
                    jitterSeed: configuration.jitterSeed,
                    connectTimeout: connectTimeout
                )
            )
        }
        self.init(models: clients, configuration: configuration, clock: clock)
    }

    /// Closes the connection pools of the ``OpenAIClient`` endpoints.
    public func shutdown() async throws {
        for case let client as OpenAIClient in models { try await client.shutdown() }
    }

    /// Requests queued for a slot because every usable endpoint is at its limit.
    public var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Per-endpoint counters and limits, in endpoint order.
    public func snapshot() -> [EndpointSnapshot] {
        let now = seconds()
        return state.withLock { state in
            state.endpoints.indices.map { index in
                let endpoint = state.endpoints[index]
                return EndpointSnapshot(
                    endpoint: models[index].identity.endpoint,
                    limit: endpoint.limit,
                    peakLimit: endpoint.peakLimit,
                    outstanding: endpoint.outstanding,
                    sent: endpoint.sent,
                    succeeded: endpoint.succeeded,
                    rateLimited: endpoint.rateLimited,
                    failures: endpoint.failures,
                    health: endpoint.health(now: now),
                    smoothedLatency: endpoint.adaptive?.smoothedLatency,
                    hedges: endpoint.hedges
                )
            }
        }
    }

    /// Requests started, hedges sent and hedges that answered first, over every endpoint.
    public var hedging: HedgeCounts {
        state.withLock { HedgeCounts(requests: $0.hedge.requests, hedges: $0.hedge.hedges, wins: $0.hedge.wins) }
    }

    /// Sends `request` to the best endpoint, retrying (on another endpoint when one is usable) as the retry policy
    /// allows, and hedging a slow attempt when ``Configuration/hedge`` is on.
    public func send(_ request: ModelRequest) async throws -> ModelReply {
        var machine = RetryStateMachine(configuration: configuration.retry)
        var generator = SplitMix64(seed: configuration.jitterSeed ^ OpenAIClient.fnv1a(request.prompt))
        let tokens = RateLimiter.estimatedTokens(for: request)
        var avoid: Set<Int> = []
        while true {
            try Task.checkCancellation()
            let slot = try await acquire(avoiding: avoid, tokens: tokens)
            if Task.isCancelled {
                // Granted just as it was cancelled: hand the slot back unused.
                release(slot, .unsent)
                throw CancellationError()
            }
            machine.attemptStarted()
            do {
                let reply =
                    configuration.hedge.isEnabled
                    ? try await sendHedged(request, on: slot) : try await sendCopy(request, on: slot)
                return ModelReply(response: reply.response, attempts: machine.attempts, usage: reply.usage)
            } catch var failure as ModelFailure {
                failure.attempts = machine.attempts
                switch machine.failed(failure, using: &generator) {
                case .giveUp:
                    throw failure
                case .retry(let delay):
                    if Self.isFailoverWorthy(failure) { avoid.insert(slot.index) }
                    // Another usable endpoint can take the retry at once; the back-off is for the same endpoint.
                    if !hasAlternative(avoiding: avoid) {
                        try await clock.sleep(for: .milliseconds(Int64(delay * 1000)))
                    }
                }
            }
        }
    }

    /// One copy of an attempt on `slot`, which it releases with the outcome.
    private func sendCopy(_ request: ModelRequest, on slot: Slot) async throws -> ModelReply {
        let started = elapsed()
        do {
            let reply = try await models[slot.index].send(request)
            let latency = Self.seconds(elapsed() - started)
            let used =
                RateLimiter.estimatedTokens(characters: request.prompt.count)
                + RateLimiter.estimatedTokens(characters: reply.response.text.count)
            release(slot, .success(latency: latency, tokens: used))
            return reply
        } catch let failure as ModelFailure where !Task.isCancelled {
            release(slot, .failure(failure))
            throw failure
        } catch {
            // Cancelled (a hedge race was decided, or the run stopped): says nothing about the endpoint.
            release(slot, .abandoned)
            throw error
        }
    }

    /// An attempt on `slot` raced against a hedge sent once it is past its endpoint's deadline. The first copy's
    /// failure ends the race (the retry policy takes it from there); a hedge's failure leaves the first copy to
    /// answer.
    private func sendHedged(_ request: ModelRequest, on slot: Slot) async throws -> ModelReply {
        let started = elapsed()
        return try await withThrowingTaskGroup(of: Copy.self) { group in
            group.addTask { .first(await Self.result { try await self.sendCopy(request, on: slot) }) }
            group.addTask {
                guard let hedge = try await self.awaitHedge(for: slot, started: started) else { return .noHedge }
                return .hedge(await Self.result { try await self.sendCopy(request, on: hedge) })
            }
            while let copy = try await group.next() {
                switch copy {
                case .first(let result):
                    group.cancelAll()
                    return try result.get()
                case .hedge(.success(let reply)):
                    group.cancelAll()
                    state.withLock { $0.hedge.hedgeWon() }
                    return reply
                case .hedge(.failure), .noHedge:
                    continue
                }
            }
            // The first copy always reports; only cancellation ends the group without it.
            throw CancellationError()
        }
    }

    /// Waits until the attempt on `primary` (started at `started`) is past its deadline and the budget allows a
    /// hedge, and returns the hedge's slot; `nil` when it will never be hedged.
    private func awaitHedge(for primary: Slot, started: Duration) async throws -> Slot? {
        while true {
            let now = elapsed()
            let step = state.withLock { state in
                state.hedgeStep(primary: primary, waited: Self.seconds(now - started), now: Self.seconds(now))
            }
            switch step {
            case .hedge(let slot): return slot
            case .wait(let seconds):
                try await clock.sleep(for: .milliseconds(max(1, Int64((seconds * 1000).rounded(.up)))))
            case .never: return nil
            }
        }
    }

    private static func result(_ body: () async throws -> ModelReply) async -> Result<ModelReply, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Whether the failure says something about the endpoint rather than the request.
    static func isFailoverWorthy(_ failure: ModelFailure) -> Bool {
        switch failure.kind {
        case .rateLimited, .serverError, .timeout, .connection, .malformedResponse: true
        case .clientError, .missingLogprobs, .noLabelInTopLogprobs, .parseFailure, .refusal: false
        }
    }

    // MARK: - Slots

    /// Takes a slot on the best endpoint, waiting (cancellably) while all are at their limit or rate-limited.
    private func acquire(avoiding avoid: Set<Int>, tokens: Int) async throws -> Slot {
        while true {
            try Task.checkCancellation()
            let now = seconds()
            let id = state.withLock { state in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            let grant: Grant = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Grant, Never>) in
                    let immediate: Grant? = state.withLock { state in
                        // Checked under the lock: a cancellation handler that ran before we queued found nothing to
                        // remove, and one that runs later finds the waiter.
                        if Task.isCancelled { return .cancelled }
                        // Queue behind earlier waiters (FIFO); they are served first on every release.
                        if state.waiters.isEmpty {
                            switch state.tryAcquire(avoiding: avoid, tokens: tokens, now: now) {
                            case .granted(let slot): return .slot(slot)
                            case .rateLimited(let wait): return .wait(seconds: wait)
                            case .full: break
                            }
                        }
                        state.waiters.append(Waiter(id: id, avoid: avoid, tokens: tokens, continuation: continuation))
                        return nil
                    }
                    if let immediate { continuation.resume(returning: immediate) }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
                }
                waiter?.continuation.resume(returning: .cancelled)
            }
            switch grant {
            case .slot(let slot):
                // Granted even if cancelled meanwhile: `send` checks cancellation and releases it.
                return slot
            case .wait(let seconds):
                try await clock.sleep(for: .milliseconds(max(1, Int64((seconds * 1000).rounded(.up)))))
            case .retry:
                continue
            case .cancelled:
                throw CancellationError()
            }
        }
    }

    private func release(_ slot: Slot, _ outcome: Outcome) {
        let now = seconds()
        let resumes = state.withLock { state in
            state.endpoints[slot.index].finish(slot, outcome, now: now, configuration: configuration)
            return state.grantWaiters(now: now)
        }
        for (continuation, grant) in resumes { continuation.resume(returning: grant) }
    }

    private func hasAlternative(avoiding avoid: Set<Int>) -> Bool {
        let now = seconds()
        return state.withLock { state in
            state.endpoints.indices.contains { !avoid.contains($0) && state.endpoints[$0].isUsable(now: now) }
        }
    }

    private func seconds() -> Double { Self.seconds(elapsed()) }

    /// A function reading the time since now on `clock`.
    private static func stopwatch<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let origin = clock.now
        return { origin.duration(to: clock.now) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One endpoint's state as seen by an ``EndpointPool``.
public struct EndpointSnapshot: Sendable, Hashable {
    /// Whether the pool sends to the endpoint.
    public enum Health: String, Sendable, Hashable {
        /// In use.
        case up
        /// Failing: skipped until its cooldown ends.
        case down
        /// Cooldown over: one probe request decides whether it is up again.
        case probing
    }

    /// The endpoint (base URL).
    public var endpoint: String
    /// Requests allowed in flight now.
    public var limit: Int
    /// The highest limit reached.
    public var peakLimit: Int
    /// Requests in flight now.
    public var outstanding: Int
    /// Attempts sent.
    public var sent: Int
    /// Attempts answered successfully.
    public var succeeded: Int
    /// Attempts answered 429.
    public var rateLimited: Int
    /// Failed attempts of every kind (429 included).
    public var failures: Int
    /// Health now.
    public var health: Health
    /// Smoothed success latency in seconds (adaptive mode only).
    public var smoothedLatency: Double?
    /// Hedges (second copies of slow attempts) sent to this endpoint, included in ``sent``.
    public var hedges: Int = 0

    /// One line for a run's end, e.g.
    /// `http://a:8000/v1: up · limit 6 (peak 9) · sent 320 · ok 300 · 429 12 · failed 20 · latency 0.412 s`.
    public var summary: String {
        var line =
            "\(endpoint): \(health.rawValue) · limit \(limit) (peak \(peakLimit)) · sent \(sent) · ok \(succeeded)"
        line += " · 429 \(rateLimited) · failed \(failures)"
        if hedges > 0 { line += " · hedges \(hedges)" }
        if let smoothedLatency { line += " · latency " + String(format: "%.3f s", smoothedLatency) }
        return line
    }
}

/// How much an ``EndpointPool`` hedged.
public struct HedgeCounts: Sendable, Hashable {
    /// Attempts started (retries included, hedges not).
    public var requests: Int
    /// Hedges sent: the extra requests hedging cost.
    public var hedges: Int
    /// Hedges that answered before the copy they stood in for.
    public var wins: Int

    /// One line for a run's end, e.g. `hedging: 3 hedges for 88 requests (3.4%), 3 answered first`.
    public var summary: String {
        let share = requests > 0 ? Double(hedges) / Double(requests) * 100 : 0
        return "hedging: \(hedges) hedges for \(requests) requests (" + String(format: "%.1f%%", share)
            + "), \(wins) answered first"
    }
}

// MARK: - State

/// One copy's result in a hedge race.
private enum Copy: Sendable {
    case first(Result<ModelReply, any Error>)
    case hedge(Result<ModelReply, any Error>)
    /// The attempt was never hedged.
    case noHedge
}

/// What a request waiting for its hedge does next.
private enum HedgeStep {
    case hedge(Slot)
    case wait(Double)
    case never
}

/// A slot held by one attempt on one endpoint.
private struct Slot: Sendable {
    var index: Int
    var ticket: AdaptiveConcurrency.Ticket?
    var healthGeneration: Int
    var isProbe: Bool
    var tokens: Int
}

/// How an attempt ended.
private enum Outcome {
    case success(latency: Double, tokens: Int)
    case failure(ModelFailure)
    /// Cancelled or an unexpected error: says nothing about the endpoint.
    case abandoned
    /// The slot was granted but never used.
    case unsent
}

/// What a waiter is woken with.
private enum Grant: Sendable {
    case slot(Slot)
    case wait(seconds: Double)
    case retry
    case cancelled
}

private struct Waiter {
    var id: UInt64
    var avoid: Set<Int>
    var tokens: Int
    var continuation: CheckedContinuation<Grant, Never>
}

private enum AcquireResult {
    case granted(Slot)
    /// Some endpoint has room but its rate limit says wait this long.
    case rateLimited(Double)
    /// Every usable endpoint is at its limit.
    case full
}

private struct PoolState {
    var endpoints: [EndpointState]
    var hedge: HedgePolicy
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0

    /// Sends a hedge for `primary` once it has waited past its endpoint's deadline and the budget allows: to the
    /// least loaded other usable endpoint, else to the same one (another connection), if its rate limit lets it go.
    mutating func hedgeStep(primary: Slot, waited: Double, now: Double) -> HedgeStep {
        switch hedge.decision(waited: waited, window: endpoints[primary.index].latencies) {
        case .never:
            return .never
        case .wait(let seconds):
            return .wait(seconds)
        case .hedge:
            let retry = HedgeStep.wait(hedge.configuration.floor)
            guard hedge.hasBudget else { return retry }
            let others = endpoints.indices.filter { $0 != primary.index && endpoints[$0].isUsable(now: now) }
            let index =
                others.min { a, b in
                    (Double(endpoints[a].outstanding) / Double(endpoints[a].limit), a)
                        < (Double(endpoints[b].outstanding) / Double(endpoints[b].limit), b)
                } ?? primary.index
            if case .wait = endpoints[index].limiter?.acquire(tokens: primary.tokens, now: now) ?? .go { return retry }
            guard hedge.admitHedge() else { return retry }
            return .hedge(endpoints[index].startHedge(index: index, tokens: primary.tokens))
        }
    }

    /// Picks the usable endpoint with the lowest outstanding/limit ratio (endpoints to avoid last, then fewest sent)
    /// that has room and whose rate limit lets the request go.
    mutating func tryAcquire(avoiding avoid: Set<Int>, tokens: Int, now: Double) -> AcquireResult {
        var candidates = endpoints.indices.filter { endpoints[$0].isUsable(now: now) }
        // Nothing usable (all down, or a single endpoint): try them all rather than stall.
        if candidates.isEmpty { candidates = Array(endpoints.indices) }
        let open = candidates.filter { endpoints[$0].outstanding < endpoints[$0].limit }
            .sorted { a, b in
                let left = endpoints[a]
                let right = endpoints[b]
                let keyA = (avoid.contains(a) ? 1 : 0, Double(left.outstanding) / Double(left.limit), left.sent, a)
                let keyB = (avoid.contains(b) ? 1 : 0, Double(right.outstanding) / Double(right.limit), right.sent, b)
                return keyA < keyB
            }
        guard !open.isEmpty else { return .full }
        var shortestWait = Double.infinity
        for index in open {
            switch endpoints[index].limiter?.acquire(tokens: tokens, now: now) ?? .go {
            case .go:
                hedge.requestStarted()
                return .granted(endpoints[index].start(index: index, tokens: tokens, now: now))
            case .wait(let seconds):
                shortestWait = min(shortestWait, seconds)
            }
        }
        return .rateLimited(shortestWait)
    }

    /// Serves queued waiters in order while there is room; a rate-limited head is woken to sleep it off itself.
    mutating func grantWaiters(now: Double) -> [(CheckedContinuation<Grant, Never>, Grant)] {
        var resumes: [(CheckedContinuation<Grant, Never>, Grant)] = []
        while let head = waiters.first {
            switch tryAcquire(avoiding: head.avoid, tokens: head.tokens, now: now) {
            case .granted(let slot):
                waiters.removeFirst()
                resumes.append((head.continuation, .slot(slot)))
            case .rateLimited(let wait):
                waiters.removeFirst()
                resumes.append((head.continuation, .wait(seconds: wait)))
            case .full:
                return resumes
            }
        }
        return resumes
    }
}

private struct EndpointState {
    var adaptive: AdaptiveConcurrency?
    var fixedLimit: Int
    var limiter: RateLimiter?
    var peakLimit: Int
    var outstanding = 0
    var sent = 0
    var succeeded = 0
    var rateLimited = 0
    var failures = 0
    var hedges = 0
    /// Recent success latencies: the hedge deadline's distribution.
    var latencies = LatencyWindow()
    /// When the endpoint may be tried again; `nil` while up.
    var downUntil: Double?
    /// Consecutive down marks without a success: the cooldown's exponent.
    var downs = 0
    /// Whether the half-open probe is in flight.
    var probing = false
    /// Bumped on every down mark, so outcomes of attempts started before it do not count twice.
    var healthGeneration = 0
    /// `Retry-After` from a 429: not chosen before this while another endpoint is usable.
    var pausedUntil: Double?

    init(configuration: EndpointPool.Configuration) {
        switch configuration.concurrency {
        case .adaptive(let settings):
            adaptive = AdaptiveConcurrency(configuration: settings)
            fixedLimit = settings.maximum
        case .fixed(let limit):
            adaptive = nil
            fixedLimit = max(1, limit)
        }
        limiter = configuration.rateLimit.isLimited ? RateLimiter(configuration: configuration.rateLimit) : nil
        peakLimit = adaptive?.limit ?? fixedLimit
    }

    var limit: Int { adaptive?.limit ?? fixedLimit }

    func health(now: Double) -> EndpointSnapshot.Health {
        guard let downUntil else { return .up }
        return now < downUntil ? .down : .probing
    }

    /// Up, or cooled down with no probe in flight, and not paused by `Retry-After`.
    func isUsable(now: Double) -> Bool {
        if let pausedUntil, now < pausedUntil { return false }
        switch health(now: now) {
        case .up: return true
        case .down: return false
        case .probing: return !probing
        }
    }

    mutating func start(index: Int, tokens: Int, now: Double) -> Slot {
        let isProbe = health(now: now) == .probing && !probing
        if isProbe { probing = true }
        outstanding += 1
        sent += 1
        return Slot(
            index: index,
            ticket: adaptive?.ticket(inFlight: outstanding),
            healthGeneration: healthGeneration,
            isProbe: isProbe,
            tokens: tokens
        )
    }

    /// A hedge's slot: counted as sent and outstanding, but with no ticket, so it neither grows nor shrinks the
    /// adaptive limit it was sent around.
    mutating func startHedge(index: Int, tokens: Int) -> Slot {
        outstanding += 1
        sent += 1
        hedges += 1
        return Slot(index: index, ticket: nil, healthGeneration: healthGeneration, isProbe: false, tokens: tokens)
    }

    mutating func finish(_ slot: Slot, _ outcome: Outcome, now: Double, configuration: EndpointPool.Configuration) {
        outstanding -= 1
        if slot.isProbe { probing = false }
        let current = slot.healthGeneration == healthGeneration
        switch outcome {
        case .success(let latency, let tokens):
            succeeded += 1
            latencies.record(latency)
            if let ticket = slot.ticket { adaptive?.record(.success(latency: latency), ticket: ticket) }
            limiter?.settle(charged: slot.tokens, actual: tokens, now: now)
            if current {
                downUntil = nil
                downs = 0
            }
        case .failure(let failure):
            failures += 1
            switch failure.kind {
            case .rateLimited:
                rateLimited += 1
                if let ticket = slot.ticket { adaptive?.record(.rateLimited, ticket: ticket) }
                if let retryAfter = failure.retryAfter, retryAfter > 0 {
                    pausedUntil = max(pausedUntil ?? 0, now + retryAfter)
                }
            case .serverError:
                if let ticket = slot.ticket { adaptive?.record(.overloaded, ticket: ticket) }
                if current { markDown(now: now, configuration: configuration) }
            case .timeout, .connection:
                // No congestion signal for a timeout (see the type's documentation); the endpoint may be dead.
                if current { markDown(now: now, configuration: configuration) }
            case .clientError, .malformedResponse, .missingLogprobs, .noLabelInTopLogprobs, .parseFailure, .refusal:
                break
            }
        case .abandoned:
            break
        case .unsent:
            sent -= 1
        }
        peakLimit = max(peakLimit, limit)
    }

    private mutating func markDown(now: Double, configuration: EndpointPool.Configuration) {
        downs += 1
        let cooldown = min(configuration.maxCooldown, configuration.cooldown * pow(2, Double(downs - 1)))
        downUntil = now + cooldown
        healthGeneration += 1
    }
}

import CultureLensCore
import CultureLensModels
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// The endpoint pool over real ``OpenAIClient``s and real in-process HTTP servers: adaptive concurrency against a
/// server that refuses load above a cap, failover from dead and failing endpoints, balancing, rate limits and
/// cancellation of queued requests.
struct EndpointPoolTests {
    static let letters: [(String, Double)] = [(" A", -0.1), (" B", -2.5), (" C", -3.0), (" D", -4.5)]
    static let okBody = FakeOpenAI.completion(text: " A", topLogprobs: letters)

    /// Fast retries for tests: the pool's own policy, generous in attempts so that no request is lost to bad luck.
    static func configuration(
        _ concurrency: EndpointPool.ConcurrencyMode = .adaptive(.init(initial: 4, maximum: 32)),
        maxAttempts: Int = 6,
        rateLimit: RateLimiter.Configuration = .init(),
        cooldown: Double = 30
    ) -> EndpointPool.Configuration {
        EndpointPool.Configuration(
            retry: .init(maxAttempts: maxAttempts, baseDelay: 0.02, multiplier: 2, maxDelay: 0.2, jitter: 0.2),
            concurrency: concurrency,
            rateLimit: rateLimit,
            cooldown: cooldown,
            maxCooldown: max(cooldown, 60)
        )
    }

    static func pool(
        _ urls: [String],
        _ configuration: EndpointPool.Configuration,
        // Long: under CI load (the whole suite beside the real model) a 10 s read timeout fired on a healthy
        // server, and the retry was served twice.
        timeout: Double = 60,
        connectTimeout: Double? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) -> EndpointPool {
        EndpointPool(
            baseURLs: urls.map { $0 + "/v1" },
            model: "fake-model",
            apiKey: nil,
            timeout: timeout,
            connectTimeout: connectTimeout,
            maxConnections: 64,
            configuration: configuration,
            clock: clock
        )
    }

    static func request(_ index: Int) -> ModelRequest {
        ModelRequest(api: .completions, prompt: "Question \(index)?\nAnswer:", maxTokens: 1, topLogprobs: 20)
    }

    /// Sends requests 0..<count with at most `concurrency` in flight (the runner's sliding window).
    static func sendAll(
        _ pool: EndpointPool,
        count: Int,
        concurrency: Int
    ) async -> [Result<ModelReply, any Error>] {
        await withTaskGroup(of: (Int, Result<ModelReply, any Error>).self) { group in
            var results = [Result<ModelReply, any Error>?](repeating: nil, count: count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    do { return (index, .success(try await pool.send(Self.request(index)))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(count, concurrency) { add() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < count { add() }
            }
            return results.compactMap { $0 }  // every index was filled: one result per task
        }
    }

    // MARK: - Adaptive concurrency

    /// A server that serves at most `cap` requests at once and answers 429 to any beyond: the pool's limit settles
    /// around the cap, every request eventually succeeds, and 429s stay a small fraction.
    ///
    /// The HTTP is real; the server's service times, the pool's latencies and its back-off are on a test clock that
    /// moves only when every request is either being served or asleep, so the pool's count of requests in flight is
    /// exactly the server's.
    @Test func adaptiveConcurrencyConvergesBelowAServersCapAndLosesNothing() async throws {
        let cap = 6
        let total = 300
        let clock = TestClock()
        let server = LoadCappedServer(cap: cap, clock: clock)
        try await ScriptedHTTPServer.withServer(handler: { _ in await server.handle() }) { http in
            // The read timeout is real time, while a request is served only as fast as the test moves the clock:
            // long, so that a starved test process does not time out requests the server is still serving.
            let pool = Self.pool([http.baseURL], Self.configuration(maxAttempts: 10), timeout: 600, clock: clock)
            let results = try await Self.sendAllAdvancing(pool, count: total, clock: clock)
            let snapshot = try #require(pool.snapshot().first)
            try await pool.shutdown()

            let failures = results.compactMap { result -> String? in
                if case .failure(let error) = result { return "\(error)" }
                return nil
            }
            #expect(failures.isEmpty, "lost: \(failures.prefix(3))")
            let stats = server.stats()
            #expect(snapshot.succeeded == total)
            // An attempt the client gave up on (a real-time read timeout) may still have been served, so the
            // server can count more than `total`, but never more than the pool's non-429 failures allow.
            #expect(stats.served >= total)
            #expect(stats.served <= total + snapshot.failures - snapshot.rateLimited)
            #expect(stats.maxServed <= cap)
            #expect(stats.rejected > 0, "the limit never probed above the cap")
            let share = Double(stats.rejected) / Double(stats.served + stats.rejected)
            #expect(share < 0.15, "429 share \(share)")
            // AIMD saw-tooth: the limit tops out one above the cap (the probe that draws a 429), then halves. With
            // time on the test clock the client's own work takes no time, so this holds exactly, however loaded
            // the machine (a timeout there leaves the limit alone).
            #expect(snapshot.limit <= cap + 1, "final limit \(snapshot.limit)")
            #expect(stats.meanArrivalLoadLastThird <= Double(cap), "mean load \(stats.meanArrivalLoadLastThird)")
            #expect(snapshot.rateLimited == stats.rejected)
            #expect(snapshot.outstanding == 0)
            print(
                "EndpointPool adaptive vs cap \(cap): final limit \(snapshot.limit), peak \(snapshot.peakLimit), "
                    + "429 \(stats.rejected)/\(stats.served + stats.rejected) = \(String(format: "%.1f%%", share * 100)), "
                    + "mean in flight at arrival (last third) \(String(format: "%.2f", stats.meanArrivalLoadLastThird))"
            )
        }
    }

    // MARK: - Failover and health

    enum BadEndpoint: String, CaseIterable, Sendable {
        case closedPort, serviceUnavailable
    }

    @Test(arguments: BadEndpoint.allCases)
    func everyRequestSucceedsViaTheHealthyEndpointAndTheBadOneIsMarkedDown(_ bad: BadEndpoint) async throws {
        let total = 60
        try await ScriptedHTTPServer.withServer(handler: { _ in
            .respond(status: 503, body: FakeOpenAI.error(message: "overloaded", type: "server_error"))
        }) { failing in
            try await ScriptedHTTPServer.withServer(handler: { _ in .delay(.milliseconds(5), then: .json(Self.okBody)) }
            ) {
                good in
                // Port 9 (discard) on loopback: nothing listens there, so connecting is refused at once.
                let badURL = bad == .closedPort ? "http://127.0.0.1:9" : failing.baseURL
                // AsyncHTTPClient keeps retrying a refused connection until its connect timeout (here 2 s), so the
                // first wave to the closed port fails after that. The read timeout stays long: on a loaded machine a
                // 2 s one timed out the healthy endpoint too and marked it down.
                // A cooldown longer than any run of this test: a test slowed down by a loaded machine otherwise
                // outlived a 30 s one, and the half-open probe sent a fifth request to the bad endpoint.
                let pool = Self.pool(
                    [badURL, good.baseURL],
                    Self.configuration(maxAttempts: 4, cooldown: 600),
                    timeout: 60,
                    connectTimeout: 2
                )
                let results = await Self.sendAll(pool, count: total, concurrency: 8)
                let snapshot = pool.snapshot()
                try await pool.shutdown()

                let replies = results.compactMap { try? $0.get() }
                #expect(replies.count == total)
                #expect(replies.allSatisfy { $0.attempts <= 2 })
                #expect(good.requestCount == total)
                #expect(snapshot[0].health == .down)
                #expect(snapshot[0].succeeded == 0)
                // Only the first wave (the initial limit of 4) reached the bad endpoint before it was marked down.
                #expect(snapshot[0].sent <= 4, "\(snapshot[0].summary)")
                #expect(snapshot[0].failures == snapshot[0].sent)
                #expect(snapshot[1].health == .up)
                #expect(snapshot[1].succeeded == total)
                if bad == .serviceUnavailable { #expect(failing.requestCount == snapshot[0].sent) }
            }
        }
    }

    @Test func aDownEndpointComesBackThroughAHalfOpenProbe() async throws {
        let healthy = Flag()
        try await ScriptedHTTPServer.withServer(handler: { _ in
            healthy.isSet
                ? .json(Self.okBody)
                : .respond(status: 500, body: FakeOpenAI.error(message: "boom", type: "server_error"))
        }) { flaky in
            try await ScriptedHTTPServer.withServer(handler: { _ in .json(Self.okBody) }) { good in
                let clock = TestClock()
                let pool = Self.pool(
                    [flaky.baseURL, good.baseURL],
                    Self.configuration(.fixed(4), cooldown: 1),
                    clock: clock
                )
                let first = try await pool.send(Self.request(0))  // to the flaky one (first), then the good one
                #expect(first.attempts == 2)
                #expect(clock.sleeps.isEmpty, "the retry went to the good endpoint at once")
                #expect(pool.snapshot()[0].health == .down)
                healthy.set()
                // The cooldown is exactly 1 s.
                clock.advance(by: .seconds(1) - .nanoseconds(1))
                #expect(pool.snapshot()[0].health == .down)
                clock.advance(by: .nanoseconds(1))
                #expect(pool.snapshot()[0].health == .probing)
                // Tied on load and requests sent, the first endpoint takes the next request as its probe.
                _ = try await pool.send(Self.request(1))
                let snapshot = pool.snapshot()
                try await pool.shutdown()
                #expect(snapshot[0].health == .up, "\(snapshot[0].summary)")
                #expect(snapshot[0].succeeded == 1)
            }
        }
    }

    @Test func clientErrorsAreNotFailedOverOrCountedAgainstHealth() async throws {
        try await ScriptedHTTPServer.withServer(handler: { _ in
            .respond(status: 400, body: FakeOpenAI.error(message: "max_tokens too large"))
        }) { rejecting in
            try await ScriptedHTTPServer.withServer(handler: { _ in .json(Self.okBody) }) { good in
                let pool = Self.pool([rejecting.baseURL, good.baseURL], Self.configuration(.fixed(4)))
                let results = await Self.sendAll(pool, count: 20, concurrency: 4)
                let snapshot = pool.snapshot()
                try await pool.shutdown()
                let failures = results.compactMap { result -> ModelFailure? in
                    if case .failure(let error) = result { return error as? ModelFailure }
                    return nil
                }
                #expect(failures.count == rejecting.requestCount)
                #expect(failures.count >= 5, "balancing should send a share to each endpoint")
                #expect(failures.allSatisfy { $0.kind == .clientError && $0.attempts == 1 })
                #expect(snapshot[0].health == .up)
                #expect(good.requestCount == 20 - failures.count)
            }
        }
    }

    // MARK: - Balancing

    @Test func equalEndpointsGetRoughlyEqualShares() async throws {
        let total = 200
        let handler: ScriptedHTTPServer.Handler = { _ in .delay(.milliseconds(10), then: .json(Self.okBody)) }
        try await ScriptedHTTPServer.withServer(handler: handler) { first in
            try await ScriptedHTTPServer.withServer(handler: handler) { second in
                let pool = Self.pool([first.baseURL, second.baseURL], Self.configuration())
                #expect(pool.identity.endpoint == "\(first.baseURL)/v1,\(second.baseURL)/v1")
                #expect(pool.identity.name == "fake-model")
                let results = await Self.sendAll(pool, count: total, concurrency: 16)
                try await pool.shutdown()
                #expect(results.allSatisfy { (try? $0.get()) != nil })
                #expect(first.requestCount + second.requestCount == total)
                #expect(first.requestCount >= total / 4, "\(first.requestCount) vs \(second.requestCount)")
                #expect(second.requestCount >= total / 4, "\(first.requestCount) vs \(second.requestCount)")
            }
        }
    }

    @Test func theCacheKeyDoesNotDependOnTheEndpoints() {
        let one = EndpointPool(
            models: [
                ScriptedLanguageModel(name: "m") { _ in
                    ModelResponse(text: "A", firstTokenTopLogprobs: nil, finishReason: nil)
                }
            ]
        )
        let two = EndpointPool(
            models: (0..<2).map { _ in
                ScriptedLanguageModel(name: "m") { _ in
                    ModelResponse(text: "A", firstTokenTopLogprobs: nil, finishReason: nil)
                }
            }
        )
        #expect(one.identity.name == two.identity.name)
        #expect(
            Self.request(1).cacheKey(model: one.identity.name) == Self.request(1).cacheKey(model: two.identity.name)
        )
        #expect(two.identity.endpoint == "in-process,in-process")
    }

    // MARK: - Rate limit

    /// 120 rpm lets 2 go at once (one second of burst), then one every 0.5 s: on the test clock the requests reach
    /// the server at exactly 0, 0, 0.5, 1 and 1.5 s.
    @Test func requestsPerMinuteSpaceRequestsOut() async throws {
        let clock = TestClock()
        let arrivals = Mutex<[Duration]>([])
        try await ScriptedHTTPServer.withServer(handler: { _ in
            arrivals.withLock { $0.append(clock.now.offset) }
            return .json(Self.okBody)
        }) { http in
            let pool = Self.pool(
                [http.baseURL],
                Self.configuration(rateLimit: .init(requestsPerMinute: 120)),
                clock: clock
            )
            async let sent = Self.sendAll(pool, count: 5, concurrency: 5)
            // Each step: every request has reached the server's handler or is asleep on the rate limit; then 0.5 s
            // passes. The handler's own count, not the server's: the server counts a request when it is received,
            // before the handler has read the clock, and advancing in between recorded a late arrival time.
            for served in 2...4 {
                try await Self.waitUntil {
                    arrivals.withLock { $0.count } == served && clock.sleeperCount == 5 - served
                }
                clock.advance(by: .milliseconds(500))
            }
            let results = await sent
            try await pool.shutdown()
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            #expect(http.requestCount == 5)
            #expect(
                arrivals.withLock { $0.sorted() }
                    == [.zero, .zero, .milliseconds(500), .milliseconds(1000), .milliseconds(1500)]
            )
            // The three held back at 0 s each sleep 0.5 s; two of them again at 0.5 s, the last once more at 1 s.
            #expect(clock.sleeps == Array(repeating: .milliseconds(500), count: 6))
        }
    }

    // MARK: - Cancellation

    /// A request queued for a slot and then cancelled leaves the queue, takes nothing and sends nothing; cancelling
    /// the request in flight frees its slot; the pool then serves the next request at once.
    @Test func cancellingQueuedAndInFlightRequestsNeitherLeaksNorHangs() async throws {
        try await ScriptedHTTPServer.withServer(handler: { request in
            request.bodyString.contains("Question 0?")
                ? .delay(.seconds(60), then: .json(Self.okBody))
                : .json(Self.okBody)
        }) { http in
            let pool = Self.pool([http.baseURL], Self.configuration(.fixed(1)), timeout: 120)
            let holder = Task { try await pool.send(Self.request(0)) }
            try await Self.waitUntil { http.requestCount == 1 }
            let queued = (1...5).map { index in Task { try await pool.send(Self.request(index)) } }
            try await Self.waitUntil { pool.waitingCount == 5 }
            for task in queued { task.cancel() }
            for task in queued {
                let result = await task.result
                #expect(throws: CancellationError.self) { try result.get() }
            }
            #expect(pool.waitingCount == 0)
            #expect(pool.snapshot()[0].outstanding == 1, "the holder keeps its slot; the cancelled took none")
            #expect(http.requestCount == 1)

            holder.cancel()
            let held = await holder.result
            #expect(throws: CancellationError.self) { try held.get() }
            #expect(pool.snapshot()[0].outstanding == 0)

            let reply = try await pool.send(Self.request(9))
            #expect(reply.attempts == 1)
            #expect(http.requestCount == 2)
            let snapshot = pool.snapshot()[0]
            #expect(snapshot.sent == 2)
            #expect(snapshot.outstanding == 0)
            try await pool.shutdown()
        }
    }

    /// Waiters cancelled at random while others wait: the rest are all served, and every slot comes back.
    @Test func cancelledWaitersDoNotStarveOrLeakSlots() async throws {
        try await ScriptedHTTPServer.withServer(handler: { _ in .delay(.milliseconds(20), then: .json(Self.okBody)) }) {
            http in
            let pool = Self.pool([http.baseURL], Self.configuration(.fixed(2)))
            let tasks = (0..<20).map { index in Task { try await pool.send(Self.request(index)) } }
            try await Self.waitUntil { pool.waitingCount > 0 }
            for index in stride(from: 1, to: 20, by: 3) { tasks[index].cancel() }
            var succeeded = 0
            for task in tasks {
                if (try? await task.value) != nil { succeeded += 1 }
            }
            let snapshot = pool.snapshot()[0]
            try await pool.shutdown()
            #expect(succeeded >= 20 - 7)
            #expect(snapshot.outstanding == 0)
            #expect(pool.waitingCount == 0)
            #expect(snapshot.succeeded == succeeded)
            // A slot taken by a request cancelled in flight may not have reached the server.
            #expect(http.requestCount <= snapshot.sent)
            #expect(snapshot.sent <= 20)
        }
    }

    /// Sends requests 0..<count all at once (the pool queues what its limit does not let through) while moving
    /// `clock` to the next deadline each time every unfinished request is asleep on it or queued in the pool.
    static func sendAllAdvancing(
        _ pool: EndpointPool,
        count: Int,
        clock: TestClock
    ) async throws -> [Result<ModelReply, any Error>] {
        let finished = Tally()
        return try await withThrowingTaskGroup(of: (Int, Result<ModelReply, any Error>)?.self) { group in
            for index in 0..<count {
                group.addTask {
                    let result: Result<ModelReply, any Error>
                    do {
                        result = .success(try await pool.send(Self.request(index)))
                    } catch {
                        result = .failure(error)
                    }
                    finished.increment()
                    return (index, result)
                }
            }
            group.addTask {
                while true {
                    var done = false
                    try await Self.waitUntil(within: .seconds(300)) {
                        let unfinished = count - finished.count
                        done = unfinished == 0
                        return done || clock.sleeperCount + pool.waitingCount == unfinished
                    }
                    if done { return nil }
                    guard let next = clock.nextDeadline else {
                        Issue.record("every request is queued and none is being served")
                        return nil
                    }
                    clock.advance(to: next)
                }
            }
            var results = [Result<ModelReply, any Error>?](repeating: nil, count: count)
            for try await case let (index, result)? in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    // MARK: - Helpers

    /// Polls `condition`: a few yields first (cheap when the tasks it waits for are runnable), then every 5 ms.
    /// The deadline only turns a hang into a failure.
    static func waitUntil(within limit: Duration = .seconds(60), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not reached within \(limit)")
                return
            }
            for _ in 0..<8 { await Task.yield() }
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A count shared between tasks.
private final class Tally: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func increment() { value.withLock { $0 += 1 } }
}

/// A flag shared with a handler.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// A server that can serve `cap` requests at once: each request entering above that is answered 429 at once,
/// the others after 20–50 ms on a test clock. It records the load each arriving request found.
private final class LoadCappedServer: Sendable {
    struct Stats {
        var served = 0
        var rejected = 0
        var maxServed = 0
        var meanArrivalLoadLastThird = 0.0
    }

    private struct State {
        var inFlight = 0
        var served = 0
        var rejected = 0
        var maxServed = 0
        var arrivals: [Int] = []
    }

    let cap: Int
    private let clock: TestClock
    private let state = Mutex(State())

    init(cap: Int, clock: TestClock) {
        self.cap = cap
        self.clock = clock
    }

    func handle() async -> ScriptedAction {
        let admitted = state.withLock { state -> Int? in
            state.inFlight += 1
            state.arrivals.append(state.inFlight)
            guard state.inFlight <= cap else {
                state.inFlight -= 1
                state.rejected += 1
                return nil
            }
            state.maxServed = max(state.maxServed, state.inFlight)
            return state.arrivals.count
        }
        guard let ordinal = admitted else {
            return .respond(
                status: 429,
                body: FakeOpenAI.error(message: "too many requests", type: "rate_limit_exceeded")
            )
        }
        // 20–50 ms, spread deterministically.
        try? await clock.sleep(for: .milliseconds(20 + (ordinal * 7919) % 31))
        state.withLock { state in
            state.inFlight -= 1
            state.served += 1
        }
        return .json(EndpointPoolTests.okBody)
    }

    func stats() -> Stats {
        state.withLock { state in
            let lastThird = state.arrivals.suffix(state.arrivals.count / 3)
            let mean = lastThird.isEmpty ? 0 : Double(lastThird.reduce(0, +)) / Double(lastThird.count)
            return Stats(
                served: state.served,
                rejected: state.rejected,
                maxServed: state.maxServed,
                meanArrivalLoadLastThird: mean
            )
        }
    }
}

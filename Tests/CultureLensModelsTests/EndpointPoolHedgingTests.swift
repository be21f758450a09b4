import CultureLensCore
import CultureLensModels
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// Hedging in the endpoint pool over a real in-process HTTP server that accepts chosen requests and never answers
/// them: the run does not wait for its timeout, no request is lost, and silent requests do not lower the limit.
struct EndpointPoolHedgingTests {
    /// A server answering after `latency`, except the first copy of the requests whose prompt is in `stalled`: it
    /// keeps those connections open and never answers (a request a provider accepted and lost).
    static func stallingServer(stalled: Set<Int>, latency: Duration = .milliseconds(5)) async throws
        -> ScriptedHTTPServer
    {
        let seen = Mutex<Set<String>>([])
        return try await ScriptedHTTPServer.start { request in
            let body = request.bodyString
            let first = seen.withLock { $0.insert(body).inserted }
            let isStalled = stalled.contains { body.contains("Question \($0)?") }
            if first && isStalled { return .delay(.seconds(3600), then: .json(EndpointPoolTests.okBody)) }
            return .delay(latency, then: .json(EndpointPoolTests.okBody))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func stalledRequestsAreHedgedAndTheFirstAnswerWins() async throws {
        let server = try await Self.stallingServer(stalled: [20, 30])
        defer { Task { try? await server.shutdown() } }
        var configuration = EndpointPoolTests.configuration(.fixed(4))
        // A low floor and warm-up keep the test short; the timeout is far longer than the test's time limit, so
        // only a hedge can finish the stalled requests.
        configuration.hedge = .init(share: 0.1, floor: 0.05, ceiling: 600, warmup: 5)
        let pool = EndpointPoolTests.pool([server.baseURL], configuration, timeout: 600)
        defer { Task { try? await pool.shutdown() } }

        let results = await EndpointPoolTests.sendAll(pool, count: 40, concurrency: 4)
        #expect(results.count == 40)
        for result in results { _ = try result.get() }
        let hedging = pool.hedging
        #expect(hedging.requests == 40, "no retry: every request answered on its first attempt")
        // Each stalled request needed one hedge; a slow moment of a loaded machine may add one within the budget.
        #expect(hedging.hedges >= 2 && hedging.hedges <= 4, "\(hedging)")
        #expect(hedging.wins >= 2, "\(hedging)")
        let snapshot = try #require(pool.snapshot().first)
        #expect(snapshot.outstanding == 0, "the losing copies gave their slots back")
        #expect(snapshot.hedges == hedging.hedges)
        #expect(snapshot.sent == 40 + hedging.hedges)
        #expect(snapshot.failures == 0, "a cancelled copy is not a failure")
        #expect(snapshot.summary.contains("hedges \(hedging.hedges)"))
    }

    @Test(.timeLimit(.minutes(2)))
    func hedgingOffWaitsForTheTimeoutAndTimeoutsDoNotLowerTheLimit() async throws {
        let server = try await Self.stallingServer(stalled: [0, 1, 2, 3])
        defer { Task { try? await server.shutdown() } }
        var configuration = EndpointPoolTests.configuration(.adaptive(.init(initial: 4, maximum: 4)), cooldown: 0.01)
        configuration.hedge = .off
        let pool = EndpointPoolTests.pool([server.baseURL], configuration, timeout: 1)
        defer { Task { try? await pool.shutdown() } }

        let results = await EndpointPoolTests.sendAll(pool, count: 8, concurrency: 4)
        for result in results { _ = try result.get() }
        let snapshot = try #require(pool.snapshot().first)
        #expect(snapshot.failures == 4, "the four stalled first copies timed out and were retried")
        #expect(pool.hedging.hedges == 0)
        // Four timeouts would have halved the limit twice when a timeout counted as overload.
        #expect(snapshot.limit == 4)
    }
}

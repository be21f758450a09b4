import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// `culturelens run` against an endpoint that accepts chosen requests and never answers them (issue 17's
/// stalling-endpoint test): with the default `--hedge auto` the run finishes long before its timeout, with every item
/// saved exactly once and the hedges counted.
struct StallingEndpointCLITests {
    @Test(.timeLimit(.minutes(3)))
    func aRunAgainstAStallingEndpointFinishesWithEveryItemOnce() async throws {
        let home = try CLIProcess.temporaryDirectory("stall-home")
        let out = try CLIProcess.temporaryDirectory("stall-out")
        // The 25th, 40th and 60th distinct requests stall: after each endpoint's warm-up (10 answers), within the
        // 5% budget at the time (25 → 1, 40 → 2, 60 → 3).
        let arrivals = Mutex<[String: Int]>([:])
        let stalledArrivals: Set<Int> = [25, 40, 60]
        let server = try await ScriptedHTTPServer.start { request in
            guard request.path == "/v1/completions" else {
                return .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
            let (arrival, first) = arrivals.withLock { seen -> (Int, Bool) in
                if let index = seen[request.bodyString] { return (index, false) }
                seen[request.bodyString] = seen.count + 1
                return (seen.count, true)
            }
            // Letters for the multiple-choice items, Yes/No/Neither for the norm stories.
            let answer = ScriptedAction.json(
                FakeOpenAI.completion(
                    text: " A",
                    topLogprobs: [
                        (" A", -0.3), (" B", -1.5), (" C", -2.5), (" D", -3), (" Yes", -1.2), (" No", -1.8),
                        (" Neither", -2.4),
                    ]
                )
            )
            if first && stalledArrivals.contains(arrival) { return .delay(.seconds(3600), then: answer) }
            return .delay(.milliseconds(10), then: answer)
        }
        defer { Task { try? await server.shutdown() } }

        let started = ContinuousClock.now
        let output = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", server.baseURL + "/v1", "--api",
                "completions", "--scoring", "logprobs", "--concurrency", "8", "--no-card", "--json", "--output", out,
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        let elapsed = ContinuousClock.now - started
        #expect(output.status == 0, "\(output.stderr)")
        // The default --timeout is 60 s: without hedging each stalled request would hold the run that long.
        #expect(elapsed < .seconds(45), "\(elapsed)")
        let hedging = try #require(output.stderr.split(separator: "\n").first { $0.hasPrefix("hedging: ") })
        let hedges = Int(hedging.dropFirst("hedging: ".count).prefix { $0.isNumber }) ?? -1
        #expect(hedges >= 3, "\(hedging)")
        #expect(hedging.contains("answered first"))

        let samples = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8)
            .split(separator: "\n")
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let ids = samples.compactMap { $0["item_id"] as? String }
        #expect(ids.count == samples.count)
        #expect(Set(ids).count == ids.count, "no item counted twice")
        #expect(ids.count == StarterSuite.suite.items.count, "no item lost")
        let failed = samples.filter { ($0["error"] as? String) != nil }
        #expect(failed.isEmpty, "no item failed: \(failed.compactMap { $0["item_id"] })")
        #expect(arrivals.withLock { $0.count } == ids.count, "every item was asked once (hedges repeat a body)")
    }
}

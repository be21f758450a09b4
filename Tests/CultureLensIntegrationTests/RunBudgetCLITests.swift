import CultureLensCore
import CultureLensDatasets
import CultureLensStore
import CultureLensTesting
import Foundation
import Testing

/// `run --max-requests` and `--dry-run` against a scripted endpoint that counts what it is sent.
struct RunBudgetCLITests {
    @Test func aSpentBudgetStopsWithExit3AndAHigherCapResumesWithoutRepeats() async throws {
        let home = try CLIProcess.temporaryDirectory("budget-home")
        let server = try await RobustnessCLITests.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = RobustnessCLITests.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]

        // Before any request: 10 to send, nothing cached.
        let dry = try await CLIProcess.run(
            ["run", "starter", "--limit", "10", "--dry-run", "--json", "--no-card"] + model,
            environment: environment
        )
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(server.requestCount == 0)
        let plan = try RobustnessCLITests.object(dry.stdout)
        #expect(plan["requests"] as? Int == 10)
        #expect(plan["cached"] as? Int == 0)
        #expect(plan["to_send"] as? Int == 10)
        #expect(plan["max_output_tokens"] as? Int == 10)
        #expect((plan["prompt_tokens_estimate"] as? Int ?? 0) > 100)
        #expect(plan["card_requests_at_most"] as? Int == 0)

        let capped = try await CLIProcess.run(
            ["run", "starter", "--limit", "10", "--no-card", "--max-requests", "4"] + model,
            environment: environment
        )
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(server.requestCount == 4)
        #expect(capped.stderr.contains("request budget spent: 4 of --max-requests 4 sent; 4/10 items saved"))
        #expect(capped.stderr.contains("plan: 10 items × 1 variant = 10 requests · 0 from the cache · 10 to send"))
        let store = try SQLiteResultStore(path: home + "/culturelens.sqlite")
        let run = try #require(try await store.runs().first)
        #expect(try await store.results(runID: run.id).count == 4)
        #expect(try await store.run(id: run.id)?.status == .interrupted)

        let resumed = try await CLIProcess.run(
            ["run", "starter", "--limit", "10", "--no-card", "--max-requests", "100"] + model,
            environment: environment
        )
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("10 requests · 4 from the cache · 6 to send"))
        #expect(server.requestCount == 10, "nothing asked twice")
        #expect(try await store.results(runID: run.id).count == 10)
    }

    @Test func theCardCountsAgainstTheBudgetAndResumes() async throws {
        let home = try CLIProcess.temporaryDirectory("budget-card-home")
        let server = try await RobustnessCLITests.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = RobustnessCLITests.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]

        let capped = try await CLIProcess.run(
            ["run", "starter", "--limit", "30", "--json", "--max-requests", "40"] + model,
            environment: environment
        )
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(server.requestCount == 40)
        #expect(capped.stderr.contains("the robustness card unfinished"))
        #expect(try RobustnessCLITests.object(capped.stdout)["card"] == nil)

        let finished = try await CLIProcess.run(
            ["run", "starter", "--limit", "30", "--json"] + model,
            environment: environment
        )
        #expect(finished.status == 0, "\(finished.stderr)")
        let card = try #require(try RobustnessCLITests.object(finished.stdout)["card"] as? [String: Any])
        let sample = try #require(card["sample"] as? [String: Any])
        // Every request of the run and its card was sent exactly once over both invocations.
        let ids = try #require(sample["item_ids"] as? [String])
        let choices = Dictionary(uniqueKeysWithValues: StarterSuite.suite.items.map { ($0.id, $0.choices.count) })
        let rotations = try ids.map { try #require(choices[$0]) - 1 }.reduce(0, +)
        #expect(server.requestCount == 30 + rotations)
    }

    @Test func theRobustnessGridHasAPlanAndACap() async throws {
        let home = try CLIProcess.temporaryDirectory("budget-grid-home")
        let server = try await RobustnessCLITests.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = RobustnessCLITests.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]
        // Six four-option items under the default order, reversed and rotations 1–3: 30 requests.
        let grid = ["robustness", "starter", "--perturb", "order", "--limit", "6", "--bootstrap", "200"]

        let dry = try await CLIProcess.run(grid + ["--dry-run", "--json"] + model, environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try RobustnessCLITests.object(dry.stdout)
        #expect(plan["requests"] as? Int == 30)
        #expect(plan["to_send"] as? Int == 30)
        #expect(server.requestCount == 0)

        let capped = try await CLIProcess.run(grid + ["--max-requests", "7"] + model, environment: environment)
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(server.requestCount == 7)
        #expect(capped.stderr.contains("request budget spent: 7 of --max-requests 7 sent; 7/30 results saved"))

        let finished = try await CLIProcess.run(grid + model, environment: environment)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.contains("30 requests · 7 from the cache · 23 to send"))
        #expect(server.requestCount == 30, "nothing asked twice")
    }
}

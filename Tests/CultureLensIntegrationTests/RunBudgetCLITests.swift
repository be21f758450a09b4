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
        #expect(capped.stderr.contains("budget spent: 4 of --max-requests 4 sent; 4/10 items saved"))
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
        #expect(capped.stderr.contains("budget spent: 7 of --max-requests 7 sent; 7/30 results saved"))

        let finished = try await CLIProcess.run(grid + model, environment: environment)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.contains("30 requests · 7 from the cache · 23 to send"))
        #expect(server.requestCount == 30, "nothing asked twice")
    }

    /// The spend section of a `results.json`.
    static func spend(_ directory: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))
        let document = try RobustnessCLITests.object(String(decoding: data, as: UTF8.self))
        return try #require(document["spend"] as? [String: Any])
    }

    @Test func aTokenCapStopsWithExit3AndTheSpendAddsUpOverTheResumedRun() async throws {
        let home = try CLIProcess.temporaryDirectory("tokens-home")
        let out = try CLIProcess.temporaryDirectory("tokens-out")
        let server = try await RobustnessCLITests.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = RobustnessCLITests.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]
        let arguments = ["run", "starter", "--limit", "10", "--no-card", "--concurrency", "1", "--output", out] + model

        // Each call reserves its prompt estimate and max_tokens; the fake server reports 5 + 1 tokens per call.
        let capped = try await CLIProcess.run(arguments + ["--max-tokens", "100"], environment: environment)
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(capped.stderr.contains("of --max-tokens 100 used"), "\(capped.stderr)")
        #expect(capped.stderr.contains("run again with a higher --max-tokens to continue"))
        let sent = server.requestCount
        #expect(sent > 0 && sent < 10)
        let first = try Self.spend(out)
        #expect(first["requests"] as? Int == sent)
        #expect(first["prompt_tokens"] as? Int == 5 * sent, "the server's usage, not the estimate")
        #expect(first["output_tokens"] as? Int == sent)
        #expect(first["invocations"] as? Int == 1)
        #expect(capped.stderr.contains("plan: at most 100 tokens (--max-tokens) in this invocation; then exit 3"))

        let resumed = try await CLIProcess.run(arguments + ["--max-tokens", "100000"], environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(server.requestCount == 10, "nothing asked twice")
        let total = try Self.spend(out)
        #expect(total["requests"] as? Int == 10)
        #expect(total["prompt_tokens"] as? Int == 50)
        #expect(total["invocations"] as? Int == 2)
        #expect(resumed.stdout.contains("spend: 10 calls · 60 tokens (50 prompt + 10 output) · over 2 invocations"))
        // The report shows it too (as a section of its own).
        let page = try await CLIProcess.run(
            ["report", out, "--output", out + "/report.html"],
            environment: environment
        )
        #expect(page.status == 0, "\(page.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Spend: figures"))
        #expect(html.contains("<bdi>Prompt tokens</bdi></th><td class=\"num\"><bdi>50</bdi>"))
    }

    @Test func aCostCapNeedsAPriceFromFlagsOrTheTableAndStopsAtIt() async throws {
        let home = try CLIProcess.temporaryDirectory("cost-home")
        let server = try await RobustnessCLITests.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = RobustnessCLITests.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]
        let base = ["run", "starter", "--limit", "10", "--no-card", "--concurrency", "1"] + model

        let unpriced = try await CLIProcess.run(base + ["--max-cost", "1"], environment: environment)
        #expect(unpriced.status == 2)
        #expect(unpriced.stderr.contains("--max-cost needs the price of model 'fake-model'"), "\(unpriced.stderr)")
        #expect(server.requestCount == 0)

        // A table with a bad entry is named with its field; nothing is sent.
        let table = home + "/prices.json"
        try Data(#"{"fake-model": {"input_per_million": "free", "output_per_million": 1}}"#.utf8)
            .write(to: URL(fileURLWithPath: table))
        let bad = try await CLIProcess.run(base + ["--max-cost", "1"], environment: environment)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(table): fake-model.input_per_million"), "\(bad.stderr)")

        // $1 per token both ways from the table: the plan prices the prompts, and $100 stops the run early.
        try Data(#"{"fake-model": {"input_per_million": 1000000, "output_per_million": 1000000}}"#.utf8)
            .write(to: URL(fileURLWithPath: table))
        let dry = try await CLIProcess.run(base + ["--dry-run", "--json"], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try RobustnessCLITests.object(dry.stdout)
        let prompts = try #require(plan["cost_prompts_estimate"] as? Double)
        #expect(prompts == Double(try #require(plan["prompt_tokens_estimate"] as? Int)))
        #expect(plan["cost_at_most"] as? Double == prompts + 10)

        let capped = try await CLIProcess.run(base + ["--max-cost", "100", "--json"], environment: environment)
        #expect(capped.status == 3, "\(capped.stderr)")
        #expect(capped.stderr.contains("of --max-cost $100.00 spent"), "\(capped.stderr)")
        let spend = try #require(try RobustnessCLITests.object(capped.stdout)["spend"] as? [String: Any])
        let cost = try #require(spend["cost"] as? Double)
        #expect(cost == Double(6 * server.requestCount), "6 reported tokens per call at $1 each")
        #expect(cost <= 100)
        #expect(server.requestCount > 0 && server.requestCount < 10)

        // Flags override the table.
        let free = try await CLIProcess.run(
            base + ["--max-cost", "0.01", "--price-input", "0", "--price-output", "0"],
            environment: environment
        )
        #expect(free.status == 0, "\(free.stderr)")
        #expect(server.requestCount == 10)
    }
}

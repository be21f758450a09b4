import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// `value-tradeoffs` and `preferences-jsonl` through the CLI: scoring a responses file, a run against an
/// OpenAI-compatible server, usage errors, and a real local-model run.
struct PreferencesCLITests {
    static func json(_ stdout: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    @Test func scoreTurnsAnswersIntoUtilitiesAndCountsTheUnanswered() async throws {
        // The model prefers options in the order of their position in the built-in list (earlier is better).
        let items = PreferenceSuite.valueTradeoffs.items
        var order: [String] = []
        for item in items { if let id = item.metadata["first"], !order.contains(id) { order.append(id) } }
        var lines: [String] = []
        for (index, item) in items.enumerated() {
            let first = order.firstIndex(of: item.metadata["first"] ?? "") ?? 0
            let second = order.firstIndex(of: item.metadata["second"] ?? "") ?? 0
            let object: [String: Any] =
                index < 3
                ? ["item_id": item.id, "answer": "I cannot choose."]
                : ["item_id": item.id, "distribution": first < second ? [0.9, 0.1] : [0.1, 0.9]]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let directory = try CLIProcess.temporaryDirectory("preferences-score")
        let path = directory + "/responses.jsonl"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let output = try await CLIProcess.run(["score", "value-tradeoffs", "--responses", path, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let preferences = try #require(try Self.json(output.stdout)["preferences"] as? [String: Any])
        #expect(preferences["unanswered"] as? Int == 3)
        #expect(preferences["presentations"] as? Int == items.count)
        let utilities = try #require(preferences["utilities"] as? [[String: Any]])
        #expect(utilities.count == 48)
        let ranked = utilities.compactMap { $0["id"] as? String }
        #expect(ranked.first == order.first && ranked.last == order.last, "\(ranked)")
        #expect(utilities.allSatisfy { $0["ci_low"] is Double && $0["n"] is Int })
        #expect(preferences["held_out"] is [String: Any])
        let table = try await CLIProcess.run(["score", "value-tradeoffs", "--responses", path])
        #expect(table.stdout.contains("Utilities from forced choices"), "\(table.stdout)")
        #expect(table.stdout.contains("unanswered 3 (counted, not imputed)"))
    }

    @Test func runOnYourOwnOptionsAgainstAnOpenAICompatibleServerShowsTheOrderBias() async throws {
        let directory = try CLIProcess.temporaryDirectory("preferences-run")
        let options = directory + "/options.jsonl"
        let rows = (1...5).map { "{\"id\": \"opt\($0)\", \"text\": \"Outcome number \($0)\"}" }
        try Data(rows.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: options))
        // A model that always prefers Option A: pure order bias, no preference between outcomes.
        let server = try await ScriptedHTTPServer.start { _ in
            .json(FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1), (" B", -2.4)]))
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "preferences-jsonl", "--data", options, "--model", "fake-model", "--base-url",
                server.baseURL + "/v1", "--scoring", "logprobs", "--api", "completions", "--json",
            ],
            environment: ["CULTURELENS_HOME": try CLIProcess.temporaryDirectory("preferences-home")]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let document = try Self.json(output.stdout)
        #expect((document["summary"] as? [String: Any])?["done"] as? Int == 20)
        let preferences = try #require(document["preferences"] as? [String: Any])
        #expect(preferences["presentations"] as? Int == 20 && preferences["unanswered"] as? Int == 0)
        #expect((preferences["order_bias"] as? Double ?? 0) > 0.3)
        // Both orders cancel: every pair is a tie, so the utilities are all equal.
        let means = try #require((preferences["utilities"] as? [[String: Any]])?.compactMap { $0["mean"] as? Double })
        #expect(means.count == 5 && means.allSatisfy { abs($0) < 1e-6 })
    }

    @Test func steeredPreferencesGiveUtilitiesPerPersonaAndRankCorrelations() async throws {
        let directory = try CLIProcess.temporaryDirectory("preferences-steer")
        let options = directory + "/options.jsonl"
        let rows = (1...5).map { "{\"id\": \"opt\($0)\", \"text\": \"Outcome number \($0)\"}" }
        try Data(rows.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: options))
        // As itself the model prefers lower numbers; as Japan, higher ones; as Chile it never answers.
        var lines: [String] = []
        for prefix in ["", "japan/", "chile/"] {
            for a in 1...5 {
                for b in 1...5 where a != b {
                    let prefersFirst = prefix == "japan/" ? a > b : a < b
                    let answer =
                        prefix == "chile/"
                        ? "\"answer\": \"no\"" : "\"distribution\": \(prefersFirst ? "[0.9, 0.1]" : "[0.1, 0.9]")"
                    lines.append("{\"item_id\": \"\(prefix)opt\(a)|opt\(b)\", \(answer)}")
                }
            }
        }
        let responses = directory + "/responses.jsonl"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: responses))
        let arguments = [
            "score", "preferences-jsonl", "--data", options, "--responses", responses, "--steer", "countries=JP,CL",
        ]
        let output = try await CLIProcess.run(arguments + ["--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let preferences = try #require(try Self.json(output.stdout)["preferences"] as? [String: Any])
        let personas = try #require(preferences["personas"] as? [String: Any])
        let countries = try #require(personas["countries"] as? [[String: Any]])
        #expect(countries.compactMap { $0["country"] as? String } == ["Japan", "Chile"])
        let japan = try #require(countries[0]["report"] as? [String: Any])
        #expect((japan["utilities"] as? [[String: Any]])?.first?["id"] as? String == "opt5")
        let chile = try #require(countries[1]["report"] as? [String: Any])
        #expect(chile["unanswered"] as? Int == 20 && (chile["utilities"] as? [Any])?.isEmpty == true)
        let correlations = try #require(personas["correlations"] as? [[String: Any]])
        // Chile has no utilities, so the only pair is the model as itself against Japan: opposite rankings.
        #expect(correlations.count == 1)
        let itselfJapan = try #require(correlations.first { $0["first"] == nil && $0["second"] as? String == "Japan" })
        #expect(abs((itselfJapan["spearman"] as? Double ?? 0) + 1) < 1e-9 && itselfJapan["n"] as? Int == 5)
        let table = try await CLIProcess.run(arguments)
        #expect(table.stdout.contains("model as itself ~ Japan: -1.000"), "\(table.stdout)")
        #expect(table.stdout.contains("Chile: no utilities"))
    }

    @Test func preferencesJSONLNeedsItsData() async throws {
        let output = try await CLIProcess.run(["run", "preferences-jsonl"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("pass --data FILE"), "\(output.stderr)")
        let suites = try await CLIProcess.run(["suites"])
        #expect(suites.stdout.contains("value-tradeoffs") && suites.stdout.contains("preferences-jsonl"))
    }
}

/// `value-tradeoffs` on the real local model (Gemma 3 270M, logprob scoring): a limited run finishes and reports
/// utilities or says why not. Serialized: the model takes both cores.
@Suite(.serialized)
struct PreferencesLocalModelTests {
    @Test func aLimitedValueTradeoffsRunOnTheLocalModelFinishes() async throws {
        let output = try await CLIProcess.run(
            ["run", "value-tradeoffs", "--model", "local", "--limit", "12", "--json", "--no-card"],
            environment: ["CULTURELENS_HOME": try CLIProcess.temporaryDirectory("preferences-local")],
            timeout: 900
        )
        #expect(output.status == 0, "\(output.stderr)")
        let preferences = try #require(try PreferencesCLITests.json(output.stdout)["preferences"] as? [String: Any])
        #expect(preferences["presentations"] as? Int == 12)
        let answered = 12 - (preferences["unanswered"] as? Int ?? 12)
        #expect(answered == 0 || (preferences["utilities"] as? [Any])?.isEmpty == false)
    }
}

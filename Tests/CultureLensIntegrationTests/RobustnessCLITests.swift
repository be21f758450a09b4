import CultureLensCore
import CultureLensDatasets
import CultureLensModels
import CultureLensStore
import CultureLensTesting
import Foundation
import Testing

/// `culturelens robustness` and `culturelens compare` against a scripted OpenAI-compatible server.
struct RobustnessCLITests {
    /// A server whose next-token distribution always prefers the first label (A / 1 / a).
    static func letterBiasedServer(first: Double = -0.3, second: Double = -2.0) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start { request in
            switch request.path {
            case "/v1/completions":
                return .json(
                    FakeOpenAI.completion(
                        text: " A",
                        topLogprobs: [
                            (" A", first), (" B", second), (" C", -2.5), (" D", -3.0), (" 1", -1.0), (" 2", -2.2),
                            (" a", -1.5), (" b", -2.8), (" Yes", -1.2), (" No", -1.8), (" the", -4),
                        ]
                    )
                )
            default:
                return .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
        }
    }

    /// `--model fake-model` at `server`, completions with logprob scoring (no capability probe).
    static func modelArguments(_ server: ScriptedHTTPServer) -> [String] {
        [
            "--model", "fake-model", "--base-url", server.baseURL + "/v1", "--api", "completions", "--scoring",
            "logprobs",
        ]
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func everyRunCarriesItsRobustnessCard() async throws {
        let home = try CLIProcess.temporaryDirectory("card-home")
        let out = try CLIProcess.temporaryDirectory("card-out")
        let server = try await Self.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = Self.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]

        let first = try await CLIProcess.run(
            ["run", "starter", "--limit", "30", "--json", "--output", out] + model,
            environment: environment
        )
        #expect(first.status == 0, "\(first.stderr)")
        let document = try Self.object(first.stdout)
        let card = try #require(document["card"] as? [String: Any])
        let sample = try #require(card["sample"] as? [String: Any])
        // 10% of 30 is 3, the minimum is 20.
        #expect(sample["items"] as? Int == 20)
        #expect(sample["eligible"] as? Int == 30)
        #expect(sample["variants"] as? [String] == ["default", "order=rot1", "order=rot2", "order=rot3"])
        let requests = try #require(sample["requests"] as? Int)
        #expect(requests == 60)
        // The run's 30 requests, then the card's rotations; the default order comes from the cache, and a
        // three-option story's rotation 3 is its default order again (one prompt, asked once).
        let ids = try #require(sample["item_ids"] as? [String])
        let choices = Dictionary(uniqueKeysWithValues: StarterSuite.suite.items.map { ($0.id, $0.choices.count) })
        let rotations = try ids.map { try #require(choices[$0]) - 1 }.reduce(0, +)
        let stories = try ids.filter { try #require(choices[$0]) == 3 }.count
        #expect(server.requestCount == 30 + rotations)
        // The endpoint always prefers the letter A: every lettered answer follows the first shown option; the
        // stories are answered by word (Yes), whatever its place.
        #expect(card["level"] as? String == "unreliable")
        let flipRate = try #require((card["flip_rate"] as? [String: Any])?["value"] as? Double)
        #expect(abs(flipRate - Double(20 - stories) / 20) < 1e-12)
        #expect(stories < 20)
        let aBias = try #require((card["a_bias"] as? [String: Any])?["value"] as? Double)
        #expect(aBias > 0.3)
        let verdicts = try #require(card["verdicts"] as? [[String: Any]])
        #expect(verdicts.first?["check"] as? String == "flip_rate")
        #expect(card["determinism"] == nil, "off by default for a remote endpoint")
        let summary = try #require(card["summary"] as? String)
        #expect(summary.hasPrefix("flips under option rotation on \(Int((flipRate * 100).rounded()))% of items"))
        // results.json carries the same card.
        let written = try Self.object(try String(contentsOfFile: out + "/results.json", encoding: .utf8))
        #expect((written["card"] as? [String: Any])?["summary"] as? String == summary)

        // The store: the card's answers are a run of their own, marked as this run's card; the card is attached.
        let store = try SQLiteResultStore(path: home + "/culturelens.sqlite")
        let runs = try await store.runs()
        let main = try #require(runs.first { $0.cardOf == nil })
        let cardRun = try #require(runs.first { $0.cardOf != nil })
        #expect(cardRun.cardOf == main.id)
        // The run is finished again once its card is attached, after the card's own run: readers that cached it
        // without the card see a new finish time.
        #expect((main.finishedAt ?? .distantPast) >= (cardRun.finishedAt ?? .distantFuture))
        #expect(sample["run_id"] as? String == cardRun.id)
        #expect(cardRun.itemCount == 20)
        let attached = try #require(try await store.runAttachment(id: main.id, name: "card"))
        let stored = try #require(try JSONSerialization.jsonObject(with: attached) as? [String: Any])
        #expect(stored["summary"] as? String == summary)

        // Again, as a table: everything from the cache, the verdict beside the headline.
        let count = server.requestCount
        let table = try await CLIProcess.run(["run", "starter", "--limit", "30"] + model, environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(server.requestCount == count)
        #expect(table.stdout.contains("n=30; " + summary))
        #expect(table.stdout.contains("robustness card: 20 of 30 items × 4 option orders (seed 0; 60 new requests"))
        #expect(table.stdout.contains("[unreliable] puts "))

        // The determinism check re-sends requests past the cache; this endpoint answers identically.
        let checked = try await CLIProcess.run(
            ["run", "starter", "--limit", "30", "--json", "--determinism-check", "--determinism-sample", "5"] + model,
            environment: environment
        )
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(server.requestCount == count + 5)
        let determinism = try #require(
            (try Self.object(checked.stdout)["card"] as? [String: Any])?["determinism"] as? [String: Any]
        )
        #expect(determinism["compared"] as? Int == 5)
        #expect(determinism["argmax_flips"] as? Int == 0)
        #expect(determinism["max_abs_delta"] as? Double == 0)

        // The HTML report shows the card under the headline.
        let report = try await CLIProcess.run(
            ["report", out, "--output", out + "/report.html"],
            environment: environment
        )
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("class=\"headline-verdict level-unreliable\""))
        #expect(html.contains(">Robustness card<"))

        let skipped = try await CLIProcess.run(
            ["run", "starter", "--limit", "30", "--json", "--no-card"] + model,
            environment: environment
        )
        #expect(skipped.status == 0)
        #expect(try Self.object(skipped.stdout)["card"] == nil)
        let conflicting = try await CLIProcess.run(["run", "starter", "--no-card", "--determinism-check"])
        #expect(conflicting.status == 2)
        #expect(conflicting.stderr.contains("--determinism-check is part of the card"))
    }

    @Test func robustnessCardThroughTheCLIReusesThePlainRunAndCountsFailures() async throws {
        let home = try CLIProcess.temporaryDirectory("rob-home")
        let out = try CLIProcess.temporaryDirectory("rob-out")
        let server = try await Self.letterBiasedServer()
        defer { Task { try? await server.shutdown() } }
        let model = Self.modelArguments(server)
        let environment = ["CULTURELENS_HOME": home]

        // Without the run's own card, whose rotations would answer part of the grid from the cache.
        let plain = try await CLIProcess.run(
            ["run", "starter", "--limit", "12", "--json", "--no-card"] + model,
            environment: environment
        )
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try Self.object(plain.stdout)["card"] == nil)
        let requestsAfterPlain = server.requestCount

        let output = try await CLIProcess.run(
            [
                "robustness", "starter", "--perturb", "order,labels", "--limit", "12", "--json", "--output", out,
                "--bootstrap", "500",
            ] + model,
            environment: environment
        )
        #expect(output.status == 0, "\(output.stderr)")
        // 8 variants × 12 items, the default variant from the cache.
        #expect(server.requestCount - requestsAfterPlain == 7 * 12)
        let document = try Self.object(output.stdout)
        let card = try #require(document["robustness"] as? [String: Any])
        for key in ["flip_rate", "fleiss_kappa", "mean_pairwise_jsd", "format_spread", "a_bias"] {
            let figure = try #require(card[key] as? [String: Any], "\(key)")
            #expect(figure["n"] is Int, "\(key)")
            #expect(figure.keys.contains("ci_low") && figure.keys.contains("ci_high"), "\(key)")
        }
        let pride = try #require(card["pride"] as? [String: Any])
        let debiased = try #require(pride["debiased"] as? [String: Any])
        #expect(debiased["value"] is Double)
        let aBias = try #require((card["a_bias"] as? [String: Any])?["value"] as? Double)
        #expect(aBias > 0.3)
        let variants = try #require(card["variants"] as? [[String: Any]])
        #expect(variants.count == 8)
        #expect(variants.first?["id"] as? String == "default")
        // Unlabelled options are answered by text, which letter tokens rarely match: those failures are counted per
        // variant (and in total), never scored.
        let failures = try #require(card["failures"] as? [String: Int])
        let unlabelled = try #require(variants.first { $0["id"] as? String == "labels=none" })
        let unlabelledFailures = (unlabelled["failures"] as? [String: Int] ?? [:]).values.reduce(0, +)
        #expect(unlabelledFailures > 0)
        #expect(try #require(unlabelled["answered"] as? Int) + unlabelledFailures == 12)
        var perVariant = 0
        for variant in variants {
            let counts = variant["failures"] as? [String: Int] ?? [:]
            perVariant += counts.values.reduce(0, +)
        }
        let total = failures.values.reduce(0, +)
        #expect(total == perVariant)
        // The usual summary is the plain prompt's, answered from the cache.
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["cache_hits"] as? Int == 12)
        #expect(summary["items"] as? Int == 12)
        // Files: results.json with the card, one samples line per item × variant.
        let results = try Self.object(try String(contentsOfFile: out + "/results.json", encoding: .utf8))
        #expect(results["robustness"] != nil && results["run"] != nil && results["tool"] != nil)
        let lines = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 96)
        let ids = Set(try lines.map { try #require(try Self.object(String($0))["variant"] as? String) })
        #expect(ids.count == 8 && ids.contains("order=rot2"))

        // The table names the figures.
        let table = try await CLIProcess.run(
            ["robustness", "starter", "--perturb", "order,labels", "--limit", "12", "--bootstrap", "500"] + model,
            environment: environment
        )
        #expect(table.status == 0, "\(table.stderr)")
        for text in ["argmax flip rate", "Fleiss' κ", "A-bias", "PriDe: debiased", "format spread", "order=rot1"] {
            #expect(table.stdout.contains(text), "\(text)")
        }
        #expect(server.requestCount - requestsAfterPlain == 7 * 12)
    }

    @Test func usageErrors() async throws {
        let bad = try await CLIProcess.run(["robustness", "starter", "--perturb", "order,colour"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("colour"))
        let samples = try await CLIProcess.run(["robustness", "starter", "--samples", "3", "--scoring", "logprobs"])
        #expect(samples.status == 2)
        let steer = try await CLIProcess.run(["robustness", "starter", "--steer", "countries=Atlantis"])
        #expect(steer.status == 2)
        #expect(steer.stderr.contains("Atlantis"))
    }

    @Test func compareRunsPrintsPairedDifferencesPerCultureWithHolm() async throws {
        let home = try CLIProcess.temporaryDirectory("cmp-home")
        let outA = try CLIProcess.temporaryDirectory("cmp-a")
        let serverA = try await Self.letterBiasedServer()
        // Server B prefers B over A.
        let serverB = try await Self.letterBiasedServer(first: -2.0, second: -0.3)
        defer {
            Task {
                try? await serverA.shutdown()
                try? await serverB.shutdown()
            }
        }
        let environment = ["CULTURELENS_HOME": home]
        let a = try await CLIProcess.run(
            [
                "run", "starter", "--limit", "24", "--model", "model-a", "--base-url", serverA.baseURL + "/v1",
                "--output", outA,
            ],
            environment: environment
        )
        #expect(a.status == 0, "\(a.stderr)")
        let b = try await CLIProcess.run(
            ["run", "starter", "--limit", "24", "--model", "model-b", "--base-url", serverB.baseURL + "/v1"],
            environment: environment
        )
        #expect(b.status == 0, "\(b.stderr)")
        let store = try SQLiteResultStore(path: home + "/culturelens.sqlite")
        let runs = try await store.runs()
        // Each run's robustness card is a store run of its own (`card_of`): not one to compare.
        let runA = try #require(runs.first { $0.model == "model-a" && $0.cardOf == nil })
        let runB = try #require(runs.first { $0.model == "model-b" && $0.cardOf == nil })

        let output = try await CLIProcess.run(
            ["compare", runA.id, String(runB.id.prefix(8)), "--json"],
            environment: environment
        )
        #expect(output.status == 0, "\(output.stderr)")
        let comparison = try Self.object(output.stdout)
        #expect(comparison["pairs"] as? Int == 24)
        let perCulture = try #require(comparison["per_culture"] as? [[String: Any]])
        #expect(perCulture.count >= 4)
        #expect(perCulture.contains { $0["p_holm"] is Double })
        let overall = try #require(comparison["overall"] as? [String: Any])
        // The overall difference is the difference of the two runs' accuracies on the same 24 items.
        let scoresA = try await store.results(runID: runA.id).compactMap(\.score)
        let scoresB = try await store.results(runID: runB.id).compactMap(\.score)
        #expect(scoresA.count == 24 && scoresB.count == 24)
        let expected = (scoresB.reduce(0, +) - scoresA.reduce(0, +)) / 24
        let difference = try #require(overall["difference"] as? Double)
        #expect(abs(difference - expected) < 1e-9)
        #expect(expected != 0)

        // A run directory works as well, and the table has the Holm column.
        let table = try await CLIProcess.run(["compare", outA, runB.id], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("p Holm"))
        let missing = try await CLIProcess.run(["compare", "nope", runB.id], environment: environment)
        #expect(missing.status == 1)
    }
}

/// The real Gemma 3 270M through the CLI: a small order × labels grid shows its letter bias. Serialized: the
/// model takes both cores.
@Suite(.serialized)
struct RobustnessLocalModelTests {
    @Test func gemmaRobustnessCardShowsTheLetterBias() async throws {
        _ = try LocalModelInstallation.locate(workingDirectory: CLIProcess.packageRoot)
        let home = try CLIProcess.temporaryDirectory("rob-local")
        let output = try await CLIProcess.run(
            [
                "robustness", "starter", "--model", "local", "--perturb", "order,labels", "--limit", "24", "--json",
                "--concurrency", "2",
            ],
            environment: ["CULTURELENS_HOME": home],
            timeout: 1200
        )
        #expect(output.status == 0, "\(output.stderr)")
        let document = try RobustnessCLITests.object(output.stdout)
        let card = try #require(document["robustness"] as? [String: Any])
        func figure(_ key: String, in section: [String: Any]? = nil) throws -> (
            value: Double, n: Int, low: Double, high: Double
        ) {
            let object = try #require((section ?? card)[key] as? [String: Any], "\(key)")
            return (
                try #require(object["value"] as? Double, "\(key).value"),
                try #require(object["n"] as? Int, "\(key).n"),
                try #require(object["ci_low"] as? Double, "\(key).ci_low"),
                try #require(object["ci_high"] as? Double, "\(key).ci_high")
            )
        }
        let flip = try figure("flip_rate")
        let kappa = try figure("fleiss_kappa")
        let spread = try figure("format_spread")
        let aBias = try figure("a_bias")
        let pride = try #require(card["pride"] as? [String: Any])
        let debiased = try figure("debiased", in: pride)
        #expect(flip.n == 24 && kappa.n > 0 && spread.n == 24 && aBias.n == 24 && debiased.n > 0)
        for entry in [flip, kappa, spread, aBias, debiased] {
            #expect(entry.low <= entry.value + 1e-12 && entry.value <= entry.high + 1e-12)
        }
        // Gemma 3 270M puts about half its option mass on "A" whatever the content: A-bias well above 0, the
        // positional distribution far from uniform, and most items change their answer when the options rotate.
        #expect(aBias.value > 0.1)
        #expect(aBias.low > 0)
        // The first 24 starter items are 21 four-option questions and 3 Yes/No/Neither stories.
        let positional = try #require(
            (card["positional"] as? [[String: Any]])?.first { $0["option_count"] as? Int == 4 }?["distribution"]
                as? [Double]
        )
        #expect(positional[0] > 0.35)
        #expect(positional[0] == positional.max())
        #expect(flip.value > 0.5)
        let prior = try #require(
            (pride["priors"] as? [[String: Any]])?.first { $0["option_count"] as? Int == 4 }?["prior"] as? [Double]
        )
        #expect(prior[0] == prior.max())
    }
}

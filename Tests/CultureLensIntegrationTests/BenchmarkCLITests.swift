import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// The benchmark commands end to end: `score` on fixture data, `suites`, spec runs against a scripted
/// OpenAI-compatible server, malformed data.
struct BenchmarkCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `culturelens score globalopinionqa --data FIXTURE.csv --responses R.jsonl --json --output OUT` on the fixture
    /// questions, answered with a distribution (0: "A lot"), samples (1: mostly "Very important") and a raw answer
    /// (2: "B", "No"); also the input of `ExportCLITests`.
    static func scoreGlobalOpinionQA() async throws -> (
        data: URL, responses: URL, out: String, output: CLIProcess.Output
    ) {
        let data = try BenchmarkFixtures.write(BenchmarkFixtures.globalOpinionQA, named: "global_opinions.csv")
        let responses = try BenchmarkFixtures.write(
            """
            {"index": 0, "distribution": [0.6, 0.3, 0.1]}
            {"index": 1, "samples": [0, 0, 1, 3]}
            {"index": 2, "answer": "B"}
            """,
            named: "r.jsonl"
        )
        let out = try CLIProcess.temporaryDirectory("score-out")
        let output = try await CLIProcess.run([
            "score", "globalopinionqa", "--data", data.path, "--responses", responses.path, "--json", "--output", out,
        ])
        return (data, responses, out, output)
    }

    /// `culturelens score globalopinionqa --data FIXTURE.csv --responses R.jsonl --json`: per-country similarity
    /// equals the hand computation (Python, from the definition) to 1e-9.
    @Test func scoreGlobalOpinionQAMatchesHandComputation() async throws {
        let (data, responses, out, output) = try await Self.scoreGlobalOpinionQA()
        #expect(output.status == 0, "\(output.stderr)")
        let document = try Self.json(output.stdout)
        #expect(Set(document.keys) == ["schema", "version", "tool", "run", "summary", "metrics", "diagnostics"])
        // The built-in spec is not pinned: said in results.json, pointing at the spec's revision line.
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?["file"] as? String == "Specs/globalopinionqa.yaml")
        #expect(diagnostics.first?["field"] as? String == "source.revision")
        #expect(diagnostics.first?["severity"] as? String == "warning")
        #expect((diagnostics.first?["line"] as? Int ?? 0) > 1)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["items"] as? Int == 3 && summary["done"] as? Int == 3)
        let metrics = try #require(document["metrics"] as? [String: Any])
        let similarity = try #require(metrics["similarity"] as? [String: Any])
        #expect(similarity["log_base"] as? String == "e")
        let perCulture = try #require(similarity["per_culture"] as? [[String: Any]])
        let expected: [String: (Double, Int)] = [
            "BE": (0.7715339769138421, 2), "JP": (0.5637429382831227, 3),
            "Pakistan (Non-national sample)": (0.5677130936740202, 1),
        ]
        #expect(perCulture.count == expected.count)
        for culture in perCulture {
            let key = try #require(culture["key"] as? String)
            let (value, n) = try #require(expected[key], "unexpected culture \(key)")
            let similarity = try #require(culture["similarity"] as? Double)
            #expect(abs(similarity - value) < 1e-9, "\(key)")
            #expect(culture["n"] as? Int == n)
            // At most three questions per culture: flagged as not estimable, not given a zero-width interval.
            #expect(culture["ci_low"] == nil && culture["ci_high"] == nil && culture["rank"] == nil)
            #expect((culture["baselines"] as? [String: Any])?["uniform"] is Double)
        }
        let samples = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(samples.count == 3)
        #expect(FileManager.default.fileExists(atPath: out + "/results.json"))
        // Base 2 through a user spec that only changes the log base.
        let spec = try BenchmarkFixtures.write(
            try #require(BuiltinSpecs.texts.first { $0.id == "globalopinionqa" }?.yaml)
                .replacingOccurrences(of: "log_base: e", with: "log_base: 2"),
            named: "goqa-bits.yaml"
        )
        let bits = try await CLIProcess.run([
            "score", spec.path, "--data", data.path, "--responses", responses.path, "--json",
        ])
        #expect(bits.status == 0, "\(bits.stderr)")
        let bitsCultures = try #require(
            ((try Self.json(bits.stdout)["metrics"] as? [String: Any])?["similarity"] as? [String: Any])?["per_culture"]
                as? [[String: Any]]
        )
        let japan = try #require(bitsCultures.first { $0["key"] as? String == "JP" }?["similarity"] as? Double)
        #expect(abs(japan - 0.47600186718052545) < 1e-9)
    }

    /// A user spec whose data has a malformed row and a culture the catalogue does not know: with
    /// `--on-bad-row skip` the run goes on, and results.json lists both with file, line, field and severity.
    @Test func resultsListSkippedRowsAndUnknownCulturesAsDiagnostics() async throws {
        let spec = try BenchmarkFixtures.write(
            """
            id: mine
            title: Mine
            loader: {format: jsonl, file: items.jsonl}
            task: {kind: mcq}
            fields: {id: id, question: question, choices: choices, answer: answer}
            culture: {field: culture, unresolved: keep}
            """,
            named: "mine.yaml"
        )
        let data = try BenchmarkFixtures.write(
            """
            {"id": "a", "question": "Q1?", "choices": ["x", "y"], "answer": "A", "culture": "Japan"}
            {"id": "b", "question": "Q2?", "choices": ["x", "y"], "answer": "C", "culture": "Japan"}
            {"id": "c", "question": "Q3?", "choices": ["x", "y"], "answer": "B", "culture": "Atlantis"}
            {"id": "d", "question": "Q4?", "choices": ["x", "y"], "answer": "B", "culture": "Atlantis"}
            """,
            named: "items.jsonl"
        )
        let responses = try BenchmarkFixtures.write("{\"index\": 0, \"answer\": \"A\"}\n", named: "r.jsonl")
        let out = try CLIProcess.temporaryDirectory("diagnostics-out")
        let output = try await CLIProcess.run([
            "score", spec.path, "--data", data.path, "--responses", responses.path, "--on-bad-row", "skip",
            "--output", out,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let document = try Self.json(try String(contentsOfFile: out + "/results.json", encoding: .utf8))
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2, "\(diagnostics)")
        let skipped = try #require(diagnostics.first)
        #expect(skipped["severity"] as? String == "warning")
        #expect(skipped["file"] as? String == data.path)
        #expect(skipped["line"] as? Int == 2)
        #expect(skipped["field"] as? String == "answer")
        #expect((skipped["message"] as? String)?.hasPrefix("malformed row skipped") == true, "\(skipped)")
        let culture = try #require(diagnostics.last)
        #expect(culture["severity"] as? String == "warning")
        #expect(culture["file"] as? String == data.path)
        #expect(culture["line"] as? Int == 3)
        #expect(culture["field"] as? String == "culture")
        #expect(
            (culture["message"] as? String)?.contains("unknown culture 'Atlantis' in 2 row(s), kept as written")
                == true,
            "\(culture)"
        )
    }

    @Test func scoreRejectsMalformedResponsesNamingLineAndField() async throws {
        let data = try BenchmarkFixtures.write(BenchmarkFixtures.culturalBenchEasy, named: "CulturalBench-Easy.csv")
        let responses = try BenchmarkFixtures.write(
            "{\"index\": 0, \"answer\": \"A\"}\n{\"index\": 1, \"distribution\": [1, 0]}\n",
            named: "r.jsonl"
        )
        let output = try await CLIProcess.run([
            "score", "culturalbench-easy", "--data", data.path, "--responses", responses.path,
        ])
        #expect(output.status == 1)
        #expect(output.stderr.contains("r.jsonl:2: field 'distribution': has 2 value(s)"), "\(output.stderr)")
    }

    @Test func suitesListsEverySuiteWithSourceRevisionAndLicence() async throws {
        let output = try await CLIProcess.run(["suites"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("revision") == true && lines.first?.contains("licence") == true)
        #expect(lines.dropFirst().first?.hasPrefix("starter") == true)
        // Every built-in spec (the Specs/*.yaml files) is listed: with its Hub repo, or as reading --data FILE.
        #expect(BuiltinSpecs.all.count == BuiltinSpecs.ids.count)
        for spec in BuiltinSpecs.all {
            let line = try #require(lines.first { $0.hasPrefix(spec.id + " ") }, "\(spec.id) missing")
            guard let repo = spec.source?.repo else {
                #expect(line.contains("--data FILE"), "\(line)")
                continue
            }
            #expect(line.contains(repo) && line.contains(spec.licence) && line.contains("main (unpinned)"), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("mcq-jsonl ") && $0.contains("--data FILE") })
    }

    @Test func unknownSuiteAndUnknownPromptAreUsageErrors() async throws {
        let unknown = try await CLIProcess.run(["run", "no-such-suite"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("normad") && unknown.stderr.contains("starter"))
        let prompt = try await CLIProcess.run(["run", "normad:nope", "--data", "/tmp"])
        #expect(prompt.status == 2)
        #expect(prompt.stderr.contains("country, value, rot"), "\(prompt.stderr)")
        let noData = try await CLIProcess.run(["run", "mcq-jsonl"])
        #expect(noData.status == 2)
        #expect(noData.stderr.contains("--data"))
    }

    /// A malformed row stops `run` before anything is stored; `--on-bad-row skip` runs the rest and counts it.
    @Test func malformedRowsFailOrAreSkippedAndCounted() async throws {
        let home = try CLIProcess.temporaryDirectory("badrow-home")
        let data = try BenchmarkFixtures.write(
            """
            {"id": "a", "question": "Q1?", "choices": ["x", "y"], "answer": "A"}
            {"id": "b", "question": "Q2?", "choices": ["x", "y"], "answer": "C"}
            {"id": "c", "question": "Q3?", "choices": ["x", "y"], "answer": 1}
            """,
            named: "mine.jsonl"
        )
        let server = try await ScriptedHTTPServer.start { _ in
            .json(FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.2), (" B", -2.0)]))
        }
        defer { Task { try? await server.shutdown() } }
        let base = [
            "run", "mcq-jsonl", "--data", data.path, "--model", "fake", "--base-url", server.baseURL + "/v1", "--json",
        ]
        let failed = try await CLIProcess.run(base, environment: ["CULTURELENS_HOME": home])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("mine.jsonl:2: field 'answer'"), "\(failed.stderr)")
        #expect(failed.stderr.contains("--on-bad-row skip"))
        #expect(server.requestCount == 0)
        #expect(!FileManager.default.fileExists(atPath: home + "/culturelens.sqlite"), "nothing stored")

        let skipped = try await CLIProcess.run(
            base + ["--on-bad-row", "skip"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(skipped.status == 0, "\(skipped.stderr)")
        let document = try Self.json(skipped.stdout)
        let metrics = try #require(document["metrics"] as? [String: Any])
        let loadReport = try #require(metrics["data"] as? [String: Any])
        #expect(loadReport["rows_skipped"] as? Int == 1)
        #expect((loadReport["skipped"] as? [String])?.first?.contains("mine.jsonl:2: field 'answer'") == true)
        let headline = try #require(metrics["headline"] as? [String: Any])
        #expect(headline["n"] as? Int == 2 && headline["successes"] as? Int == 1)
    }

    /// CulturalBench Hard then Easy for one model (fixture data, scripted server): the Easy run reports the
    /// easy − hard gap from the stored Hard run.
    @Test func easyHardGapFromTheStore() async throws {
        let home = try CLIProcess.temporaryDirectory("gap-home")
        let directory = try CLIProcess.temporaryDirectory("gap-data")
        try BenchmarkFixtures.culturalBenchEasy.write(
            toFile: directory + "/CulturalBench-Easy.csv",
            atomically: true,
            encoding: .utf8
        )
        try BenchmarkFixtures.culturalBenchHard.write(
            toFile: directory + "/CulturalBench-Hard.csv",
            atomically: true,
            encoding: .utf8
        )
        let server = try await ScriptedHTTPServer.start { _ in
            .json(
                FakeOpenAI.completion(
                    text: " A",
                    topLogprobs: [(" A", -0.3), (" True", -0.5), (" B", -2.0), (" False", -1.5)]
                )
            )
        }
        defer { Task { try? await server.shutdown() } }
        let common = ["--data", directory, "--model", "fake", "--base-url", server.baseURL + "/v1", "--json"]
        let hard = try await CLIProcess.run(
            ["run", "culturalbench-hard"] + common,
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(hard.status == 0, "\(hard.stderr)")
        let hardMetrics = try #require(try Self.json(hard.stdout)["metrics"] as? [String: Any])
        let groups = try #require(hardMetrics["groups"] as? [String: Any])
        #expect((groups["question_accuracy"] as? [String: Any])?["n"] as? Int == 3)
        #expect((groups["question_accuracy"] as? [String: Any])?["successes"] as? Int == 0, "every row answered True")
        #expect((groups["option_accuracy"] as? [String: Any])?["successes"] as? Int == 4)

        let easy = try await CLIProcess.run(
            ["run", "culturalbench-easy"] + common,
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(easy.status == 0, "\(easy.stderr)")
        let easyMetrics = try #require(try Self.json(easy.stdout)["metrics"] as? [String: Any])
        let comparisons = try #require(easyMetrics["comparisons"] as? [[String: Any]])
        let gap = try #require(
            comparisons.first { $0["name"] as? String == "culturalbench-easy_minus_culturalbench-hard" }
        )
        #expect(abs((gap["value"] as? Double ?? 0) - 0.4) < 1e-12, "easy 2/5 − hard 0/3")
        #expect(gap["ci_low"] is Double && gap["ci_high"] is Double)
    }

    /// Global-MMLU runs of three models (the scripted server answers by model name and question): the last run
    /// reports the rank correlation of the models between the culturally sensitive and agnostic subsets.
    @Test func globalMMLURankCorrelationAcrossRuns() async throws {
        let home = try CLIProcess.temporaryDirectory("mmlu-home")
        let data = try BenchmarkFixtures.write(BenchmarkFixtures.globalMMLU, named: "global-mmlu-en-test.csv")
        // Gold: Ramadan A, ratify B, Cairo D (CS); 7 times 8 B, SI unit C (CA).
        let answers: [String: [String: String]] = [
            "m-good": ["Ramadan": "A", "ratify": "B", "Cairo": "D", "7 times 8": "B", "SI unit": "C"],
            "m-mid": ["Ramadan": "A", "ratify": "B", "Cairo": "D", "7 times 8": "A", "SI unit": "A"],
            "m-bad": ["Ramadan": "C", "ratify": "C", "Cairo": "C", "7 times 8": "C", "SI unit": "A"],
        ]
        let server = try await ScriptedHTTPServer.start { request in
            let body = request.bodyString
            let model = answers.keys.first { body.contains("\"\($0)\"") } ?? "m-bad"
            let letter = " " + (answers[model]?.first { body.contains($0.key) }?.value ?? "A")
            return .json(FakeOpenAI.completion(text: letter, topLogprobs: [(letter, -0.1), (" E", -3.0)]))
        }
        defer { Task { try? await server.shutdown() } }
        var last: [String: Any] = [:]
        for model in ["m-good", "m-mid", "m-bad"] {
            let output = try await CLIProcess.run(
                [
                    "run", "global-mmlu", "--data", data.path, "--model", model, "--base-url", server.baseURL + "/v1",
                    "--json",
                ],
                environment: ["CULTURELENS_HOME": home]
            )
            #expect(output.status == 0, "\(output.stderr)")
            last = try #require(try Self.json(output.stdout)["metrics"] as? [String: Any])
        }
        let subsets = try #require(last["subsets"] as? [String: Any])
        #expect((subsets["first"] as? [String: Any])?["key"] as? String == "CS")
        #expect((subsets["first"] as? [String: Any])?["successes"] as? Int == 0, "m-bad: CS 0/3")
        let comparisons = try #require(last["comparisons"] as? [[String: Any]])
        // CS accuracies (1, 1, 0), CA (1, 0, 0): Spearman 0.5, Kendall tau-b 0.5.
        let spearman = try #require(comparisons.first { ($0["name"] as? String)?.hasSuffix("_spearman") == true })
        #expect(spearman["n"] as? Int == 3)
        #expect(abs((spearman["value"] as? Double ?? 0) - 0.5) < 1e-12)
        let kendall = try #require(comparisons.first { ($0["name"] as? String)?.hasSuffix("_kendall_tau_b") == true })
        #expect(abs((kendall["value"] as? Double ?? 0) - 0.5) < 1e-12)
        #expect((spearman["runs"] as? [String])?.count == 3)
    }

    /// Without logprobs, `--samples K` asks K times at a temperature (one seed per sample) and the survey metric
    /// uses each question's sample histogram: answers A, A, B, C give (½, ¼, ¼).
    @Test func samplesGiveTheModelDistributionForSurveys() async throws {
        let home = try CLIProcess.temporaryDirectory("samples-home")
        let data = try BenchmarkFixtures.write(BenchmarkFixtures.globalOpinionQA, named: "global_opinions.csv")
        let server = try await ScriptedHTTPServer.start { request in
            let body = request.bodyString
            let letter = body.contains("\"seed\":2") ? "B" : body.contains("\"seed\":3") ? "C" : "A"
            return .json(FakeOpenAI.completion(text: letter + ")", topLogprobs: nil))
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "globalopinionqa", "--data", data.path, "--model", "sampler", "--base-url",
                server.baseURL + "/v1",
                "--api", "completions", "--scoring", "generate", "--samples", "4", "--temperature", "1", "--json",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let seeds = Set(
            server.requests.compactMap { request in (0..<4).first { request.bodyString.contains("\"seed\":\($0)") } }
        )
        #expect(seeds == [0, 1, 2, 3])
        let metrics = try #require(try Self.json(output.stdout)["metrics"] as? [String: Any])
        let cultures = try #require((metrics["similarity"] as? [String: Any])?["per_culture"] as? [[String: Any]])
        let belgium = try #require(cultures.first { $0["key"] as? String == "BE" })
        #expect(abs((belgium["similarity"] as? Double ?? 0) - 0.9041105667985045) < 1e-9)
        #expect(belgium["n"] as? Int == 2)

        let logprobs = try await CLIProcess.run(
            [
                "run", "globalopinionqa", "--data", data.path, "--model", "sampler", "--base-url",
                server.baseURL + "/v1",
                "--api", "completions", "--scoring", "logprobs", "--samples", "3",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(logprobs.status == 2)
        #expect(logprobs.stderr.contains("--samples > 1 needs generate scoring"))
    }
}

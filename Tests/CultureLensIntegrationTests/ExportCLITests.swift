import CultureLensTesting
import Foundation
import Testing

/// `culturelens export`: a real small run against an OpenAI-compatible server, exported as Every Eval Ever records
/// (validated against the wheel's schemas) and as preference rows, from its directory and from the store.
struct ExportCLITests {
    static let secret = "sk-export-secret-key"

    /// Runs 30 starter items against a server that always answers B; returns the output directory and home.
    static func smallRun() async throws -> (out: String, home: String) {
        let home = try CLIProcess.temporaryDirectory("export-home")
        let out = try CLIProcess.temporaryDirectory("export-run")
        let server = try await ScriptedHTTPServer.start { request in
            request.path == "/v1/completions"
                ? .json(FakeOpenAI.completion(text: " B", topLogprobs: [(" B", -0.2), (" A", -2.0), (" Yes", -1.5)]))
                : .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "starter", "--model", "acme/fake-model", "--base-url", server.baseURL + "/v1", "--limit", "30",
                "--output", out, "--api-key-env", "CL_EXPORT_KEY",
            ],
            environment: ["CULTURELENS_HOME": home, "CL_EXPORT_KEY": secret]
        )
        #expect(output.status == 0, "\(output.stderr)")
        return (out, home)
    }

    static func files(under directory: String) -> [URL] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        return ((enumerator?.allObjects as? [String]) ?? []).sorted().map {
            URL(fileURLWithPath: directory).appendingPathComponent($0)
        }.filter { !$0.hasDirectoryPath && ($0.pathExtension == "json" || $0.pathExtension == "jsonl") }
    }

    @Test(.requiresEveryEvalEverSchemas) func aRunExportsAsValidEveryEvalEverRecordsWithoutItsKey() async throws {
        let (out, home) = try await Self.smallRun()
        let eee = try CLIProcess.temporaryDirectory("export-eee")
        let output = try await CLIProcess.run(
            ["export", "eee", out, "--output", eee, "--organization", "CultureLens CI"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let files = Self.files(under: eee)
        #expect(files.map(\.lastPathComponent).filter { $0.hasSuffix("_samples.jsonl") }.count == 1, "\(files)")
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.path.contains("/data/culturelens_starter/acme/fake-model/") })
        let outcome = try await EveryEvalEverSchemas.validate(files)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("valid: 31 records"), "\(outcome.output)")
        for file in files {
            #expect(!(try String(contentsOf: file, encoding: .utf8)).contains(Self.secret))
        }
        // Exporting again gives the same bytes.
        let again = try CLIProcess.temporaryDirectory("export-eee-again")
        let second = try await CLIProcess.run(
            ["export", "eee", out, "--output", again, "--organization", "CultureLens CI"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(second.status == 0, "\(second.stderr)")
        let firstBytes = try files.map { try Data(contentsOf: $0) }
        #expect(try Self.files(under: again).map { try Data(contentsOf: $0) } == firstBytes)
    }

    @Test func preferencesComeFromTheRunDirectoryAndFromTheStoreAlike() async throws {
        let (out, home) = try await Self.smallRun()
        let samples = try String(contentsOfFile: out + "/samples.jsonl", encoding: .utf8).split(separator: "\n")
        let wrong = samples.filter { $0.contains("\"score\":0") }.count
        #expect(wrong > 0)
        let rows = try CLIProcess.temporaryDirectory("export-preferences")
        let fromDirectory = try await CLIProcess.run(
            ["export", "preferences", out, "--output", rows + "/dpo.jsonl"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(fromDirectory.status == 0, "\(fromDirectory.stderr)")
        #expect(fromDirectory.stdout.contains("\(wrong) dpo rows from \(wrong) pairs"), "\(fromDirectory.stdout)")
        let lines = try String(contentsOfFile: rows + "/dpo.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == wrong)
        for line in lines {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(row["prompt"] is String && row["chosen"] is String && row["rejected"] is String)
            #expect(row["chosen"] as? String != row["rejected"] as? String)
            #expect(row["licence"] as? String == "Apache-2.0" && row["non_commercial"] as? Bool == false)
        }
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
                as? [String: Any]
        )
        let runID = try #require((results["run"] as? [String: Any])?["id"] as? String)
        let fromStore = try await CLIProcess.run(
            ["export", "preferences", String(runID.prefix(8)), "--format", "kto", "--output", rows + "/kto.jsonl"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(fromStore.status == 0, "\(fromStore.stderr)")
        let kto = try String(contentsOfFile: rows + "/kto.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(kto.count == 2 * wrong)
        #expect(kto.allSatisfy { $0.contains("\"run_id\":\"\(runID)\"") })
    }

    /// A survey scored from responses: a pair per culture whose majority answer the model's is not, its prompt
    /// led by the culture's persona line; GlobalOpinionQA is CC-BY-NC-SA-4.0, so every row is marked and
    /// `--licence-filter commercial` drops them all.
    @Test func surveyAnswersOffACulturesMajorityBecomePairsMarkedNonCommercial() async throws {
        let (data, _, out, scored) = try await BenchmarkCLITests.scoreGlobalOpinionQA()
        #expect(scored.status == 0, "\(scored.stderr)")
        let file = out + "/dpo.jsonl"
        let output = try await CLIProcess.run(["export", "preferences", out, "--data", data.path, "--output", file])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("non-commercial pairs (marked): 3"), "\(output.stdout)")
        let rows = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        // Hand-checked: trust (model "A lot"; Japan's majority "Not at all", Belgium agrees), democracy (model
        // "Very important"; Pakistan's majority "DK/Refused", Japan's tie goes to the first option), second language
        // (model "No"; Japan's majority "Yes, they should").
        let pairs = rows.map { [$0["culture"] as? String, $0["chosen"] as? String, $0["rejected"] as? String] }
        #expect(
            pairs == [
                ["JP", "Not at all", "A lot"], ["Pakistan (Non-national sample)", "DK/Refused", "Very important"],
                ["JP", "Yes, they should", "No"],
            ]
        )
        #expect(
            rows.allSatisfy { $0["non_commercial"] as? Bool == true && $0["licence"] as? String == "CC-BY-NC-SA-4.0" }
        )
        #expect(rows.allSatisfy { $0["reason"] as? String == "not_majority" })
        #expect(
            (rows[0]["prompt"] as? String)?.hasPrefix("Answer as a typical person from Japan would answer.\n") == true
        )
        let commercial = try await CLIProcess.run([
            "export", "preferences", out, "--data", data.path, "--output", file, "--licence-filter", "commercial",
        ])
        #expect(commercial.status == 0, "\(commercial.stderr)")
        #expect(commercial.stdout.contains("dropped by --licence-filter: 3"), "\(commercial.stdout)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).isEmpty)
    }

    @Test func anUnknownRunFailsNamingIt() async throws {
        let home = try CLIProcess.temporaryDirectory("export-none")
        let output = try await CLIProcess.run(
            ["export", "preferences", "no-such-run", "--output", home + "/x.jsonl"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(output.status == 1)
        #expect(output.stderr.contains("no run 'no-such-run'"), "\(output.stderr)")
    }
}

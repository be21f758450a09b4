import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// `vsm-2013` through the CLI: scoring answers with personas, a run against an OpenAI-compatible server whose
/// answers depend on the option order, usage errors, and a real local-model run.
struct VSM2013CLITests {
    /// A questionnaire in VSM-2013's schema, written for the tests (not Hofstede's text).
    static func questionnaire() throws -> String {
        let path = try CLIProcess.temporaryDirectory("vsm-data") + "/items.csv"
        let options = #""[""one"", ""two"", ""three"", ""four"", ""five""]""#
        let rows = (1...24).map { "Test question \($0),\(options)" }
        try Data(("question,options\n" + rows.joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: path)
        )
        return path
    }

    static func section(_ stdout: String) throws -> [String: Any] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(document["vsm_2013"] as? [String: Any], "\(document.keys)")
    }

    static func index(_ profile: [String: Any]?, _ name: String) -> [String: Any]? {
        (profile?["indices"] as? [[String: Any]])?.first { $0["index"] as? String == name }
    }

    @Test func scoreGivesIndicesPerPersonaAndTheSpreadBesideEachOther() async throws {
        let data = try Self.questionnaire()
        // Every item answered with code 3 but item 2 (PDI's −35·m02): 1 as itself, 2 as Japan, 4 as Germany, in
        // every variant; one answer unparseable.
        var lines: [String] = []
        for (prefix, code) in [("", 1), ("japan/", 2), ("germany/", 4)] {
            for variant in VSM2013Suite.variants {
                for item in 1...24 {
                    let value = item == 2 ? code : 3
                    let letter = ["A", "B", "C", "D", "E"][variant.reversed ? 5 - value : value - 1]
                    let id = "\(prefix)\(variant.id)-m\(item < 10 ? "0" : "")\(item)"
                    let answer = prefix == "" && variant.id == "p1-desc" && item == 20 ? "no idea" : letter
                    lines.append("{\"item_id\": \"\(id)\", \"answer\": \"\(answer)\"}")
                }
            }
        }
        let responses = try CLIProcess.temporaryDirectory("vsm-score") + "/responses.jsonl"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: responses))
        let arguments = [
            "score", "vsm-2013", "--data", data, "--responses", responses, "--steer", "countries=JP,DE",
        ]
        let output = try await CLIProcess.run(arguments + ["--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let section = try Self.section(output.stdout)
        let itself = section["unprompted"] as? [String: Any]
        // p1-desc lost m20, so five variants have indices: PDI = −35 · 1 + 35 · 3 − ... = 35(3 − 1) + 25(3 − 3) = 70.
        #expect(Self.index(itself, "PDI")?["n"] as? Int == 5)
        #expect(Self.index(itself, "PDI")?["mean"] as? Double == 70)
        #expect((itself?["unanswered"] as? [[String: Any]])?.first?["count"] as? Int == 1)
        let personas = try #require(section["personas"] as? [[String: Any]])
        #expect(personas.compactMap { $0["country"] as? String } == ["Japan", "Germany"])
        #expect(Self.index(personas[0], "PDI")?["mean"] as? Double == 35)
        #expect(Self.index(personas[1], "PDI")?["mean"] as? Double == -35)
        let spread = try #require((section["spread"] as? [[String: Any]])?.first { $0["index"] as? String == "PDI" })
        #expect(spread["format_spread"] as? Double == 0)
        #expect(abs((spread["country_spread"] as? Double ?? 0) - 70 / 2.0.squareRoot()) < 1e-9)
        let table = try await CLIProcess.run(arguments)
        #expect(table.stdout.contains("Hofstede VSM-2013 indices"), "\(table.stdout)")
        #expect(table.stdout.contains("p1-desc: no indices, items without an answer: m20"))
        #expect(table.stdout.contains("accuracy – (no answer was graded"))
    }

    @Test func aRunAgainstAServerShowsTheIndicesMoveWithTheOptionOrder() async throws {
        let data = try Self.questionnaire()
        // The model picks the first option listed for item 7 and the middle one for every other item: in the
        // questionnaire's order that is code 1 for m07, reversed it is code 5.
        let server = try await ScriptedHTTPServer.start { request in
            let letter = request.bodyString.contains("Test question 7\\n") ? " A" : " C"
            return .json(FakeOpenAI.completion(text: letter, topLogprobs: [(letter, -0.0001)]))
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "vsm-2013", "--data", data, "--model", "fake-model", "--base-url", server.baseURL + "/v1",
                "--scoring", "logprobs", "--api", "completions", "--limit", "48", "--json",
            ],
            environment: ["CULTURELENS_HOME": try CLIProcess.temporaryDirectory("vsm-home")]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let section = try Self.section(output.stdout)
        let itself = section["unprompted"] as? [String: Any]
        let variants = try #require(itself?["variants"] as? [[String: Any]])
        #expect(variants.compactMap { $0["variant"] as? String } == ["p0-asc", "p0-desc"])
        // PDI = 35(m07 − m02) + 25(m20 − m23): −70 in the questionnaire's order, +70 reversed.
        let pdis = variants.compactMap { ($0["indices"] as? [String: Any])?["pdi"] as? Double }
        #expect(pdis.count == 2 && abs(pdis[0] + 70) < 1e-3 && abs(pdis[1] - 70) < 1e-3, "\(pdis)")
        let pdi = Self.index(itself, "PDI")
        #expect(pdi?["n"] as? Int == 2 && abs((pdi?["format_spread"] as? Double ?? 0) - 70 * 2.0.squareRoot()) < 1e-2)
        #expect((Self.index(itself, "IDV")?["format_spread"] as? Double ?? 1) < 1e-3)
    }

    @Test func usageErrorsNameWhatIsMissing() async throws {
        let missing = try await CLIProcess.run(["run", "vsm-2013"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("vsm-2013 needs the questionnaire"), "\(missing.stderr)")
        let steer = try await CLIProcess.run(["run", "starter", "--steer", "all"])
        #expect(steer.status == 2)
        #expect(steer.stderr.contains("value suites"), "\(steer.stderr)")
        let broken = try CLIProcess.temporaryDirectory("vsm-broken") + "/items.csv"
        try Data("question,options\nq,\"[1, 2]\"\n".utf8).write(to: URL(fileURLWithPath: broken))
        let bad = try await CLIProcess.run(
            ["score", "vsm-2013", "--data", broken, "--responses", broken, "--json"]
        )
        #expect(bad.status != 0)
        #expect(bad.stderr.contains(broken) && bad.stderr.contains("options"), "\(bad.stderr)")
        let suites = try await CLIProcess.run(["suites"])
        #expect(suites.stdout.contains("vsm-2013"))
    }
}

/// `vsm-2013` on the real local model (Gemma 3 270M, logprob scoring) with the questionnaire from the shared data:
/// two whole variants finish and every answer is coded or counted. Serialized: the model takes both cores.
@Suite(.serialized, .requiresTestData("vsm2013"))
struct VSM2013LocalModelTests {
    @Test func aLimitedRunOnTheLocalModelFinishes() async throws {
        let output = try await CLIProcess.run(
            [
                "run", "vsm-2013", "--data", TestData.url("vsm2013").path, "--model", "local", "--limit", "48",
                "--json", "--no-card",
            ],
            environment: ["CULTURELENS_HOME": try CLIProcess.temporaryDirectory("vsm-local")],
            timeout: 900
        )
        #expect(output.status == 0, "\(output.stderr)")
        let itself = try #require(try VSM2013CLITests.section(output.stdout)["unprompted"] as? [String: Any])
        #expect(itself["answers"] as? Int == 48)
        let variants = try #require(itself["variants"] as? [[String: Any]])
        #expect(variants.count == 2)
        // Either both variants have indices, or the missing items are named.
        #expect(variants.allSatisfy { $0["indices"] is [String: Any] || !($0["missing"] as? [Int] ?? []).isEmpty })
    }
}

import CultureLensAnalysis
import CultureLensTesting
import Foundation
import Testing

/// `culturelens score inglehart-welzel` from hand-written answer files, keyed by `item_id`, and a real local-model
/// run of the suite.
struct InglehartWelzelCLITests {
    typealias Map = InglehartWelzelMap

    /// Answers giving [2, 2, 2, 1, 8, 8, 8, 3, 2, 1] (an R ground-truth vector) and [3, 2, 1, 1, 8, 8, 8, 3, 2, 0]
    /// (the other), in item order.
    static let answersA = ["2", "B", "2", "A", "8", "8", "8", "3", "1, 2", "Good manners, Independence, Hard work"]
    static let answersB = ["3", "B", "1", "A", "8", "8", "8", "3", "1, 2", "Good manners, Hard work, Imagination"]

    /// A responses file keyed by `item_id`: variants 0–4 answer A, 5–9 answer B, `edit` changes answers.
    static func responses(edit: (Int, Map.Item, String) -> String? = { _, _, answer in answer }) throws -> String {
        var lines: [String] = []
        for variant in 0..<10 {
            for (item, answer) in zip(Map.Item.allCases, variant < 5 ? answersA : answersB) {
                guard let text = edit(variant, item, answer) else { continue }
                let line = try JSONSerialization.data(
                    withJSONObject: ["item_id": "v\(variant)-\(item.rawValue)", "answer": text]
                )
                lines.append(String(decoding: line, as: UTF8.self))
            }
        }
        let directory = try CLIProcess.temporaryDirectory("iw-responses")
        let path = directory + "/responses.jsonl"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func culturalMap(_ stdout: String) throws -> [String: Any] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let map = try #require(document["cultural_map"] as? [String: Any])
        return try #require(map["unprompted"] as? [String: Any])
    }

    @Test func scorePlacesAModelFromItsHundredAnswerTexts() async throws {
        let output = try await CLIProcess.run([
            "score", "inglehart-welzel", "--responses", try Self.responses(), "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let placement = try Self.culturalMap(output.stdout)
        let model = try #require(placement["model"] as? [String: Any])
        let expected = Map.project([2.5, 2, 1.5, 1, 8, 8, 8, 3, 2, 0.5])
        #expect(abs((model["x"] as? Double ?? .nan) - expected.x) < 1e-9)
        #expect(abs((model["y"] as? Double ?? .nan) - expected.y) < 1e-9)
        #expect(abs(expected.x - (1.9708776837 + 1.1615774204) / 2) < 1e-9)
        #expect(model["n"] as? Int == 10)
        #expect(model["ci_low"] is [String: Any] && model["ci_high"] is [String: Any])
        let nearest = try #require(model["nearest"] as? [[String: Any]])
        #expect(nearest.count == 5)
        #expect(nearest.first?["country"] as? String == Map.neighbours(of: expected).first?.country)
        #expect((model["distances"] as? [Any])?.count == 107)
        #expect((placement["variants"] as? [Any])?.count == 10)
    }

    @Test func unparseableAnswersShowTheirCountsInTheTableAndTheJSON() async throws {
        let path = try Self.responses { variant, item, answer in
            switch (variant, item) {
            case (0, .a008), (3, .a008): "Quite happy, I suppose"
            case (2, .y003): "Curiosity"
            case (9, _): nil
            default: answer
            }
        }
        let table = try await CLIProcess.run(["score", "inglehart-welzel", "--responses", path])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("n=6 placeable of 9 variants"), "\(table.stdout)")
        #expect(table.stdout.contains("a008: 2 of 9 answers unparseable (no integer from 1 to 4: 2)"))
        #expect(table.stdout.contains("y003: 1 of 9 answers unparseable (none of the listed qualities: 1)"))
        #expect(table.stdout.contains("not placeable: missing a008"))
        let json = try await CLIProcess.run(["score", "inglehart-welzel", "--responses", path, "--json"])
        let items = try #require(try Self.culturalMap(json.stdout)["items"] as? [[String: Any]])
        let a008 = try #require(items.first { $0["item"] as? String == "a008" })
        #expect(a008["unparseable"] as? Int == 2 && a008["answers"] as? Int == 9 && a008["scored"] as? Int == 7)
    }

    @Test func scoreWithSteeringPlacesEachPersonaAndComparesItWithTheUnpromptedPoint() async throws {
        let path = try Self.responses()
        // Japan's persona answers B in every variant: prompted point = the second ground-truth vector's.
        var lines = try String(contentsOfFile: path, encoding: .utf8)
        for variant in 0..<10 {
            for (item, answer) in zip(Map.Item.allCases, Self.answersB) {
                let line = try JSONSerialization.data(
                    withJSONObject: ["item_id": "japan/v\(variant)-\(item.rawValue)", "answer": answer]
                )
                lines += "\n" + String(decoding: line, as: UTF8.self)
            }
        }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        let output = try await CLIProcess.run([
            "score", "inglehart-welzel", "--steer", "countries=JP,DE", "--responses", path, "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let map = try #require(document["cultural_map"] as? [String: Any])
        let personas = try #require(map["personas"] as? [[String: Any]])
        #expect(personas.map { $0["country"] as? String } == ["Japan", "Germany"])
        #expect(personas.last?["note"] as? String == "no prompted point (no answers)", "the file has none for DE")
        let japan = try #require(personas.first)
        let model = try #require((japan["placement"] as? [String: Any])?["model"] as? [String: Any])
        #expect(abs((model["x"] as? Double ?? .nan) - 1.1615774204) < 1e-9)
        let human = try #require(Map.country(named: "Japan")?.point)
        let before = Map.project([2.5, 2, 1.5, 1, 8, 8, 8, 3, 2, 0.5]).distance(to: human)
        let after = Map.project([3, 2, 1, 1, 8, 8, 8, 3, 2, 0]).distance(to: human)
        #expect(abs((japan["distance_before"] as? Double ?? .nan) - before) < 1e-12)
        #expect(abs((japan["distance_after"] as? Double ?? .nan) - after) < 1e-12)
        #expect(japan["closer"] as? Bool == (after < before))
        let steering = try #require(map["steering"] as? [String: Any])
        #expect(steering["n"] as? Int == 1)
        #expect((steering["share"] as? [String: Any])?["ci_low"] is Double)
        let table = try await CLIProcess.run([
            "score", "inglehart-welzel", "--steer", "countries=JP", "--responses", path,
        ])
        #expect(table.stdout.contains("cultural prompting: prompted point closer"), "\(table.stdout)")
        #expect(table.stdout.contains("Japan"))
    }

    /// `run --steer` against an OpenAI-compatible server: the plain items, then each persona's, all placed.
    @Test func runWithSteeringPlacesThePersonasAgainstAnyServer() async throws {
        let home = try CLIProcess.temporaryDirectory("iw-steer-home")
        let server = try await ScriptedHTTPServer.start { request in
            guard request.path == "/v1/completions" else {
                return .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
            let prompt = request.bodyString
            let number = prompt.contains("born in Japan") ? "2" : "3"
            let text =
                prompt.contains("(A or B)")
                ? "B"
                : prompt.contains("(A, B, or C)")
                    ? "A"
                    : prompt.contains("second most important")
                        ? "1, 2" : prompt.contains("five choices") ? "Independence, Hard work" : number
            return .json(FakeOpenAI.completion(text: " " + text, topLogprobs: nil))
        }
        defer { Task { try? await server.shutdown() } }
        let output = try await CLIProcess.run(
            [
                "run", "inglehart-welzel", "--steer", "countries=JP,DE", "--model", "fake-model", "--base-url",
                server.baseURL + "/v1", "--json",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(output.status == 0, "\(output.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect((document["summary"] as? [String: Any])?["done"] as? Int == 300)
        let map = try #require(document["cultural_map"] as? [String: Any])
        let unprompted = try #require((map["unprompted"] as? [String: Any])?["model"] as? [String: Any])
        #expect(unprompted["n"] as? Int == 10)
        let personas = try #require(map["personas"] as? [[String: Any]])
        #expect(personas.map { $0["country"] as? String } == ["Japan", "Germany"])
        // Germany's persona answers as the plain prompts do: the same point, so not closer.
        #expect(personas[1]["closer"] as? Bool == false)
        #expect(personas[1]["distance_before"] as? Double == personas[1]["distance_after"] as? Double)
        let before = try #require(personas[0]["distance_before"] as? Double)
        let after = try #require(personas[0]["distance_after"] as? Double)
        #expect(personas[0]["closer"] as? Bool == (after < before))
        let steering = try #require(map["steering"] as? [String: Any])
        #expect(steering["n"] as? Int == 2)
        #expect(steering["closer"] as? Int == (after < before ? 1 : 0))
    }

    @Test func steeringIsForTheMapSuiteAndItsCountries() async throws {
        let starter = try await CLIProcess.run(["run", "starter", "--steer", "countries=JP"])
        #expect(starter.status == 2)
        #expect(starter.stderr.contains("robustness"), "\(starter.stderr)")
        let unknown = try await CLIProcess.run(["run", "inglehart-welzel", "--steer", "countries=Atlantis"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("not a country of the Inglehart–Welzel map"), "\(unknown.stderr)")
    }

    @Test func anUnknownItemIdIsAnErrorNamingFileLineAndField() async throws {
        let directory = try CLIProcess.temporaryDirectory("iw-bad")
        let path = directory + "/bad.jsonl"
        try Data("{\"item_id\": \"v0-a008\", \"answer\": \"2\"}\n{\"item_id\": \"v0-zzz\", \"answer\": \"2\"}\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let output = try await CLIProcess.run(["score", "inglehart-welzel", "--responses", path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("bad.jsonl:2: field 'item_id': no item with id 'v0-zzz'"), "\(output.stderr)")
    }
}

/// The suite on the real local model (Gemma 3 270M on llama.cpp, installed by `make setup`): it mostly does not
/// answer in format, and the unparseable counts must show that without anything crashing. Serialized: the model
/// takes both cores.
@Suite(.serialized)
struct InglehartWelzelLocalModelTests {
    @Test func aLimitedRunOnTheLocalModelFinishesAndCountsUnparseableAnswers() async throws {
        let home = try CLIProcess.temporaryDirectory("iw-local-home")
        let output = try await CLIProcess.run(
            ["run", "inglehart-welzel", "--model", "local", "--limit", "20", "--json", "--no-card"],
            environment: ["CULTURELENS_HOME": home],
            timeout: 900
        )
        #expect(output.status == 0, "\(output.stderr)")
        let placement = try InglehartWelzelCLITests.culturalMap(output.stdout)
        let items = try #require(placement["items"] as? [[String: Any]])
        #expect(items.count == 10)
        #expect(items.map { $0["answers"] as? Int ?? 0 }.reduce(0, +) == 20)
        for item in items {
            let scored = item["scored"] as? Int ?? -1
            let unparseable = item["unparseable"] as? Int ?? -1
            #expect(scored + unparseable == 2, "\(item)")
            let reasons = item["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.map { $0["count"] as? Int ?? 0 }.reduce(0, +) == unparseable)
        }
        let variants = try #require(placement["variants"] as? [[String: Any]])
        #expect(variants.map { $0["variant"] as? String } == ["v0", "v1"])
        // Placed or not, the run says which: a point, or a note naming the missing items.
        #expect(
            placement["model"] is [String: Any] || (placement["note"] as? String)?.contains("not placeable") == true
        )
    }
}

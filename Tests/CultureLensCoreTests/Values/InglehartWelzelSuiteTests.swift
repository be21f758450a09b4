import CultureLensAnalysis
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// The built-in `inglehart-welzel` suite, its placement of a model on the map, and `score` keyed by `item_id`.
@Suite struct InglehartWelzelSuiteTests {
    typealias Map = InglehartWelzelMap
    typealias Placement = InglehartWelzelPlacement

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Golden")

    /// Answers giving the first R ground-truth vector [2, 2, 2, 1, 8, 8, 8, 3, 2, 1], in item order.
    static let answersA = ["2", "B", "2", "A", "8", "8", "8", "3", "1, 2", "Good manners, Independence, Hard work"]
    /// Answers giving the second, [3, 2, 1, 1, 8, 8, 8, 3, 2, 0].
    static let answersB = ["3", "(B)", "1", "A", "8", "8", "8", "3", "1, 2", "Good manners, Hard work, Imagination"]

    static func observations(_ answers: [String], variant: Int, country: String? = nil) -> [Placement.Observation] {
        zip(Map.Item.allCases, answers).map {
            Placement.Observation(item: $0, variant: "v\(variant)", country: country, answer: $1)
        }
    }

    // MARK: - The suite

    @Test func theSuiteAsksTenItemsUnderTenDescriptorsInVariantMajorOrder() throws {
        let suite = try #require(SuiteCatalog.suite(named: "inglehart-welzel"))
        #expect(suite.items.count == 100)
        #expect(Set(suite.items.map(\.id)).count == 100)
        #expect(suite.items.prefix(10).map(\.id) == Map.Item.allCases.map { "v0-\($0.rawValue)" })
        #expect(suite.items.last?.id == "v9-y003")
        #expect(suite.items.allSatisfy { $0.kind == .shortAnswer && $0.referenceAnswers.isEmpty })
        #expect(InglehartWelzelSuite.questions.map(\.code) == Map.Item.allCases.map(\.rawValue))
        #expect(SuiteCatalog.entries.contains { $0.name == "inglehart-welzel" && $0.licence == "CDLA-Permissive-2.0" })
        // Each item's system message is its variant's descriptor; the user message is the question alone.
        let item = try #require(suite.items.first { $0.id == "v9-f063" })
        let prompt = PromptBuilder().render(item)
        #expect(prompt.context == [.system(InglehartWelzelSuite.descriptors[9])])
        #expect(prompt.text == InglehartWelzelSuite.questions[4].prompt)
    }

    @Test func renderedPromptsMatchTheGoldenFile() throws {
        let suite = InglehartWelzelSuite.steered(countries: ["Taiwan ROC"])
        let text = ["v0-a008", "v4-y002", "v9-y003", "taiwan-roc/v0-a165", "taiwan-roc/v9-e025"].compactMap { id in
            suite.items.first { $0.id == id }.map { "=== \(id)\n" + PromptBuilder().render($0).displayText + "\n" }
        }.joined(separator: "\n")
        let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-golden-actual")
        if let problem = try GoldenFile.problem(
            text,
            name: "inglehart-welzel-prompts.txt",
            directory: Self.goldenDirectory,
            artifacts: artifacts
        ) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test(.requiresTestData("inglehart-welzel")) func theBuiltInTextsEqualTheFiles() throws {
        let questions = try CSVTable(contentsOf: TestData.url("inglehart-welzel/Prompts_Questions.csv"))
        let byCode = Dictionary(uniqueKeysWithValues: questions.rows.map { ($0["scale"] ?? "", $0["prompt"] ?? "") })
        for question in InglehartWelzelSuite.questions {
            #expect(byCode[question.code] == question.prompt, "\(question.code)")
        }
        let descriptors = try CSVTable(contentsOf: TestData.url("inglehart-welzel/Prompts_Respondent_Descriptors.csv"))
        #expect(descriptors.rows.map { $0["respondent_descriptor"] ?? "" } == InglehartWelzelSuite.descriptors)
    }

    @Test func culturalPromptingAsksEveryItemAgainUnderEachCountrysPersona() throws {
        let suite = InglehartWelzelSuite.steered(countries: ["Japan", "Taiwan ROC"])
        #expect(suite.items.count == 300)
        #expect(suite.items.prefix(100) == InglehartWelzelSuite.suite.items[...])
        #expect(suite.items[100].id == "japan/v0-a008" && suite.items.last?.id == "taiwan-roc/v9-y003")
        #expect(suite.items[100].metadata[InglehartWelzelSuite.countryKey] == "Japan")
        #expect(suite.items[100].culture == "JP")
        #expect(
            InglehartWelzelSuite.personaDescriptor(0, country: "Japan")
                == "You are an average human being born in Japan and living in Japan responding to the following "
                + "survey question."
        )
        #expect(suite.specHash != InglehartWelzelSuite.suite.specHash)
    }

    @Test func steeringNamesMapCountriesByCodeOrByTheMapsName() throws {
        #expect(try Map.personaCountries("countries=JP,de, taiwan roc,TW") == ["Japan", "Germany", "Taiwan ROC"])
        #expect(try Map.personaCountries("NG") == ["Nigeria"])
        #expect(try Map.personaCountries("all").count == 107)
        #expect(throws: PerturbationSpecError.self) { try Map.personaCountries("countries=Atlantis") }
        #expect(throws: PerturbationSpecError.self) { try Map.personaCountries("countries=") }
    }

    // MARK: - Placement

    @Test func culturalPromptingComparesEachPersonasPointWithTheUnpromptedOne() throws {
        var broken = Self.answersA
        broken[0] = "very"
        let observations =
            (0..<10).flatMap { Self.observations(Self.answersB, variant: $0) }
            + (0..<10).flatMap { Self.observations(Self.answersA, variant: $0, country: "Japan") }
            + (0..<3).flatMap { Self.observations(Self.answersB, variant: $0, country: "Sweden") }
            + (0..<3).flatMap { Self.observations(broken, variant: $0, country: "Germany") }
            + Self.observations(Self.answersA, variant: 0, country: "Atlantis")
        let map = try #require(Placement(observations, replicates: 300))
        let before = try #require(map.unprompted?.model?.point)
        let personas = try #require(map.personas)
        #expect(personas.map(\.country) == ["Japan", "Sweden", "Germany", "Atlantis"])
        let japan = personas[0]
        let human = try #require(Map.country(named: "Japan")?.point)
        let after = try #require(japan.placement.model?.point)
        #expect(japan.distanceBefore == before.distance(to: human))
        #expect(japan.distanceAfter == after.distance(to: human))
        #expect(japan.closer == true && japan.placement.model?.n == 10)
        #expect(japan.placement.model?.ciLow != nil)
        #expect(personas[1].closer == false, "the same point is not closer")
        #expect(personas[2].closer == nil && personas[2].note?.contains("no prompted point") == true)
        #expect(personas[2].placement.items.first?.unparseable == 3)
        #expect(personas[3].closer == nil && personas[3].note == "not a country of the map")
        let steering = try #require(map.steering)
        #expect(steering.n == 2 && steering.closer == 1)
        #expect(steering.share?.value == 0.5 && steering.share?.ciLow ?? 1 < 0.5)
        #expect(steering.leftOut.count == 2)
        #expect(map.unprompted?.items.allSatisfy { $0.answers == 10 } == true, "persona answers stay out of it")
    }

    @Test func aPersonaAskedButNeverAnsweredIsListedAsSuch() throws {
        let observations =
            (0..<2).flatMap { Self.observations(Self.answersB, variant: $0) }
            + (0..<2).flatMap { Self.observations(Self.answersA, variant: $0, country: "Japan") }
        let map = try #require(Placement(observations, personas: ["Nigeria", "Japan"]))
        #expect(map.personas?.map(\.country) == ["Nigeria", "Japan"])
        #expect(map.personas?.first?.note == "no prompted point (no answers)")
        #expect(map.personas?.first?.placement.items.isEmpty == true)
        #expect(map.steering?.n == 1 && map.steering?.leftOut == ["Nigeria: no prompted point (no answers)"])
        #expect(Placement([], personas: ["Japan"])?.personas?.count == 1)
    }

    @Test func tenParseableVariantsPlaceTheModelAtTheMeanOfTheirPoints() throws {
        let observations = (0..<10).flatMap { Self.observations($0 < 5 ? Self.answersA : Self.answersB, variant: $0) }
        let placement = try #require(Placement(observations, replicates: 500, seed: 7)?.unprompted)
        #expect(placement.variants.map(\.variant) == (0..<10).map { "v\($0)" })
        let first = try #require(placement.variants.first?.point)
        #expect(abs(first.x - 1.9708776837) < 1e-9 && abs(first.y - 2.109577549) < 1e-9)
        let last = try #require(placement.variants.last?.point)
        #expect(abs(last.x - 1.1615774204) < 1e-9 && abs(last.y - 2.2364509534) < 1e-9)
        let model = try #require(placement.model)
        #expect(model.n == 10)
        #expect(abs(model.x - (1.9708776837 + 1.1615774204) / 2) < 1e-9)
        #expect(abs(model.y - (2.109577549 + 2.2364509534) / 2) < 1e-9)
        #expect(model.meanValues == [2.5, 2, 1.5, 1, 8, 8, 8, 3, 2, 0.5])
        let low = try #require(model.ciLow)
        let high = try #require(model.ciHigh)
        #expect(low.x >= last.x && low.x < model.x && high.x > model.x && high.x <= first.x)
        #expect(low.y >= first.y && high.y <= last.y)
        #expect(model.ciNote == nil)
        #expect(model.distances.count == 107 && model.nearest == Array(model.distances.prefix(5)))
        #expect(model.nearest.first == Map.neighbours(of: model.point).first)
        #expect(placement.items.allSatisfy { $0.answers == 10 && $0.scored == 10 && $0.unparseable == 0 })
        // Seeded: the same input gives the same interval.
        #expect(Placement(observations, replicates: 500, seed: 7)?.unprompted?.model == model)
    }

    @Test func unparseableAnswersAreCountedPerItemAndMakeTheirVariantUnplaceable() throws {
        var observations = Self.observations(Self.answersA, variant: 0) + Self.observations(Self.answersB, variant: 1)
        var broken = Self.answersA
        broken[0] = "I am an AI and do not feel happiness."
        broken[8] = "Protecting freedom of speech"
        observations += Self.observations(broken, variant: 2)
        observations.append(Placement.Observation(item: .f063, variant: "v3", answer: nil, failure: .timeout))
        let placement = try #require(Placement(observations)?.unprompted)
        let counts = Dictionary(uniqueKeysWithValues: placement.items.map { ($0.item, $0) })
        #expect(counts[.a008]?.answers == 3 && counts[.a008]?.unparseable == 1)
        #expect(counts[.a008]?.reasons.map(\.reason) == ["no integer from 1 to 4"])
        #expect(counts[.y002]?.reasons.map(\.reason) == ["not two distinct goals from 1 to 4"])
        #expect(counts[.f063]?.reasons.map(\.count) == [1])
        #expect(counts[.f063]?.reasons.map(\.reason) == ["request failed: timeout"])
        #expect(counts[.f063]?.scored == 3 && counts[.f118]?.unparseable == 0)
        let v2 = try #require(placement.variants.first { $0.variant == "v2" })
        #expect(v2.point == nil && v2.missing == [.a008, .y002])
        #expect(v2.note == "not placeable: missing a008, y002")
        #expect(v2.values.first?.value == nil && v2.values[1].value == 2)
        let model = try #require(placement.model)
        #expect(model.n == 2, "only v0 and v1 are placeable; nothing is imputed")
    }

    @Test func oneOrNoPlaceableVariantGivesNoIntervalAndSaysSo() throws {
        let one = try #require(Placement(Self.observations(Self.answersA, variant: 0))?.unprompted?.model)
        #expect(one.n == 1 && one.ciLow == nil && one.ciHigh == nil)
        #expect(one.ciNote?.contains("at least 2") == true)
        var partial = Self.answersA
        partial[9] = "none of these"
        let none = try #require(Placement(Self.observations(partial, variant: 0))?.unprompted)
        #expect(none.model == nil)
        #expect(none.note?.contains("not placeable") == true)
        #expect(Placement([]) == nil)
    }

    // MARK: - score keyed by item_id

    static func rescore(_ lines: [String], suite: Suite = InglehartWelzelSuite.suite) throws(LoadError)
        -> [ItemResult]
    {
        try ResponseRescorer.score(
            Data(lines.joined(separator: "\n").utf8),
            file: "r.jsonl",
            suite: suite,
            position: { $0 },
            runID: "t"
        )
    }

    @Test func responsesMayNameTheirItemByIdOrByIndex() throws {
        let results = try Self.rescore([
            #"{"item_id": "v3-f063", "answer": "7"}"#,
            #"{"index": 0, "answer": "2"}"#,
        ])
        #expect(results.map(\.itemID) == ["v0-a008", "v3-f063"])
        #expect(results.map(\.response) == ["2", "7"])
        // Every suite: the starter suite's ids work the same way.
        let starter = try Self.rescore([#"{"item_id": "jp-food-01", "answer": "C"}"#], suite: StarterSuite.suite)
        #expect(starter.first?.score == 1)
    }

    @Test func badItemKeysNameLineAndField() {
        let cases: [(String, Int, String, String)] = [
            (#"{"item_id": "v10-a008", "answer": "2"}"#, 1, "item_id", "no item with id 'v10-a008'"),
            (#"{"answer": "2"}"#, 1, "index", "give \"index\" (a number) or \"item_id\""),
            (#"{"index": 0, "item_id": "v0-a008", "answer": "2"}"#, 1, "item_id", "not both"),
            (
                "{\"item_id\": \"v0-a008\", \"answer\": \"2\"}\n{\"index\": 0, \"answer\": \"3\"}", 2, "index",
                "already answered on line 1"
            ),
            (
                "{\"index\": 0, \"answer\": \"2\"}\n{\"item_id\": \"v0-a008\", \"answer\": \"3\"}", 2, "item_id",
                "item_id 'v0-a008' was already answered on line 1"
            ),
        ]
        for (text, line, field, message) in cases {
            #expect {
                _ = try Self.rescore([text])
            } throws: { error in
                guard let error = error as? LoadError else { return false }
                return error.file == "r.jsonl" && error.line == line && error.field == field
                    && "\(error)".contains(message)
            }
        }
    }
}

import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensTesting
import Foundation
import Testing

/// Each built-in spec's loader on fixture files written in the official schema (invented rows).
struct BenchmarkLoaderTests {
    func load(
        _ id: String,
        _ text: String,
        file: String,
        prompts: [String]? = nil,
        onBadRow: BadRowPolicy = .fail
    ) async throws -> LoadedSuite {
        let spec = try #require(BuiltinSpecs.spec(named: id))
        let url = try BenchmarkFixtures.write(text, named: file)
        return try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path), onBadRow: onBadRow)
            .load(prompts: prompts)
    }

    @Test func culturalBenchEasyIsFourOptionMCQ() async throws {
        let loaded = try await load(
            "culturalbench-easy",
            BenchmarkFixtures.culturalBenchEasy,
            file: "CulturalBench-Easy.csv"
        )
        let items = loaded.suite.items
        #expect(items.count == 5)
        #expect(items.allSatisfy { $0.kind == .multipleChoice && $0.choices.count == 4 })
        let kenya = try #require(items.first { $0.culture == "KE" })
        #expect(kenya.stem == "In Kenya, what is \"ugali\" mainly made from?")
        #expect(kenya.choices[3] == "Barley, malted")
        #expect(kenya.gold == [1])
        #expect(try #require(items.first { $0.culture == "IN" }).gold == [3])
        #expect(Set(items.map(\.culture)) == ["JP", "MX", "KE", "DE", "IN"])
        #expect(loaded.report.rowsRead == 5)
        // One item per row and one file: a response's index is the data row.
        #expect(loaded.itemPosition(forResponseIndex: 2).map { items[$0].id } == "2")
        let prompt = PromptBuilder().render(kenya)
        #expect(
            prompt.text.contains("Question: In Kenya, what is \"ugali\" mainly made from?\nA. Rice\nB. Maize flour")
        )
        #expect(prompt.text.hasSuffix("\nAnswer:"))
        #expect(prompt.labels == ["A", "B", "C", "D"])
    }

    @Test func culturalBenchHardGroupsFourRowsPerQuestion() async throws {
        let loaded = try await load(
            "culturalbench-hard",
            BenchmarkFixtures.culturalBenchHard,
            file: "CulturalBench-Hard.csv"
        )
        let items = loaded.suite.items
        #expect(items.count == 12)
        #expect(items.allSatisfy { $0.kind == .judgement && $0.choices == ["True", "False"] })
        #expect(Dictionary(grouping: items, by: { $0.group ?? "" }).mapValues(\.count) == ["10": 4, "11": 4, "12": 4])
        let row7 = try #require(items.first { $0.id == "7" })
        #expect(row7.gold == [0])
        #expect(row7.metadata["option"] == "Supermarkets")
        #expect(PromptBuilder().render(row7).text.contains("Proposed answer: Supermarkets"))
        // Interleaving by culture moves a question's rows together, and --limit never splits a question.
        let groups = items.map { $0.group ?? "" }
        let runs = zip(groups, groups.dropFirst()).filter { $0 != $1 }.count + 1
        #expect(runs == 3, "each question's rows are contiguous: \(groups)")
        #expect(loaded.prefix(6).suite.items.count == 4)
        #expect(loaded.prefix(8).suite.items.count == 8)
    }

    @Test func normAdHasThreeGranularitiesShufflesAndNeutralizesTheDistractorCountry() async throws {
        let loaded = try await load("normad", BenchmarkFixtures.normAd, file: "normad_etiquette_final_data.csv")
        let items = loaded.suite.items
        #expect(items.count == 18)
        #expect(Set(items.map { $0.metadata["prompt"] ?? "" }) == ["country", "value", "rot"])
        #expect(items.allSatisfy { $0.choices == ["Yes", "No", "Neither"] })
        // Gold labels: yes → Yes, no → No, neutral and "Neither" → Neither.
        let byRow = Dictionary(grouping: items, by: { $0.metadata["source_row"] ?? "" })
        #expect(byRow["0"]?.allSatisfy { $0.gold == [0] } == true)
        #expect(byRow["2"]?.allSatisfy { $0.gold == [1] } == true)
        #expect(byRow["4"]?.allSatisfy { $0.gold == [2] } == true)
        #expect(byRow["5"]?.allSatisfy { $0.gold == [2] } == true)
        // Neutral rows count for no country, but their (distractor) country is still what the prompt names.
        let neutral = try #require(byRow["4"]?.first { $0.metadata["prompt"] == "country" })
        #expect(neutral.culture == CultureSpec.unattributed)
        #expect(PromptBuilder().render(neutral).text.contains("adhere to: Croatia, answer"))
        #expect(byRow["2"]?.first?.culture == "KR")
        let rot = try #require(byRow["3"]?.first { $0.metadata["prompt"] == "rot" })
        #expect(
            PromptBuilder().render(rot).text.contains("It is fine to arrive somewhat after the stated time of a party.")
        )
        #expect(PromptBuilder().render(rot).labels == ["Yes", "No", "Neither"])
        // The file is sorted by label; the seeded shuffle mixes labels into any prefix, the same way every time.
        let firstRows = loaded.suite.items.prefix(9).compactMap { $0.metadata["gold_label"] }
        #expect(Set(firstRows).count > 1)
        let again = try await load("normad", BenchmarkFixtures.normAd, file: "normad_etiquette_final_data.csv")
        #expect(again.suite.items.map(\.id) == items.map(\.id))
        // One granularity.
        let rotOnly = try await load(
            "normad",
            BenchmarkFixtures.normAd,
            file: "normad_etiquette_final_data.csv",
            prompts: ["rot"]
        )
        #expect(rotOnly.suite.name == "normad:rot")
        #expect(rotOnly.suite.items.count == 6)
        #expect(rotOnly.suite.items.allSatisfy { $0.id.hasSuffix("/rot") })
    }

    @Test func globalOpinionQAParsesPythonReprsAndNormalises() async throws {
        let loaded = try await load("globalopinionqa", BenchmarkFixtures.globalOpinionQA, file: "global_opinions.csv")
        let items = loaded.suite.items
        #expect(items.count == 3)
        let first = try #require(items.first { $0.metadata["source_row"] == "0" })
        #expect(first.kind == .survey)
        #expect(first.choices == ["A lot", "Somewhat", "Not at all"])
        #expect(first.humanDistributions?["BE"] == [0.5, 0.3, 0.2])
        #expect(first.humanDistributions?["BR"] == nil, "a country with all zeros has no data on the question")
        let second = try #require(items.first { $0.metadata["source_row"] == "1" })
        #expect(second.choices.last == "DK/Refused")
        let belgium = try #require(second.humanDistributions?["BE"])
        #expect(abs(belgium[0] - 0.6) < 1e-12 && abs(belgium.reduce(0, +) - 1) < 1e-12)
        #expect(second.humanDistributions?["Pakistan (Non-national sample)"] == [0.1, 0.2, 0.3, 0.4])
        #expect(items.first { $0.metadata["source_row"] == "2" }?.choices == ["Yes, they should", "No"])
        #expect(first.topic == "GAS")
        let prompt = PromptBuilder().render(first)
        #expect(
            prompt.text.hasPrefix(
                "Human: How much do you trust your neighbours?\n\nHere are the options:\n(A) A lot\n(B) Somewhat"
            )
        )
        #expect(prompt.text.hasSuffix("my answer would be ("))

        let persona = try await load(
            "globalopinionqa",
            BenchmarkFixtures.globalOpinionQA,
            file: "global_opinions.csv",
            prompts: ["persona"]
        )
        #expect(persona.suite.items.count == 6)
        let japan = try #require(persona.suite.items.first { $0.culture == "JP" && $0.metadata["source_row"] == "2" })
        #expect(
            PromptBuilder().render(japan).text.hasPrefix(
                "Human: How would someone from Japan answer the following question:\n"
            )
        )
    }

    @Test func globalOpinionQAMalformedRowNamesFileLineAndField() async throws {
        await #expect {
            _ = try await load(
                "globalopinionqa",
                BenchmarkFixtures.globalOpinionQAMalformed,
                file: "global_opinions.csv"
            )
        } throws: { error in
            guard let error = error as? LoadError else { return false }
            return error.file.hasSuffix("global_opinions.csv") && error.line == 3 && error.field == "selections"
                && error.message.contains("'Japan' has 2 value(s) but the question has 3 options")
        }
        let skipped = try await load(
            "globalopinionqa",
            BenchmarkFixtures.globalOpinionQAMalformed,
            file: "global_opinions.csv",
            onBadRow: .skip
        )
        #expect(skipped.suite.items.count == 2)
        #expect(skipped.report.rowsSkipped == 1)
        #expect(skipped.report.skipped.first?.contains(":3: field 'selections'") == true)
        // Row 2 is gone, so a response to data row 2 addresses the third row's item, and row 1 addresses nothing.
        #expect(skipped.itemPosition(forResponseIndex: 1) == nil)
        #expect(skipped.itemPosition(forResponseIndex: 2).map { skipped.suite.items[$0].metadata["source_row"] } == "2")
    }

    @Test func pythonLiteralErrorsNameTheField() async throws {
        let broken = """
            question,selections,options,source
            "Q?","defaultdict(<class 'list'>, {'Japan': [0.5, 0.5]","['Yes', 'No']",GAS

            """
        await #expect {
            _ = try await load("globalopinionqa", broken, file: "global_opinions.csv")
        } throws: { error in
            guard let error = error as? LoadError else { return false }
            return error.line == 2 && error.field == "selections" && error.message.contains("not a Python literal")
        }
    }

    @Test func globalMMLUSplitsCulturallySensitiveAndAgnostic() async throws {
        let loaded = try await load("global-mmlu", BenchmarkFixtures.globalMMLU, file: "global-mmlu-en-test.csv")
        let items = loaded.suite.items
        #expect(items.count == 5)
        #expect(items.filter { $0.metadata["cultural_sensitivity_label"] == "CS" }.count == 3)
        #expect(items.first { $0.id == "high_school_geography/test/4" }?.culture == "EG")
        #expect(items.first { $0.id == "high_school_mathematics/test/2" }?.culture == "global")
        #expect(items.first { $0.id == "us_foreign_policy/test/1" }?.culture == "US")
        let math = try #require(items.first { $0.id == "high_school_mathematics/test/2" })
        #expect(
            PromptBuilder().render(math).text.hasPrefix(
                "The following is a multiple-choice question about high_school_mathematics."
            )
        )
        // The same rows as JSON Lines: the format follows the file's extension.
        let table = try CSVTable(text: BenchmarkFixtures.globalMMLU, file: "mmlu.csv")
        let jsonl = table.rows.map { row in
            let object = Dictionary(uniqueKeysWithValues: zip(table.header, row.fields))
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n")
        let fromJSONL = try await load("global-mmlu", jsonl, file: "mmlu.jsonl")
        #expect(fromJSONL.suite.items.map(\.id) == items.map(\.id))
        #expect(fromJSONL.suite.items.map(\.gold) == items.map(\.gold))
    }

    @Test func mcqJSONLAcceptsLettersAndIndices() async throws {
        let loaded = try await load("mcq-jsonl", BenchmarkFixtures.mcqJSONL, file: "mine.jsonl")
        let items = Dictionary(uniqueKeysWithValues: loaded.suite.items.map { ($0.id, $0) })
        #expect(items.count == 3)
        #expect(items["q1"]?.gold == [0])
        #expect(items["q1"]?.culture == "PE")
        #expect(items["q1"]?.topic == "geography")
        #expect(items["q2"]?.gold == [1])
        #expect(items["q2"]?.culture == "GE")
        #expect(items["q3"]?.gold == [1])
        #expect(items["q3"]?.culture == "global")
        #expect(items["q3"]?.topic == "general")
        #expect(items["q3"]?.promptTemplate == nil, "no prompts in the spec: CultureLens's default prompt")
    }

    @Test func mcqJSONLBadRowsNameLineAndField() async throws {
        let rows = """
            {"id": "a", "question": "Q1?", "choices": ["x", "y"], "answer": "A"}
            {"id": "b", "question": "Q2?", "choices": ["x", "y"], "answer": "C"}
            {"id": "c", "question": "Q3?", "choices": "not a list", "answer": 0}
            {"id": "d", "question": "Q4?", "choices": ["x", "y"], "answer": 1
            {"id": "e", "question": "", "choices": ["x", "y"], "answer": 1}
            {"id": "f", "question": "Q6?", "choices": ["x", "y"], "answer": 1}
            """
        await #expect {
            _ = try await load("mcq-jsonl", rows, file: "mine.jsonl")
        } throws: { error in
            guard let error = error as? LoadError else { return false }
            return error.line == 4 && error.message.lowercased().contains("json")
        }
        let loaded = try await load("mcq-jsonl", rows, file: "mine.jsonl", onBadRow: .skip)
        #expect(loaded.suite.items.map(\.id) == ["a", "f"])
        #expect(loaded.report.rowsSkipped == 4)
        let listed = loaded.report.skipped.joined(separator: "\n")
        #expect(listed.contains("mine.jsonl:2: field 'answer': answer 'C'"))
        #expect(listed.contains("mine.jsonl:3: field 'choices'"))
        #expect(listed.contains("mine.jsonl:5: field 'question': empty"))
    }

    @Test func blendMCQReadsLetteredChoiceObjects() async throws {
        let loaded = try await load("blend-mcq", BenchmarkFixtures.blendMCQ, file: "mc_questions_file.json")
        let items = Dictionary(uniqueKeysWithValues: loaded.suite.items.map { ($0.id, $0) })
        #expect(items["mc-1"]?.choices == ["coffee", "tea", "yerba mate"])
        #expect(items["mc-1"]?.gold == [1])
        #expect(items["mc-1"]?.culture == "GB")
        #expect(items["mc-2"]?.culture == "KR")
        let prompt = PromptBuilder().render(try #require(items["mc-1"]))
        #expect(prompt.text.hasSuffix("C. yerba mate\n\nAnswer:"))
        #expect(prompt.labels == ["A", "B", "C"])
    }

    @Test func userSpecWithJoinsFiltersAndFilePatterns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-spec-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("q"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("a"),
            withIntermediateDirectories: true
        )
        try "id,text\nx1,What is eaten at New Year?\nx2,What is drunk at breakfast?\n".write(
            to: directory.appendingPathComponent("q/Peru.csv"),
            atomically: true,
            encoding: .utf8
        )
        try #"{"x1": {"answers": [["grapes"], ["tamales"]], "skips": 0}, "x2": {"answers": [], "skips": 4}}"#.write(
            to: directory.appendingPathComponent("a/Peru.json"),
            atomically: true,
            encoding: .utf8
        )
        let yaml = """
            id: my-saq
            title: My short answers
            loader:
              format: csv
              file: "q/{Place}.csv"
              each: [{Place: Peru}]
              join: [{name: ann, file: "a/{Place}.json", format: json, on: id}]
            task: {kind: short-answer}
            fields: {id: id, question: text, references: ["ann.answers[][]"]}
            culture: {field: $Place}
            filters: [{sum: [ann.skips], at_least: 3, reason: too many skips}]
            """
        let spec = try DatasetSpec.decode(yaml: yaml)
        let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: directory.path)).load()
        #expect(loaded.suite.items.count == 1)
        let item = try #require(loaded.suite.items.first)
        #expect(item.referenceAnswers == ["grapes", "tamales"])
        #expect(item.culture == "PE")
        #expect(loaded.report.filteredBy == ["too many skips": 1])
        #expect(PromptBuilder().render(item).text.contains("Question: What is eaten at New Year?"))
    }

    @Test func missingFileSaysWhereItLooked() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "civics"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-empty-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        await #expect {
            _ = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: empty.path)).load()
        } throws: { error in
            guard let error = error as? DatasetError else { return false }
            return error.kind == .notFound && error.message.contains("civics_dataset.json")
        }
    }
}

import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
import Foundation
import Testing

/// The YAML spec format: built-in specs decode, typos and inconsistencies are rejected with the key named.
struct SpecFormatTests {
    @Test func everyBuiltInSpecDecodesAndValidates() throws {
        for entry in BuiltinSpecs.texts {
            let spec = try DatasetSpec.decode(yaml: entry.yaml, file: entry.id)
            #expect(spec.id == entry.id)
            #expect(!spec.licence.isEmpty)
            #expect(!spec.title.isEmpty)
        }
        #expect(BuiltinSpecs.all.count == BuiltinSpecs.texts.count)
        #expect(BuiltinSpecs.ids == (try Self.specFiles()).map(\.id))
        #expect(BuiltinSpecs.ids == BuiltinSpecs.ids.sorted())
    }

    /// `Sources/CultureLensDatasets/Specs/*.yaml`, sorted by file name: the one list of built-in benchmarks.
    static func specFiles() throws -> [(id: String, text: String)] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "Sources/CultureLensDatasets/Specs"
            )
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return (String(name.dropLast(".yaml".count)), text)
        }
    }

    @Test func theCompiledInSpecsAreTheFilesOnDisk() throws {
        // The EmbedSpecs plugin compiles the files in: a stale build or a file it missed shows here.
        let files = try Self.specFiles()
        #expect(files.count >= 9)
        #expect(BuiltinSpecs.texts.map(\.id) == files.map(\.id))
        for (compiled, file) in zip(BuiltinSpecs.texts, files) {
            #expect(compiled.yaml == file.text, "\(file.id)")
            #expect(BuiltinSpecs.file(of: file.id) == "Specs/\(file.id).yaml")
        }
    }

    @Test func builtInSpecsCarryTheirPapersRules() throws {
        let rules = Dictionary(uniqueKeysWithValues: BuiltinSpecs.all.map { ($0.id, $0.scoring.rule) })
        #expect(rules["culturalbench-hard"] == .allCorrectPerGroup)
        #expect(rules["globalopinionqa"] == .surveySimilarity)
        #expect(rules["civics"] == .agreeDisagree)
        #expect(rules["global-mmlu"] == .subsetGap)
        #expect(rules["blend-saq"] == .shortAnswerMatch)
        let normad = try #require(BuiltinSpecs.spec(named: "normad"))
        #expect(normad.prompts.map(\.id) == ["country", "value", "rot"])
        #expect(normad.order?.shuffleSeed != nil)
        let goqa = try #require(BuiltinSpecs.spec(named: "globalopinionqa"))
        #expect(goqa.scoring.base == .e)
        #expect(goqa.defaultPromptIDs == ["default"])
        #expect(goqa.prompts.first { $0.id == "persona" }?.perCulture == true)
    }

    @Test func unknownScoringRulesAreRejectedWithTheKnownOnes() {
        let yaml = """
            id: mine
            title: Mine
            loader: {format: jsonl, file: items.jsonl}
            task: {kind: mcq}
            fields: {question: q, choices: c, answer: a}
            scoring: {rule: acuracy}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("mine.yaml:6:") && message.contains("scoring.rule") && message.contains("'acuracy'")
                && ScoringRules.names.allSatisfy { message.contains($0) }
        }
    }

    @Test func everyScoringRuleHasItsOwnNameAndTheSpecNamesResolve() {
        #expect(
            ScoringRules.names == [
                "accuracy", "all-correct-per-group", "short-answer-match", "survey-similarity", "agree-disagree",
                "subset-gap",
            ]
        )
        #expect(Set(ScoringRules.names).count == ScoringRules.all.count)
        for spec in BuiltinSpecs.all { #expect(ScoringRules.rule(named: spec.scoring.rule) != nil, "\(spec.id)") }
        #expect(ScoringRules.rule(named: ScoringRuleName(rawValue: "nope")) == nil)
    }

    @Test func rulesCheckWhatTheyNeedNamingTheField() {
        let yaml = """
            id: mine
            title: Mine
            loader: {format: csv, file: x.csv}
            task: {kind: mcq}
            fields: {question: q, choices: [a, b], answer: g}
            scoring: {rule: subset-gap}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            // scoring.subset is missing: the line is its parent's, `scoring:`.
            let error = error as? SpecError
            return error?.field == "scoring.subset" && error?.line == 6 && error?.file == "mine.yaml"
                && (error?.message ?? "").hasPrefix("mine.yaml:6: scoring rule subset-gap needs scoring.subset")
        }
    }

    @Test func unknownKeysAreRejectedWithTheirPath() {
        let yaml = """
            id: mine
            title: Mine
            loader: {format: jsonl, file: items.jsonl}
            task: {kind: mcq}
            fields: {question: q, choices: c, answer: a, answr_format: letter}
            culture: {value: global}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("mine.yaml") && message.contains("answr_format")
                && message.contains("answer_format")
        }
    }

    @Test func taskKindsNeedTheirFields() {
        let yaml = """
            id: mine
            title: Mine
            loader: {format: csv, file: items.csv}
            task: {kind: binary-judgement}
            fields: {question: q, answer: a}
            culture: {value: global}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            "\(error)".contains("task.choices")
        }
    }

    @Test func filePatternsNeedTheirVariables() {
        let yaml = """
            id: mine
            title: Mine
            loader:
              format: csv
              file: "{Region}_questions.csv"
              each: [{Region: UK}, {Place: US}]
            task: {kind: short-answer}
            fields: {question: q, references: [r]}
            culture: {field: $Region}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            "\(error)".contains("{Region}")
        }
    }

    @Test func badLogBaseIsRejected() {
        let yaml = """
            id: mine
            title: Mine
            loader: {format: csv, file: x.csv}
            task: {kind: survey-distribution}
            fields: {question: q, choices: o, distributions: s}
            scoring: {rule: survey-similarity, log_base: "10"}
            """
        #expect(throws: SpecError.self) { _ = try DatasetSpec.decode(yaml: yaml) }
    }

    @Test func templatesFillOnlyKnownVariables() {
        let text = PromptTemplate.fill(
            "Q: {q}\n{'question':'{q}','answer':[]} {unknown} {{country}}",
            with: ["q": "Why {not}?", "country": "Peru"]
        )
        #expect(text == "Q: Why {not}?\n{'question':'Why {not}?','answer':[]} {unknown} {Peru}")
    }

    @Test func defaultRenderingIsUnchangedWithoutATemplate() {
        let item = StarterSuite.suite.items[0]
        #expect(item.promptTemplate == nil)
        var templated = item
        templated.promptTemplate = PromptTemplate(
            text: "Q: {question}\n{options}\nAnswer:",
            optionFormat: "({label}) {text}"
        )
        let plain = PromptBuilder().render(item)
        let rendered = PromptBuilder().render(templated)
        #expect(plain.text.hasPrefix("Answer the following multiple-choice question"))
        #expect(
            rendered.text == "Q: \(item.stem)\n"
                + item.choices.enumerated().map { "(\(["A", "B", "C", "D"][$0])) \($1)" }.joined(separator: "\n")
                + "\nAnswer:"
        )
        #expect(rendered.labels == plain.labels)
        #expect(rendered.labelKind == plain.labelKind)
    }

    @Test func itemsWithoutATemplateEncodeAsBefore() {
        // Cache keys and spec hashes come from canonical JSON: an item without a template must not gain a key.
        let json = String(decoding: CanonicalJSON.encode(StarterSuite.suite.items[0]), as: UTF8.self)
        #expect(!json.contains("promptTemplate"))
    }
}

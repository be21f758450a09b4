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
        #expect(
            BuiltinSpecs.ids == [
                "culturalbench-easy", "culturalbench-hard", "normad", "blend-saq", "blend-mcq", "globalopinionqa",
                "civics", "global-mmlu", "mcq-jsonl",
            ]
        )
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

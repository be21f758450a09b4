import Testing

@testable import CultureLensCore

struct AnswerExtractorTests {
    static let mcq = Item(
        id: "t",
        kind: .multipleChoice,
        stem: "Which drink is served at a Japanese tea ceremony?",
        choices: ["Green tea", "Tea", "Coffee", "Sake"],
        gold: [0],
        culture: "JP",
        topic: "food",
        provenance: Provenance(source: "test", licence: "none")
    )
    static let judgement = Item(
        id: "j",
        kind: .judgement,
        stem: "Ana brought flowers.\nIs what Ana did socially acceptable in Brazil?",
        choices: ["Yes", "No", "Neither"],
        gold: [0],
        culture: "BR",
        topic: "gifts",
        provenance: Provenance(source: "test", licence: "none")
    )

    @Test(arguments: [
        ("B", ExtractedAnswer.position(1)),
        (" C.", .position(2)),
        ("(D) Sake", .position(3)),
        ("The answer is B.", .position(1)),
        ("Answer: (A)", .position(0)),
        ("I think the correct option is **C** because...", .position(2)),
        ("**D**", .position(3)),
        ("Let me think. Coffee is not served. The answer: A", .position(0)),
        ("It is Sake.", .position(3)),
        ("Green tea", .position(0)),
        ("Definitely tea, green tea.", .position(0)),
        ("A lot of people drink coffee.", .position(2)),
        ("", .unparseable),
        ("I don't know", .unparseable),
        ("Coffee or sake, hard to say", .unparseable),
        ("I cannot answer questions about culture.", .refusal),
        ("As an AI, I don't have opinions.", .refusal),
    ])
    func extractsMultipleChoice(text: String, expected: ExtractedAnswer) {
        let prompt = PromptBuilder().render(Self.mcq)
        #expect(AnswerExtractor().extract(text, prompt: prompt, choices: Self.mcq.choices) == expected)
    }

    @Test(arguments: [
        ("Yes", ExtractedAnswer.position(0)),
        (" no, it is rude", .position(1)),
        ("Neither.", .position(2)),
        ("Neutral", .position(2)),
        ("**No**", .position(1)),
        ("Maybe", .unparseable),
    ])
    func extractsJudgement(text: String, expected: ExtractedAnswer) {
        let prompt = PromptBuilder().render(Self.judgement)
        #expect(AnswerExtractor().extract(text, prompt: prompt, choices: Self.judgement.choices) == expected)
    }

    /// Label sets alternate (letters, numbers, lowercase) so that a cache keyed wrongly would read one set's
    /// label with another set's patterns; many tasks extract at once to exercise the shared cache.
    @Test func cachedPatternsGiveTheSameAnswersUnderConcurrentUse() async {
        let schemes: [(PromptVariant.Labels, String, ExtractedAnswer)] = [
            (.letters, "The answer is C.", .position(2)),
            (.numbers, "The answer is 3.", .position(2)),
            (.lowercase, "The answer is (c)", .position(2)),
            (.letters, "**B**", .position(1)),
            (.numbers, "[4]", .position(3)),
            (.lowercase, "a.", .position(0)),
            (.numbers, "The answer is C.", .unparseable),
        ]
        let results = await withTaskGroup(of: Bool.self) { group in
            for round in 0..<200 {
                let (scheme, text, expected) = schemes[round % schemes.count]
                group.addTask {
                    let prompt = PromptBuilder().render(Self.mcq, variant: PromptVariant(labels: scheme))
                    return AnswerExtractor().extract(text, prompt: prompt, choices: Self.mcq.choices) == expected
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0 })
    }

    @Test func compilesEachLabelSetOnce() {
        let labels = ["Q", "R", "S"]
        let first = AnswerExtractor.labelPatterns(for: labels)
        let second = AnswerExtractor.labelPatterns(for: labels)
        #expect(first.count == 3)
        #expect(zip(first, second).allSatisfy { $0 === $1 })
        #expect(AnswerExtractor.labelPatterns(for: ["1", "2"]).first !== first.first)
    }
}

extension StarterSuite {
    /// Source name stamped on every starter item.
    public static let source = "culturelens-starter"

    /// The starter suite: every question, then every norm story, as ``Item`` values.
    public static let suite = Suite(
        name: "starter",
        title: "CultureLens starter: everyday-culture questions and social-norm stories",
        version: "1",
        source: "built-in",
        licence: "Apache-2.0",
        items: questions.map(\.item) + normStories.map(\.item)
    )
}

extension StarterSuite.Question {
    /// This question as a multiple-choice item.
    public var item: Item {
        Item(
            id: id,
            kind: .multipleChoice,
            stem: question,
            choices: choices,
            gold: [answer],
            culture: culture,
            topic: topic,
            provenance: Provenance(source: StarterSuite.source, licence: "Apache-2.0", note: note)
        )
    }
}

extension StarterSuite.NormStory {
    /// The judgement options, in canonical order; the gold index follows ``label``.
    public static let judgementChoices = ["Yes", "No", "Neither"]

    /// This story as a judgement item.
    public var item: Item {
        let goldIndex =
            switch label {
            case .yes: 0
            case .no: 1
            case .neutral: 2
            }
        return Item(
            id: id,
            kind: .judgement,
            stem: "\(story)\n\(question)",
            choices: Self.judgementChoices,
            gold: [goldIndex],
            culture: culture,
            topic: topic,
            provenance: Provenance(source: StarterSuite.source, licence: "Apache-2.0", note: note)
        )
    }
}

import CultureLensCore

extension StarterSuite {
    /// Source name stamped on every starter item.
    public static let source = "culturelens-starter"

    /// The starter suite as ``Item`` values, interleaved round-robin across cultures (in order of first
    /// appearance) so that `--limit N` still spans many cultures and both item kinds.
    public static let suite = Suite(
        name: "starter",
        title: "CultureLens starter: everyday-culture questions and social-norm stories",
        version: "1",
        source: "built-in",
        licence: "Apache-2.0",
        items: interleaved(questions.map(\.item) + normStories.map(\.item))
    )
}

extension StarterSuite {
    static func interleaved(_ items: [Item]) -> [Item] {
        var order: [String] = []
        var queues: [String: [Item]] = [:]
        for item in items {
            if queues[item.culture] == nil { order.append(item.culture) }
            queues[item.culture, default: []].append(item)
        }
        var result: [Item] = []
        var round = 0
        while result.count < items.count {
            for culture in order where round < queues[culture, default: []].count {
                result.append(queues[culture, default: []][round])
            }
            round += 1
        }
        return result
    }
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

/// A prompt ready to send, with the labels that stand for each option in it.
public struct RenderedPrompt: Sendable, Hashable, Codable {
    /// The prompt text (sent as-is to `/completions`, as one user message to `/chat/completions`).
    public var text: String
    /// `labels[i]` is the label shown at position `i`.
    public var labels: [String]
    /// `order[i]` is the canonical option index shown at position `i`.
    public var order: [Int]
    /// Whether labels are answer words (Yes/No/Neither) rather than identifiers (A/B/C).
    public var labelsAreWords: Bool

    /// Creates a rendered prompt.
    public init(text: String, labels: [String], order: [Int], labelsAreWords: Bool) {
        self.text = text
        self.labels = labels
        self.order = order
        self.labelsAreWords = labelsAreWords
    }

    /// Maps a shown position back to the canonical option index.
    public func canonicalIndex(ofPosition position: Int) -> Int { order[position] }

    /// Reorders a distribution over shown positions into canonical option order.
    public func canonicalDistribution(_ byPosition: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: order.count)
        for (position, value) in byPosition.enumerated() where position < order.count {
            result[order[position]] = value
        }
        return result
    }
}

/// Renders items into prompts.
///
/// Multiple-choice items list their options under letters; judgement items ask for the answer words themselves,
/// which gives a base model a natural next token to score.
public struct PromptBuilder: Sendable {
    /// Letters used for option labels.
    public static let letters = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }

    /// Creates a prompt builder.
    public init() {}

    /// Renders `item` with its options in canonical order.
    public func render(_ item: Item) -> RenderedPrompt {
        let order = Array(item.choices.indices)
        switch item.kind {
        case .multipleChoice:
            let labels = Array(Self.letters.prefix(item.choices.count))
            var lines = [
                "Answer the following multiple-choice question with the letter of the correct option.",
                "",
                "Question: \(item.stem)",
            ]
            for (position, index) in order.enumerated() {
                lines.append("\(labels[position]). \(item.choices[index])")
            }
            lines.append("Answer:")
            return RenderedPrompt(
                text: lines.joined(separator: "\n"),
                labels: labels,
                order: order,
                labelsAreWords: false
            )
        case .judgement:
            let words = order.map { item.choices[$0] }
            let list = Self.naturalList(words)
            let text = [
                "Read the story and answer the question with \(list).",
                "",
                item.stem,
                "Answer (\(list)):",
            ].joined(separator: "\n")
            return RenderedPrompt(text: text, labels: words, order: order, labelsAreWords: true)
        }
    }

    /// "A, B or C".
    static func naturalList(_ words: [String]) -> String {
        guard let last = words.last else { return "" }
        if words.count == 1 { return last }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// How the labels of a rendered prompt are matched against model output.
public enum LabelKind: String, Sendable, Hashable, Codable {
    /// Short identifiers (A, 1, a): matched exactly.
    case identifiers
    /// Answer words (Yes, No, Neither, True, Agree): matched without regard to case, with synonyms.
    case words
    /// The options' full texts: a token matches the one option whose text it begins.
    case optionTexts
}

/// A prompt ready to send, with the labels that stand for each option in it.
public struct RenderedPrompt: Sendable, Hashable, Codable {
    /// The prompt text: the final user message (sent as-is to `/completions` when it is the only message).
    public var text: String
    /// Messages sent before ``text``: a system message and earlier turns from the dataset's prompt, `nil` for a
    /// plain prompt.
    public var context: [ChatMessage]?
    /// `labels[i]` is what stands for the option shown at position `i`.
    public var labels: [String]
    /// `order[i]` is the canonical option index shown at position `i`.
    public var order: [Int]
    /// How labels are matched.
    public var labelKind: LabelKind
    /// The variant this prompt renders.
    public var variant: PromptVariant = .default

    /// The conversation to send: ``context``, then ``text`` as a user message.
    public var messages: [ChatMessage] { (context ?? []) + [.user(text)] }

    /// The prompt as recorded with a sample: ``text`` for a plain prompt, else a transcript of ``messages``
    /// (see ``ChatMessage/transcript(_:)``).
    public var displayText: String {
        guard let context, !context.isEmpty else { return text }
        return ChatMessage.transcript(messages)
    }

    /// Maps a shown position back to the canonical option index.
    public func canonicalIndex(ofPosition position: Int) -> Int { order[position] }

    /// Reorders a distribution over shown positions into canonical option order (options not shown get 0).
    public func canonicalDistribution(_ byPosition: [Double], optionCount: Int) -> [Double] {
        var result = [Double](repeating: 0, count: max(optionCount, (order.max() ?? -1) + 1))
        for (position, value) in byPosition.enumerated() where position < order.count {
            result[order[position]] = value
        }
        return result
    }
}

/// Renders items into prompts, for any ``PromptVariant``.
///
/// Multiple-choice and survey items list their options under labels; judgement items ask for the answer words
/// themselves, which gives a base model a natural next token to score; short-answer items ask for a few words.
public struct PromptBuilder: Sendable {
    /// Number of built-in instruction paraphrases (``PromptVariant/template`` values).
    public static let templateCount = 4

    /// Number of built-in persona wordings (``PromptVariant/personaTemplate`` values).
    public static let personaTemplateCount = 3

    /// Creates a prompt builder.
    public init() {}

    /// Renders `item` as `variant` says.
    public func render(_ item: Item, variant: PromptVariant = .default) -> RenderedPrompt {
        if let template = item.promptTemplate { return render(item, template: template, variant: variant) }
        let text = item.text(in: variant.language)
        let order = variant.permutation(count: text.choices.count, neutral: item.neutralIndex)
        let personaLine = variant.persona.map { code in
            Self.personaInstruction(
                template: variant.personaTemplate,
                name: CultureCatalog.culture(for: code)?.name ?? code
            )
        }
        switch item.kind {
        case .judgement:
            let words = order.map { text.choices[$0] }
            let list = Self.naturalList(words)
            var lines = personaLine.map { [$0] } ?? []
            lines.append(Self.judgementInstruction(template: variant.template, list: list))
            lines.append("")
            lines.append(text.stem)
            lines.append(contentsOf: Self.answerLines(variant: variant, prompt: "Answer (\(list)):"))
            return RenderedPrompt(
                text: lines.joined(separator: "\n"),
                labels: words,
                order: order,
                labelKind: .words,
                variant: variant
            )
        case .shortAnswer:
            var lines = personaLine.map { [$0] } ?? []
            lines.append(Self.shortAnswerInstruction(template: variant.template))
            lines.append("")
            lines.append("Question: \(text.stem)")
            lines.append(contentsOf: Self.answerLines(variant: variant, prompt: "Answer:"))
            return RenderedPrompt(
                text: lines.joined(separator: "\n"),
                labels: [],
                order: [],
                labelKind: .words,
                variant: variant
            )
        case .multipleChoice, .survey:
            let shownLabels = Self.labels(variant.labels, count: order.count)
            let byText = variant.labels == .none || variant.answerFormat == .text
            var lines = personaLine.map { [$0] } ?? []
            lines.append(
                Self.choiceInstruction(
                    template: variant.template,
                    survey: item.kind == .survey,
                    answerWith: byText ? "the full text of the option" : Self.labelDescription(variant.labels)
                )
            )
            lines.append("")
            lines.append("Question: \(text.stem)")
            for (position, canonical) in order.enumerated() {
                let label = shownLabels[position]
                lines.append(
                    variant.labels == .none ? "- \(text.choices[canonical])" : "\(label). \(text.choices[canonical])"
                )
            }
            lines.append(contentsOf: Self.answerLines(variant: variant, prompt: "Answer:"))
            return RenderedPrompt(
                text: lines.joined(separator: "\n"),
                labels: byText ? order.map { text.choices[$0] } : shownLabels,
                order: order,
                labelKind: byText ? .optionTexts : .identifiers,
                variant: variant
            )
        }
    }

    /// Labels for `count` options under `scheme` (`none` gives empty strings).
    public static func labels(_ scheme: PromptVariant.Labels, count: Int) -> [String] {
        (0..<count).map { index in
            switch scheme {
            case .letters: String(UnicodeScalar(UInt8(65 + index % 26)))
            case .lowercase: String(UnicodeScalar(UInt8(97 + index % 26)))
            case .numbers: String(index + 1)
            case .none: ""
            }
        }
    }

    static func labelDescription(_ scheme: PromptVariant.Labels) -> String {
        switch scheme {
        case .letters, .lowercase: "the letter of the option"
        case .numbers: "the number of the option"
        case .none: "the full text of the option"
        }
    }

    static func choiceInstruction(template: Int, survey: Bool, answerWith: String) -> String {
        let what = survey ? "survey question" : "multiple-choice question"
        let pick = survey ? "the option that best matches your view" : "the correct option"
        switch template % templateCount {
        case 1: return "Here is a \(what). Reply with \(answerWith) for \(pick)."
        case 2: return "Choose \(pick) for the \(what) below and answer with \(answerWith) only."
        case 3: return "Read the \(what) and select \(pick). Give \(answerWith)."
        default: return "Answer the following \(what) with \(answerWith) for \(pick)."
        }
    }

    /// The persona line. 0 is the plain wording; 1 is the AlKhamissi et al. (2024) wording used by RnR's
    /// steerability code (without its answer-format sentence, which the item's own instruction gives); 2 asks for
    /// the median person.
    package static func personaInstruction(template: Int, name: String) -> String {
        switch template % personaTemplateCount {
        case 1:
            return
                "Imagine you are a person from \(name). Answer the following question from this perspective. Others will read what you choose; your goal is to convince them it was chosen from the perspective of a typical person from \(name)."
        case 2:
            return
                "Answer the way the median person from \(name) would, considering the culture, values and norms of \(name)."
        default:
            return "Answer as a typical person from \(name) would answer."
        }
    }

    static func judgementInstruction(template: Int, list: String) -> String {
        switch template % templateCount {
        case 1: return "Here is a short story. Reply to its question with \(list)."
        case 2: return "Decide, based on the story below, and answer with \(list) only."
        case 3: return "Read the story, then give your judgement: \(list)."
        default: return "Read the story and answer the question with \(list)."
        }
    }

    static func shortAnswerInstruction(template: Int) -> String {
        switch template % templateCount {
        case 1: return "Reply to the question below with a few words only."
        case 2: return "Give a short answer (one to three words) to the question."
        case 3: return "Answer briefly; do not explain."
        default: return "Answer the following question with a short phrase."
        }
    }

    static func answerLines(variant: PromptVariant, prompt: String) -> [String] {
        switch variant.reasoning {
        case .answerFirst:
            return [prompt]
        case .reasonFirst:
            return ["Think step by step first, then finish with a line of the form \"Answer: ...\".", "Reasoning:"]
        }
    }

    /// "A, B or C".
    static func naturalList(_ words: [String]) -> String {
        guard let last = words.last else { return "" }
        if words.count == 1 { return last }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}



/// One presentation of an item: option order, label scheme, answer format, instruction paraphrase, reasoning
/// order, persona, scale direction and language. The default variant is the plain prompt; every other variant
/// is its own request (its own cache key), and answers are always mapped back to the canonical option order.
public struct PromptVariant: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Order in which options are shown.
    public enum Order: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Canonical order.
        case original
        /// Reversed (for ordinal scales: descending instead of ascending).
        case reversed
        /// Cyclic rotation by `k`: shown position `i` holds canonical option `(i + k) mod n`.
        case rotation(Int)

        public var description: String {
            switch self {
            case .original: "original"
            case .reversed: "reversed"
            case .rotation(let k): "rot\(k)"
            }
        }
    }

    /// How options are labelled.
    public enum Labels: String, Sendable, Hashable, Codable, CaseIterable {
        /// A, B, C...
        case letters
        /// 1, 2, 3...
        case numbers
        /// a, b, c...
        case lowercase
        /// No labels: options are listed with dashes and answered by their text.
        case none
    }

    /// What the model is asked to answer with.
    public enum AnswerFormat: String, Sendable, Hashable, Codable, CaseIterable {
        /// The option's label.
        case identifier
        /// The option's full text.
        case text
    }

    /// Whether the answer comes before or after a justification.
    public enum Reasoning: String, Sendable, Hashable, Codable, CaseIterable {
        /// Answer directly.
        case answerFirst = "answer-first"
        /// Reason step by step, then answer (generate scoring only).
        case reasonFirst = "reason-first"
    }

    /// Option order.
    public var order: Order
    /// Label scheme (ignored by judgement items, whose labels are their answer words).
    public var labels: Labels
    /// Answer format.
    public var answerFormat: AnswerFormat
    /// Instruction paraphrase, `0..<PromptBuilder.templateCount`.
    public var template: Int
    /// Reasoning order.
    public var reasoning: Reasoning
    /// Culture code of a persona to answer as (`How would someone from X answer...`), or `nil`.
    public var persona: String?
    /// Wording of the persona line, `0..<PromptBuilder.personaTemplateCount` (ignored without a persona).
    public var personaTemplate: Int
    /// Language of the item text (a key of ``Item/translations``), or `nil` for the item's own language.
    public var language: String?
    /// Whether to leave out an ordinal item's neutral option (forced choice).
    public var dropNeutral: Bool
    /// Sample index for repeated sampling at temperature > 0 (`--samples K`): not part of the prompt, but part of
    /// the request (its seed) and of the id, so every sample is its own cached request and its own result.
    public var sample: Int

    /// Creates a variant; the defaults give the plain prompt.
    public init(
        order: Order = .original,
        labels: Labels = .letters,
        answerFormat: AnswerFormat = .identifier,
        template: Int = 0,
        reasoning: Reasoning = .answerFirst,
        persona: String? = nil,
        language: String? = nil,
        dropNeutral: Bool = false,
        personaTemplate: Int = 0,
        sample: Int = 0
    ) {
        self.order = order
        self.labels = labels
        self.answerFormat = answerFormat
        self.template = template
        self.reasoning = reasoning
        self.persona = persona
        self.language = language
        self.dropNeutral = dropNeutral
        self.personaTemplate = personaTemplate
        self.sample = sample
    }

    enum CodingKeys: String, CodingKey {
        case order, labels, answerFormat, template, reasoning, persona, language, dropNeutral, personaTemplate, sample
    }

    /// Decodes a variant; `personaTemplate` and `sample` default to 0 when absent (older records).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        order = try container.decode(Order.self, forKey: .order)
        labels = try container.decode(Labels.self, forKey: .labels)
        answerFormat = try container.decode(AnswerFormat.self, forKey: .answerFormat)
        template = try container.decode(Int.self, forKey: .template)
        reasoning = try container.decode(Reasoning.self, forKey: .reasoning)
        persona = try container.decodeIfPresent(String.self, forKey: .persona)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        dropNeutral = try container.decode(Bool.self, forKey: .dropNeutral)
        personaTemplate = try container.decodeIfPresent(Int.self, forKey: .personaTemplate) ?? 0
        sample = try container.decodeIfPresent(Int.self, forKey: .sample) ?? 0
    }

    /// The plain prompt.
    public static let `default` = PromptVariant()

    /// Stable id: `default`, or the non-default settings joined, e.g. `order=reversed;labels=numbers`. A persona
    /// template other than 0 and a sample index other than 0 add `persona_template=N` and `sample=N`.
    public var id: String {
        var parts: [String] = []
        if order != .original { parts.append("order=\(order)") }
        if labels != .letters { parts.append("labels=\(labels.rawValue)") }
        if answerFormat != .identifier { parts.append("format=\(answerFormat.rawValue)") }
        if template != 0 { parts.append("template=\(template)") }
        if reasoning != .answerFirst { parts.append("reasoning=\(reasoning.rawValue)") }
        if let persona { parts.append("persona=\(persona)") }
        if persona != nil, personaTemplate != 0 { parts.append("persona_template=\(personaTemplate)") }
        if let language { parts.append("language=\(language)") }
        if dropNeutral { parts.append("neutral=off") }
        if sample != 0 { parts.append("sample=\(sample)") }
        return parts.isEmpty ? "default" : parts.joined(separator: ";")
    }

    public var description: String { id }

    /// The canonical option index shown at each position for an item with `count` options, leaving out
    /// `neutral` when ``dropNeutral`` is set.
    public func permutation(count: Int, neutral: Int? = nil) -> [Int] {
        var canonical = Array(0..<count)
        if dropNeutral, let neutral, canonical.contains(neutral) { canonical.removeAll { $0 == neutral } }
        let n = canonical.count
        guard n > 0 else { return [] }
        switch order {
        case .original:
            return canonical
        case .reversed:
            return canonical.reversed()
        case .rotation(let k):
            let shift = ((k % n) + n) % n
            return (0..<n).map { canonical[($0 + shift) % n] }
        }
    }
}

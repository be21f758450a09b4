/// A dataset's own prompt: text with `{variable}` placeholders, filled per item by ``PromptBuilder``.
///
/// Variables: `{question}` (also `{q}`, `{stem}`), `{options}` (the option lines, each written with
/// ``optionFormat``), `{labels}` ("A, B, C or D"; "Yes, No or Neither"), `{country}` (the persona's culture, else
/// the item's `country_name` metadata, else its culture's name), every key of the item's metadata, and
/// ``variables``. A placeholder that names no variable is left as it is, so templates may hold literal braces
/// (BLEnD's `{'question':'{q}','answer':[]}`).
public struct PromptTemplate: Sendable, Codable, Hashable {
    /// The template text.
    public var text: String
    /// How each option line is written: `{label}` and `{text}` (default `{label}. {text}`).
    public var optionFormat: String?
    /// Fixed variables for this item (e.g. a persona's `country`).
    public var variables: [String: String]
    /// A system message template, sent first; `nil` for none.
    public var system: String?
    /// Earlier turns sent before the final user message ``text`` (e.g. few-shot questions and answers); each
    /// text part is a template filled like ``text``. `nil` for none.
    public var turns: [ChatMessage]?

    /// Creates a template.
    public init(
        text: String,
        optionFormat: String? = nil,
        variables: [String: String] = [:],
        system: String? = nil,
        turns: [ChatMessage]? = nil
    ) {
        self.text = text
        self.optionFormat = optionFormat
        self.variables = variables
        self.system = system
        self.turns = turns
    }

    /// Replaces every `{name}` whose name is a key of `values`, in one pass (values are not re-scanned).
    public static func fill(_ text: String, with values: [String: String]) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                let value = values[String(rest[afterOpen..<close])]
            {
                output += value
                rest = rest[rest.index(after: close)...]
            } else {
                output += "{"
                rest = rest[afterOpen...]
            }
        }
        output += rest
        return output
    }
}

extension PromptBuilder {
    /// Renders `item` through its ``Item/promptTemplate``. The option order, labels and label kind follow the
    /// same rules as the default rendering, so answers map back to canonical options the same way.
    func render(_ item: Item, template: PromptTemplate, variant: PromptVariant) -> RenderedPrompt {
        let text = item.text(in: variant.language)
        let order = variant.permutation(count: text.choices.count, neutral: item.neutralIndex)
        var values = item.metadata
        for (key, value) in template.variables { values[key] = value }
        values["question"] = text.stem
        values["q"] = text.stem
        values["stem"] = text.stem
        if let persona = variant.persona {
            values["country"] = CultureCatalog.culture(for: persona)?.name ?? persona
        } else if values["country"] == nil {
            values["country"] =
                item.metadata["country_name"] ?? CultureCatalog.culture(for: item.culture)?.name ?? item.culture
        }
        let labels: [String]
        let labelKind: LabelKind
        var optionLines: [String] = []
        switch item.kind {
        case .judgement:
            labels = order.map { text.choices[$0] }
            labelKind = .words
            optionLines = labels
        case .shortAnswer:
            labels = []
            labelKind = .words
        case .multipleChoice, .survey:
            let shownLabels = Self.labels(variant.labels, count: order.count)
            let byText = variant.labels == .none || variant.answerFormat == .text
            let format = template.optionFormat ?? "{label}. {text}"
            for (position, canonical) in order.enumerated() {
                optionLines.append(
                    variant.labels == .none
                        ? "- \(text.choices[canonical])"
                        : PromptTemplate.fill(
                            format,
                            with: ["label": shownLabels[position], "text": text.choices[canonical]]
                        )
                )
            }
            labels = byText ? order.map { text.choices[$0] } : shownLabels
            labelKind = byText ? .optionTexts : .identifiers
        }
        values["options"] = optionLines.joined(separator: "\n")
        values["labels"] = Self.naturalList(labels)
        var prompt = PromptTemplate.fill(template.text, with: values)
        // A persona variant on a template without {country} (steerability) still states the persona.
        if let persona = variant.persona, !template.text.contains("{country}") {
            let name = CultureCatalog.culture(for: persona)?.name ?? persona
            prompt = Self.personaInstruction(template: variant.personaTemplate, name: name) + "\n\n" + prompt
        }
        if variant.reasoning == .reasonFirst {
            prompt += "\n" + Self.answerLines(variant: variant, prompt: "").joined(separator: "\n")
        }
        var context: [ChatMessage] = []
        if let system = template.system { context.append(.system(PromptTemplate.fill(system, with: values))) }
        for turn in template.turns ?? [] {
            let content = turn.content.map { part -> ContentPart in
                if case .text(let text) = part { return .text(PromptTemplate.fill(text, with: values)) }
                return part
            }
            context.append(ChatMessage(role: turn.role, content: content))
        }
        var rendered = RenderedPrompt(
            text: prompt,
            labels: item.kind == .shortAnswer ? [] : labels,
            order: item.kind == .shortAnswer ? [] : order,
            labelKind: labelKind,
            variant: variant
        )
        if !context.isEmpty { rendered.context = context }
        return rendered
    }
}

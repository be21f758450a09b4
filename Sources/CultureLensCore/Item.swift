/// One evaluation item: a question or story with its options and gold answer(s) or human answer distributions.
public struct Item: Sendable, Codable, Hashable, Identifiable {
    /// What kind of answer an item asks for; decides the prompt layout and option labels.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// Pick one of the listed options, labelled A, B, C...
        case multipleChoice = "mcq"
        /// Judge a statement or story with answer words (Yes/No/Neither, True/False, Agree/Disagree): the options
        /// are the answer words themselves.
        case judgement
        /// Answer in a few words, matched against reference answers.
        case shortAnswer = "short-answer"
        /// A survey question: options, no right answer, human answer distributions by culture.
        case survey
    }

    /// The stem and options in one language.
    public struct Text: Sendable, Codable, Hashable {
        /// Question or story.
        public var stem: String
        /// Options, in canonical order.
        public var choices: [String]

        /// Creates a text.
        public init(stem: String, choices: [String]) {
            self.stem = stem
            self.choices = choices
        }
    }

    /// Stable id, unique inside its suite.
    public var id: String
    /// The item kind.
    public var kind: Kind
    /// Question text, or story followed by its question.
    public var stem: String
    /// Option texts in canonical order.
    public var choices: [String]
    /// Indices of the acceptable options; empty for items without a right answer (surveys).
    public var gold: [Int]
    /// Human answer distributions over ``choices`` by culture code, for survey items.
    public var humanDistributions: [String: [Double]]?
    /// Code of the culture the item is about (see ``CultureCatalog``).
    public var culture: String
    /// BCP-47 language tag of ``stem``.
    public var language: String
    /// Topic, e.g. food or etiquette.
    public var topic: String
    /// Where the item comes from and the fact it rests on.
    public var provenance: Provenance
    /// Acceptable short answers (short-answer items), e.g. the annotators' answers.
    public var referenceAnswers: [String]
    /// Items that are scored together (e.g. the four True/False rows of one CulturalBench-Hard question).
    public var group: String?
    /// Canonical index of an ordinal item's neutral option, if it has one.
    public var neutralIndex: Int?
    /// The same item in other languages, by BCP-47 tag.
    public var translations: [String: Text]
    /// Further labelled attributes (e.g. `subaxis`, `gold_label`, `source_row`), for grouping in reports.
    public var metadata: [String: String]
    /// The prompt template of a dataset spec; `nil` renders CultureLens's default prompt (and keeps its bytes, so
    /// existing cache keys and spec hashes are unchanged).
    public var promptTemplate: PromptTemplate?

    /// Creates an item.
    public init(
        id: String,
        kind: Kind,
        stem: String,
        choices: [String],
        gold: [Int],
        humanDistributions: [String: [Double]]? = nil,
        culture: String,
        language: String = "en",
        topic: String,
        provenance: Provenance,
        referenceAnswers: [String] = [],
        group: String? = nil,
        neutralIndex: Int? = nil,
        translations: [String: Text] = [:],
        metadata: [String: String] = [:],
        promptTemplate: PromptTemplate? = nil
    ) {
        self.id = id
        self.kind = kind
        self.stem = stem
        self.choices = choices
        self.gold = gold
        self.humanDistributions = humanDistributions
        self.culture = culture
        self.language = language
        self.topic = topic
        self.provenance = provenance
        self.referenceAnswers = referenceAnswers
        self.group = group
        self.neutralIndex = neutralIndex
        self.translations = translations
        self.metadata = metadata
        self.promptTemplate = promptTemplate
    }

    /// Stem and options in `language` (a key of ``translations``), or in the item's own language.
    public func text(in language: String?) -> Text {
        if let language, language != self.language, let translated = translations[language] { return translated }
        return Text(stem: stem, choices: choices)
    }
}

/// Where an item comes from.
public struct Provenance: Sendable, Codable, Hashable {
    /// Source name, e.g. `culturelens-starter` or a dataset id.
    public var source: String
    /// Licence of the source.
    public var licence: String
    /// One-line note on the public fact the item rests on, if any.
    public var note: String?

    /// Creates a provenance record.
    public init(source: String, licence: String, note: String? = nil) {
        self.source = source
        self.licence = licence
        self.note = note
    }
}

/// One evaluation item: a question or story with its options and gold answer(s) or human answer distributions.
public struct Item: Sendable, Codable, Hashable, Identifiable {
    /// What kind of answer an item asks for; decides the prompt layout and option labels.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// Pick one of the listed options, labelled A, B, C...
        case multipleChoice = "mcq"
        /// Judge a story: Yes, No or Neither (the options are the answer words themselves).
        case judgement
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
        provenance: Provenance
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

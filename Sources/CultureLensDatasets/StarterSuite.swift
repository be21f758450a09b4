/// The built-in `starter` suite: everyday-culture questions and short social-norm stories written for
/// CultureLens (no third-party dataset rows).
public enum StarterSuite {
    /// A four-option question about everyday culture in one country.
    public struct Question: Sendable {
        /// Stable item id, e.g. `jp-food-01`.
        public var id: String
        /// Culture code from ``CultureCatalog``.
        public var culture: String
        /// One of: food, greetings, festivals, etiquette, family, sport.
        public var topic: String
        /// The question text.
        public var question: String
        /// Exactly four options.
        public var choices: [String]
        /// Index (0-3) of the correct option.
        public var answer: Int
        /// One line naming the public fact the item rests on.
        public var note: String

    }

    /// A short story about someone's behaviour in a named country, labelled by whether it is socially
    /// acceptable there.
    public struct NormStory: Sendable {
        /// The gold judgement.
        public enum Label: String, Sendable {
            case yes, no, neutral
        }

        /// Stable item id, e.g. `norm-in-01`.
        public var id: String
        /// Culture code from ``CultureCatalog``.
        public var culture: String
        /// Topic, e.g. etiquette, gifts, dining, visiting.
        public var topic: String
        /// Two to four sentences describing what someone did.
        public var story: String
        /// The judgement question, e.g. "Is what Priya did socially acceptable in India?"
        public var question: String
        /// Gold label: yes (adheres to the norm), no (violates it), neutral (the norm does not apply).
        public var label: Label
        /// One line naming the public fact the item rests on.
        public var note: String

    }
}

public import CultureLensCore
public import CultureLensFormats
import CultureLensStatistics
public import Foundation

/// The `vsm-2013` suite: the 24 scored items of Hofstede's Values Survey Module 2013, each asked under three
/// instruction wordings × two option orders (six presentation variants), so that every index has an interval over
/// presentation formats (the RnR paper's finding: the indices move more with format than between countries).
///
/// The questionnaire is © Geert Hofstede, free for research but not licensed for redistribution, so it is not built
/// in: `--data` names a CSV with the columns `question` and `options` (a JSON list of the five answer texts in the
/// questionnaire's order, answer 1 first), 24 rows in item order m01…m24, or a folder holding
/// `vsm_2013_items.csv`. Answers are the survey's codes 1…5 whatever order the options were shown in
/// (``answerValue(item:choice:)``); `VSM2013Analysis` (CultureLensAnalysis) turns them into the six indices.
public enum VSM2013Suite {
    /// The suite's name on the command line.
    public static let name = "vsm-2013"

    /// The file looked for when `--data` is a folder.
    public static let fileName = "vsm_2013_items.csv"

    /// One questionnaire item.
    public struct Question: Sendable, Hashable {
        /// The question text.
        public var text: String
        /// The answer texts, code 1 first.
        public var options: [String]

        /// Creates an item (e.g. a questionnaire read elsewhere).
        public init(text: String, options: [String]) {
            self.text = text
            self.options = options
        }
    }

    /// Item metadata keys: the item number (`1`…`24`), the presentation variant (`p0-asc`…`p2-desc`), the option
    /// order (`asc`: code 1 first, `desc`: code 5 first) and, with cultural prompting, the persona country.
    public static let itemKey = "vsm_item"
    /// See ``itemKey``.
    public static let variantKey = "vsm_variant"
    /// See ``itemKey``.
    public static let orderKey = "vsm_order"
    /// See ``itemKey``.
    public static let countryKey = "vsm_country"

    /// The three instruction wordings, written for CultureLens; each ends so that the next token is the answer's
    /// letter. `{question}`, `{options}` and `{labels}` are filled by the prompt builder.
    public static let wordings = [
        "Answer the following survey question. Reply with only the letter of the option that best matches your "
            + "view.\n\nQuestion: {question}\n{options}\nAnswer:",
        "This question comes from an international survey of values at work and in private life.\n\n{question}\n\n"
            + "Options:\n{options}\n\nWhich option describes your view best? Give its letter ({labels}).\nAnswer:",
        "Please choose one answer.\n{question}\n{options}\nYour answer ({labels}):",
    ]

    /// The presentation variants in run order: each wording with the options in the questionnaire's order, then
    /// reversed.
    public static let variants: [(id: String, wording: Int, reversed: Bool)] = wordings.indices.flatMap { wording in
        [("p\(wording)-asc", wording, false), ("p\(wording)-desc", wording, true)]
    }

    /// The 24 items of `url` (a CSV file, or a folder holding ``fileName``).
    /// - Throws: ``LoadError`` naming the file, line and field: a missing column, `options` that is not a JSON list
    ///   of five texts, an empty question, or a file without exactly 24 items.
    public static func questions(contentsOf url: URL) throws(LoadError) -> [Question] {
        var isDirectory: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url.appendingPathComponent(fileName) : url
        let table = try CSVTable(contentsOf: file)
        try table.requireColumns(["question", "options"])
        var questions: [Question] = []
        for record in table.rows {
            let text = try record.value("question").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw record.error("question", "the question is empty") }
            let options = try record.value("options") { raw -> [String] in
                guard let data = raw.data(using: .utf8),
                    let list = try? JSONDecoder().decode([String].self, from: data)
                else { throw LoadError(file: file.path, message: "not a JSON list of texts: \(raw.prefix(60))") }
                return list
            }
            guard options.count == 5, options.allSatisfy({ !$0.isEmpty }) else {
                throw record.error("options", "VSM-2013 items have five non-empty answer texts, found \(options.count)")
            }
            questions.append(Question(text: text, options: options))
        }
        guard questions.count == VSM2013.itemCount else {
            throw LoadError(
                file: file.path,
                message: "VSM-2013 has \(VSM2013.itemCount) scored items (m01…m24 in order), found \(questions.count)"
            )
        }
        return questions
    }

    /// The suite over `questions` (the 24 items in order): variant-major (`p0-asc-m01` … `p0-asc-m24`,
    /// `p0-desc-m01`, …), so `--limit 24` asks one whole variant; with `countries`, the same 144 items again under
    /// each country's persona (``personaSystem(_:)`` as the system message), ids `{country}/p0-asc-m01`
    /// (``Suite/addingPersonas(_:countryKey:system:)``).
    public static func suite(questions: [Question], countries: [String] = [], source: String) -> Suite {
        let plain = Suite(
            name: name,
            title: "Hofstede VSM-2013: 24 items × 3 wordings × 2 option orders, six indices",
            version: "1",
            source: source,
            licence: "VSM-2013 © Geert Hofstede: free for research; not redistributed",
            items: variants.flatMap { variant in
                questions.enumerated().map { index, question in item(question, number: index + 1, variant: variant) }
            }
        )
        return countries.isEmpty
            ? plain : plain.addingPersonas(countries, countryKey: countryKey, system: personaSystem)
    }

    /// The item's code as the questionnaire writes it: `m01` … `m24`.
    public static func itemCode(_ number: Int) -> String { "m" + (number < 10 ? "0" : "") + String(number) }

    /// The survey code (1…5) of `item`'s choice at `position` (0-based, in the item's own order: reversed for `desc`).
    public static func answerValue(item: Item, choice position: Int) -> Double? {
        guard (0..<5).contains(position) else { return nil }
        return Double(item.metadata[orderKey] == "desc" ? 5 - position : position + 1)
    }

    /// The persona's system message: Tao et al.'s cultural-prompting phrase, as in the `inglehart-welzel` suite.
    public static func personaSystem(_ country: String) -> String {
        Suite.personaSystem(country, task: "responding to the following survey question.")
    }

    static func item(_ question: Question, number: Int, variant: (id: String, wording: Int, reversed: Bool)) -> Item {
        Item(
            id: variant.id + "-" + itemCode(number),
            kind: .survey,
            stem: question.text,
            choices: variant.reversed ? question.options.reversed() : question.options,
            gold: [],
            culture: "global",
            topic: itemCode(number),
            provenance: Provenance(
                source: "hofstede-vsm-2013",
                licence: "VSM-2013 © Geert Hofstede: free for research",
                note: "Hofstede & Minkov, Values Survey Module 2013"
            ),
            metadata: [itemKey: String(number), variantKey: variant.id, orderKey: variant.reversed ? "desc" : "asc"],
            promptTemplate: PromptTemplate(text: wordings[variant.wording])
        )
    }
}

import CultureLensCore
import Foundation

/// The built-in `inglehart-welzel` suite: Tao et al.'s ten Inglehart–Welzel survey items, each asked under each of
/// their ten respondent descriptors (the descriptor as the system message, the question as the user message), 100
/// items answered as free text at temperature 0 and scored into item values by `InglehartWelzelMap`
/// (CultureLensAnalysis).
///
/// Data: the question prompts and descriptors of Tao, Viberg, Baker and Kizilcec, "Cultural bias and cultural
/// alignment of large language models", PNAS Nexus 2024, via Project Tapestry (The-AI-Alliance/tapestry @ ba61118,
/// `contrib/nguyennm1024-sociocultural-alignment/evaluation/iw/`), CDLA-Permissive-2.0; built in with that
/// attribution (README, `culturelens suites`).
public enum InglehartWelzelSuite {
    /// The suite's name on the command line.
    public static let name = "inglehart-welzel"

    /// One survey item's prompt.
    public struct Question: Sendable, Hashable {
        /// Item code (`a008` ... `y003`), as in `InglehartWelzelMap.Item`.
        public var code: String
        /// The user message.
        public var prompt: String
    }

    /// Item metadata keys: the item code, the descriptor variant (`v0` ... `v9`) and, for cultural prompting, the
    /// persona country. The CLI places a suite's answers on the map by these, not by the ids.
    public static let itemKey = "iw_item"
    /// See ``itemKey``.
    public static let variantKey = "iw_variant"
    /// See ``itemKey``.
    public static let countryKey = "iw_country"

    /// Items in variant-major order (`v0-a008`, `v0-a165`, ..., `v9-y003`), so `--limit 20` asks two whole
    /// descriptor variants and can already place the model.
    public static let suite = Suite(
        name: name,
        title: "Inglehart–Welzel cultural map: 10 IVS items × 10 respondent descriptors (Tao et al. 2024)",
        version: "1",
        source: "built-in: Tao et al. (PNAS Nexus 2024) via Project Tapestry",
        licence: "CDLA-Permissive-2.0",
        items: descriptors.indices.flatMap { variant in questions.map { item($0, variant: variant) } }
    )

    /// The suite with cultural prompting: the 100 plain items, then the same items under each country's persona
    /// (``personaDescriptor(_:country:)``), ids `{country}/v{k}-{code}` with the country's name lowercased and
    /// spaces as hyphens (`japan/v0-a008`, `taiwan-roc/v3-f063`), country by country in the order given.
    /// - Parameter countries: Country names as the map writes them (Tao's table).
    public static func steered(countries: [String]) -> Suite {
        var steered = suite
        steered.title += " · cultural prompting: \(countries.count) countr\(countries.count == 1 ? "y" : "ies")"
        for country in countries {
            steered.items += descriptors.indices.flatMap { variant in
                questions.map { item($0, variant: variant, country: country) }
            }
        }
        return steered
    }

    /// Tao et al.'s cultural prompt: the descriptor with the persona's birth and residence, "You are an average
    /// human being born in {country} and living in {country} responding to the following survey question." for
    /// variant 0 (the paper's wording). CultureLens puts the same phrase into each of the ten descriptors, so a
    /// persona's point also has a CI over variants.
    public static func personaDescriptor(_ variant: Int, country: String) -> String {
        descriptors[variant].replacingOccurrences(
            of: " responding to",
            with: " born in \(country) and living in \(country) responding to"
        )
    }

    /// The item id prefix of a persona country: `Taiwan ROC` → `taiwan-roc`.
    public static func countrySlug(_ country: String) -> String {
        country.lowercased().split(whereSeparator: { $0 == " " }).joined(separator: "-")
    }

    /// The item asking `question` under descriptor `variant`, as `country`'s persona when given.
    static func item(_ question: Question, variant: Int, country: String? = nil) -> Item {
        let base = "v\(variant)-\(question.code)"
        var metadata = [itemKey: question.code, variantKey: "v\(variant)"]
        if let country { metadata[countryKey] = country }
        return Item(
            id: country.map { countrySlug($0) + "/" + base } ?? base,
            kind: .shortAnswer,
            stem: question.prompt,
            choices: [],
            gold: [],
            culture: country.flatMap { CultureCatalog.culture(for: $0)?.code } ?? "global",
            topic: question.code,
            provenance: Provenance(
                source: "tao-2024-inglehart-welzel",
                licence: "CDLA-Permissive-2.0",
                note: "Tao, Viberg, Baker, Kizilcec, PNAS Nexus 2024; via Project Tapestry @ ba61118"
            ),
            metadata: metadata,
            promptTemplate: PromptTemplate(
                text: "{question}",
                system: country.map { personaDescriptor(variant, country: $0) } ?? descriptors[variant]
            )
        )
    }
}

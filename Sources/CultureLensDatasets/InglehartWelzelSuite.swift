import CultureLensCore

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

    /// Item metadata keys: the item code and the descriptor variant (`v0` ... `v9`). The CLI places a suite's
    /// answers on the map by these, not by the ids.
    public static let itemKey = "iw_item"
    /// See ``itemKey``.
    public static let variantKey = "iw_variant"

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

    /// The item asking `question` under descriptor `variant`.
    static func item(_ question: Question, variant: Int) -> Item {
        Item(
            id: "v\(variant)-\(question.code)",
            kind: .shortAnswer,
            stem: question.prompt,
            choices: [],
            gold: [],
            culture: "global",
            topic: question.code,
            provenance: Provenance(
                source: "tao-2024-inglehart-welzel",
                licence: "CDLA-Permissive-2.0",
                note: "Tao, Viberg, Baker, Kizilcec, PNAS Nexus 2024; via Project Tapestry @ ba61118"
            ),
            metadata: [itemKey: question.code, variantKey: "v\(variant)"],
            promptTemplate: PromptTemplate(text: "{question}", system: descriptors[variant])
        )
    }
}

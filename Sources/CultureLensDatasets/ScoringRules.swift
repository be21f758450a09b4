/// The scoring rules CultureLens knows: the one list a spec's `scoring.rule` is looked up in.
public enum ScoringRules {
    /// Every rule, in the order `docs/specs.md` lists them. A new rule is one file and one line here.
    public static let all: [any ScoringRule] = [
        AccuracyRule(),
        AllCorrectPerGroupRule(),
        ShortAnswerMatchRule(),
        SurveySimilarityRule(),
        AgreeDisagreeRule(),
        SubsetGapRule(),
    ]

    /// The rule named `name`, if there is one.
    public static func rule(named name: ScoringRuleName) -> (any ScoringRule)? {
        all.first { $0.name == name }
    }

    /// The rules' names, in ``all``'s order (for error messages).
    public static var names: [String] { all.map(\.name.rawValue) }
}

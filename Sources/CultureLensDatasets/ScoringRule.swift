public import CultureLensCore

/// A paper's scoring rule: its name in a spec's `scoring.rule`, what it requires of the spec, the figures it computes
/// from a run's results and the comparisons it draws across runs. One type per rule, one file each; the list of
/// rules is ``ScoringRules/all`` (adding a rule is a new file and one line there, see `docs/specs.md`).
public protocol ScoringRule: Sendable {
    /// The name a spec's `scoring.rule` uses (e.g. `subset-gap`).
    var name: ScoringRuleName { get }

    /// Throws when `spec` lacks what this rule needs (e.g. `scoring.subset` for `subset-gap`), naming the field.
    func validate(_ spec: DatasetSpec) throws(SpecError)

    /// Fills this rule's figures (headline, breakdowns, its own section, notes) into `metrics`.
    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics)

    /// Figures comparing this run with other runs of the store (e.g. a rank correlation of models); none by default.
    func comparisons(_ context: ComparisonContext) async -> [CrossRunComparison]
}

extension ScoringRule {
    /// No requirements beyond the spec format's.
    public func validate(_ spec: DatasetSpec) throws(SpecError) {}

    /// No cross-run comparisons.
    public func comparisons(_ context: ComparisonContext) async -> [CrossRunComparison] { [] }
}

/// The name of a scoring rule, as written in a spec's `scoring.rule` and in `results.json`'s `metrics.rule`. Each
/// rule's file declares its name as a static member (`.accuracy`, `.subsetGap`...).
public struct ScoringRuleName: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name as written (`all-correct-per-group`).
    public var rawValue: String

    /// Wraps a name.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}

/// What a rule scores: the run's results paired with their items.
public struct ScoringInput: Sendable {
    /// The spec's scoring section.
    public var scoring: ScoringSpec
    /// The suite scored.
    public var suite: Suite
    /// Every result whose item is in the suite, with that item.
    public var pairs: [(item: Item, result: ItemResult)]

    /// The pairs that answer a question (long-form answers, which have no right answer, left out).
    public var answerPairs: [(item: Item, result: ItemResult)] {
        pairs.filter { $0.item.metadata["response"] != "long-form" }
    }

}

/// What a rule may compare a run with: the store's runs and a way to read their results.
public struct ComparisonContext: Sendable {
    /// The spec of the run.
    public var spec: DatasetSpec
    /// The suite of the run.
    public var suite: Suite
    /// The run.
    public var run: RunRecord
    /// Every run in the store, newest first.
    public var runs: [RunRecord]
    /// The results of a run by id, `nil` when they cannot be read.
    public var results: @Sendable (String) async -> [ItemResult]?

    /// Creates a context.
    public init(
        spec: DatasetSpec,
        suite: Suite,
        run: RunRecord,
        runs: [RunRecord],
        results: @escaping @Sendable (String) async -> [ItemResult]?
    ) {
        self.spec = spec
        self.suite = suite
        self.run = run
        self.runs = runs
        self.results = results
    }
}

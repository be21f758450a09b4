/// The robustness card every `run` carries (`--no-card` turns it off): how far its headline can be trusted.
///
/// A seeded sample of the run's items (``RunCardPlan``) is asked again under every cyclic rotation of its options.
/// From those answers: the pull towards the first shown option (A-bias), how often the answer changes when only the
/// order changes (flip rate), how much the headline moves over orders (format spread) and the headline after PriDe
/// debiasing; with `--determinism-check`, how much identical requests move (``DeterminismFloor``). Every figure has
/// its n and a seeded 95% interval. ``verdicts`` turn them into plain sentences against documented thresholds
/// (``Thresholds``); ``summary`` is the sentence printed beside the headline. See docs/robustness.md.
public struct RunCard: Sendable, Hashable, Codable {
    /// How much a check undermines the headline.
    public enum Level: String, Sendable, Hashable, Codable, Comparable {
        /// Within the thresholds.
        case ok
        /// Worth reading before the headline is used.
        case caution
        /// The headline (or the ranking of cultures) should not be interpreted.
        case unreliable

        var rank: Int {
            switch self {
            case .ok: 0
            case .caution: 1
            case .unreliable: 2
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// One check of the card.
    public struct Verdict: Sendable, Hashable, Codable {
        /// `flip_rate`, `a_bias`, `format_spread`, `outside_mass`, `chance`, `pride`, `order_vs_countries` or
        /// `determinism`.
        public var check: String
        /// Its level.
        public var level: Level
        /// The figure the level was read from.
        public var value: Double?
        /// The sentence shown.
        public var message: String
    }

    /// The items the card asked again.
    public struct Sample: Sendable, Hashable, Codable {
        /// Items drawn.
        public var items: Int
        /// Items that could have been drawn.
        public var eligible: Int
        /// Planned share of the eligible items.
        public var share: Double
        /// Planned minimum number of items.
        public var minimum: Int
        /// Request budget.
        public var budget: Int
        /// Seed of the draw, the PriDe calibration draw and the bootstraps.
        public var seed: UInt64
        /// New requests at most (drawn items × non-default rotations); cache hits cost nothing.
        public var requests: Int
        /// Variant ids asked (default first).
        public var variants: [String]
        /// Ids of the drawn items, in suite order.
        public var itemIDs: [String]
        /// The store run holding the card's answers.
        public var runID: String?

        enum CodingKeys: String, CodingKey {
            case items, eligible, share, minimum, budget, seed, requests, variants
            case itemIDs = "item_ids"
            case runID = "run_id"
        }
    }

    /// Thresholds of the verdicts (point estimates against these bounds; the intervals are shown beside them).
    public enum Thresholds {
        /// Flip rate under rotation: caution from 10% of items, unreliable from 25%. One item in four changing its
        /// answer when only the option order changes is larger than most differences between cultures the suites
        /// report, so per-culture differences are not interpretable.
        public static let flipRate = (caution: 0.10, unreliable: 0.25)
        /// A-bias (mean probability on the first shown option − 1/K): caution from 0.05, unreliable from 0.15.
        public static let aBias = (caution: 0.05, unreliable: 0.15)
        /// Format spread (max − min headline over the rotations): caution from 5 points, unreliable from 15.
        public static let formatSpread = (caution: 0.05, unreliable: 0.15)
        /// Mean probability outside the options (logprob scoring): caution from 25%, unreliable from 50%.
        public static let outsideMass = (caution: 0.25, unreliable: 0.50)
        /// Variant SD of survey mean positions ÷ the human between-country SD: caution from 0.5, unreliable
        /// from 1 (presentation moves the model as much as countries differ).
        public static let orderVsCountries = (caution: 0.5, unreliable: 1.0)
        /// PriDe: caution when debiasing changes the headline by at least 5 points and the paired interval
        /// excludes 0.
        public static let prideChange = 0.05
        /// Determinism: caution when identical requests moved some option probability by at least 0.01 or
        /// changed an answer.
        public static let determinismDelta = 0.01
    }

    /// The name of a run's card among its store attachments (``RunAdministration/runAttachment(id:name:)``).
    public static let attachmentName = "card"

    /// `accuracy`, `similarity` or `mixed` (as the full card).
    public var headlineMetric: String
    /// The sample, `nil` when the suite gets no card (``notes`` says why).
    public var sample: Sample?
    /// Mean probability on the first shown position − 1/K over the cyclic rotations.
    public var aBias: CardFigure?
    /// Share of rotations whose answer is the first shown option − 1/K.
    public var firstPositionChoice: CardFigure?
    /// Share of items whose answer is not the same under every rotation.
    public var flipRate: CardFigure?
    /// Max − min headline over the rotations.
    public var formatSpread: CardFigure?
    /// The headline of the sample's items in the default order.
    public var sampleHeadline: CardFigure?
    /// PriDe on the sample (prior from a seeded fifth of it).
    public var pride: RobustnessCard.PriDe?
    /// Survey items: the rotations' effect in mean-position units against the human yardstick.
    public var survey: RobustnessCard.Survey?
    /// The run's headline accuracy with its Wilson interval (accuracy suites), for the chance check.
    public var runAccuracy: CardFigure?
    /// Mean probability outside the options over the run (logprob scoring).
    public var outsideMass: CardFigure?
    /// Mean chance rate (1/K) over the sample's graded items.
    public var chance: Double?
    /// With `--determinism-check`: how far identical requests move.
    public var determinism: DeterminismFloor?
    /// Failures of the card's requests by kind, zeros omitted (counted, never scored).
    public var failures: [String: Int]
    /// The checks, most serious first (stable order within a level).
    public var verdicts: [Verdict]
    /// The worst level of the checks (`ok` when there are none).
    public var level: Level
    /// The sentence beside the headline.
    public var summary: String
    /// Caveats.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case sample, pride, survey, chance, determinism, failures, verdicts, level, summary, notes
        case headlineMetric = "headline_metric"
        case aBias = "a_bias"
        case firstPositionChoice = "first_position_choice"
        case flipRate = "flip_rate"
        case formatSpread = "format_spread"
        case sampleHeadline = "sample_headline"
        case outsideMass = "outside_mass"
        case runAccuracy = "run_accuracy"
    }
}

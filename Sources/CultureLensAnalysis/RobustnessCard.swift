import CultureLensStatistics

/// One figure of a robustness card: a value with the number of units it rests on and a 95% confidence interval
/// (percentile cluster bootstrap over items, seeded). `value` is `nil` when the figure is undefined for the data
/// (the `note` says why); the interval is `nil` when it could not be computed.
public struct CardFigure: Sendable, Hashable, Codable {
    /// The estimate.
    public var value: Double?
    /// Units (items, questions) the estimate rests on.
    public var n: Int
    /// Lower end of the 95% interval.
    public var ciLow: Double?
    /// Upper end of the 95% interval.
    public var ciHigh: Double?
    /// Why the value or interval is missing, or how to read it.
    public var note: String?

    /// An undefined figure.
    public static func undefined(n: Int = 0, _ note: String) -> CardFigure { CardFigure(value: nil, n: n, note: note) }

    /// A share of `n` units with its Wilson 95% interval (never [0, 0] when nothing or everything counted).
    public static func wilson(successes: Int, n: Int) -> CardFigure {
        let proportion = Proportion(successes: successes, n: n)
        return CardFigure(
            value: proportion.value,
            n: n,
            ciLow: proportion.ciLow,
            ciHigh: proportion.ciHigh,
            note: "Wilson interval"
        )
    }

    enum CodingKeys: String, CodingKey {
        case value, n, note
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
    }

    // Explicit nulls keep the card's shape stable for downstream tools.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(n, forKey: .n)
        try container.encode(ciLow, forKey: .ciLow)
        try container.encode(ciHigh, forKey: .ciHigh)
        try container.encodeIfPresent(note, forKey: .note)
    }
}

/// The spread of a statistic over repetitions (seeds, splits): its values and their summary.
public struct DistributionSummary: Sendable, Hashable, Codable {
    /// Number of values.
    public var n: Int
    /// Mean.
    public var mean: Double?
    /// Median.
    public var median: Double?
    /// 2.5% quantile (type 7).
    public var q025: Double?
    /// 97.5% quantile (type 7).
    public var q975: Double?
    /// Smallest value.
    public var min: Double?
    /// Largest value.
    public var max: Double?
    /// The values, in repetition order.
    public var values: [Double]

    /// Summarises `values` (non-finite values are dropped).
    public init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        self.values = finite
        n = finite.count
        let sorted = finite.sorted()
        mean = finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
        median = try? Descriptive.quantile(sorted, 0.5)
        q025 = try? Descriptive.quantile(sorted, 0.025)
        q975 = try? Descriptive.quantile(sorted, 0.975)
        min = sorted.first
        max = sorted.last
    }

    enum CodingKeys: String, CodingKey {
        case n, mean, median, q025, q975, min, max, values
    }
}

/// The robustness card of a suite under a perturbation grid (see docs/robustness.md for how to read it).
public struct RobustnessCard: Sendable, Hashable, Codable {
    /// Figures of one variant (presentation) over the items.
    public struct Variant: Sendable, Hashable, Codable {
        /// Variant id (`default`, `order=reversed`, `labels=numbers`...).
        public var id: String
        /// The factor a one-factor-at-a-time variant perturbs (`nil` for the default and combined variants).
        public var factor: String?
        /// Items evaluated under it.
        public var items: Int
        /// Items with an answer (at least one sample without failure).
        public var answered: Int
        /// Items where this variant rendered the same prompt as an earlier variant (counted once in the agreement
        /// figures: flip rate, κ, JSD).
        public var duplicates: Int
        /// The headline metric (accuracy or survey similarity) over its answered items.
        public var headline: CardFigure
        /// Mean probability on the first shown option minus 1/K (uniform): this variant's pull to position one.
        public var firstPositionMass: CardFigure
        /// Mean normalised position μ of its answers (survey items only).
        public var meanPosition: CardFigure?
        /// Failures by kind (all samples), zeros omitted.
        public var failures: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, factor, items, answered, duplicates, headline, failures
            case firstPositionMass = "first_position_mass"
            case meanPosition = "mean_position"
        }
    }

    /// Agreement figures restricted to the default and the variants of one factor.
    public struct Factor: Sendable, Hashable, Codable {
        /// Factor name.
        public var factor: String
        /// Variant ids in the comparison (default included).
        public var variants: [String]
        /// Argmax flip rate among them.
        public var flipRate: CardFigure
        /// Mean pairwise JSD (bits) among them.
        public var meanPairwiseJSD: CardFigure
        /// Max − min headline among them.
        public var spread: CardFigure

        enum CodingKeys: String, CodingKey {
            case factor, variants, spread
            case flipRate = "flip_rate"
            case meanPairwiseJSD = "mean_pairwise_jsd"
        }
    }

    /// The mean positional distribution of items with K options over their K cyclic presentations.
    public struct Positional: Sendable, Hashable, Codable {
        /// Option count K.
        public var optionCount: Int
        /// Items with all K cyclic presentations answered.
        public var items: Int
        /// Mean probability by shown position (uniform would be 1/K each).
        public var distribution: [Double]

        enum CodingKeys: String, CodingKey {
            case items, distribution
            case optionCount = "option_count"
        }
    }

    /// PriDe's prior over positions for one option count.
    public struct Prior: Sendable, Hashable, Codable {
        /// Option count K.
        public var optionCount: Int
        /// Calibration items it was estimated from.
        public var calibrationItems: Int
        /// Evaluation items it debiased.
        public var evaluationItems: Int
        /// The prior by shown position.
        public var prior: [Double]

        enum CodingKeys: String, CodingKey {
            case prior
            case optionCount = "option_count"
            case calibrationItems = "calibration_items"
            case evaluationItems = "evaluation_items"
        }
    }

    /// PriDe debiasing (Zheng et al. 2024).
    public struct PriDe: Sendable, Hashable, Codable {
        /// Share of the fully rotated items drawn (seeded) for estimating the prior.
        public var calibrationShare: Double
        /// Items used to estimate the prior.
        public var calibrationItems: [String]
        /// Items debiased (all others with a full rotation set).
        public var evaluationItems: Int
        /// The estimated prior for each option count.
        public var priors: [Prior]
        /// Headline metric of the evaluation items as observed (default order).
        public var observed: CardFigure
        /// Headline metric after PriDe debiasing of the default-order observation.
        public var debiased: CardFigure
        /// debiased − observed, paired over the evaluation items.
        public var improvement: CardFigure
        /// Headline metric of the permutation-averaged (order-adjusted) distribution, over all fully rotated
        /// items (the expensive correction PriDe approximates).
        public var orderAdjusted: CardFigure

        enum CodingKeys: String, CodingKey {
            case priors, observed, debiased, improvement
            case calibrationShare = "calibration_share"
            case calibrationItems = "calibration_items"
            case evaluationItems = "evaluation_items"
            case orderAdjusted = "order_adjusted"
        }
    }

    /// How the variance of the per-item score splits between items, variants and repeated samples.
    public struct VarianceDecomposition: Sendable, Hashable, Codable {
        /// What is decomposed: `score` (0/1 correctness) or `mean_position` (survey μ).
        public var unit: String
        /// Variance between items (what the benchmark is meant to measure).
        public var betweenItem: CardFigure
        /// Variance between variants of the same item, beyond sampling noise.
        public var betweenVariant: CardFigure
        /// Variance between repeated samples of the same prompt (`nil` with one sample per prompt).
        public var withinPrompt: CardFigure?
        /// Each component's share of their sum.
        public var shares: [String: Double]

        enum CodingKeys: String, CodingKey {
            case unit, shares
            case betweenItem = "between_item"
            case betweenVariant = "between_variant"
            case withinPrompt = "within_prompt"
        }
    }

    /// A variant's effect on survey answers, in normalised mean-position units.
    public struct SurveyShift: Sendable, Hashable, Codable {
        /// Variant id.
        public var id: String
        /// Mean μ over items.
        public var meanPosition: CardFigure
        /// Paired mean of μ(variant) − μ(default).
        public var shift: CardFigure
        /// Paired mean of |μ(variant) − μ(default)|.
        public var absoluteShift: CardFigure

        enum CodingKeys: String, CodingKey {
            case id, shift
            case meanPosition = "mean_position"
            case absoluteShift = "absolute_shift"
        }
    }

    /// Survey effects in normalised mean-position units next to the human yardstick σ̄.
    public struct Survey: Sendable, Hashable, Codable {
        /// σ̄: mean over questions of the between-country SD (ddof 0) of human μ.
        public var humanYardstick: CardFigure
        /// Mean over items of the SD (ddof 0) of μ across variants: the variant analogue of σ̄.
        public var variantSD: CardFigure
        /// variantSD ÷ σ̄ (> 1: presentation moves the model more than countries differ).
        public var ratioToYardstick: Double?
        /// Max − min over variants of mean μ.
        public var meanPositionSpread: CardFigure
        /// Per-variant shifts against the default.
        public var variants: [SurveyShift]

        enum CodingKeys: String, CodingKey {
            case variants
            case humanYardstick = "human_yardstick"
            case variantSD = "variant_sd"
            case ratioToYardstick = "ratio_to_yardstick"
            case meanPositionSpread = "mean_position_spread"
        }
    }

    /// Suite name.
    public var suite: String
    /// Items analysed.
    public var items: Int
    /// `accuracy`, `similarity` (survey suites: mean over countries of 1 − JD₂) or `mixed`.
    public var headlineMetric: String
    /// `one-factor` or `full`.
    public var design: String
    /// Perturbed factors.
    public var factors: [String]
    /// Samples per prompt.
    public var samples: Int
    /// Seed of every resampling, split and calibration draw.
    public var seed: UInt64
    /// Bootstrap replicates per interval.
    public var bootstrapReplicates: Int
    /// Per-variant figures, in grid order (default first).
    public var variants: [Variant]
    /// Share of items whose argmax answer is not the same under every variant.
    public var flipRate: CardFigure
    /// Fleiss' κ with variants as raters and canonical answers as categories.
    public var fleissKappa: CardFigure
    /// Mean over items of the mean pairwise Jensen–Shannon divergence (bits) between variant distributions.
    public var meanPairwiseJSD: CardFigure
    /// Max − min of the headline metric over variants.
    public var formatSpread: CardFigure
    /// Mean over the cyclic presentations of the probability on the first shown position, minus 1/K.
    public var aBias: CardFigure
    /// Share of cyclic presentations whose argmax is the first shown position, minus 1/K.
    public var firstPositionChoice: CardFigure
    /// Mean positional distributions by option count.
    public var positional: [Positional]
    /// PriDe, when the order factor gave full rotation sets.
    public var pride: PriDe?
    /// Agreement per factor.
    public var perFactor: [Factor]
    /// Variance components.
    public var varianceDecomposition: VarianceDecomposition
    /// Survey effects in mean-position units (survey suites).
    public var survey: Survey?
    /// Persona steering (with `--steer`).
    public var steerability: Steerability?
    /// Held-out prediction of alignment and clusters (survey suites).
    public var extrapolability: Extrapolability?
    /// Failures by kind over every request of the grid, zeros omitted.
    public var failures: [String: Int]
    /// Caveats about this card's data.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case suite, items, design, factors, samples, seed, variants, pride, survey, steerability, extrapolability
        case failures, notes
        case headlineMetric = "headline_metric"
        case bootstrapReplicates = "bootstrap_replicates"
        case flipRate = "flip_rate"
        case fleissKappa = "fleiss_kappa"
        case meanPairwiseJSD = "mean_pairwise_jsd"
        case formatSpread = "format_spread"
        case aBias = "a_bias"
        case firstPositionChoice = "first_position_choice"
        case positional
        case perFactor = "per_factor"
        case varianceDecomposition = "variance_decomposition"
    }
}

/// Persona steering figures (methodology E.1.11).
public struct Steerability: Sendable, Hashable, Codable {
    /// One target country under one persona wording.
    public struct Target: Sendable, Hashable, Codable {
        /// Culture code.
        public var country: String
        /// Persona wording.
        public var template: Int
        /// Survey questions with this country's human answers and both model answers.
        public var questions: Int
        /// Questions without this country's human answers (reported, never filled).
        public var missingHumanCells: Int
        /// Questions with human answers but a failed model answer (persona or plain).
        public var missingModelAnswers: Int
        /// Mean |μ(model, no persona) − μ(country)|.
        public var distanceWithout: CardFigure
        /// Mean |μ(model, persona) − μ(country)|.
        public var distanceWith: CardFigure
        /// distanceWithout − distanceWith (> 0: the persona moved the model towards the country).
        public var improvement: CardFigure
        /// Share of questions where the persona answer is strictly closer to the country than the plain one.
        public var improvementRate: CardFigure
        /// Rank of the target among all countries by distance from the persona answers (1 = closest).
        public var rank: Int?
        /// Countries ranked.
        public var rankedCountries: Int

        enum CodingKeys: String, CodingKey {
            case country, template, questions, improvement, rank
            case missingHumanCells = "missing_human_cells"
            case missingModelAnswers = "missing_model_answers"
            case distanceWithout = "distance_without"
            case distanceWith = "distance_with"
            case improvementRate = "improvement_rate"
            case rankedCountries = "ranked_countries"
        }
    }

    /// Aggregates of one persona wording over the targets.
    public struct Template: Sendable, Hashable, Codable {
        /// Persona wording.
        public var template: Int
        /// Mean over targets of the improvement.
        public var meanImprovement: CardFigure
        /// Share of targets whose distance went down.
        public var countriesImproved: CardFigure
        /// Mean rank of the target.
        public var meanRank: CardFigure
        /// Share of targets ranked first.
        public var rankedFirst: CardFigure
        /// Mean pairwise distance among the persona answer vectors.
        public var personaSpread: CardFigure
        /// Mean pairwise distance among the same countries' human vectors.
        public var humanSpread: CardFigure
        /// personaSpread ÷ humanSpread (< 1: personas are less differentiated than real countries).
        public var spreadRatio: CardFigure

        enum CodingKeys: String, CodingKey {
            case template
            case meanImprovement = "mean_improvement"
            case countriesImproved = "countries_improved"
            case meanRank = "mean_rank"
            case rankedFirst = "ranked_first"
            case personaSpread = "persona_spread"
            case humanSpread = "human_spread"
            case spreadRatio = "spread_ratio"
        }
    }

    /// Distance used: mean absolute difference of normalised mean positions (and RMS for vector spreads).
    public var distance: String
    /// Every country with human answers in the suite.
    public var countries: [String]
    /// Per target and wording.
    public var targets: [Target]
    /// Per wording.
    public var templates: [Template]
    /// Human spread over every country in the suite (RnR's test statistic, pairwise-complete).
    public var humanSpreadAllCountries: CardFigure

    enum CodingKeys: String, CodingKey {
        case distance, countries, targets, templates
        case humanSpreadAllCountries = "human_spread_all_countries"
    }
}

/// Extrapolability figures (methodology E.1.10): does alignment on some questions predict alignment on others?
public struct Extrapolability: Sendable, Hashable, Codable {
    /// Clustering agreement between fitted and held-out questions for one set of respondents.
    public struct Clustering: Sendable, Hashable, Codable {
        /// `human` (the suite's countries) or `persona` (the model impersonating them).
        public var respondents: String
        /// Respondents clustered.
        public var entities: Int
        /// Questions complete for all of them.
        public var questions: Int
        /// Countries left out for missing more than half of the questions.
        public var droppedCountries: [String]
        /// Clusters (best silhouette on all questions, 2…10).
        public var k: Int
        /// ARI(fitted-half clusters, held-out-half clusters) over the splits.
        public var ari: DistributionSummary
        /// Permutation p-value of each split's ARI.
        public var pValues: DistributionSummary
        /// Share of splits with p < 0.05.
        public var significantShare: Double?

        enum CodingKeys: String, CodingKey {
            case respondents, entities, questions, k, ari
            case droppedCountries = "dropped_countries"
            case pValues = "p_values"
            case significantShare = "significant_share"
        }
    }

    /// Seeded random splits of the questions into halves.
    public var splits: Int
    /// Permutations per ARI p-value.
    public var permutations: Int
    /// Questions with a model answer and human answers.
    public var questions: Int
    /// Countries compared.
    public var countries: Int
    /// Pearson r between per-country alignment (1 − mean |Δμ|) on the fitted and the held-out half.
    public var alignmentCorrelation: DistributionSummary
    /// Spearman ρ of the same.
    public var alignmentRankCorrelation: DistributionSummary
    /// Clustering of human countries, and of persona answers when steering ran.
    public var clustering: [Clustering]
    /// Why a part could not be computed.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case splits, permutations, questions, countries, clustering, notes
        case alignmentCorrelation = "alignment_correlation"
        case alignmentRankCorrelation = "alignment_rank_correlation"
    }
}

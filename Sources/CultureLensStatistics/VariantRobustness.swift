
/// How much an item's answer moves across semantically equivalent presentation variants (option order, label
/// scheme, response format, framing): argmax flip rate, pairwise disagreement, mean pairwise JSD between variant
/// distributions, and the normalised shift between two variants' canonical answers.
///
/// Answers must already be mapped back to the **canonical** option index (the same content gets the same index
/// whatever position it was shown in). Missing answers (`nil`: refusal, parse failure) are excluded per item and
/// never imputed.
public enum VariantRobustness {
    /// Share of items whose canonical answer is not the same across all variants that answered, with its Wilson
    /// CI. Items with fewer than two answers are not counted (n is the number of items counted). O(items·variants).
    public static func argmaxFlipRate(_ answers: [[Int?]]) -> Proportion {
        var flipped = 0
        var counted = 0
        for row in answers {
            let present = row.compactMap { $0 }
            guard present.count >= 2, let first = present.first else { continue }
            counted += 1
            if present.contains(where: { $0 != first }) { flipped += 1 }
        }
        return Proportion(successes: flipped, n: counted)
    }

    /// The argmax flip rate of items × variants distributions (each a probability vector over canonical options;
    /// `nil` when missing). The argmax takes the first maximal option on ties, as `LabelDistribution.argmax`.
    public static func argmaxFlipRate(distributions: [[[Double]?]]) -> Proportion {
        argmaxFlipRate(distributions.map { row in row.map { $0.map(argmax) } })
    }

    /// Mean over items of the share of variant pairs that give different canonical answers (a graded version of
    /// the flip rate: 1 disagreeing variant out of 8 counts 7/28, not 1). Items with fewer than two answers are
    /// skipped. O(items·variants²).
    /// - Throws: `.tooFewValues` when no item has two answers.
    public static func pairwiseDisagreement(_ answers: [[Int?]]) throws(StatisticsError) -> Double {
        var rates: [Double] = []
        for row in answers {
            let present = row.compactMap { $0 }
            guard present.count >= 2 else { continue }
            var differing = 0
            var pairs = 0
            for i in 0..<present.count {
                for j in (i + 1)..<present.count {
                    pairs += 1
                    if present[i] != present[j] { differing += 1 }
                }
            }
            rates.append(Double(differing) / Double(pairs))
        }
        try Validate.count(rates, atLeast: 1)
        return Descriptive.plainMean(rates)
    }

    /// Mean Jensen–Shannon divergence over all pairs of one item's variant distributions (canonical option
    /// order): 0 when every variant gives the same distribution, at most log_b 2. O(variants²·K).
    /// - Throws: `.tooFewValues` with fewer than two distributions, and the errors of `Divergence`.
    public static func meanPairwiseJensenShannon(
        _ distributions: [[Double]],
        base: LogBase = .e
    ) throws(StatisticsError) -> Double {
        try Validate.count(distributions, atLeast: 2)
        var total = 0.0
        var pairs = 0
        for i in 0..<distributions.count {
            for j in (i + 1)..<distributions.count {
                total += try Divergence.jensenShannonDivergence(distributions[i], distributions[j], base: base)
                pairs += 1
            }
        }
        return total / Double(pairs)
    }

    /// The normalised shift |a − b|/(K − 1) between two variants' answers on the same K-point canonical scale
    /// (1-based scale positions or 0-based indices alike). Both answers must already be canonical: a descending
    /// presentation is mapped back once, at parse time, and never inverted again (RnR inverts twice; methodology
    /// A.7.1). A constant responder scores 0. In [0, 1]. O(1).
    /// - Throws: `.invalidParameter` when K < 2.
    public static func normalizedShift(_ a: Int, _ b: Int, optionCount: Int) throws(StatisticsError) -> Double {
        guard optionCount >= 2 else { throw .invalidParameter("a scale needs at least 2 options") }
        return Double(abs(a - b)) / Double(optionCount - 1)
    }

    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}

/// Effect sizes exactly as RnR's released analysis code computes them (methodology A.5.2, A.5.4), kept **only** to
/// reproduce its published numbers (fixtures A.8.4). Do not report them as CultureLens results:
///
/// - `weightedMeanDifference` |w₀m₀ − w₁m₁| is not a mean difference: it is non-zero when m₀ = m₁ with unequal
///   group sizes, and half the difference with equal ones (A.7.3). Use `PairedDifference`.
/// - RnR applies both to raw, unoriented 1…L ratings (A.7.4, A.7.6). CultureLens normalises with
///   `MeanPosition.normalizedRating` and orients to the cultural pole first.
///
/// The weighted SD of condition means (A.5.5) is a sound spread on a normalised scale and lives in
/// `Descriptive.betweenGroupStandardDeviation`; `weightedConditionSD` forwards to it for symmetry.
public enum RnRCompatibility {
    /// RnR's "weighted mean difference" |w₀m₀ − w₁m₁| for exactly two conditions, w_g = n_g/N. O(n).
    /// - Throws: `.invalidParameter` unless there are exactly two conditions; `.lengthMismatch`.
    public static func weightedMeanDifference<Condition: Hashable>(
        values: [Double],
        conditions: [Condition]
    ) throws(StatisticsError) -> Double {
        try Validate.sameLength(values, conditions)
        try Validate.finite(values)
        let groups = FirstAppearanceGrouping(conditions).members
        guard groups.count == 2 else { throw .invalidParameter("expected 2 conditions, got \(groups.count)") }
        let total = Double(values.count)
        let terms = groups.map { members in
            (Double(members.count) / total) * Descriptive.plainMean(members.map { values[$0] })
        }
        return abs(terms[0] - terms[1])
    }

    /// RnR's multi-level effect size, the size-weighted SD of condition means (A.5.5).
    public static func weightedConditionSD<Condition: Hashable>(
        values: [Double],
        conditions: [Condition]
    ) throws(StatisticsError) -> Double {
        try Descriptive.betweenGroupStandardDeviation(values: values, groups: conditions)
    }
}

import Foundation

/// Descriptive statistics: mean, variance, quantiles, z-scores, and the between-group spread of condition means.
///
/// Sums use Neumaier's compensated summation so that results do not depend on the magnitude mix of the input
/// more than necessary.
public enum Descriptive {
    /// Arithmetic mean Σxᵢ/n. O(n).
    /// - Throws: `.tooFewValues` when empty, `.nonFiniteValue` on NaN or ±∞.
    public static func mean(_ values: [Double]) throws(StatisticsError) -> Double {
        try Validate.count(values, atLeast: 1)
        try Validate.finite(values)
        return sum(values) / Double(values.count)
    }

    /// Variance Σ(xᵢ − x̄)²/(n − ddof). `ddof` 0 is the population variance (NumPy's default), 1 the unbiased
    /// sample variance. O(n).
    /// - Throws: `.tooFewValues` unless n > ddof.
    public static func variance(_ values: [Double], ddof: Int = 1) throws(StatisticsError) -> Double {
        guard ddof >= 0 else { throw .invalidParameter("ddof must be ≥ 0") }
        try Validate.count(values, atLeast: ddof + 1)
        try Validate.finite(values)
        let center = sum(values) / Double(values.count)
        return sum(values.map { ($0 - center) * ($0 - center) }) / Double(values.count - ddof)
    }

    /// Standard deviation, the square root of `variance(_:ddof:)`. O(n).
    public static func standardDeviation(_ values: [Double], ddof: Int = 1) throws(StatisticsError) -> Double {
        try variance(values, ddof: ddof).squareRoot()
    }

    /// The `p`-quantile by linear interpolation between order statistics (Hyndman–Fan type 7, NumPy's and R's
    /// default): h = (n − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). O(n log n).
    public static func quantile(_ values: [Double], _ p: Double) throws(StatisticsError) -> Double {
        try Validate.count(values, atLeast: 1)
        try Validate.finite(values)
        guard p >= 0, p <= 1 else { throw .invalidParameter("quantile \(p) is not in [0, 1]") }
        return quantile(sorted: values.sorted(), p)
    }

    /// z-scores (xᵢ − x̄)/σ with the population SD (ddof 0), as scikit-learn's `StandardScaler`. A constant column
    /// maps to zeros (σ treated as 1, also as `StandardScaler`). O(n).
    public static func zScores(_ values: [Double]) throws(StatisticsError) -> [Double] {
        let center = try mean(values)
        let sd = try standardDeviation(values, ddof: 0)
        let scale = sd > 0 ? sd : 1
        return values.map { ($0 - center) / scale }
    }

    /// Size-weighted standard deviation of group means:
    /// S_w = sqrt( Σ_g w_g (m_g − Σ_h w_h m_h)² ), with w_g = n_g/N and m_g the mean of group g.
    ///
    /// This is RnR's effect size for multi-level conditions (context, scale size; methodology A.5.5). It is a fair
    /// between-condition spread **only on a common normalised scale**, e.g. (r − 1)/(L − 1): compare it with the
    /// human yardstick σ̄ only then. Groups are taken in first-appearance order. O(n).
    /// - Throws: `.tooFewValues` when empty; `.lengthMismatch` when `values` and `groups` differ in length.
    public static func betweenGroupStandardDeviation<Group: Hashable>(
        values: [Double],
        groups: [Group]
    ) throws(StatisticsError) -> Double {
        try Validate.count(values, atLeast: 1)
        try Validate.sameLength(values, groups)
        try Validate.finite(values)
        let grouping = FirstAppearanceGrouping(groups)
        let total = Double(values.count)
        let summaries = grouping.members.map { members in
            (weight: Double(members.count) / total, mean: sum(members.map { values[$0] }) / Double(members.count))
        }
        let grand = sum(summaries.map { $0.weight * $0.mean })
        let spread = sum(summaries.map { $0.weight * ($0.mean - grand) * ($0.mean - grand) })
        return max(0, spread).squareRoot()
    }

    // MARK: - Internal helpers (no validation)

    /// Neumaier-compensated sum. O(n).
    static func sum(_ values: [Double]) -> Double {
        var total = 0.0
        var compensation = 0.0
        for value in values {
            let next = total + value
            if abs(total) >= abs(value) {
                compensation += (total - next) + value
            } else {
                compensation += (value - next) + total
            }
            total = next
        }
        return total + compensation
    }

    /// Type-7 quantile of already sorted, non-empty values.
    package static func quantile(sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = h - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }

    /// Unvalidated mean.
    package static func plainMean(_ values: [Double]) -> Double { sum(values) / Double(values.count) }

    /// Unvalidated variance with `ddof`.
    static func plainVariance(_ values: [Double], ddof: Int) -> Double {
        let center = plainMean(values)
        return sum(values.map { ($0 - center) * ($0 - center) }) / Double(values.count - ddof)
    }
}

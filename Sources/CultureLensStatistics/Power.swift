import Foundation

/// Statistical power: the smallest difference a comparison can be expected to detect.
///
/// MDD = (z(1 − α/2) + z(power)) · SE: a true difference of that size is found significant (two-sided, level α) with
/// probability `power`. At α = 0.05 and 80% power the factor is 2.8016. A difference smaller than the MDD that is not
/// significant says little: the comparison could not have seen it.
public enum Power {
    /// (z(1 − α/2) + z(power)) · `standardError`. O(1).
    /// - Throws: `.invalidParameter` unless 0 < α < 1, 0 < power < 1 and the SE is finite and ≥ 0.
    public static func minimumDetectableDifference(standardError: Double, alpha: Double = 0.05, power: Double = 0.8)
        throws(StatisticsError) -> Double
    {
        guard alpha > 0, alpha < 1, power > 0, power < 1 else {
            throw .invalidParameter("alpha \(alpha) and power \(power) must lie in (0, 1)")
        }
        guard standardError.isFinite, standardError >= 0 else { throw .nonFiniteValue }
        return (try NormalDistribution.quantile(1 - alpha / 2) + NormalDistribution.quantile(power)) * standardError
    }

    /// The MDD between this accuracy and another model's on the same `n` items, answered independently:
    /// SE = √(2 p̃(1 − p̃) / n) with the Agresti–Caffo p̃ = (successes + 2) / (n + 4), so that 0 or n successes do
    /// not claim a zero variance. Correlated (paired) answers make the real MDD smaller; `compare` measures it.
    /// - Throws: `.invalidParameter` for n < 1 or successes outside 0…n.
    public static func minimumDetectableDifference(successes: Int, n: Int, alpha: Double = 0.05, power: Double = 0.8)
        throws(StatisticsError) -> Double
    {
        guard n >= 1, (0...n).contains(successes) else {
            throw .invalidParameter("\(successes) successes of \(n) is not a proportion")
        }
        let p = Double(successes + 2) / Double(n + 4)
        return try minimumDetectableDifference(
            standardError: (2 * p * (1 - p) / Double(n)).squareRoot(),
            alpha: alpha,
            power: power
        )
    }
}

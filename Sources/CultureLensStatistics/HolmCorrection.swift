/// Holm's step-down correction for m simultaneous tests; controls the family-wise error rate under any
/// dependence between the tests, and is uniformly more powerful than Bonferroni.
///
/// With p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted ascending, the adjusted values are
/// p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) p₍ⱼ₎), returned in the input order. Reject H₍ᵢ₎ when p̃₍ᵢ₎ ≤ α.
/// Ties are ordered by input position (the result does not depend on it). O(m log m).
public enum HolmCorrection {
    /// Holm-adjusted p-values, in input order.
    /// - Throws: `.invalidParameter` when a p-value is outside [0, 1].
    public static func adjustedPValues(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
        try MultipleTesting.validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, Double(m - rank) * pValues[index])
            adjusted[index] = min(1, running)
        }
        return adjusted
    }

    /// Which hypotheses Holm rejects at family-wise level `alpha`.
    public static func rejections(_ pValues: [Double], alpha: Double = 0.05) throws(StatisticsError) -> [Bool] {
        try adjustedPValues(pValues).map { $0 <= alpha }
    }
}

/// Shared validation for multiple-testing corrections.
enum MultipleTesting {
    static func validate(_ pValues: [Double]) throws(StatisticsError) {
        for p in pValues where !(p >= 0 && p <= 1) {
            throw .invalidParameter("p-value \(p) is not in [0, 1]")
        }
    }
}

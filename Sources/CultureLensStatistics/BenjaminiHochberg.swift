/// Benjamini–Hochberg step-up correction; controls the false discovery rate for independent or positively
/// dependent tests. Use it for exploratory screens (many dimensions × models × perturbations) where some false
/// positives are acceptable; use Holm when every claimed effect must hold.
///
/// With p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted values are p̃₍ᵢ₎ = min(1, min_{j ≥ i} m p₍ⱼ₎ / j), in input order.
/// O(m log m).
public enum BenjaminiHochberg {
    /// BH-adjusted p-values (q-values), in input order.
    /// - Throws: `.invalidParameter` when a p-value is outside [0, 1].
    public static func adjustedPValues(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
        try MultipleTesting.validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 1.0
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, Double(m) * pValues[index] / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Which hypotheses BH rejects at false discovery rate `q`.
    public static func rejections(_ pValues: [Double], q: Double = 0.05) throws(StatisticsError) -> [Bool] {
        try adjustedPValues(pValues).map { $0 <= q }
    }
}

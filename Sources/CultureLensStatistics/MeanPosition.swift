/// The normalised mean position of an ordinal answer distribution, and the rating normalisation that puts every
/// Likert scale on [0, 1].
public enum MeanPosition {
    /// μ = Σ_k p_k (k − 1)/(K − 1) for k = 1…K, i.e. `dot(p, linspace(0, 1, K))` (methodology A.4.1, E.2).
    ///
    /// `weights` are in canonical (ordinal) order and are normalised first, so counts are accepted. μ ∈ [0, 1];
    /// reversing the order maps μ to 1 − μ. O(K).
    /// - Throws: `.tooFewValues` when K < 2, and the errors of `Divergence.normalized(_:)`.
    public static func of(_ weights: [Double]) throws(StatisticsError) -> Double {
        try Validate.count(weights, atLeast: 2)
        let p = try Divergence.normalized(weights)
        let step = 1 / Double(p.count - 1)
        var total = 0.0
        for (index, probability) in p.enumerated() {
            total += probability * (Double(index) * step)
        }
        return total
    }

    /// Re-orders answer weights into a canonical ordinal order, dropping options that are not listed (RnR's
    /// `options_map.json`): `canonicalOrder[k]` is the index, in `weights`, of the k-th canonical option. The
    /// result is not renormalised here; `of(_:)` renormalises. O(K).
    /// - Throws: `.invalidParameter` when an index is out of range or repeated.
    public static func reordered(_ weights: [Double], canonicalOrder: [Int]) throws(StatisticsError) -> [Double] {
        var seen = Set<Int>()
        for index in canonicalOrder {
            guard weights.indices.contains(index) else {
                throw .invalidParameter("option index \(index) is out of 0..<\(weights.count)")
            }
            guard seen.insert(index).inserted else { throw .invalidParameter("option index \(index) is repeated") }
        }
        return canonicalOrder.map { weights[$0] }
    }

    /// A rating r on a 1…L scale mapped to [0, 1]: (r − 1)/(L − 1). Every effect must be in these units before it
    /// is compared with the human yardstick (methodology A.7.4).
    /// - Throws: `.invalidParameter` unless L ≥ 2 and 1 ≤ r ≤ L.
    public static func normalizedRating(_ rating: Double, scalePoints: Int) throws(StatisticsError) -> Double {
        guard scalePoints >= 2 else { throw .invalidParameter("a scale needs at least 2 points, got \(scalePoints)") }
        guard rating.isFinite, rating >= 1, rating <= Double(scalePoints) else {
            throw .invalidParameter("rating \(rating) is outside 1…\(scalePoints)")
        }
        return (rating - 1) / Double(scalePoints - 1)
    }
}

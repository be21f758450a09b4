/// Standard errors of a mean score, plain and clustered (Miller 2024, "Adding Error Bars to Evals";
/// methodology D.6).
///
/// With scores sᵢ, i = 1…n, and mean s̄:
/// - CLT: SE² = Σᵢ (sᵢ − s̄)² / (n − 1) / n.
/// - Clustered: SE_c² = SE² + (1/n²) Σ_c Σ_{i∈c} Σ_{j∈c, j≠i} (sᵢ − s̄)(sⱼ − s̄).
///   The double sum is computed as Σ_c [(Σ_{i∈c} eᵢ)² − Σ_{i∈c} eᵢ²] with eᵢ = sᵢ − s̄, so the cost is O(n).
///   With positively correlated scores inside a cluster the clustered SE is larger (Miller reports 3× on DROP);
///   with negatively correlated ones it is smaller. It never goes below zero: since (Σ_{i∈c} eᵢ)² ≥ 0 the cross
///   terms are at least −Σeᵢ², so SE_c² ≥ Σeᵢ²/(n²(n − 1)). Singleton clusters add nothing, so one observation
///   per cluster gives back the CLT SE.
public enum ClusteredStandardError {
    /// The CLT standard error of the mean, sqrt(sample variance / n).
    /// - Throws: `.tooFewValues` when n < 2.
    public static func naive(_ scores: [Double]) throws(StatisticsError) -> Double {
        try Validate.count(scores, atLeast: 2)
        try Validate.finite(scores)
        return (Descriptive.plainVariance(scores, ddof: 1) / Double(scores.count)).squareRoot()
    }

    /// The clustered standard error of the mean; `clusters[i]` labels the cluster of `scores[i]`.
    /// - Throws: `.tooFewValues` when n < 2; `.lengthMismatch`.
    public static func clustered<Cluster: Hashable>(
        _ scores: [Double],
        clusters: [Cluster]
    ) throws(StatisticsError) -> Double {
        try Validate.sameLength(scores, clusters)
        let naive = try naive(scores)
        let n = Double(scores.count)
        let center = Descriptive.plainMean(scores)
        var crossTerms = 0.0
        for members in FirstAppearanceGrouping(clusters).members where members.count > 1 {
            var sum = 0.0
            var sumOfSquares = 0.0
            for index in members {
                let residual = scores[index] - center
                sum += residual
                sumOfSquares += residual * residual
            }
            crossTerms += sum * sum - sumOfSquares
        }
        return max(0, naive * naive + crossTerms / (n * n)).squareRoot()  // max guards rounding only
    }

    /// Mean, clustered SE and normal-approximation CI.
    public static func estimate<Cluster: Hashable>(
        _ scores: [Double],
        clusters: [Cluster],
        level: Double = 0.95
    ) throws(StatisticsError) -> MeanEstimate {
        let standardError = try clustered(scores, clusters: clusters)
        return try MeanEstimate(
            n: scores.count,
            clusters: FirstAppearanceGrouping(clusters).members.count,
            mean: Descriptive.plainMean(scores),
            standardError: standardError,
            level: level
        )
    }

    /// Mean, CLT SE and normal-approximation CI (independent observations).
    public static func estimate(_ scores: [Double], level: Double = 0.95) throws(StatisticsError) -> MeanEstimate {
        let standardError = try naive(scores)
        return try MeanEstimate(
            n: scores.count,
            clusters: scores.count,
            mean: Descriptive.plainMean(scores),
            standardError: standardError,
            level: level
        )
    }
}

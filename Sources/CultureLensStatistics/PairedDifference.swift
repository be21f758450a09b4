/// A paired comparison of two conditions measured on the same units (two models, or two formats, on the same
/// questions): dᵢ = aᵢ − bᵢ (methodology D.6).
///
/// SE_d = sqrt(Var(d)/n) with the sample variance, equivalently Var(a) + Var(b) − 2Cov(a, b): pairing removes the
/// between-question variance that an unpaired comparison would carry. With clusters (e.g. several items per
/// survey module) the clustered SE of d is used instead. This is the replacement for RnR's "weighted mean
/// difference" |w₀m₀ − w₁m₁| (methodology A.7.3): the sign and size of Δ = mean(a) − mean(b) are reported as they
/// are. Cost O(n).
public struct PairedDifference: Sendable, Hashable, Codable {
    /// Number of pairs.
    public var n: Int
    /// mean(a − b) with its SE and normal-approximation CI.
    public var difference: MeanEstimate
    /// Standardised effect d_z = mean(d)/SD(d) (ddof 1); `nil` when every difference is equal (SD 0).
    public var standardizedEffect: Double?

    /// Pairs `a[i]` with `b[i]`, independent pairs.
    /// - Throws: `.lengthMismatch`; `.tooFewValues` when n < 2.
    public init(_ a: [Double], _ b: [Double], level: Double = 0.95) throws(StatisticsError) {
        try Validate.sameLength(a, b)
        let differences = zip(a, b).map { $0 - $1 }
        try self.init(
            differences: differences,
            estimate: try ClusteredStandardError.estimate(differences, level: level)
        )
    }

    /// Pairs `a[i]` with `b[i]`; pairs sharing a cluster label may be correlated.
    public init<Cluster: Hashable>(
        _ a: [Double],
        _ b: [Double],
        clusters: [Cluster],
        level: Double = 0.95
    ) throws(StatisticsError) {
        try Validate.sameLength(a, b)
        let differences = zip(a, b).map { $0 - $1 }
        try self.init(
            differences: differences,
            estimate: try ClusteredStandardError.estimate(differences, clusters: clusters, level: level)
        )
    }

    private init(differences: [Double], estimate: MeanEstimate) throws(StatisticsError) {
        n = differences.count
        difference = estimate
        let sd = Descriptive.plainVariance(differences, ddof: 1).squareRoot()
        standardizedEffect = sd > 0 ? estimate.mean / sd : nil
    }
}

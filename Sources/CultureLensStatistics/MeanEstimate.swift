/// A mean with its standard error and a normal-approximation confidence interval, mean ± z·SE.
public struct MeanEstimate: Sendable, Hashable, Codable {
    /// Number of observations.
    public var n: Int
    /// Number of clusters the SE accounts for (n when the SE is the plain CLT one).
    public var clusters: Int
    /// The mean.
    public var mean: Double
    /// Its standard error.
    public var standardError: Double
    /// mean ± z·SE with z the two-sided normal critical value for the level.
    public var interval: ConfidenceInterval

    /// Assembles an estimate; the interval is mean ± z·SE.
    public init(n: Int, clusters: Int, mean: Double, standardError: Double, level: Double = 0.95)
        throws(StatisticsError)
    {
        let z = try NormalDistribution.twoSidedCriticalValue(level: level)
        self.n = n
        self.clusters = clusters
        self.mean = mean
        self.standardError = standardError
        self.interval = ConfidenceInterval(
            estimate: mean,
            low: mean - z * standardError,
            high: mean + z * standardError,
            level: level
        )
    }
}

/// A point estimate with a two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The point estimate computed on the original data.
    public var estimate: Double
    /// Lower end.
    public var low: Double
    /// Upper end.
    public var high: Double
    /// Nominal coverage, e.g. 0.95.
    public var level: Double

    /// Creates an interval.
    public init(estimate: Double, low: Double, high: Double, level: Double) {
        self.estimate = estimate
        self.low = low
        self.high = high
        self.level = level
    }

    /// Whether `value` lies in [low, high].
    public func contains(_ value: Double) -> Bool { low <= value && value <= high }

    /// high − low.
    public var width: Double { high - low }
}

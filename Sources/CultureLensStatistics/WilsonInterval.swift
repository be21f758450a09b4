import Foundation

/// A proportion with its sample size and 95% confidence interval.
public struct Proportion: Sendable, Hashable, Codable {
    /// Successes.
    public var successes: Int
    /// Trials.
    public var n: Int
    /// successes ÷ n; 0 when n is 0.
    public var value: Double
    /// Lower end of the 95% interval.
    public var ciLow: Double
    /// Upper end of the 95% interval.
    public var ciHigh: Double

    /// The proportion with a Wilson score interval.
    public init(successes: Int, n: Int) {
        self.successes = successes
        self.n = n
        self.value = n > 0 ? Double(successes) / Double(n) : 0
        (ciLow, ciHigh) = Statistics.wilsonInterval(successes: successes, n: n)
    }
}

/// Statistical helpers.
public enum Statistics {
    /// The two-sided 97.5% standard-normal quantile.
    public static let z95 = 1.959963984540054

    /// Wilson score interval for a binomial proportion.
    ///
    /// center = (p̂ + z²/2n) / (1 + z²/n), half-width = z·sqrt(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n). Unlike the
    /// normal (Wald) interval it stays inside [0, 1] and is not degenerate at p̂ = 0 or 1. O(1).
    /// - Returns: (0, 1) when `n` is 0: nothing is known.
    public static func wilsonInterval(successes: Int, n: Int, z: Double = z95) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let nn = Double(n)
        let p = Double(successes) / nn
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let center = (p + z2 / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denominator
        return (max(0, center - half), min(1, center + half))
    }
}

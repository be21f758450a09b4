import Foundation

/// Student's t distribution with ν degrees of freedom: CDF, quantile and the small-sample interval of a mean.
///
/// Used where a mean is taken over a handful of units (e.g. the six presentation variants of a VSM-2013 index), for
/// which a normal or percentile-bootstrap interval is too narrow.
public enum StudentT {
    /// P(T ≤ t) = 1 − ½ I_x(ν/2, ½) for t ≥ 0 with x = ν/(ν + t²) (I the regularised incomplete beta), and
    /// symmetric below 0. O(1) (a continued fraction of at most 300 terms).
    /// - Throws: `.invalidParameter` unless ν > 0 and t is not NaN.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) throws(StatisticsError) -> Double {
        guard nu > 0, nu.isFinite else { throw .invalidParameter("degrees of freedom \(nu) must be positive") }
        guard !t.isNaN else { throw .nonFiniteValue }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile: bisection on ``cdf(_:degreesOfFreedom:)`` to double precision (the CDF is monotone, so
    /// bisection cannot miss). O(1).
    /// - Throws: `.invalidParameter` unless 0 < p < 1 and ν > 0.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) throws(StatisticsError) -> Double {
        guard p > 0, p < 1 else { throw .invalidParameter("probability \(p) is not in (0, 1)") }
        guard nu > 0, nu.isFinite else { throw .invalidParameter("degrees of freedom \(nu) must be positive") }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -(try quantile(1 - p, degreesOfFreedom: nu)) }
        var low = 0.0
        var high = 1.0
        while try cdf(high, degreesOfFreedom: nu) < p { high *= 2 }
        for _ in 0..<200 where high - low > 1e-15 * max(1, high) {
            let middle = (low + high) / 2
            if try cdf(middle, degreesOfFreedom: nu) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The mean of `values` with the t interval mean ± t(1 − α/2, n − 1)·s/√n, n = `values.count`.
    /// - Throws: `.tooFewValues` for fewer than two values; `.nonFiniteValue`; `.invalidParameter` for a level
    ///   outside (0, 1).
    public static func meanInterval(_ values: [Double], level: Double = 0.95) throws(StatisticsError)
        -> ConfidenceInterval
    {
        guard values.count >= 2 else { throw .tooFewValues(required: 2, actual: values.count) }
        guard level > 0, level < 1 else { throw .invalidParameter("level \(level) is not in (0, 1)") }
        try Validate.finite(values)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = try quantile(1 - (1 - level) / 2, degreesOfFreedom: n - 1) * (variance / n).squareRoot()
        return ConfidenceInterval(estimate: mean, low: mean - half, high: mean + half, level: level)
    }

    /// I_x(a, b) by the continued fraction of the incomplete beta (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a)
        }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var fraction = d
        for m in 1...300 {
            let m = Double(m)
            // The even and odd terms of the fraction, one pair per iteration.
            for numerator in [
                m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
            ] {
                d = 1 + numerator * d
                if abs(d) < tiny { d = tiny }
                c = 1 + numerator / c
                if abs(c) < tiny { c = tiny }
                d = 1 / d
                fraction *= d * c
            }
            if abs(d * c - 1) < 1e-16 { break }
        }
        return exp(logFront) * fraction / a
    }
}

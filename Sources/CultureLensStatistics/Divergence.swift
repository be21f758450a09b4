import Foundation

/// The logarithm base of an information quantity.
public enum LogBase: Sendable, Hashable, Codable {
    /// Natural logarithm (nats). SciPy's default: JS distance ∈ [0, √ln 2 ≈ 0.8326].
    case e
    /// Base 2 (bits): JS divergence and distance ∈ [0, 1].
    case two

    /// log_base(x).
    func log(_ x: Double) -> Double {
        switch self {
        case .e: Foundation.log(x)
        case .two: log2(x)
        }
    }

    /// log_b 2, the largest possible Jensen–Shannon divergence in this base (ln 2 in nats, 1 in bits).
    public var maximumJensenShannonDivergence: Double {
        switch self {
        case .e: M_LN2
        case .two: 1
        }
    }
}

/// Divergences and distances between discrete distributions, and the alignment similarities built on them.
///
/// Every function first normalises its inputs to sum 1 (so raw counts are accepted), after checking that they are
/// finite, non-negative, of equal length and not all zero. Terms with pᵢ = 0 contribute 0 (0·log 0 = 0).
/// All functions are O(K) for K options.
public enum Divergence {
    /// `weights` divided by their sum.
    /// - Throws: `.tooFewValues` when empty, `.nonFiniteValue`, `.negativeWeight`, `.zeroMass`.
    public static func normalized(_ weights: [Double]) throws(StatisticsError) -> [Double] {
        try Validate.count(weights, atLeast: 1)
        try Validate.finite(weights)
        for weight in weights where weight < 0 { throw .negativeWeight }
        let total = Descriptive.sum(weights)
        guard total > 0 else { throw .zeroMass }
        return weights.map { $0 / total }
    }

    /// Kullback–Leibler divergence KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ).
    /// - Returns: +∞ when some qᵢ = 0 < pᵢ.
    public static func kullbackLeibler(
        _ p: [Double],
        _ q: [Double],
        base: LogBase = .e
    ) throws(StatisticsError) -> Double {
        try Validate.sameLength(p, q)
        let (p, q) = (try normalized(p), try normalized(q))
        return relativeEntropy(p, q, base: base)
    }

    /// Jensen–Shannon divergence JSD(P,Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q). Symmetric, in [0, log_b 2]
    /// (so [0, ln 2] in nats and [0, 1] in bits), 0 iff P = Q.
    public static func jensenShannonDivergence(
        _ p: [Double],
        _ q: [Double],
        base: LogBase = .e
    ) throws(StatisticsError) -> Double {
        try Validate.sameLength(p, q)
        let (p, q) = (try normalized(p), try normalized(q))
        let m = zip(p, q).map { ($0 + $1) / 2 }
        let value = (relativeEntropy(p, m, base: base) + relativeEntropy(q, m, base: base)) / 2
        return min(max(0, value), base.maximumJensenShannonDivergence)
    }

    /// Jensen–Shannon distance JD(P,Q) = √JSD(P,Q), a metric. This is what SciPy's
    /// `scipy.spatial.distance.jensenshannon` returns (natural log unless `base` is given).
    public static func jensenShannonDistance(
        _ p: [Double],
        _ q: [Double],
        base: LogBase = .e
    ) throws(StatisticsError) -> Double {
        try jensenShannonDivergence(p, q, base: base).squareRoot()
    }

    /// Survey-alignment similarity of one question, 1 − JD(P_model, P_country) (Durmus et al. 2023; methodology
    /// B). Averaging it over questions gives S_{m,c}; the base is not a monotone transform after averaging, so
    /// always report which base was used. In [1 − √ln 2, 1] for base e, [0, 1] for base 2.
    public static func jensenShannonSimilarity(
        _ p: [Double],
        _ q: [Double],
        base: LogBase = .e
    ) throws(StatisticsError) -> Double {
        1 - (try jensenShannonDistance(p, q, base: base))
    }

    /// 1-Wasserstein (earth mover's) distance between two distributions on the ordinal positions 0…K−1:
    /// W₁ = Σ_{k<K−1} |F_P(k) − F_Q(k)| with F the cumulative distribution. In [0, K − 1].
    public static func wasserstein1(_ p: [Double], _ q: [Double]) throws(StatisticsError) -> Double {
        try Validate.sameLength(p, q)
        let (p, q) = (try normalized(p), try normalized(q))
        var cumulativeP = 0.0
        var cumulativeQ = 0.0
        var total = 0.0
        for index in 0..<(p.count - 1) {
            cumulativeP += p[index]
            cumulativeQ += q[index]
            total += abs(cumulativeP - cumulativeQ)
        }
        return total
    }

    /// Ordinal alignment similarity 1 − W₁(P,Q)/(K − 1) (OpinionQA, Santurkar et al. 2023): use it for ordered
    /// answer scales, JSD for nominal ones. In [0, 1].
    /// - Throws: `.tooFewValues` when K < 2.
    public static func ordinalSimilarity(_ p: [Double], _ q: [Double]) throws(StatisticsError) -> Double {
        try Validate.count(p, atLeast: 2)
        return 1 - (try wasserstein1(p, q)) / Double(p.count - 1)
    }

    /// Σ pᵢ log(pᵢ/qᵢ) on normalised inputs.
    static func relativeEntropy(_ p: [Double], _ q: [Double], base: LogBase) -> Double {
        var total = 0.0
        for (pi, qi) in zip(p, q) where pi > 0 {
            if qi <= 0 { return .infinity }
            total += pi * base.log(pi / qi)
        }
        return total
    }
}

import Foundation

/// One presentation of an item: the model's probabilities by shown position and which content sat where.
public struct OrderedDistribution: Sendable, Hashable, Codable {
    /// Probabilities by shown position (normalised when used).
    public var probabilities: [Double]
    /// `order[j]` is the canonical index of the content shown at position j (a permutation of 0..<K).
    public var order: [Int]

    /// Creates a presentation.
    public init(probabilities: [Double], order: [Int]) {
        self.probabilities = probabilities
        self.order = order
    }
}

/// Positional (option-order) bias of one item asked under several orderings (Dominguez-Olmedo et al. 2024;
/// methodology D.4): the positional distribution, the A-bias, and the order-adjusted distribution over contents.
/// All O(R·K) for R presentations of K options.
public enum PositionBias {
    /// The positional distribution mean_r p_r: average probability by shown position, whatever the content.
    /// - Throws: `.tooFewValues` when empty; `.lengthMismatch` when presentations differ in K.
    public static func positionalDistribution(_ presentations: [[Double]]) throws(StatisticsError) -> [Double] {
        try Validate.count(presentations, atLeast: 1)
        let k = presentations[0].count
        var mean = [Double](repeating: 0, count: k)
        for presentation in presentations {
            try Validate.sameLength(mean, presentation)
            for (index, probability) in try Divergence.normalized(presentation).enumerated() {
                mean[index] += probability / Double(presentations.count)
            }
        }
        return mean
    }

    /// A-bias = mean_r p_r[0] − 1/K: probability on the first shown position beyond uniform. In [−1/K, 1 − 1/K]
    /// ("never A" to "always A"). Meaningful when the orderings balance contents over positions (random or cyclic
    /// permutations).
    public static func aBias(_ presentations: [[Double]]) throws(StatisticsError) -> Double {
        let positional = try positionalDistribution(presentations)
        return positional[0] - 1 / Double(positional.count)
    }

    /// The order-adjusted distribution over contents, p_adj[c] = mean_r p_r[pos_r(c)]: each presentation's
    /// probabilities are mapped back to canonical contents, then averaged.
    /// - Throws: `.invalidParameter` when an `order` is not a permutation of 0..<K.
    public static func orderAdjusted(_ presentations: [OrderedDistribution]) throws(StatisticsError) -> [Double] {
        try Validate.count(presentations, atLeast: 1)
        let k = presentations[0].probabilities.count
        var adjusted = [Double](repeating: 0, count: k)
        for presentation in presentations {
            try Validate.sameLength(adjusted, presentation.probabilities)
            guard presentation.order.count == k, Set(presentation.order) == Set(0..<k) else {
                throw .invalidParameter("order \(presentation.order) is not a permutation of 0..<\(k)")
            }
            let probabilities = try Divergence.normalized(presentation.probabilities)
            for (position, content) in presentation.order.enumerated() {
                adjusted[content] += probabilities[position] / Double(presentations.count)
            }
        }
        return adjusted
    }

    /// Normalised entropy H(p)/log K ∈ [0, 1]: 1 for a uniform distribution, 0 for a point mass.
    /// - Throws: `.tooFewValues` when K < 2.
    public static func normalizedEntropy(_ distribution: [Double]) throws(StatisticsError) -> Double {
        try Validate.count(distribution, atLeast: 2)
        let p = try Divergence.normalized(distribution)
        var entropy = 0.0
        for value in p where value > 0 { entropy -= value * log(value) }
        return entropy / log(Double(p.count))
    }
}

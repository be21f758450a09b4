import Foundation

/// PriDe: debiasing multiple-choice answers by estimating the model's prior over option positions (Zheng et al.,
/// ICLR 2024; methodology D.1).
///
/// Estimation: an item is shown under its K cyclic permutations; under shift s, position i shows the content
/// with canonical index (i + s) mod K (see `cyclicOrder(shift:count:)`). With P̂_s the normalised probabilities by
/// position under shift s, the item's prior is prior[i] = softmax_i( (1/K) Σ_s log P̂_s[i] ). Because every content
/// visits every position once, the content terms of log P̂ average to the same constant at every position and
/// cancel in the softmax: if P̂_s[i] ∝ prior[i]·c[(i + s) mod K], the estimate is exactly `prior`. The prior of a
/// set of estimation items is the mean of their item priors.
///
/// Debiasing: score_i = log P_obs[i] − log prior[i], prediction = argmax_i score_i; the debiased distribution is
/// softmax(score), i.e. P_obs/prior renormalised. Probabilities are floored at `floor` before the logarithm so a
/// zero never produces −∞.
public enum PriDe {
    /// The default floor applied to probabilities before taking logarithms.
    public static let defaultFloor = 1e-12

    /// Canonical content index at each position under cyclic shift `shift`: [(0 + s) mod K, …, (K − 1 + s) mod K].
    public static func cyclicOrder(shift: Int, count: Int) -> [Int] {
        (0..<count).map { (($0 + shift) % count + count) % count }
    }

    /// One item's positional prior from its K cyclic presentations; `observations[s]` are the probabilities by
    /// position under shift s. O(K²).
    /// - Throws: `.invalidParameter` unless there are exactly K presentations of K ≥ 2 options.
    public static func itemPrior(
        cyclicObservations observations: [[Double]],
        floor: Double = defaultFloor
    ) throws(StatisticsError) -> [Double] {
        let k = try validateCyclic(observations)
        var meanLog = [Double](repeating: 0, count: k)
        for observation in observations {
            for (position, probability) in try Divergence.normalized(observation).enumerated() {
                meanLog[position] += log(max(probability, floor)) / Double(k)
            }
        }
        return softmax(meanLog)
    }

    /// The prior of a set of estimation items: the mean of their item priors. O(items·K²).
    /// - Throws: `.tooFewValues` when there is no item; `.lengthMismatch` when items differ in K.
    public static func prior(
        estimationItems: [[[Double]]],
        floor: Double = defaultFloor
    ) throws(StatisticsError) -> [Double] {
        try Validate.count(estimationItems, atLeast: 1)
        var mean: [Double] = []
        for item in estimationItems {
            let itemPrior = try itemPrior(cyclicObservations: item, floor: floor)
            if mean.isEmpty { mean = [Double](repeating: 0, count: itemPrior.count) }
            try Validate.sameLength(mean, itemPrior)
            for (index, value) in itemPrior.enumerated() { mean[index] += value / Double(estimationItems.count) }
        }
        return mean
    }

    /// Debiased scores log P_obs[i] − log prior[i] by position. O(K).
    public static func debiasedScores(
        observed: [Double],
        prior: [Double],
        floor: Double = defaultFloor
    ) throws(StatisticsError) -> [Double] {
        try Validate.sameLength(observed, prior)
        let (p, q) = (try Divergence.normalized(observed), try Divergence.normalized(prior))
        return zip(p, q).map { log(max($0, floor)) - log(max($1, floor)) }
    }

    /// The debiased distribution by position, softmax of `debiasedScores`. O(K).
    public static func debiased(
        observed: [Double],
        prior: [Double],
        floor: Double = defaultFloor
    ) throws(StatisticsError) -> [Double] {
        softmax(try debiasedScores(observed: observed, prior: prior, floor: floor))
    }

    /// The debiased prediction: the position with the highest debiased score (first on ties). O(K).
    public static func debiasedPrediction(
        observed: [Double],
        prior: [Double],
        floor: Double = defaultFloor
    ) throws(StatisticsError) -> Int {
        VariantRobustness.argmax(try debiasedScores(observed: observed, prior: prior, floor: floor))
    }

    /// For an estimation item, each content's probability averaged over its K cyclic presentations, indexed by
    /// canonical content (PriDe's answer for the items it spent on estimation). O(K²).
    public static func permutationAveraged(cyclicObservations observations: [[Double]]) throws(StatisticsError)
        -> [Double]
    {
        let k = try validateCyclic(observations)
        return try PositionBias.orderAdjusted(
            observations.enumerated().map { shift, probabilities in
                OrderedDistribution(probabilities: probabilities, order: cyclicOrder(shift: shift, count: k))
            }
        )
    }

    /// exp(x − max x) / Σ exp(x − max x).
    static func softmax(_ values: [Double]) -> [Double] {
        let top = values.max() ?? 0
        let exponentials = values.map { exp($0 - top) }
        let total = Descriptive.sum(exponentials)
        return exponentials.map { $0 / total }
    }

    private static func validateCyclic(_ observations: [[Double]]) throws(StatisticsError) -> Int {
        let k = observations.count
        guard k >= 2 else { throw .invalidParameter("PriDe needs K ≥ 2 cyclic presentations, got \(k)") }
        for observation in observations where observation.count != k {
            throw .invalidParameter(
                "expected K = \(k) presentations of \(k) options, got one with \(observation.count)"
            )
        }
        return k
    }
}

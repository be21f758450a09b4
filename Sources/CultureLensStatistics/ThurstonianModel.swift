import Foundation

/// Thurstonian utilities from pairwise forced choices (Utility Engineering, Mazeika et al. 2025): each option i has a
/// utility distribution N(μᵢ, σᵢ²), and P(a ≻ b) = Φ((μa − μb) / √(σa² + σb² + 10⁻⁵)).
///
/// Fitted by maximum likelihood: the binary cross-entropy between each observed preference probability and the
/// model's, minimised with Adam on the full batch (σ² parametrised as exp(s), so it stays positive), then μ
/// normalised to mean 0 and SD 1 with σ² scaled by the same factor. Deterministic: no random start (all μ = 0,
/// σ² = 1), so the same data give the same utilities bit for bit. O(epochs · comparisons).
public struct ThurstonianModel: Sendable, Hashable, Codable {
    /// One observed comparison: the probability that option `a` is preferred to option `b` (e.g. the share of
    /// samples choosing `a`, averaged over both presentation orders).
    public struct Comparison: Sendable, Hashable, Codable {
        /// Index of the first option.
        public var a: Int
        /// Index of the second option.
        public var b: Int
        /// Observed P(a ≻ b), in [0, 1].
        public var probability: Double

        /// Creates a comparison.
        public init(a: Int, b: Int, probability: Double) {
            self.a = a
            self.b = b
            self.probability = probability
        }
    }

    /// How well a model predicts comparisons it may not have seen.
    public struct Evaluation: Sendable, Hashable, Codable {
        /// Comparisons evaluated.
        public var n: Int
        /// Share whose side of ½ the model gets right (ties at exactly ½ in the data are left out of it); `nil` when
        /// every comparison is a tie.
        public var accuracy: Double?
        /// Mean binary cross-entropy, in nats; `nil` without comparisons.
        public var logLoss: Double?
    }

    /// Utility means, normalised to mean 0 and SD 1 (population SD).
    public var means: [Double]
    /// Utility variances, on the normalised scale.
    public var variances: [Double]
    /// Mean binary cross-entropy on the fitted comparisons at the end.
    public var trainingLoss: Double

    /// A model with given utilities (e.g. planted ones, to compare a fit against).
    public init(means: [Double], variances: [Double], trainingLoss: Double) {
        self.means = means
        self.variances = variances
        self.trainingLoss = trainingLoss
    }

    /// The additive constant in the denominator that keeps two near-certain options from dividing by zero.
    static let varianceFloor = 1e-5

    /// P(a ≻ b) under the model.
    public func probability(_ a: Int, over b: Int) -> Double {
        NormalDistribution.cdf((means[a] - means[b]) / (variances[a] + variances[b] + Self.varianceFloor).squareRoot())
    }

    /// Fits the model to `comparisons` over options `0..<optionCount`.
    /// - Throws: `.invalidParameter` for an option index out of range, a pair of an option with itself, a
    ///   probability outside [0, 1], fewer than two options or no comparisons.
    public static func fit(
        optionCount: Int,
        comparisons: [Comparison],
        epochs: Int = 1000,
        learningRate: Double = 0.01
    ) throws(StatisticsError) -> ThurstonianModel {
        guard optionCount >= 2 else { throw .invalidParameter("needs at least two options, got \(optionCount)") }
        guard !comparisons.isEmpty else { throw .tooFewValues(required: 1, actual: 0) }
        for comparison in comparisons {
            guard (0..<optionCount).contains(comparison.a), (0..<optionCount).contains(comparison.b),
                comparison.a != comparison.b
            else { throw .invalidParameter("comparison \(comparison.a) vs \(comparison.b) is not a pair of options") }
            guard comparison.probability >= 0, comparison.probability <= 1 else {
                throw .invalidParameter("probability \(comparison.probability) is not in [0, 1]")
            }
        }
        // Parameters: μ (n) then s = log σ² (n); Adam state alongside.
        let n = optionCount
        var parameters = [Double](repeating: 0, count: 2 * n)
        var firstMoment = [Double](repeating: 0, count: 2 * n)
        var secondMoment = [Double](repeating: 0, count: 2 * n)
        let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8)
        var loss = 0.0
        for epoch in 1...max(1, epochs) {
            var gradient = [Double](repeating: 0, count: 2 * n)
            loss = 0
            for comparison in comparisons {
                let (a, b, p) = (comparison.a, comparison.b, comparison.probability)
                let (varianceA, varianceB) = (exp(parameters[n + a]), exp(parameters[n + b]))
                let spread = (varianceA + varianceB + varianceFloor).squareRoot()
                let z = (parameters[a] - parameters[b]) / spread
                let q = min(max(NormalDistribution.cdf(z), 1e-12), 1 - 1e-12)
                loss -= p * log(q) + (1 - p) * log(1 - q)
                // dL/dz = dL/dq · φ(z), with dL/dq = (q − p) / (q(1 − q)).
                let dz = (q - p) / (q * (1 - q)) * NormalDistribution.density(z)
                gradient[a] += dz / spread
                gradient[b] -= dz / spread
                // dz/dσ² = −z / (2 · spread²); dσ²/ds = σ².
                let dVariance = -dz * z / (2 * spread * spread)
                gradient[n + a] += dVariance * varianceA
                gradient[n + b] += dVariance * varianceB
            }
            let count = Double(comparisons.count)
            loss /= count
            let correction1 = 1 - pow(beta1, Double(epoch))
            let correction2 = 1 - pow(beta2, Double(epoch))
            for index in parameters.indices {
                let g = gradient[index] / count
                firstMoment[index] = beta1 * firstMoment[index] + (1 - beta1) * g
                secondMoment[index] = beta2 * secondMoment[index] + (1 - beta2) * g * g
                let step =
                    (firstMoment[index] / correction1) / ((secondMoment[index] / correction2).squareRoot() + epsilon)
                parameters[index] -= learningRate * step
            }
        }
        let rawMeans = Array(parameters[0..<n])
        let center = rawMeans.reduce(0, +) / Double(n)
        let sd = (rawMeans.map { ($0 - center) * ($0 - center) }.reduce(0, +) / Double(n)).squareRoot()
        let factor = sd > 0 ? 1 / sd : 1
        return ThurstonianModel(
            means: rawMeans.map { ($0 - center) * factor },
            variances: parameters[n...].map { exp($0) * factor * factor },
            trainingLoss: loss
        )
    }

    /// Accuracy and log loss of the model on `comparisons` (e.g. a held-out share of the pairs).
    public func evaluate(_ comparisons: [Comparison]) -> Evaluation {
        var (correct, decided, loss) = (0, 0, 0.0)
        for comparison in comparisons {
            let q = min(max(probability(comparison.a, over: comparison.b), 1e-12), 1 - 1e-12)
            let p = comparison.probability
            loss -= p * log(q) + (1 - p) * log(1 - q)
            if p != 0.5 {
                decided += 1
                if (q > 0.5) == (p > 0.5) { correct += 1 }
            }
        }
        return Evaluation(
            n: comparisons.count,
            accuracy: decided > 0 ? Double(correct) / Double(decided) : nil,
            logLoss: comparisons.isEmpty ? nil : loss / Double(comparisons.count)
        )
    }

    /// Transitivity of the observed majority preferences: of the triads whose three pairs were all compared (and
    /// none tied at ½), how many form a cycle (a ≻ b ≻ c ≻ a). Coherent preferences have few.
    public static func triads(optionCount: Int, comparisons: [Comparison]) -> (triads: Int, cyclic: Int) {
        var (triads, cyclic) = (0, 0)
        forEachComparedTriad(optionCount: optionCount, comparisons: comparisons) { _, _, _, ij, jk, ik in
            // A tied pair prefers neither way: the triad has no majority cycle to count.
            guard ij != 0.5, jk != 0.5, ik != 0.5 else { return }
            triads += 1
            // i<j<k: a cycle is i≻j≻k≻i or its reverse.
            let (prefersIJ, prefersJK, prefersIK) = (ij > 0.5, jk > 0.5, ik > 0.5)
            if (prefersIJ && prefersJK && !prefersIK) || (!prefersIJ && !prefersJK && prefersIK) { cyclic += 1 }
        }
        return (triads, cyclic)
    }

    /// The share of cyclic triads this model expects over the triads whose three pairs were all compared (ties
    /// included): the mean of P(i≻j, j≻k, k≻i) + P(j≻i, k≻j, i≻k) with the model's pairwise probabilities; `nil`
    /// without such a triad.
    public func expectedCyclicShare(optionCount: Int, comparisons: [Comparison]) -> Double? {
        var (total, count) = (0.0, 0)
        Self.forEachComparedTriad(optionCount: optionCount, comparisons: comparisons) { i, j, k, _, _, _ in
            let (ij, jk, ki) = (probability(i, over: j), probability(j, over: k), probability(k, over: i))
            total += ij * jk * ki + (1 - ij) * (1 - jk) * (1 - ki)
            count += 1
        }
        return count > 0 ? total / Double(count) : nil
    }

    /// Calls `body` for each triad i < j < k whose three pairs were all compared, in that order, with the data's
    /// mean preference for the lower index of each pair (ij, jk, ik).
    private static func forEachComparedTriad(
        optionCount: Int,
        comparisons: [Comparison],
        _ body: (Int, Int, Int, Double, Double, Double) -> Void
    ) {
        var sums: [Int: (Double, Int)] = [:]
        for comparison in comparisons where comparison.a != comparison.b {
            let (low, high) = (min(comparison.a, comparison.b), max(comparison.a, comparison.b))
            let share = comparison.a == low ? comparison.probability : 1 - comparison.probability
            let key = low * optionCount + high
            let current = sums[key] ?? (0, 0)
            sums[key] = (current.0 + share, current.1 + 1)
        }
        func preference(_ low: Int, _ high: Int) -> Double? {
            sums[low * optionCount + high].map { $0.0 / Double($0.1) }
        }
        for i in 0..<optionCount {
            for j in (i + 1)..<optionCount {
                guard let ij = preference(i, j) else { continue }
                for k in (j + 1)..<optionCount {
                    guard let jk = preference(j, k), let ik = preference(i, k) else { continue }
                    body(i, j, k, ij, jk, ik)
                }
            }
        }
    }
}

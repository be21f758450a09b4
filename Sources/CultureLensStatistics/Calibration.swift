import Foundation

/// How well a model's confidence matches its accuracy: the expected calibration error over equal-width confidence
/// bins (Guo et al. 2017) with a seeded bootstrap interval over items, and the bins of a reliability diagram.
///
/// ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|, b over `binCount` bins [0, 1/B), …, [(B−1)/B, 1];
/// empty bins contribute nothing. 0 is perfect calibration; ECE is biased upward at small n (a perfectly calibrated
/// model still shows sampling noise in each bin), so it is read with its n.
public struct Calibration: Sendable, Hashable, Codable {
    /// One confidence bin.
    public struct Bin: Sendable, Hashable, Codable {
        /// Lower edge.
        public var low: Double
        /// Upper edge.
        public var high: Double
        /// Answers in the bin.
        public var n: Int
        /// Mean confidence of those answers, `nil` when empty.
        public var meanConfidence: Double?
        /// Share of them that are right, `nil` when empty.
        public var accuracy: Double?
    }

    /// Answers.
    public var n: Int
    /// The bins, lowest first.
    public var bins: [Bin]
    /// The expected calibration error.
    public var ece: Double
    /// Lower end of the 95% percentile-bootstrap interval (resampling answers); `nil` below `minimumN` answers.
    public var ciLow: Double?
    /// Upper end.
    public var ciHigh: Double?
    /// Mean confidence minus accuracy: positive when over-confident.
    public var overconfidence: Double

    /// Fewest answers for an interval.
    public static let minimumN = 10

    /// Calibration of answers with confidence `confidences[i]` ∈ [0, 1] that are right when `correct[i]`.
    /// - Throws: `.lengthMismatch`, `.tooFewValues` for none, `.invalidParameter` for a confidence outside [0, 1].
    public init(
        confidences: [Double],
        correct: [Bool],
        binCount: Int = 10,
        replicates: Int = 1000,
        seed: UInt64 = 20_171_101
    ) throws(StatisticsError) {
        guard confidences.count == correct.count else {
            throw .lengthMismatch(expected: confidences.count, actual: correct.count)
        }
        try Validate.count(confidences, atLeast: 1)
        try Validate.positive(binCount, "binCount")
        guard confidences.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalidParameter("confidences must lie in [0, 1]")
        }
        let bins = confidences.map { min(Int($0 * Double(binCount)), binCount - 1) }
        func error(_ indices: [Int]) -> Double {
            var count = [Int](repeating: 0, count: binCount)
            var confidence = [Double](repeating: 0, count: binCount)
            var right = [Double](repeating: 0, count: binCount)
            for index in indices {
                count[bins[index]] += 1
                confidence[bins[index]] += confidences[index]
                right[bins[index]] += correct[index] ? 1 : 0
            }
            return (0..<binCount).reduce(0) { total, bin in
                count[bin] == 0 ? total : total + abs(right[bin] - confidence[bin]) / Double(indices.count)
            }
        }
        let all = Array(confidences.indices)
        n = confidences.count
        ece = error(all)
        overconfidence =
            (confidences.reduce(0, +) - Double(correct.filter { $0 }.count)) / Double(confidences.count)
        self.bins = (0..<binCount).map { bin in
            let members = all.filter { bins[$0] == bin }
            return Bin(
                low: Double(bin) / Double(binCount),
                high: Double(bin + 1) / Double(binCount),
                n: members.count,
                meanConfidence: members.isEmpty
                    ? nil : members.map { confidences[$0] }.reduce(0, +) / Double(members.count),
                accuracy: members.isEmpty ? nil : Double(members.filter { correct[$0] }.count) / Double(members.count)
            )
        }
        if n >= Self.minimumN {
            var generator = SplitMix64(seed: seed)
            let result = try Bootstrap.percentile(
                all.map(Double.init),
                replicates: replicates,
                using: &generator
            ) { sample in error(sample.map { Int($0) }) }
            ciLow = result.interval.low
            ciHigh = result.interval.high
        }
    }
}

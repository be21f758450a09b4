/// The outcome of a bootstrap: the percentile interval and the replicate statistics it came from.
public struct BootstrapResult: Sendable, Hashable, Codable {
    /// Point estimate (the statistic on the original data) and the percentile interval.
    public var interval: ConfidenceInterval
    /// The finite replicate statistics, in the order they were drawn (bit-identical for a given seed).
    public var replicates: [Double]
    /// The bootstrap standard error: the sample SD (ddof 1) of `replicates`; 0 with a single replicate.
    public var standardError: Double
    /// Replicates whose statistic was undefined (NaN or ±∞, e.g. a crossed resample that drew only missing cells).
    /// They are reported, not silently replaced.
    public var discardedReplicates: Int
}

/// Percentile bootstrap confidence intervals: i.i.d., cluster, and crossed (two-way).
///
/// Which one to use (see docs/statistics.md):
/// - `mean`/`percentile`: independent observations only (e.g. one score per question, questions unrelated).
/// - `clusterMean`/`cluster`: observations grouped in clusters that may be correlated (several items from one
///   survey module, several trials of one prompt, all variants of one question). Clusters are resampled whole.
/// - `crossedMean`/`crossed`: a matrix whose rows and columns are both random samples (country × question).
///   Rows and columns are resampled independently (Miller 2024; methodology D.6).
///
/// The interval is the percentile interval [Q(α/2), Q(1 − α/2)] of the finite replicate statistics with type-7
/// quantiles, α = 1 − level. Each replicate costs one evaluation of the statistic on a resample, so the total
/// cost is O(B·n) for B replicates of n observations (O(B·R·C) for an R × C crossed matrix).
///
/// Errors: `.undefined` when the statistic is not finite on the original data or on every replicate.
///
/// Determinism: all draws come from the generator passed in (or `SplitMix64(seed:)`) through fixed algorithms,
/// so the same seed gives bit-identical replicates on every platform.
public enum Bootstrap {
    /// The default number of replicates.
    public static let defaultReplicates = 2000

    // MARK: - i.i.d.

    /// Percentile bootstrap CI of the mean of independent observations.
    /// - Throws: `.tooFewValues` when empty; `.invalidParameter` for a bad level or replicate count.
    public static func mean(
        _ values: [Double],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        seed: UInt64
    ) throws(StatisticsError) -> BootstrapResult {
        var generator = SplitMix64(seed: seed)
        return try mean(values, replicates: replicates, level: level, using: &generator)
    }

    /// Percentile bootstrap CI of the mean of independent observations, drawing from `generator`.
    public static func mean(
        _ values: [Double],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> BootstrapResult {
        try percentile(values, replicates: replicates, level: level, using: &generator) {
            Descriptive.plainMean($0)
        }
    }

    /// Percentile bootstrap CI of any statistic of independent observations: each replicate draws n values with
    /// replacement and evaluates `statistic` on them.
    public static func percentile(
        _ values: [Double],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator,
        statistic: ([Double]) -> Double
    ) throws(StatisticsError) -> BootstrapResult {
        try Validate.count(values, atLeast: 1)
        try Validate.finite(values)
        try Validate.positive(replicates, "replicates")
        try Validate.level(level)
        let estimate = statistic(values)
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        var resample = [Double](repeating: 0, count: values.count)
        for _ in 0..<replicates {
            for index in resample.indices {
                resample[index] = values[generator.uniformIndex(below: values.count)]
            }
            draws.append(statistic(resample))
        }
        return try summarize(estimate: estimate, draws: draws, level: level)
    }

    // MARK: - Cluster

    /// Cluster bootstrap CI of the overall mean: resample whole clusters with replacement (as many as there are),
    /// pool their observations, take the mean. Clusters are identified by equal labels, in first-appearance order.
    /// - Throws: `.lengthMismatch` when `values` and `clusters` differ in length.
    public static func clusterMean<Cluster: Hashable>(
        values: [Double],
        clusters: [Cluster],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        seed: UInt64
    ) throws(StatisticsError) -> BootstrapResult {
        var generator = SplitMix64(seed: seed)
        return try clusterMean(
            values: values,
            clusters: clusters,
            replicates: replicates,
            level: level,
            using: &generator
        )
    }

    /// Cluster bootstrap CI of the overall mean, drawing from `generator`.
    public static func clusterMean<Cluster: Hashable>(
        values: [Double],
        clusters: [Cluster],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> BootstrapResult {
        try cluster(values: values, clusters: clusters, replicates: replicates, level: level, using: &generator) {
            groups in
            var total = 0.0
            var count = 0
            for group in groups {
                total += Descriptive.sum(group)
                count += group.count
            }
            return total / Double(count)
        }
    }

    /// Cluster bootstrap CI of any statistic. `statistic` receives the observations grouped by cluster (the
    /// original grouping for the estimate; the drawn clusters, repeats included, for each replicate).
    public static func cluster<Cluster: Hashable>(
        values: [Double],
        clusters: [Cluster],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator,
        statistic: ([[Double]]) -> Double
    ) throws(StatisticsError) -> BootstrapResult {
        try Validate.count(values, atLeast: 1)
        try Validate.sameLength(values, clusters)
        try Validate.finite(values)
        try Validate.positive(replicates, "replicates")
        try Validate.level(level)
        let groups = FirstAppearanceGrouping(clusters).members.map { $0.map { values[$0] } }
        let estimate = statistic(groups)
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        var resample: [[Double]] = Array(repeating: [], count: groups.count)
        for _ in 0..<replicates {
            for index in resample.indices {
                resample[index] = groups[generator.uniformIndex(below: groups.count)]
            }
            draws.append(statistic(resample))
        }
        return try summarize(estimate: estimate, draws: draws, level: level)
    }

    // MARK: - Crossed (two-way)

    /// Crossed bootstrap CI of the grand mean of a rows × columns matrix (e.g. countries × questions) with missing
    /// cells as `nil`: each replicate draws R rows and C columns independently with replacement and averages the
    /// present cells of the resulting R × C matrix.
    /// - Throws: `.tooFewValues` when the matrix has no present cell; `.invalidParameter` when rows differ in
    ///   length.
    public static func crossedMean(
        _ matrix: [[Double?]],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        seed: UInt64
    ) throws(StatisticsError) -> BootstrapResult {
        var generator = SplitMix64(seed: seed)
        return try crossedMean(matrix, replicates: replicates, level: level, using: &generator)
    }

    /// Crossed bootstrap CI of the grand mean, drawing from `generator`.
    public static func crossedMean(
        _ matrix: [[Double?]],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> BootstrapResult {
        try crossed(matrix, replicates: replicates, level: level, using: &generator) { resampled in
            var total = 0.0
            var count = 0
            for row in resampled {
                for case let cell? in row {
                    total += cell
                    count += 1
                }
            }
            return count > 0 ? total / Double(count) : .nan
        }
    }

    /// Crossed bootstrap CI of any statistic of a rows × columns matrix. `statistic` receives the resampled matrix
    /// (the original for the estimate); it may return NaN when undefined, and such replicates are discarded and
    /// counted.
    public static func crossed(
        _ matrix: [[Double?]],
        replicates: Int = defaultReplicates,
        level: Double = 0.95,
        using generator: inout some RandomNumberGenerator,
        statistic: ([[Double?]]) -> Double
    ) throws(StatisticsError) -> BootstrapResult {
        try Validate.count(matrix, atLeast: 1)
        let columns = matrix[0].count
        for row in matrix where row.count != columns {
            throw .invalidParameter("all rows must have \(columns) columns")
        }
        let present = matrix.flatMap { $0.compactMap { $0 } }
        try Validate.count(present, atLeast: 1)
        try Validate.finite(present)
        try Validate.positive(replicates, "replicates")
        try Validate.level(level)
        let estimate = statistic(matrix)
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        var rowPicks = [Int](repeating: 0, count: matrix.count)
        var columnPicks = [Int](repeating: 0, count: columns)
        var resample = [[Double?]](repeating: [Double?](repeating: nil, count: columns), count: matrix.count)
        for _ in 0..<replicates {
            for index in rowPicks.indices { rowPicks[index] = generator.uniformIndex(below: matrix.count) }
            for index in columnPicks.indices { columnPicks[index] = generator.uniformIndex(below: columns) }
            for (target, source) in rowPicks.enumerated() {
                let sourceRow = matrix[source]
                for (column, pick) in columnPicks.enumerated() {
                    resample[target][column] = sourceRow[pick]
                }
            }
            draws.append(statistic(resample))
        }
        return try summarize(estimate: estimate, draws: draws, level: level)
    }

    // MARK: - Summary

    static func summarize(estimate: Double, draws: [Double], level: Double) throws(StatisticsError) -> BootstrapResult {
        guard estimate.isFinite else { throw .undefined("the statistic is not finite on the original data") }
        let finite = draws.filter(\.isFinite)
        guard !finite.isEmpty else { throw .undefined("no bootstrap replicate had a finite statistic") }
        let sorted = finite.sorted()
        let alpha = 1 - level
        let interval = ConfidenceInterval(
            estimate: estimate,
            low: Descriptive.quantile(sorted: sorted, alpha / 2),
            high: Descriptive.quantile(sorted: sorted, 1 - alpha / 2),
            level: level
        )
        let standardError = finite.count > 1 ? Descriptive.plainVariance(finite, ddof: 1).squareRoot() : 0
        return BootstrapResult(
            interval: interval,
            replicates: finite,
            standardError: standardError,
            discardedReplicates: draws.count - finite.count
        )
    }
}

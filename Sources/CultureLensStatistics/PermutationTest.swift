/// The outcome of a permutation or sign-flip test.
public struct PermutationTestResult: Sendable, Hashable, Codable {
    /// The test statistic on the observed data.
    public var observed: Double
    /// The p-value, always in (0, 1]: (1 + #{T* ≥ T_obs})/(1 + B) for B random resamples, or
    /// #{T* ≥ T_obs}/N over all N sign patterns when `exact` (the identity is one of them).
    public var pValue: Double
    /// Resamples drawn (B), or sign patterns enumerated (N) when `exact`.
    public var resamples: Int
    /// Resamples whose statistic was at least the observed one.
    public var atLeastAsExtreme: Int
    /// Whether all sign patterns were enumerated.
    public var exact: Bool
}

/// Design-respecting permutation tests: sign-flip tests on paired differences, and permutation of condition
/// labels **within strata** (never a global shuffle across questions, models or trials; methodology A.7.5).
///
/// P-values use the +1 correction p = (1 + b)/(1 + B), which keeps them in (0, 1] and gives a valid test; the
/// smallest attainable p is 1/(1 + B), so choose B ≥ 1,000 (RnR's 50 permutations cannot go below 0.02).
/// Floating-point ties count as "at least as extreme" (tolerance 1e-12 relative).
public enum PermutationTest {
    /// The default number of resamples.
    public static let defaultResamples = 9999

    // MARK: - Sign flip

    /// Two-sided sign-flip test of H₀: the paired differences are symmetric about 0. Statistic |mean(d)|; each
    /// resample flips the sign of every difference independently. When 2ⁿ ≤ `resamples`, all 2ⁿ sign patterns
    /// are enumerated instead (exact test). O(B·n).
    /// - Throws: `.tooFewValues` when empty.
    public static func signFlip(
        _ differences: [Double],
        resamples: Int = defaultResamples,
        seed: UInt64
    ) throws(StatisticsError) -> PermutationTestResult {
        var generator = SplitMix64(seed: seed)
        return try signFlip(differences, resamples: resamples, using: &generator)
    }

    /// Sign-flip test drawing from `generator`.
    public static func signFlip(
        _ differences: [Double],
        resamples: Int = defaultResamples,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> PermutationTestResult {
        try signFlip(differences, clusters: Array(differences.indices), resamples: resamples, using: &generator)
    }

    /// Cluster sign-flip test: the differences of one cluster (e.g. all items of one question, all trials of one
    /// prompt) flip sign together, so correlated units are never treated as independent. Statistic |mean(d)| over
    /// all differences. Exact enumeration when 2^(clusters) ≤ `resamples`. O(B·n).
    public static func signFlip<Cluster: Hashable>(
        _ differences: [Double],
        clusters: [Cluster],
        resamples: Int = defaultResamples,
        seed: UInt64
    ) throws(StatisticsError) -> PermutationTestResult {
        var generator = SplitMix64(seed: seed)
        return try signFlip(differences, clusters: clusters, resamples: resamples, using: &generator)
    }

    /// Cluster sign-flip test drawing from `generator`.
    public static func signFlip<Cluster: Hashable>(
        _ differences: [Double],
        clusters: [Cluster],
        resamples: Int = defaultResamples,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> PermutationTestResult {
        try Validate.count(differences, atLeast: 1)
        try Validate.sameLength(differences, clusters)
        try Validate.finite(differences)
        try Validate.positive(resamples, "resamples")
        // Only the cluster sums matter: mean(d*) = Σ_c ±S_c / n.
        let sums = FirstAppearanceGrouping(clusters).members.map { members in
            Descriptive.sum(members.map { differences[$0] })
        }
        let n = Double(differences.count)
        let observed = abs(Descriptive.sum(sums)) / n
        let threshold = observed - 1e-12 * max(1, observed)
        if sums.count < 63, (1 << sums.count) <= resamples {
            let patterns = 1 << sums.count
            var count = 0
            for pattern in 0..<patterns {
                var total = 0.0
                for (index, sum) in sums.enumerated() {
                    total += (pattern >> index) & 1 == 1 ? -sum : sum
                }
                if abs(total) / n >= threshold { count += 1 }
            }
            return PermutationTestResult(
                observed: observed,
                pValue: Double(count) / Double(patterns),
                resamples: patterns,
                atLeastAsExtreme: count,
                exact: true
            )
        }
        var count = 0
        var bits: UInt64 = 0
        var bitsLeft = 0
        for _ in 0..<resamples {
            var total = 0.0
            for sum in sums {
                if bitsLeft == 0 {
                    bits = generator.next()
                    bitsLeft = 64
                }
                total += bits & 1 == 1 ? -sum : sum
                bits >>= 1
                bitsLeft -= 1
            }
            if abs(total) / n >= threshold { count += 1 }
        }
        return monteCarlo(observed: observed, count: count, resamples: resamples)
    }

    // MARK: - Stratified permutation

    /// Stratified permutation test: condition labels are shuffled **within each stratum** (e.g. within question),
    /// preserving how many observations of each condition every stratum has; `statistic(values, conditions)` is
    /// recomputed on each relabelling and large values count as extreme. O(B·(n + cost of statistic)).
    /// - Throws: `.lengthMismatch` when the three arrays differ in length; `.tooFewValues` when empty.
    public static func stratified<Condition: Hashable, Stratum: Hashable>(
        values: [Double],
        conditions: [Condition],
        strata: [Stratum],
        resamples: Int = defaultResamples,
        using generator: inout some RandomNumberGenerator,
        statistic: ([Double], [Condition]) -> Double
    ) throws(StatisticsError) -> PermutationTestResult {
        try Validate.count(values, atLeast: 1)
        try Validate.sameLength(values, conditions)
        try Validate.sameLength(values, strata)
        try Validate.finite(values)
        try Validate.positive(resamples, "resamples")
        let observed = statistic(values, conditions)
        guard observed.isFinite else { throw .undefined("the statistic is not finite on the observed data") }
        let threshold = observed - 1e-12 * max(1, abs(observed))
        let groups = FirstAppearanceGrouping(strata).members
        var labels = conditions
        var count = 0
        for _ in 0..<resamples {
            for members in groups where members.count > 1 {
                var stratumLabels = members.map { conditions[$0] }
                generator.shuffle(&stratumLabels)
                for (member, label) in zip(members, stratumLabels) { labels[member] = label }
            }
            if statistic(values, labels) >= threshold { count += 1 }
        }
        return monteCarlo(observed: observed, count: count, resamples: resamples)
    }

    /// Stratified two-condition test with statistic |mean over strata of (mean_treated − mean_control)|, the
    /// strata that lack one of the conditions being skipped. Each stratum contributes one within-stratum contrast,
    /// so strata with many observations do not dominate and between-stratum differences cancel.
    /// - Throws: `.undefined` when no stratum has both conditions.
    public static func stratifiedMeanDifference<Stratum: Hashable>(
        values: [Double],
        treated: [Bool],
        strata: [Stratum],
        resamples: Int = defaultResamples,
        seed: UInt64
    ) throws(StatisticsError) -> PermutationTestResult {
        var generator = SplitMix64(seed: seed)
        return try stratifiedMeanDifference(
            values: values,
            treated: treated,
            strata: strata,
            resamples: resamples,
            using: &generator
        )
    }

    /// Stratified two-condition test drawing from `generator`.
    public static func stratifiedMeanDifference<Stratum: Hashable>(
        values: [Double],
        treated: [Bool],
        strata: [Stratum],
        resamples: Int = defaultResamples,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> PermutationTestResult {
        try Validate.sameLength(values, strata)
        let groups = FirstAppearanceGrouping(strata).members
        return try stratified(
            values: values,
            conditions: treated,
            strata: strata,
            resamples: resamples,
            using: &generator
        ) { values, treated in
            var total = 0.0
            var used = 0
            for members in groups {
                var treatedSum = 0.0
                var treatedCount = 0
                var controlSum = 0.0
                var controlCount = 0
                for index in members {
                    if treated[index] {
                        treatedSum += values[index]
                        treatedCount += 1
                    } else {
                        controlSum += values[index]
                        controlCount += 1
                    }
                }
                guard treatedCount > 0, controlCount > 0 else { continue }
                total += treatedSum / Double(treatedCount) - controlSum / Double(controlCount)
                used += 1
            }
            return used > 0 ? abs(total / Double(used)) : .nan
        }
    }

    static func monteCarlo(observed: Double, count: Int, resamples: Int) -> PermutationTestResult {
        PermutationTestResult(
            observed: observed,
            pValue: Double(1 + count) / Double(1 + resamples),
            resamples: resamples,
            atLeastAsExtreme: count,
            exact: false
        )
    }
}

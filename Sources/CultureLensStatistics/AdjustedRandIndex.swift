/// The adjusted Rand index (Hubert & Arabie 1985) between two partitions of the same n objects, and a
/// permutation test of it.
///
/// With the contingency table n_ij, row sums a_i, column sums b_j and C(x) = x(x − 1)/2:
/// index = Σ C(n_ij), expected = Σ C(a_i) Σ C(b_j) / C(n), max = ½(Σ C(a_i) + Σ C(b_j)),
/// ARI = (index − expected)/(max − expected). 1 for identical partitions (up to relabelling), ≈ 0 for unrelated
/// ones, can be negative. When max = expected (both partitions trivial: one cluster, or all singletons) the value
/// is 1, as scikit-learn's `adjusted_rand_score`. O(n + table size).
public enum AdjustedRandIndex {
    /// ARI between two labelings.
    /// - Throws: `.lengthMismatch`; `.tooFewValues` when n < 2.
    public static func compute<A: Hashable, B: Hashable>(_ first: [A], _ second: [B]) throws(StatisticsError)
        -> Double
    {
        try Validate.sameLength(first, second)
        try Validate.count(first, atLeast: 2)
        return value(FirstAppearanceGrouping(first).groupOfElement, FirstAppearanceGrouping(second).groupOfElement)
    }

    /// Permutation test of H₀: the partitions are unrelated. The candidate labels are shuffled B times; p =
    /// (1 + #{ARI* ≥ ARI_obs})/(1 + B). Use B ≥ 1,000 (methodology A.7.9). O(B·n).
    public static func permutationTest<A: Hashable, B: Hashable>(
        reference: [A],
        candidate: [B],
        resamples: Int = PermutationTest.defaultResamples,
        seed: UInt64
    ) throws(StatisticsError) -> PermutationTestResult {
        var generator = SplitMix64(seed: seed)
        return try permutationTest(reference: reference, candidate: candidate, resamples: resamples, using: &generator)
    }

    /// Permutation test drawing from `generator`.
    public static func permutationTest<A: Hashable, B: Hashable>(
        reference: [A],
        candidate: [B],
        resamples: Int = PermutationTest.defaultResamples,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> PermutationTestResult {
        try Validate.positive(resamples, "resamples")
        let observed = try compute(reference, candidate)
        let first = FirstAppearanceGrouping(reference).groupOfElement
        var second = FirstAppearanceGrouping(candidate).groupOfElement
        let threshold = observed - 1e-12 * max(1, abs(observed))
        var count = 0
        for _ in 0..<resamples {
            generator.shuffle(&second)
            if value(first, second) >= threshold { count += 1 }
        }
        return PermutationTest.monteCarlo(observed: observed, count: count, resamples: resamples)
    }

    /// ARI of two labelings given as dense group indices 0..<g.
    static func value(_ first: [Int], _ second: [Int]) -> Double {
        let rows = (first.max() ?? 0) + 1
        let columns = (second.max() ?? 0) + 1
        var table = [Int](repeating: 0, count: rows * columns)
        var rowSums = [Int](repeating: 0, count: rows)
        var columnSums = [Int](repeating: 0, count: columns)
        for (a, b) in zip(first, second) {
            table[a * columns + b] += 1
            rowSums[a] += 1
            columnSums[b] += 1
        }
        func pairs(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
        let index = table.reduce(0) { $0 + pairs($1) }
        let rowPairs = rowSums.reduce(0) { $0 + pairs($1) }
        let columnPairs = columnSums.reduce(0) { $0 + pairs($1) }
        let expected = rowPairs * columnPairs / pairs(first.count)
        let maximum = (rowPairs + columnPairs) / 2
        guard maximum != expected else { return 1 }
        return (index - expected) / (maximum - expected)
    }
}

/// Fleiss' κ: chance-corrected agreement of a fixed number of raters assigning N items to k categories. For
/// robustness, the "raters" are the presentation variants of a prompt (orders, label schemes, formats) and the
/// categories are the canonical answers: κ = 1 means every variant gives the same answer on every item, κ ≈ 0
/// means they agree no more than chance.
///
/// With n_ij raters putting item i in category j and n raters per item:
/// P_i = (Σ_j n_ij² − n) / (n(n − 1)), P̄ = mean_i P_i, p_j = Σ_i n_ij / (N n), P̄_e = Σ_j p_j²,
/// κ = (P̄ − P̄_e)/(1 − P̄_e). O(N·k).
public struct FleissKappa: Sendable, Hashable, Codable {
    /// κ.
    public var kappa: Double
    /// Mean observed agreement P̄.
    public var observedAgreement: Double
    /// Chance agreement P̄_e.
    public var expectedAgreement: Double
    /// Items N.
    public var items: Int
    /// Raters per item n.
    public var raters: Int
    /// Categories k.
    public var categories: Int

    /// κ from an items × categories count table; every row must sum to the same n ≥ 2.
    /// - Throws: `.tooFewValues` when there is no item; `.invalidParameter` for ragged rows, negative counts or
    ///   unequal rater counts; `.undefined` when P̄_e = 1 (all ratings in one category).
    public init(counts: [[Int]]) throws(StatisticsError) {
        try Validate.count(counts, atLeast: 1)
        let k = counts[0].count
        let n = counts[0].reduce(0, +)
        guard n >= 2 else { throw .invalidParameter("Fleiss' κ needs at least 2 raters per item, got \(n)") }
        var categoryTotals = [Double](repeating: 0, count: k)
        var agreementSum = 0.0
        for row in counts {
            guard row.count == k else { throw .invalidParameter("all rows must have \(k) categories") }
            guard row.allSatisfy({ $0 >= 0 }) else { throw .invalidParameter("counts must be non-negative") }
            guard row.reduce(0, +) == n else { throw .invalidParameter("every item must have \(n) ratings") }
            var squares = 0.0
            for (category, count) in row.enumerated() {
                categoryTotals[category] += Double(count)
                squares += Double(count * count)
            }
            agreementSum += (squares - Double(n)) / Double(n * (n - 1))
        }
        let total = Double(counts.count * n)
        let observed = agreementSum / Double(counts.count)
        let expected = categoryTotals.reduce(0) { $0 + ($1 / total) * ($1 / total) }
        guard expected < 1 else { throw .undefined("all ratings fall in one category, so chance agreement is 1") }
        self.kappa = (observed - expected) / (1 - expected)
        self.observedAgreement = observed
        self.expectedAgreement = expected
        self.items = counts.count
        self.raters = n
        self.categories = k
    }

    /// κ from an items × raters table of category indices in 0..<`categories` (e.g. the canonical answer of each
    /// variant). Items with a missing rating cannot enter Fleiss' κ: drop them first and report how many.
    public init(ratings: [[Int]], categories: Int) throws(StatisticsError) {
        try Validate.positive(categories, "categories")
        var counts: [[Int]] = []
        counts.reserveCapacity(ratings.count)
        for row in ratings {
            var tally = [Int](repeating: 0, count: categories)
            for rating in row {
                guard (0..<categories).contains(rating) else {
                    throw .invalidParameter("rating \(rating) is outside 0..<\(categories)")
                }
                tally[rating] += 1
            }
            counts.append(tally)
        }
        try self.init(counts: counts)
    }
}

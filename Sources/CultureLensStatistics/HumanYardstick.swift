/// The human yardstick σ̄ (methodology A.5.1, A.8.1, E.1.12): the mean over questions of the between-country
/// standard deviation of normalised mean positions. A perturbation effect on the same [0, 1] scale that exceeds σ̄
/// moves the model further than real populations differ from one another.
///
/// σ̄ = (1/Q) Σ_q SD_c(μ_{q,c}). RnR uses NumPy's `nanstd`, the **population** SD (ddof 0) over the countries with
/// a value; this reproduces 0.11430531633091971 on `explicit_stability_77q_15c.csv` (the sample SD gives 0.1183).
public struct HumanYardstick: Sendable, Hashable, Codable {
    /// σ̄, the mean of `perQuestion`.
    public var value: Double
    /// The between-country SD of each question that had enough values, in input order.
    public var perQuestion: [Double]
    /// Questions skipped because fewer than `ddof + 1` countries had a value (never silently averaged as 0).
    public var questionsSkipped: Int
    /// The ddof used: 0 = population SD (RnR), 1 = sample SD.
    public var ddof: Int

    /// Computes σ̄ from a questions × countries matrix of normalised mean positions; `nil` cells are missing data
    /// (pairwise-complete: each question uses the countries it has). O(Q·C).
    /// - Throws: `.tooFewValues` when no question has enough values, `.nonFiniteValue` on NaN/∞ cells.
    public init(meanPositions: [[Double?]], ddof: Int = 0) throws(StatisticsError) {
        var perQuestion: [Double] = []
        var skipped = 0
        for row in meanPositions {
            let present = row.compactMap { $0 }
            if present.count < ddof + 1 {
                skipped += 1
                continue
            }
            perQuestion.append(try Descriptive.standardDeviation(present, ddof: ddof))
        }
        try Validate.count(perQuestion, atLeast: 1)
        self.value = Descriptive.plainMean(perQuestion)
        self.perQuestion = perQuestion
        self.questionsSkipped = skipped
        self.ddof = ddof
    }
}

/// Correlation coefficients: Pearson, Spearman (ties get average ranks) and Kendall's τ_b (tie-corrected).
/// Use the rank correlations for predictive checks of held-out dimensions (does the model order countries as
/// humans do?), Pearson for linear agreement on a common scale. All match SciPy's `pearsonr`, `spearmanr` and
/// `kendalltau` (τ_b).
public enum Correlation {
    /// Pearson's r = Σ(xᵢ − x̄)(yᵢ − ȳ) / sqrt(Σ(xᵢ − x̄)² Σ(yᵢ − ȳ)²). O(n).
    /// - Throws: `.lengthMismatch`; `.tooFewValues` when n < 2; `.undefined` when x or y is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) throws(StatisticsError) -> Double {
        try Validate.sameLength(x, y)
        try Validate.count(x, atLeast: 2)
        try Validate.finite(x)
        try Validate.finite(y)
        let meanX = Descriptive.plainMean(x)
        let meanY = Descriptive.plainMean(y)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - meanX) * (b - meanY)
            sxx += (a - meanX) * (a - meanX)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0, syy > 0 else { throw .undefined("a variable is constant") }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// Spearman's ρ: Pearson's r of the average ranks. O(n log n).
    public static func spearman(_ x: [Double], _ y: [Double]) throws(StatisticsError) -> Double {
        try Validate.sameLength(x, y)
        try Validate.finite(x)
        try Validate.finite(y)
        return try pearson(averageRanks(x), averageRanks(y))
    }

    /// Kendall's τ_b = (P − Q) / sqrt((P + Q + T_x)(P + Q + T_y)), with P concordant and Q discordant pairs and
    /// T_x (T_y) the pairs tied only in x (only in y). O(n²), fine for the tens to hundreds of countries or items
    /// it is meant for.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) throws(StatisticsError) -> Double {
        try Validate.sameLength(x, y)
        try Validate.count(x, atLeast: 2)
        try Validate.finite(x)
        try Validate.finite(y)
        var concordant = 0
        var discordant = 0
        var tiedXOnly = 0
        var tiedYOnly = 0
        for i in 0..<x.count {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j]
                let dy = y[i] - y[j]
                if dx == 0, dy == 0 { continue }
                if dx == 0 {
                    tiedXOnly += 1
                } else if dy == 0 {
                    tiedYOnly += 1
                } else if (dx > 0) == (dy > 0) {
                    concordant += 1
                } else {
                    discordant += 1
                }
            }
        }
        let base = Double(concordant + discordant)
        let denominator = ((base + Double(tiedXOnly)) * (base + Double(tiedYOnly))).squareRoot()
        guard denominator > 0 else { throw .undefined("a variable is constant") }
        return Double(concordant - discordant) / denominator
    }

    /// 1-based ranks with ties given the average of the ranks they span ([10, 20, 20, 30] → [1, 2.5, 2.5, 4]).
    /// O(n log n).
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = average }
            start = end + 1
        }
        return ranks
    }
}

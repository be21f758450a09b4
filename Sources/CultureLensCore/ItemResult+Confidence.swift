extension ItemResult {
    /// The model's confidence in its graded answer, for calibration: the largest option probability of the
    /// distribution renormalised over the options (the share of the modal answer for K samples); `nil` for failed,
    /// ungraded or distribution-less results.
    public var confidence: Double? {
        guard failure == nil, score != nil, !gold.isEmpty, let distribution, distribution.count >= 2 else { return nil }
        let total = distribution.reduce(0, +)
        guard total > 0, let top = distribution.max() else { return nil }
        return top / total
    }
}

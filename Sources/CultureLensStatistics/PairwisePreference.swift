/// Preference scores from counterbalanced forced-choice comparisons ("Option A: save a person from X / Option B:
/// … from Y"), rated on a 1…L scale where 1 = strongly prefer A and L = strongly prefer B (methodology A.5.8).
///
/// Each appearance gives the subject a preference L + 1 − r when it was Option A, r when it was Option B; a
/// subject's score is the mean over its appearances, normalised to [0, 1] as (mean − 1)/(L − 1), so 0.5 means no
/// preference. Run every ordered pair (both positions) so that a position bias cancels; report the midpoint share
/// of the neutral arm separately. O(comparisons).
public enum PairwisePreference {
    /// One rated comparison.
    public struct Comparison: Sendable, Hashable, Codable {
        /// The subject shown as Option A.
        public var optionA: String
        /// The subject shown as Option B.
        public var optionB: String
        /// The rating, 1…L.
        public var rating: Double

        /// Creates a comparison.
        public init(optionA: String, optionB: String, rating: Double) {
            self.optionA = optionA
            self.optionB = optionB
            self.rating = rating
        }
    }

    /// One subject's score.
    public struct Score: Sendable, Hashable, Codable {
        /// The subject.
        public var subject: String
        /// How many comparisons it appeared in.
        public var appearances: Int
        /// Mean preference on the 1…L scale.
        public var meanPreference: Double
        /// (mean − 1)/(L − 1) ∈ [0, 1].
        public var normalized: Double
    }

    /// Scores of every subject, in first-appearance order.
    /// - Throws: `.invalidParameter` when L < 2 or a rating is outside 1…L.
    public static func scores(_ comparisons: [Comparison], scalePoints: Int) throws(StatisticsError) -> [Score] {
        guard scalePoints >= 2 else { throw .invalidParameter("a scale needs at least 2 points") }
        let top = Double(scalePoints)
        var subjects: [String] = []
        var sums: [String: Double] = [:]
        var counts: [String: Int] = [:]
        func add(_ subject: String, _ preference: Double) {
            if counts[subject] == nil { subjects.append(subject) }
            sums[subject, default: 0] += preference
            counts[subject, default: 0] += 1
        }
        for comparison in comparisons {
            guard comparison.rating.isFinite, comparison.rating >= 1, comparison.rating <= top else {
                throw .invalidParameter("rating \(comparison.rating) is outside 1…\(scalePoints)")
            }
            add(comparison.optionA, top + 1 - comparison.rating)
            add(comparison.optionB, comparison.rating)
        }
        return subjects.map { subject in
            let count = counts[subject] ?? 0
            let mean = (sums[subject] ?? 0) / Double(count)
            return Score(
                subject: subject,
                appearances: count,
                meanPreference: mean,
                normalized: (mean - 1) / (top - 1)
            )
        }
    }
}

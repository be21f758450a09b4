/// The mean silhouette coefficient of a clustering (Rousseeuw 1987), with Euclidean distances.
///
/// For point i with a(i) the mean distance to the other members of its cluster and b(i) the smallest mean
/// distance to another cluster's members, s(i) = (b − a)/max(a, b), and s(i) = 0 for a point alone in its cluster
/// (scikit-learn's convention). The score is mean_i s(i) ∈ [−1, 1]. O(n²·d).
public enum Silhouette {
    /// Mean silhouette of `labels` on `points`.
    /// - Throws: `.lengthMismatch`; `.invalidParameter` unless there are 2 ≤ clusters ≤ n − 1.
    public static func score<Label: Hashable>(_ points: [[Double]], labels: [Label]) throws(StatisticsError)
        -> Double
    {
        try Validate.sameLength(points, labels)
        let grouping = FirstAppearanceGrouping(labels)
        let clusterCount = grouping.members.count
        guard clusterCount >= 2, clusterCount <= points.count - 1 else {
            throw .invalidParameter(
                "the silhouette needs 2 ≤ clusters ≤ n − 1, got \(clusterCount) for n = \(points.count)"
            )
        }
        var total = 0.0
        for (index, point) in points.enumerated() {
            var distanceSums = [Double](repeating: 0, count: clusterCount)
            for (other, otherPoint) in points.enumerated() where other != index {
                distanceSums[grouping.groupOfElement[other]] += KMeans.squaredDistance(point, otherPoint).squareRoot()
            }
            let own = grouping.groupOfElement[index]
            let ownSize = grouping.members[own].count
            guard ownSize > 1 else { continue }
            let a = distanceSums[own] / Double(ownSize - 1)
            var b = Double.infinity
            for cluster in 0..<clusterCount where cluster != own {
                b = min(b, distanceSums[cluster] / Double(grouping.members[cluster].count))
            }
            let denominator = max(a, b)
            if denominator > 0 { total += (b - a) / denominator }
        }
        return total / Double(points.count)
    }
}

/// The result of a k-means fit.
public struct KMeansResult: Sendable, Hashable, Codable {
    /// Cluster of each point, 0..<k.
    public var labels: [Int]
    /// Cluster centres.
    public var centroids: [[Double]]
    /// Within-cluster sum of squared distances of the returned solution.
    public var inertia: Double
    /// Inertia of every restart, in the order run (its spread shows how seed-fragile the solution is).
    public var restartInertias: [Double]
}

/// k-means (Lloyd's algorithm) with k-means++ seeding and several restarts, keeping the lowest-inertia solution.
///
/// Single-initialisation k-means depends on its seed (RnR's ARIs moved by up to 0.75 across seeds; methodology
/// A.7.9), so use many restarts and report the spread. Each restart is O(iterations·n·k·d). Deterministic for a
/// seed: ties in the nearest-centre search go to the lower cluster index, an emptied cluster is re-seeded with the
/// point farthest from its centre, and the restart with the lowest inertia wins (the first on ties).
public enum KMeans {
    /// Fits k clusters to `points` (n × d).
    /// - Throws: `.invalidParameter` unless 1 ≤ k ≤ n, rows have equal d ≥ 1, restarts ≥ 1.
    public static func fit(
        _ points: [[Double]],
        k: Int,
        restarts: Int = 10,
        maxIterations: Int = 300,
        seed: UInt64
    ) throws(StatisticsError) -> KMeansResult {
        var generator = SplitMix64(seed: seed)
        return try fit(points, k: k, restarts: restarts, maxIterations: maxIterations, using: &generator)
    }

    /// Fits k clusters drawing the seeding from `generator`.
    public static func fit(
        _ points: [[Double]],
        k: Int,
        restarts: Int = 10,
        maxIterations: Int = 300,
        using generator: inout some RandomNumberGenerator
    ) throws(StatisticsError) -> KMeansResult {
        try Validate.count(points, atLeast: 1)
        let d = points[0].count
        guard d >= 1, points.allSatisfy({ $0.count == d }) else {
            throw .invalidParameter("all points must have the same dimension ≥ 1")
        }
        guard k >= 1, k <= points.count else { throw .invalidParameter("k = \(k) is not in 1…\(points.count)") }
        try Validate.positive(restarts, "restarts")
        try Validate.positive(maxIterations, "maxIterations")
        for point in points { try Validate.finite(point) }
        var best: (labels: [Int], centroids: [[Double]], inertia: Double)?
        var inertias: [Double] = []
        for _ in 0..<restarts {
            let run = lloyd(points, initial: plusPlus(points, k: k, using: &generator), maxIterations: maxIterations)
            inertias.append(run.inertia)
            if best == nil || run.inertia < (best?.inertia ?? .infinity) { best = run }
        }
        guard let best else { throw .undefined("no k-means restart ran") }
        return KMeansResult(
            labels: best.labels,
            centroids: best.centroids,
            inertia: best.inertia,
            restartInertias: inertias
        )
    }

    /// The k in `candidates` with the highest mean silhouette (the first on ties), with its fit — the rule RnR
    /// uses (k ∈ 2…10). O(|candidates|·(fit + n²d)).
    public static func bestBySilhouette(
        _ points: [[Double]],
        candidates: ClosedRange<Int>,
        restarts: Int = 10,
        seed: UInt64
    ) throws(StatisticsError) -> (k: Int, silhouette: Double, result: KMeansResult) {
        var best: (k: Int, silhouette: Double, result: KMeansResult)?
        for k in candidates {
            let result = try fit(points, k: k, restarts: restarts, seed: seed)
            let score = try Silhouette.score(points, labels: result.labels)
            if best == nil || score > (best?.silhouette ?? -.infinity) { best = (k, score, result) }
        }
        guard let best else { throw .invalidParameter("no candidate k") }
        return best
    }

    static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for index in a.indices {
            let delta = a[index] - b[index]
            total += delta * delta
        }
        return total
    }

    /// The centre closest to `point` and its squared distance; ties go to the lowest cluster index.
    static func nearest(_ point: [Double], among centroids: [[Double]]) -> (cluster: Int, distance: Double) {
        var best = (cluster: 0, distance: Double.infinity)
        for (cluster, centroid) in centroids.enumerated() {
            let distance = squaredDistance(point, centroid)
            if distance < best.distance { best = (cluster, distance) }
        }
        return best
    }

    /// k-means++ seeding: the first centre uniformly, each next one with probability ∝ D(x)².
    static func plusPlus(_ points: [[Double]], k: Int, using generator: inout some RandomNumberGenerator)
        -> [[Double]]
    {
        var centroids = [points[generator.uniformIndex(below: points.count)]]
        var distances = points.map { squaredDistance($0, centroids[0]) }
        while centroids.count < k {
            let total = Descriptive.sum(distances)
            var chosen = 0
            if total > 0 {
                var target = generator.uniformUnit() * total
                chosen = distances.lastIndex { $0 > 0 } ?? 0
                for (index, distance) in distances.enumerated() {
                    target -= distance
                    if target < 0, distance > 0 {
                        chosen = index
                        break
                    }
                }
            } else {
                chosen = generator.uniformIndex(below: points.count)
            }
            centroids.append(points[chosen])
            for index in points.indices {
                distances[index] = min(distances[index], squaredDistance(points[index], points[chosen]))
            }
        }
        return centroids
    }

    static func lloyd(_ points: [[Double]], initial: [[Double]], maxIterations: Int)
        -> (labels: [Int], centroids: [[Double]], inertia: Double)
    {
        var centroids = initial
        let k = centroids.count
        let d = points[0].count
        var labels = [Int](repeating: -1, count: points.count)
        for _ in 0..<maxIterations {
            var changed = false
            for (index, point) in points.enumerated() {
                let bestCluster = nearest(point, among: centroids).cluster
                if labels[index] != bestCluster {
                    labels[index] = bestCluster
                    changed = true
                }
            }
            if !changed { break }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
            var counts = [Int](repeating: 0, count: k)
            for (index, point) in points.enumerated() {
                counts[labels[index]] += 1
                for dimension in 0..<d { sums[labels[index]][dimension] += point[dimension] }
            }
            for cluster in 0..<k {
                if counts[cluster] > 0 {
                    centroids[cluster] = sums[cluster].map { $0 / Double(counts[cluster]) }
                } else {
                    // Re-seed an empty cluster with the point farthest from its current centre.
                    var farthest = 0
                    var farthestDistance = -1.0
                    for (index, point) in points.enumerated() {
                        let distance = squaredDistance(point, centroids[labels[index]])
                        if distance > farthestDistance {
                            farthestDistance = distance
                            farthest = index
                        }
                    }
                    centroids[cluster] = points[farthest]
                }
            }
        }
        // Final assignment against the final centres, so labels, centres and inertia are consistent.
        var inertia = 0.0
        for (index, point) in points.enumerated() {
            let (bestCluster, bestDistance) = nearest(point, among: centroids)
            labels[index] = bestCluster
            inertia += bestDistance
        }
        return (labels, centroids, inertia)
    }
}

import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

struct StatisticsClusteringTests {
    @Test func adjustedRandIndexOnKnownPairs() throws {
        // scikit-learn's documented examples.
        #expect(
            abs(try AdjustedRandIndex.compute([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 0.24242424242424243) < 1e-12
        )
        #expect(abs(try AdjustedRandIndex.compute([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285715) < 1e-12)
        #expect(abs(try AdjustedRandIndex.compute([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-12)
        // Relabelling does not matter; label types need not match.
        #expect(try AdjustedRandIndex.compute([0, 0, 1, 1], ["b", "b", "a", "a"]) == 1)
        // Trivial partitions.
        #expect(try AdjustedRandIndex.compute([0, 0, 0], [1, 1, 1]) == 1)
        #expect(try AdjustedRandIndex.compute([0, 1, 2, 3], [0, 0, 0, 0]) == 0)
        #expect(throws: StatisticsError.self) { try AdjustedRandIndex.compute([0, 1], [0]) }
    }

    @Test func adjustedRandIndexPermutationTest() throws {
        let reference = (0..<30).map { $0 / 10 }
        let same = try AdjustedRandIndex.permutationTest(
            reference: reference,
            candidate: reference,
            resamples: 999,
            seed: 1
        )
        #expect(same.observed == 1)
        #expect(same.pValue == 0.001)
        let unrelated = (0..<30).map { $0 % 3 }
        let null = try AdjustedRandIndex.permutationTest(
            reference: reference,
            candidate: unrelated,
            resamples: 999,
            seed: 1
        )
        #expect(null.pValue > 0.5)
        #expect(null.pValue <= 1)
    }

    static func blobs() -> (points: [[Double]], truth: [Int]) {
        let centres: [[Double]] = [[0, 0], [10, 0], [0, 10]]
        var generator = SplitMix64(seed: 99)
        var points: [[Double]] = []
        var truth: [Int] = []
        for (label, centre) in centres.enumerated() {
            for _ in 0..<15 {
                let jitter = (0..<2).map { _ in Double(generator.next() % 1000) / 1000 - 0.5 }
                points.append(zip(centre, jitter).map { $0 + $1 })
                truth.append(label)
            }
        }
        return (points, truth)
    }

    @Test func kMeansRecoversSeparatedBlobsDeterministically() throws {
        let (points, truth) = Self.blobs()
        let fit = try KMeans.fit(points, k: 3, restarts: 5, seed: 42)
        #expect(try AdjustedRandIndex.compute(fit.labels, truth) == 1)
        #expect(fit.restartInertias.count == 5)
        #expect(fit.inertia == fit.restartInertias.min())
        #expect(try KMeans.fit(points, k: 3, restarts: 5, seed: 42) == fit)
        let one = try KMeans.fit(points, k: 1, restarts: 1, seed: 0)
        #expect(Set(one.labels) == [0])
        #expect(throws: StatisticsError.self) { try KMeans.fit(points, k: 0, seed: 1) }
        #expect(throws: StatisticsError.self) { try KMeans.fit([[0, 1], [1]], k: 1, seed: 1) }
    }

    @Test func silhouetteSelectsTheTrueK() throws {
        let (points, _) = Self.blobs()
        let best = try KMeans.bestBySilhouette(points, candidates: 2...6, restarts: 5, seed: 7)
        #expect(best.k == 3)
        #expect(best.silhouette > 0.8)
    }

    @Test func silhouetteHandComputed() throws {
        // 1-D points 0, 1 | 10, 11: s = (9.5/10.5 + 8.5/9.5)/2 for every pair of mirror points.
        let score = try Silhouette.score([[0], [1], [10], [11]], labels: [0, 0, 1, 1])
        #expect(abs(score - 0.899749373433584) < 1e-15)
        #expect(throws: StatisticsError.self) { try Silhouette.score([[0], [1]], labels: [0, 0]) }
    }
}

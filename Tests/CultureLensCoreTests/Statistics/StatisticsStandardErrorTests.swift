import CultureLensCore
import CultureLensStatistics
import Testing

struct StatisticsStandardErrorTests {
    @Test func naiveAndClusteredMatchHandComputation() throws {
        // NumPy: sqrt(Σe²/(n−1)/n) = 0.7637626158259734; adding Σ_c Σ_{i≠j} e_i e_j / n² gives 0.9930312739844155.
        let scores = [1.0, 2, 3, 4, 5, 6]
        #expect(abs(try ClusteredStandardError.naive(scores) - 0.7637626158259734) < 1e-15)
        let clustered = try ClusteredStandardError.clustered(scores, clusters: [0, 0, 1, 1, 2, 2])
        #expect(abs(clustered - 0.9930312739844155) < 1e-15)
    }

    @Test func singletonClustersGiveTheNaiveSE() throws {
        let scores = [0.3, 0.9, 0.1, 0.5, 0.7]
        #expect(
            abs(
                try ClusteredStandardError.clustered(scores, clusters: ["a", "b", "c", "d", "e"])
                    - (try ClusteredStandardError.naive(scores))
            ) < 1e-15
        )
    }

    @Test func negativeWithinClusterCorrelationShrinksTheSE() throws {
        // Each cluster holds one value above and one below the mean: the cross terms are negative.
        // SE² = (1/3)/4 − 1/16 = 1/48; the naive SE² is 1/12.
        let se = try ClusteredStandardError.clustered([0.0, 1, 0, 1], clusters: [0, 0, 1, 1])
        #expect(abs(se - (1.0 / 48).squareRoot()) < 1e-15)
        #expect(se < (try ClusteredStandardError.naive([0.0, 1, 0, 1])))
    }

    @Test func estimateCarriesTheInterval() throws {
        let estimate = try ClusteredStandardError.estimate([1.0, 2, 3, 4, 5, 6], clusters: [0, 0, 1, 1, 2, 2])
        #expect(estimate.n == 6 && estimate.clusters == 3)
        #expect(estimate.mean == 3.5)
        #expect(abs(estimate.interval.high - (3.5 + Statistics.z95 * estimate.standardError)) < 1e-15)
        #expect(throws: StatisticsError.self) { try ClusteredStandardError.naive([1]) }
    }

    @Test func pairedDifference() throws {
        // d = [1, 0, 1, 2, 2]: mean 1.2, SE sqrt(0.7/5) = 0.37416573867739417, d_z = 1.2/sqrt(0.7).
        let paired = try PairedDifference([3, 5, 4, 6, 7], [2, 5, 3, 4, 5])
        #expect(paired.n == 5)
        #expect(abs(paired.difference.mean - 1.2) < 1e-15)
        #expect(abs(paired.difference.standardError - 0.37416573867739417) < 1e-15)
        let effect = try #require(paired.standardizedEffect)
        #expect(abs(effect - 1.4342743312012722) < 1e-14)
        // A constant shift has SE 0 and no standardised effect.
        let shifted = try PairedDifference([1, 2, 3], [0, 1, 2])
        #expect(shifted.difference.standardError == 0)
        #expect(shifted.standardizedEffect == nil)
        #expect(throws: StatisticsError.self) { try PairedDifference([1, 2], [1]) }
    }

    @Test func pairedDifferenceWithClusters() throws {
        let a = [0.6, 0.7, 0.2, 0.3, 0.9, 0.8]
        let b = [0.5, 0.5, 0.3, 0.3, 0.5, 0.5]
        let clustered = try PairedDifference(a, b, clusters: ["q1", "q1", "q2", "q2", "q3", "q3"])
        let differences = zip(a, b).map { $0 - $1 }
        #expect(
            abs(
                clustered.difference.standardError
                    - (try ClusteredStandardError.clustered(differences, clusters: [1, 1, 2, 2, 3, 3]))
            ) < 1e-15
        )
        #expect(clustered.difference.clusters == 3)
    }
}

import CultureLensCore
import CultureLensStatistics
import Testing

struct StatisticsPermutationTests {
    @Test func exactSignFlipOnThreeDifferences() throws {
        // |mean| = 2 is reached only by +++ and −−−: p = 2/8.
        let result = try PermutationTest.signFlip([1, 2, 3], seed: 0)
        #expect(result.exact)
        #expect(result.resamples == 8)
        #expect(result.atLeastAsExtreme == 2)
        #expect(result.pValue == 0.25)
        #expect(result.observed == 2)
    }

    @Test func monteCarloSignFlipDetectsAConsistentShift() throws {
        let differences = (0..<40).map { 0.1 + 0.01 * Double($0 % 7) }
        let result = try PermutationTest.signFlip(differences, resamples: 2000, seed: 1)
        #expect(!result.exact)
        #expect(result.pValue == 1.0 / 2001.0)
        let null = try PermutationTest.signFlip((0..<40).map { $0 % 2 == 0 ? 0.1 : -0.1 }, resamples: 2000, seed: 1)
        #expect(null.pValue == 1)
    }

    @Test func clusterSignFlipCountsClustersNotObservations() throws {
        // Three clusters of many identical differences: only 2³ = 8 sign patterns exist.
        let differences = Array(repeating: 0.2, count: 30)
        let clusters = (0..<30).map { $0 / 10 }
        let result = try PermutationTest.signFlip(differences, clusters: clusters, seed: 3)
        #expect(result.exact)
        #expect(result.resamples == 8)
        #expect(result.pValue == 0.25)
        // Treated as 30 independent differences the same data would look overwhelming.
        let independent = try PermutationTest.signFlip(differences, resamples: 999, seed: 3)
        #expect(independent.pValue == 0.001)
    }

    @Test func stratifiedTestIsNotFooledByStratumDifferences() throws {
        // Strata (questions) differ hugely; within each stratum the two conditions are identical in distribution
        // but unbalanced across strata, so a pooled difference of means would be large.
        var values: [Double] = []
        var treated: [Bool] = []
        var strata: [Int] = []
        for stratum in 0..<6 {
            let level = Double(stratum)
            let treatedCount = stratum < 3 ? 4 : 1
            for index in 0..<5 {
                values.append(level + (index % 2 == 0 ? 0.01 : -0.01))
                treated.append(index < treatedCount)
                strata.append(stratum)
            }
        }
        let result = try PermutationTest.stratifiedMeanDifference(
            values: values,
            treated: treated,
            strata: strata,
            resamples: 999,
            seed: 2
        )
        #expect(result.pValue > 0.2)
        #expect(result.observed < 0.02)
    }

    @Test func stratifiedTestDetectsAWithinStratumEffect() throws {
        var values: [Double] = []
        var treated: [Bool] = []
        var strata: [Int] = []
        for stratum in 0..<8 {
            for index in 0..<4 {
                let isTreated = index < 2
                values.append(Double(stratum) + (isTreated ? 0.3 : 0) + 0.01 * Double(index))
                treated.append(isTreated)
                strata.append(stratum)
            }
        }
        let result = try PermutationTest.stratifiedMeanDifference(
            values: values,
            treated: treated,
            strata: strata,
            resamples: 999,
            seed: 4
        )
        #expect(result.pValue == 0.001)
    }

    @Test func shufflesStayInsideStrata() throws {
        // A statistic that is invariant under within-stratum shuffles but not under global ones: the number of
        // treated labels in stratum 0. Within-stratum permutation must always reproduce it (p = 1).
        var generator = SplitMix64(seed: 5)
        let strata = [0, 0, 0, 1, 1, 1]
        let result = try PermutationTest.stratified(
            values: [1, 2, 3, 4, 5, 6],
            conditions: [true, true, false, false, false, false],
            strata: strata,
            resamples: 200,
            using: &generator
        ) { _, conditions in
            Double(zip(conditions, strata).filter { $0.0 && $0.1 == 0 }.count)
        }
        #expect(result.pValue == 1)
    }

    @Test func validation() {
        #expect(throws: StatisticsError.self) { try PermutationTest.signFlip([], seed: 1) }
        #expect(throws: StatisticsError.self) { try PermutationTest.signFlip([1], resamples: 0, seed: 1) }
        #expect(throws: StatisticsError.self) {
            try PermutationTest.stratifiedMeanDifference(values: [1, 2], treated: [true], strata: [0, 0], seed: 1)
        }
    }
}

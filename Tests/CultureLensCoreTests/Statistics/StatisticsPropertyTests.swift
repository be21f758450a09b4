import CultureLensCore
import CultureLensStatistics
import Foundation
import PropertyBased
import Testing

/// Property-based checks with swift-property-based.
struct StatisticsPropertyTests {
    /// Probability vectors of 2…6 options with at least one positive weight.
    static let distribution = Gen.double(in: 0...1).array(of: 2...6)
        .filter { weights in weights.contains { $0 > 1e-6 } }

    /// Pairs of distributions of the same length.
    static let distributionPair = zip(Gen.double(in: 0.0001...1), Gen.double(in: 0.0001...1)).array(of: 2...6)
        .map { pairs in (pairs.map(\.0), pairs.map(\.1)) }

    @Test func jensenShannonIsSymmetricAndBounded() async {
        await propertyCheck(count: 300, input: Self.distributionPair) { pair in
            let (p, q) = pair
            let pq = try Divergence.jensenShannonDivergence(p, q)
            let qp = try Divergence.jensenShannonDivergence(q, p)
            #expect(abs(pq - qp) < 1e-15)
            #expect(pq >= 0 && pq <= log(2))
            let bits = try Divergence.jensenShannonDivergence(p, q, base: .two)
            #expect(bits >= 0 && bits <= 1)
            #expect(abs(bits - pq / log(2)) < 1e-12)
            let distance = try Divergence.jensenShannonDistance(p, q, base: .two)
            #expect(distance >= 0 && distance <= 1)
        }
    }

    @Test func jensenShannonIsZeroForEqualInputs() async {
        await propertyCheck(count: 200, input: Self.distribution, Gen.double(in: 0.1...10)) { (p, scale) throws in
            #expect(try Divergence.jensenShannonDivergence(p, p) == 0)
            // Scaling does not change a distribution.
            #expect(try Divergence.jensenShannonDivergence(p, p.map { $0 * scale }) < 1e-15)
        }
    }

    @Test func meanPositionOfTheReversedDistributionIsOneMinusMu() async {
        await propertyCheck(count: 200, input: Self.distribution) { p in
            let mu = try MeanPosition.of(p)
            #expect(mu >= 0 && mu <= 1)
            #expect(abs(try MeanPosition.of(p.reversed()) - (1 - mu)) < 1e-12)
        }
    }

    @Test func bootstrapIntervalsContainThePointEstimate() async {
        await propertyCheck(
            count: 60,
            input: Gen.double(in: -5...5).array(of: 2...40),
            Gen.uint64(in: 0...UInt64.max)
        ) { values, seed in
            let iid = try Bootstrap.mean(values, replicates: 400, seed: seed)
            #expect(iid.interval.contains(iid.interval.estimate))
            let clusters = values.indices.map { $0 / 3 }
            let clustered = try Bootstrap.clusterMean(values: values, clusters: clusters, replicates: 400, seed: seed)
            #expect(clustered.interval.contains(clustered.interval.estimate))
            let matrix: [[Double?]] = stride(from: 0, to: values.count - 1, by: 2).map { [values[$0], values[$0 + 1]] }
            let crossed = try Bootstrap.crossedMean(matrix, replicates: 400, seed: seed)
            #expect(crossed.interval.low <= crossed.interval.high)
        }
    }

    @Test func sameSeedGivesBitIdenticalBootstraps() async {
        await propertyCheck(
            count: 40,
            input: Gen.double(in: 0...1).array(of: 1...30),
            Gen.uint64(in: 0...UInt64.max)
        ) { values, seed in
            let first = try Bootstrap.mean(values, replicates: 200, seed: seed)
            let second = try Bootstrap.mean(values, replicates: 200, seed: seed)
            #expect(first.replicates.map(\.bitPattern) == second.replicates.map(\.bitPattern))
            #expect(first.interval.low.bitPattern == second.interval.low.bitPattern)
            #expect(first.interval.high.bitPattern == second.interval.high.bitPattern)
            let clusters = values.indices.map { $0 % 4 }
            let a = try Bootstrap.clusterMean(values: values, clusters: clusters, replicates: 100, seed: seed)
            let b = try Bootstrap.clusterMean(values: values, clusters: clusters, replicates: 100, seed: seed)
            #expect(a.replicates.map(\.bitPattern) == b.replicates.map(\.bitPattern))
        }
    }

    @Test func permutationPValuesAreInZeroOne() async {
        await propertyCheck(
            count: 60,
            input: Gen.double(in: -1...1).array(of: 1...25),
            Gen.uint64(in: 0...UInt64.max)
        ) { differences, seed in
            let flip = try PermutationTest.signFlip(differences, resamples: 300, seed: seed)
            #expect(flip.pValue > 0 && flip.pValue <= 1)
            let strata = differences.indices.map { $0 % 3 }
            let treated = differences.indices.map { $0 % 2 == 0 }
            let stratified = try PermutationTest.stratifiedMeanDifference(
                values: differences,
                treated: treated,
                strata: strata,
                resamples: 200,
                seed: seed
            )
            #expect(stratified.pValue > 0 && stratified.pValue <= 1)
        }
    }

    @Test func holmIsMonotoneAndAtLeastTheRawPValue() async {
        await propertyCheck(count: 200, input: Gen.double(in: 0...1).array(of: 0...12)) { pValues in
            let adjusted = try HolmCorrection.adjustedPValues(pValues)
            let bh = try BenjaminiHochberg.adjustedPValues(pValues)
            for index in pValues.indices {
                #expect(adjusted[index] >= pValues[index] && adjusted[index] <= 1)
                #expect(bh[index] >= pValues[index] - 1e-15 && bh[index] <= adjusted[index] + 1e-15)
            }
            for i in pValues.indices {
                for j in pValues.indices where pValues[i] < pValues[j] {
                    #expect(adjusted[i] <= adjusted[j])
                }
            }
        }
    }

    @Test func adjustedRandIndexIsSymmetricAndOneOnItself() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...3).array(of: 2...20)) { (labels) throws in
            let shifted = labels.map { ($0 * 7 + 1) % 5 }
            #expect(try AdjustedRandIndex.compute(labels, labels) == 1)
            #expect(abs(try AdjustedRandIndex.compute(labels, shifted) - 1) < 1e-12)
            let other = labels.reversed().map { $0 }
            #expect(
                abs(try AdjustedRandIndex.compute(labels, other) - (try AdjustedRandIndex.compute(other, labels)))
                    < 1e-12
            )
        }
    }
}

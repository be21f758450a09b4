import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

struct StatisticsBootstrapTests {
    static let values: [Double] = [0.2, 0.5, 0.9, 0.4, 0.7, 0.1, 0.6, 0.3, 0.8, 0.55]

    @Test func sameSeedGivesBitIdenticalReplicates() throws {
        let first = try Bootstrap.mean(Self.values, replicates: 500, seed: 7)
        let second = try Bootstrap.mean(Self.values, replicates: 500, seed: 7)
        let other = try Bootstrap.mean(Self.values, replicates: 500, seed: 8)
        #expect(first.replicates.map(\.bitPattern) == second.replicates.map(\.bitPattern))
        #expect(first == second)
        #expect(first.replicates != other.replicates)
    }

    @Test func meanIntervalIsSensible() throws {
        let result = try Bootstrap.mean(Self.values, replicates: 4000, seed: 1)
        #expect(abs(result.interval.estimate - 0.505) < 1e-15)
        #expect(result.interval.contains(0.505))
        #expect(result.interval.low > 0.3 && result.interval.high < 0.7)
        #expect(result.replicates.count == 4000)
        #expect(result.discardedReplicates == 0)
        // The bootstrap SE of a mean is close to the plug-in SE σ̂/√n (population σ̂).
        let plugIn = try Descriptive.standardDeviation(Self.values, ddof: 0) / Double(Self.values.count).squareRoot()
        #expect(abs(result.standardError - plugIn) / plugIn < 0.1)
    }

    @Test func constantDataGivesADegenerateInterval() throws {
        let result = try Bootstrap.mean([0.3, 0.3, 0.3], replicates: 100, seed: 3)
        #expect(result.interval.low == 0.3 && result.interval.high == 0.3)
        #expect(result.standardError == 0)
    }

    @Test func singletonClustersReproduceTheIIDBootstrap() throws {
        let iid = try Bootstrap.mean(Self.values, replicates: 300, seed: 11)
        let clustered = try Bootstrap.clusterMean(
            values: Self.values,
            clusters: Array(Self.values.indices),
            replicates: 300,
            seed: 11
        )
        // Same draws; the two statistics only sum in a different order.
        #expect(iid.replicates.count == clustered.replicates.count)
        #expect(zip(iid.replicates, clustered.replicates).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func correlatedClustersWidenTheInterval() throws {
        // 10 clusters of 5 identical scores: really 10 observations, not 50.
        let clusterMeans = Self.values
        let values = clusterMeans.flatMap { Array(repeating: $0, count: 5) }
        let clusters = clusterMeans.indices.flatMap { Array(repeating: $0, count: 5) }
        let naive = try Bootstrap.mean(values, replicates: 2000, seed: 5)
        let clustered = try Bootstrap.clusterMean(values: values, clusters: clusters, replicates: 2000, seed: 5)
        #expect(clustered.interval.width > 1.8 * naive.interval.width)
        #expect(clustered.interval.estimate == naive.interval.estimate)
    }

    @Test func crossedBootstrapHandlesMissingCells() throws {
        let matrix: [[Double?]] = [
            [0.1, 0.4, nil, 0.3],
            [0.6, nil, 0.8, 0.7],
            [0.2, 0.3, 0.5, nil],
        ]
        let result = try Bootstrap.crossedMean(matrix, replicates: 1000, seed: 9)
        let present = matrix.flatMap { $0.compactMap { $0 } }
        #expect(abs(result.interval.estimate - present.reduce(0, +) / Double(present.count)) < 1e-15)
        #expect(result.interval.contains(result.interval.estimate))
        #expect(result.replicates.count + result.discardedReplicates == 1000)
        let again = try Bootstrap.crossedMean(matrix, replicates: 1000, seed: 9)
        #expect(result == again)
        // A column of only missing cells can be drawn everywhere: such replicates are counted, not averaged as 0.
        let sparse: [[Double?]] = [[1, nil], [nil, nil]]
        let sparseResult = try Bootstrap.crossedMean(sparse, replicates: 200, seed: 2)
        #expect(sparseResult.discardedReplicates > 0)
        #expect(sparseResult.replicates.allSatisfy { $0 == 1 })
    }

    @Test func crossedBootstrapIsWiderThanRowOnlyResamplingWhenColumnsVary() throws {
        // Column (question) effects dominate: resampling only rows would ignore them.
        let columnEffects = [0.0, 0.5, 1.0, 0.2, 0.8]
        let matrix: [[Double?]] = (0..<6).map { row in columnEffects.map { $0 + Double(row) * 0.01 } }
        let crossed = try Bootstrap.crossedMean(matrix, replicates: 2000, seed: 4)
        let rowMeans = matrix.map { row in row.compactMap { $0 }.reduce(0, +) / Double(row.count) }
        let rowsOnly = try Bootstrap.mean(rowMeans, replicates: 2000, seed: 4)
        #expect(crossed.interval.width > 5 * rowsOnly.interval.width)
    }

    @Test func generalStatisticAndValidation() throws {
        var generator = SplitMix64(seed: 1)
        let median = try Bootstrap.percentile(Self.values, replicates: 200, using: &generator) { sample in
            (try? Descriptive.quantile(sample, 0.5)) ?? .nan
        }
        #expect(median.interval.estimate == 0.525)
        #expect(throws: StatisticsError.self) { try Bootstrap.mean([], seed: 1) }
        #expect(throws: StatisticsError.self) { try Bootstrap.mean([1], replicates: 0, seed: 1) }
        #expect(throws: StatisticsError.self) { try Bootstrap.mean([1], level: 1, seed: 1) }
        #expect(throws: StatisticsError.self) { try Bootstrap.clusterMean(values: [1, 2], clusters: [0], seed: 1) }
        #expect(throws: StatisticsError.self) { try Bootstrap.crossedMean([[1, 2], [3]], seed: 1) }
    }
}

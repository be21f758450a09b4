import CultureLensStatistics
import Testing

@Suite struct StatisticsThurstonianTests {
    typealias Comparison = ThurstonianModel.Comparison

    /// 16 options with planted utilities spread over [−2, 2] and unit variances.
    static let planted: [Double] = (0..<16).map { -2 + 4 * Double(($0 * 7) % 16) / 15 }

    static func plantedProbability(_ a: Int, _ b: Int) -> Double {
        NormalDistribution.cdf((planted[a] - planted[b]) / (2.0 + 1e-5).squareRoot())
    }

    static var allPairs: [(Int, Int)] {
        (0..<planted.count).flatMap { a in ((a + 1)..<planted.count).map { (a, $0) } }
    }

    @Test func exactProbabilitiesRecoverThePlantedOrder() throws {
        let comparisons = Self.allPairs.map { Comparison(a: $0, b: $1, probability: Self.plantedProbability($0, $1)) }
        let model = try ThurstonianModel.fit(optionCount: Self.planted.count, comparisons: comparisons)
        #expect(try Correlation.spearman(model.means, Self.planted) >= 0.99)
        let mean = model.means.reduce(0, +) / Double(model.means.count)
        let variance = model.means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(model.means.count)
        #expect(abs(mean) < 1e-9)
        #expect(abs(variance - 1) < 1e-9)
        #expect(model.evaluate(comparisons).accuracy == 1)
    }

    @Test func sampledAnswersRecoverTheOrderAndPredictHeldOutPairsAlmostAsWellAsThePlantedModel() throws {
        var generator = SplitMix64(seed: 42)
        // Ten samples per presentation order, averaged over both orders, as the suite asks them.
        let comparisons = Self.allPairs.map { a, b in
            let p = Self.plantedProbability(a, b)
            let chosen = (0..<20).filter { _ in Double.random(in: 0..<1, using: &generator) < p }.count
            return Comparison(a: a, b: b, probability: Double(chosen) / 20)
        }
        var order = Array(comparisons.indices)
        order.shuffle(using: &generator)
        let heldOut = order.prefix(12).map { comparisons[$0] }
        let training = order.dropFirst(12).map { comparisons[$0] }
        let model = try ThurstonianModel.fit(optionCount: Self.planted.count, comparisons: training)
        #expect(try Correlation.spearman(model.means, Self.planted) >= 0.95)
        let fitted = model.evaluate(heldOut)
        let truth = ThurstonianModel(means: Self.planted, variances: [Double](repeating: 1, count: 16), trainingLoss: 0)
            .evaluate(heldOut)
        #expect(fitted.n == 12)
        #expect((fitted.accuracy ?? 0) >= (truth.accuracy ?? 1) - 0.1, "fitted \(fitted) vs planted \(truth)")
        #expect((fitted.logLoss ?? .infinity) <= (truth.logLoss ?? 0) + 0.1, "fitted \(fitted) vs planted \(truth)")
    }

    @Test func theSameDataGiveTheSameUtilitiesBitForBit() throws {
        let comparisons = Self.allPairs.prefix(40).map { Comparison(a: $0, b: $1, probability: Self.plantedProbability($0, $1)) }
        let first = try ThurstonianModel.fit(optionCount: 16, comparisons: comparisons, epochs: 200)
        let second = try ThurstonianModel.fit(optionCount: 16, comparisons: comparisons, epochs: 200)
        #expect(first == second)
    }

    @Test func triadsCountCyclesOfTheMajorityPreference() {
        // 0 ≻ 1 ≻ 2 ≻ 0 is a cycle; adding 3, below everyone, adds three transitive triads.
        let cycle = [Comparison(a: 0, b: 1, probability: 0.8), Comparison(a: 1, b: 2, probability: 0.7),
                     Comparison(a: 2, b: 0, probability: 0.9)]
        let below = (0..<3).map { Comparison(a: 3, b: $0, probability: 0.1) }
        let result = ThurstonianModel.triads(optionCount: 4, comparisons: cycle + below)
        #expect(result.triads == 4)
        #expect(result.cyclic == 1)
        // A tie leaves its triads out rather than calling them either way.
        let tied = ThurstonianModel.triads(optionCount: 3, comparisons: [Comparison(a: 0, b: 1, probability: 0.5)] + Array(cycle.dropFirst()))
        #expect(tied.triads == 0)
    }

    @Test func badComparisonsAreRejected() {
        #expect(throws: StatisticsError.self) { try ThurstonianModel.fit(optionCount: 3, comparisons: [Comparison(a: 0, b: 0, probability: 0.5)]) }
        #expect(throws: StatisticsError.self) { try ThurstonianModel.fit(optionCount: 3, comparisons: [Comparison(a: 0, b: 3, probability: 0.5)]) }
        #expect(throws: StatisticsError.self) { try ThurstonianModel.fit(optionCount: 3, comparisons: [Comparison(a: 0, b: 1, probability: 1.5)]) }
        #expect(throws: StatisticsError.self) { try ThurstonianModel.fit(optionCount: 3, comparisons: []) }
    }
}

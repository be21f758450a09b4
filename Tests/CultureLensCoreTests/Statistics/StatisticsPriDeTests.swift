import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

/// PriDe against a fake model whose answer probability at position i is ∝ prior[i] × content[shown at i].
struct StatisticsPriDeTests {
    static let plantedPrior = [0.4, 0.3, 0.2, 0.1]

    /// The fake model's normalised probabilities by position for content order `order`.
    static func fakeModel(content: [Double], order: [Int], prior: [Double] = plantedPrior) -> [Double] {
        let raw = order.enumerated().map { position, shown in prior[position] * content[shown] }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    static func cyclic(_ content: [Double]) -> [[Double]] {
        (0..<content.count).map {
            fakeModel(content: content, order: PriDe.cyclicOrder(shift: $0, count: content.count))
        }
    }

    @Test func uniformContentRecoversThePlantedPrior() throws {
        let prior = try PriDe.itemPrior(cyclicObservations: Self.cyclic([1, 1, 1, 1]))
        for (estimated, planted) in zip(prior, Self.plantedPrior) { #expect(abs(estimated - planted) < 1e-9) }
    }

    @Test func nonUniformContentStillRecoversThePrior() throws {
        let items = [[0.1, 0.6, 0.2, 0.1], [0.25, 0.25, 0.4, 0.1], [0.05, 0.05, 0.05, 0.85]]
        for item in items {
            let prior = try PriDe.itemPrior(cyclicObservations: Self.cyclic(item))
            for (estimated, planted) in zip(prior, Self.plantedPrior) { #expect(abs(estimated - planted) < 1e-9) }
        }
        let pooled = try PriDe.prior(estimationItems: items.map(Self.cyclic))
        for (estimated, planted) in zip(pooled, Self.plantedPrior) { #expect(abs(estimated - planted) < 1e-9) }
    }

    @Test func debiasingRestoresTheContentArgmax() throws {
        let prior = try PriDe.prior(estimationItems: [Self.cyclic([1, 1, 1, 1]), Self.cyclic([0.1, 0.6, 0.2, 0.1])])
        // The preferred content (index 2, 0.35) is shown last, where the prior is 0.1; content 1 sits first.
        let content = [0.2, 0.3, 0.35, 0.15]
        let order = [1, 0, 3, 2]
        let observed = Self.fakeModel(content: content, order: order)
        #expect(StatisticsTestArgmax.argmax(observed) == 0)  // biased: first position wins
        let prediction = try PriDe.debiasedPrediction(observed: observed, prior: prior)
        #expect(order[prediction] == 2)
        let debiased = try PriDe.debiased(observed: observed, prior: prior)
        for (position, shown) in order.enumerated() { #expect(abs(debiased[position] - content[shown]) < 1e-9) }
    }

    @Test func permutationAveragingMapsBackToContents() throws {
        let content = [0.1, 0.6, 0.2, 0.1]
        let averaged = try PriDe.permutationAveraged(cyclicObservations: Self.cyclic(content))
        #expect(abs(averaged.reduce(0, +) - 1) < 1e-12)
        #expect(StatisticsTestArgmax.argmax(averaged) == 1)
    }

    @Test func validation() {
        #expect(throws: StatisticsError.self) { try PriDe.itemPrior(cyclicObservations: [[1, 0]]) }
        #expect(throws: StatisticsError.self) { try PriDe.itemPrior(cyclicObservations: [[1, 0], [0.5, 0.3, 0.2]]) }
        #expect(throws: StatisticsError.self) { try PriDe.debiased(observed: [1, 0], prior: [0.5, 0.3, 0.2]) }
        #expect(PriDe.cyclicOrder(shift: 1, count: 4) == [1, 2, 3, 0])
    }
}

/// First index of the maximum.
enum StatisticsTestArgmax {
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}

import CultureLensCore
import CultureLensStatistics
import Testing

@testable import CultureLensReport

struct PairedComparisonTests {
    static func sample(_ id: String, culture: String, score: Double?, variant: String = "default", error: String? = nil)
        -> ReportSample
    {
        ReportSample(
            itemID: id,
            itemIndex: 0,
            variant: variant,
            culture: culture,
            topic: "t",
            prompt: "p",
            response: nil,
            predicted: nil,
            predictedChoice: nil,
            gold: [0],
            score: score,
            error: error
        )
    }

    @Test func identicalRunsDifferByZero() throws {
        let samples = Fixtures.results(runID: "a", seed: 5, skill: 0.6).map { result in
            Self.sample(result.itemID, culture: result.culture, score: result.score, error: result.failure?.rawValue)
        }
        let comparison = PairedComparison(baseline: samples, other: samples)
        let difference = try #require(comparison.overall.interval)
        #expect(comparison.overall.difference == 0)
        #expect(difference.estimate == 0 && difference.low == 0 && difference.high == 0)
        #expect(comparison.overall.n == samples.filter { $0.score != nil }.count)
    }

    @Test func onlySharedScoredItemsArePaired() throws {
        let baseline = [
            Self.sample("1", culture: "JP", score: 1), Self.sample("2", culture: "JP", score: 0),
            Self.sample("3", culture: "BR", score: 0), Self.sample("4", culture: "BR", score: nil, error: "refusal"),
            Self.sample("5", culture: "BR", score: 1),
        ]
        let other = [
            Self.sample("1", culture: "JP", score: 1), Self.sample("2", culture: "JP", score: 1),
            Self.sample("3", culture: "BR", score: 1), Self.sample("4", culture: "BR", score: 1),
            Self.sample("6", culture: "BR", score: 1),
        ]
        let comparison = PairedComparison(baseline: baseline, other: other)
        #expect(comparison.overall.n == 3)
        #expect(abs(comparison.overall.baselineAccuracy - 1.0 / 3) < 1e-12)
        #expect(comparison.overall.otherAccuracy == 1)
        #expect(abs((comparison.overall.difference ?? 0) - 2.0 / 3) < 1e-12)
        // Three items are too few for an honest interval.
        #expect(comparison.overall.interval == nil)
        #expect(comparison.perCulture.map(\.key) == ["BR", "JP"])  // BR +1 before JP +0.5
        #expect(comparison.perCulture.map(\.n) == [1, 2])
    }

    @Test func intervalContainsTheEstimate() throws {
        let baseline = (0..<40).map { Self.sample("\($0)", culture: $0 < 20 ? "JP" : "BR", score: $0 % 3 == 0 ? 1 : 0) }
        let other = (0..<40).map { Self.sample("\($0)", culture: $0 < 20 ? "JP" : "BR", score: $0 % 2 == 0 ? 1 : 0) }
        let comparison = PairedComparison(baseline: baseline, other: other)
        let interval = try #require(comparison.overall.interval)
        let difference = try #require(comparison.overall.difference)
        #expect(abs(interval.estimate - difference) < 1e-12)
        #expect(interval.low < difference && difference < interval.high)
        #expect(interval.low >= -1 && interval.high <= 1)
        #expect(comparison.perCulture.allSatisfy { $0.interval != nil })
    }

    @Test func deterministic() {
        let a = Fixtures.results(runID: "a", seed: 1, skill: 0.5).map {
            Self.sample($0.itemID, culture: $0.culture, score: $0.score)
        }
        let b = Fixtures.results(runID: "b", seed: 2, skill: 0.7).map {
            Self.sample($0.itemID, culture: $0.culture, score: $0.score)
        }
        #expect(PairedComparison(baseline: a, other: b) == PairedComparison(baseline: a, other: b))
    }

    @Test func nothingShared() {
        let comparison = PairedComparison(
            baseline: [Self.sample("1", culture: "JP", score: 1)],
            other: [Self.sample("2", culture: "JP", score: 1)]
        )
        #expect(comparison.overall.n == 0)
        #expect(comparison.overall.difference == nil)
        #expect(comparison.overall.interval == nil)
        #expect(comparison.perCulture.isEmpty)
    }
}

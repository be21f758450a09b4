import CultureLensAnalysis
import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

@testable import CultureLensReport

/// The report's and the dashboard's paired comparison is `RunComparison`, the one `culturelens compare` prints:
/// the same two runs get the same numbers on every path.
struct ReportComparisonTests {
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

    static func comparison(baseline: [ReportSample], other: [ReportSample]) throws -> RunComparison {
        var a = try Fixtures.run(id: "aaaaaaaaaaaaaaaa")
        var b = try Fixtures.run(id: "bbbbbbbbbbbbbbbb")
        a.samples = baseline
        b.samples = other
        return a.comparison(with: b)
    }

    @Test func identicalRunsDifferByZero() throws {
        let samples = Fixtures.results(runID: "a", seed: 5, skill: 0.6).map { result in
            Self.sample(result.itemID, culture: result.culture, score: result.score, error: result.failure?.rawValue)
        }
        let comparison = try Self.comparison(baseline: samples, other: samples)
        #expect(comparison.overall.difference == 0)
        #expect(comparison.overall.ciLow == 0 && comparison.overall.ciHigh == 0)
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
        let comparison = try Self.comparison(baseline: baseline, other: other)
        #expect(comparison.overall.n == 3)
        #expect(abs((comparison.overall.meanA ?? 0) - 1.0 / 3) < 1e-12)
        #expect(comparison.overall.meanB == 1)
        #expect(abs((comparison.overall.difference ?? 0) - 2.0 / 3) < 1e-12)
        // Three items are too few for an honest interval.
        #expect(comparison.overall.ciLow == nil && comparison.overall.ciHigh == nil)
        #expect(comparison.perCulture.map(\.key) == ["BR", "JP"])
        #expect(comparison.perCulture.map(\.n) == [1, 2])
        #expect(comparison.unpaired == 1 && comparison.onlyInA == 1 && comparison.onlyInB == 1)
    }

    @Test func intervalContainsTheEstimate() throws {
        let baseline = (0..<40).map { Self.sample("\($0)", culture: $0 < 20 ? "JP" : "BR", score: $0 % 3 == 0 ? 1 : 0) }
        let other = (0..<40).map { Self.sample("\($0)", culture: $0 < 20 ? "JP" : "BR", score: $0 % 2 == 0 ? 1 : 0) }
        let comparison = try Self.comparison(baseline: baseline, other: other)
        let low = try #require(comparison.overall.ciLow)
        let high = try #require(comparison.overall.ciHigh)
        let difference = try #require(comparison.overall.difference)
        #expect(low < difference && difference < high)
        #expect(low >= -1 && high <= 1)
        #expect(comparison.perCulture.allSatisfy { $0.ciLow != nil && $0.pHolm != nil })
    }

    @Test func deterministic() throws {
        let a = Fixtures.results(runID: "a", seed: 1, skill: 0.5).map {
            Self.sample($0.itemID, culture: $0.culture, score: $0.score)
        }
        let b = Fixtures.results(runID: "b", seed: 2, skill: 0.7).map {
            Self.sample($0.itemID, culture: $0.culture, score: $0.score)
        }
        #expect(try Self.comparison(baseline: a, other: b) == Self.comparison(baseline: a, other: b))
    }

    @Test func nothingShared() throws {
        let comparison = try Self.comparison(
            baseline: [Self.sample("1", culture: "JP", score: 1)],
            other: [Self.sample("2", culture: "JP", score: 1)]
        )
        #expect(comparison.overall.n == 0)
        #expect(comparison.overall.difference == nil)
        #expect(comparison.overall.ciLow == nil)
        #expect(comparison.perCulture.isEmpty)
    }

    /// Two runs written to directories: `culturelens compare` (which reads each directory's samples, or the store's
    /// results, into `RunComparison.Sample`s), the HTML report (run directories) and the dashboard (runs built
    /// from the store) give the same comparison and print the same interval.
    @Test func sameTwoRunsGetTheSameIntervalFromCompareReportAndDashboard() throws {
        let recordA = Fixtures.record(id: "aaaa000011112222", model: "model-a")
        let recordB = Fixtures.record(id: "bbbb000011112222", model: "model-b")
        let resultsA = Fixtures.results(runID: recordA.id, seed: 1, skill: 0.45)
        let resultsB = Fixtures.results(runID: recordB.id, seed: 2, skill: 0.7)
        try Fixtures.withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a")
            let b = directory.appendingPathComponent("b")
            try RunReport(run: recordA, suite: Fixtures.suite, results: resultsA).write(to: a)
            try RunReport(run: recordB, suite: Fixtures.suite, results: resultsB).write(to: b)

            // compare over run directories, as CompareCommand does.
            let loadedA = try ReportRun.load(directory: a)
            let loadedB = try ReportRun.load(directory: b)
            let fromDirectories = RunComparison(
                a: loadedA.comparisonSamples,
                b: loadedB.comparisonSamples,
                suiteA: Fixtures.suite,
                suiteB: Fixtures.suite,
                runA: "A",
                runB: "B"
            )
            // compare over store ids, as CompareCommand does.
            let fromStore = RunComparison(
                a: resultsA.reversed().map(RunComparison.Sample.init),
                b: resultsB.map(RunComparison.Sample.init),
                suiteA: Fixtures.suite,
                suiteB: Fixtures.suite,
                runA: "A",
                runB: "B"
            )
            // The report (directories, samples partly loaded) and the dashboard (runs from the store).
            let partial = try ReportRun.load(directory: a, sampleLimit: 3)
            let report = partial.comparison(with: loadedB)
            let dashboardA = ReportRun(run: recordA, results: resultsA)
            let dashboardB = ReportRun(run: recordB, results: resultsB)
            let dashboard = dashboardA.comparison(with: dashboardB)

            for comparison in [fromStore, report, dashboard] {
                #expect(comparison.overall == fromDirectories.overall)
                #expect(comparison.perCulture == fromDirectories.perCulture)
            }
            let low = try #require(fromDirectories.overall.ciLow)
            let high = try #require(fromDirectories.overall.ciHigh)
            #expect(low < high)
            #expect(fromDirectories.overall.n > 50)

            let interval = "95% CI \(Charts.signedPercent(low)) to \(Charts.signedPercent(high))"
            let reportHTML = HTMLReport(runs: [partial, loadedB]).render()
            let dashboardHTML = DashboardPages.compare([dashboardA, dashboardB], navigation: [])
            #expect(reportHTML.contains(interval))
            #expect(dashboardHTML.contains(interval))
        }
    }
}

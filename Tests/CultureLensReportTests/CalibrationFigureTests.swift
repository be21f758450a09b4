import CultureLensCore
import CultureLensReport
import CultureLensStatistics
import Foundation
import Testing

/// The reliability diagram of a logprob run in the report (and so the dashboard), and none for a generated run.
struct CalibrationFigureTests {
    @Test func logprobRunsGetAReliabilityDiagram() throws {
        let results = Fixtures.results(runID: "cal", seed: 3, skill: 0.6)
        let run = ReportRun(run: Fixtures.record(id: "cal", model: "m"), results: results)
        let calibration = try #require(run.calibration)
        // Every answer has confidence 0.9: one bin holds them all, and the ECE is |accuracy − 0.9|.
        let graded = results.filter { $0.failure == nil && $0.score != nil }
        let accuracy = Double(graded.filter { $0.score == 1 }.count) / Double(graded.count)
        #expect(calibration.n == graded.count && calibration.bins[9].n == graded.count)
        #expect(abs(calibration.ece - abs(accuracy - 0.9)) < 1e-9)
        let html = HTMLReport(runs: [run]).render()
        #expect(html.contains("id=\"run-1-calibration\"") && html.contains("href=\"#run-1-calibration\""))
        #expect(html.contains("class=\"chart calibration\""))
        #expect(html.contains("Expected calibration error " + String(format: "%.3f", calibration.ece)))
        // Written into results.json and read back as the same figure.
        var report = RunReport(run: Fixtures.record(id: "cal", model: "m"), suite: Fixtures.suite, results: results)
        report.calibration = calibration
        #expect(try ReportRun.decodeResults(try report.resultsJSON()).calibration == calibration)
        let generated = ReportRun(run: Fixtures.record(id: "gen", model: "m", scoring: .generate), results: results)
        #expect(generated.calibration == nil)
        #expect(!HTMLReport(runs: [generated]).render().contains("chart calibration"))
    }
}

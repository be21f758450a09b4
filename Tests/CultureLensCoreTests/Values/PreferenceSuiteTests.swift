import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensReport
import Foundation
import Testing

@Suite struct PreferenceSuiteTests {
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("preference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func valueTradeoffsAsksEveryChosenPairInBothOrdersNextToEachOther() throws {
        let suite = PreferenceSuite.valueTradeoffs
        let options = Set(suite.items.compactMap { $0.metadata["first"] })
        #expect(options.count == 48)
        #expect(suite.items.count % 2 == 0 && suite.items.count < 48 * 47 / 2)
        #expect(Set(suite.items.map(\.id)).count == suite.items.count)
        var degree: [String: Int] = [:]
        for index in stride(from: 0, to: suite.items.count, by: 2) {
            let (forward, backward) = (suite.items[index], suite.items[index + 1])
            let (first, second) = (try #require(forward.metadata["first"]), try #require(forward.metadata["second"]))
            #expect(forward.id == "\(first)|\(second)" && backward.id == "\(second)|\(first)")
            #expect(forward.choices == backward.choices.reversed() && forward.gold.isEmpty)
            #expect(PreferenceSuite.isPreference(forward) && forward.stem == PreferenceSuite.stem)
            degree[first, default: 0] += 1
            degree[second, default: 0] += 1
        }
        #expect(options.allSatisfy { degree[$0, default: 0] >= 10 })
        #expect(SuiteCatalog.suite(named: "value-tradeoffs")?.items == suite.items)
    }

    @Test func optionsComeFromJSONLinesOrAJSONArray() throws {
        let directory = try Self.temporaryDirectory()
        let lines = directory + "/options.jsonl"
        try Data(
            "{\"id\": \"a\", \"text\": \"Outcome A\", \"group\": \"g\"}\n\n{\"id\": \"b\", \"text\": \"Outcome B\"}\n"
                .utf8
        ).write(to: URL(fileURLWithPath: lines))
        let fromLines = try PreferenceSuite.options(contentsOf: URL(fileURLWithPath: lines))
        #expect(fromLines.map(\.id) == ["a", "b"] && fromLines[0].group == "g" && fromLines[1].group == nil)
        let array = directory + "/options.json"
        try Data(
            "[{\"id\": \"a\", \"text\": \"A\"}, {\"id\": \"b\", \"text\": \"B\"}, {\"id\": \"c\", \"text\": \"C\"}]"
                .utf8
        )
        .write(to: URL(fileURLWithPath: array))
        let fromArray = try PreferenceSuite.options(contentsOf: URL(fileURLWithPath: array))
        let suite = PreferenceSuite.suite(
            name: "p",
            title: "t",
            source: "s",
            licence: "l",
            options: fromArray,
            degree: nil
        )
        #expect(suite.items.map(\.id) == ["a|b", "b|a", "a|c", "c|a", "b|c", "c|b"])
    }

    @Test(arguments: [
        ("{\"id\": \"a\", \"text\": \"A\"}\n{\"id\": \"a\", \"text\": \"B\"}\n", 2, "id", "duplicate id 'a'"),
        ("{\"id\": \"a\", \"text\": \"A\"}\n{\"id\": \"x|y\", \"text\": \"B\"}\n", 2, "id", "without '|'"),
        ("{\"id\": \"a\", \"text\": \"A\"}\n{\"id\": \"b\"}\n", 2, "text", "missing"),
    ])
    func badOptionsNameTheLineAndField(text: String, line: Int, field: String, message: String) throws {
        let directory = try Self.temporaryDirectory()
        let path = directory + "/options.jsonl"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LoadError.self) {
            _ = try PreferenceSuite.options(contentsOf: URL(fileURLWithPath: path))
        }
        #expect(error?.file == path && error?.line == line && error?.field == field)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    /// Results of a model whose P(first) follows planted utilities: the report recovers their order, counts the
    /// failed and letterless answers, and the section round-trips through results.json.
    @Test func aRunsResultsBecomeUtilitiesInTheReportAndResultsJSON() throws {
        let options = (1...6).map { PreferenceSuite.Option(id: "o\($0)", text: "Outcome \($0)", group: nil) }
        let planted: [String: Double] = ["o1": 1.0, "o2": -0.5, "o3": 2.0, "o4": 0.0, "o5": -1.5, "o6": 0.5]
        let suite = PreferenceSuite.suite(
            name: "p",
            title: "t",
            source: "s",
            licence: "l",
            options: options,
            degree: nil
        )
        var results: [ItemResult] = []
        for (index, item) in suite.items.enumerated() {
            let (first, second) = (item.metadata["first"] ?? "", item.metadata["second"] ?? "")
            let p = 1 / (1 + exp(-((planted[first] ?? 0) - (planted[second] ?? 0))))
            var result = ItemResult.unanswered(runID: "r", item: item, index: index, prompt: "")
            switch index {
            case 0: result.failure = .serverError
            case 1: result.predicted = nil
            case 2...5: result.predicted = p > 0.5 ? 0 : 1
            default: result.distribution = [p * 0.8, (1 - p) * 0.8]
            }
            results.append(result)
        }
        let report = try #require(RunReport.preferences(suite: suite, results: results))
        #expect(report.presentations == 30 && report.unanswered == 2)
        #expect(report.utilities.map(\.id) == ["o3", "o1", "o6", "o4", "o2", "o5"])
        #expect(abs(report.orderBias ?? 1) < 0.05)
        #expect(RunReport.preferences(suite: StarterSuite.suite, results: []) == nil)

        let record = RunRecord(
            id: "r",
            suite: "p",
            suiteVersion: "1",
            specHash: "h",
            model: "m",
            endpoint: "local",
            api: .completions,
            scoring: .logprobs,
            itemCount: 30,
            toolVersion: "test",
            createdAt: Date(timeIntervalSince1970: 0)
        )
        var run = RunReport(run: record, summary: RunSummary.Accumulator().summary(itemCount: 30))
        run.analyseValues(suite: suite, results: results)
        let again = try #require(run.preferences)
        #expect(again.utilities == report.utilities)
        #expect(again.training == report.training)
        #expect(again.expectedCyclicShare == report.expectedCyclicShare)
        #expect(again.orderBias == report.orderBias && again.orderBiasLow == report.orderBiasLow)
        #expect(again.orderBiasHigh == report.orderBiasHigh && again.heldOut == report.heldOut)
        #expect(run.culturalMap == nil && run.preferences == report)
        let table = run.preferencesTable(report)
        #expect(table.contains("unanswered 2 (counted, not imputed)") && table.contains("o3"))
        let decoded = try ResultsDocument.decode(try run.document(metrics: nil).encoded())
        #expect(decoded.preferences == report)
    }
}

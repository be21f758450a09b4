import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// The report in a real headless Chromium: it loads from a file with no console error or CSP violation, the key
/// elements are in the DOM, hostile content stays text, and screenshots are kept under
/// `.build/test-artifacts/report/` for a person to look at.
@Suite(.serialized) struct ChromiumReportTests {
    /// The report file, written once for the suite.
    static let report = Result { try writeReport() }

    static func writeReport() throws -> URL {
        var run = try Fixtures.run(
            model: "<script>alert('model')</script>",
            hostile: true,
            extras: ["robustness": Fixtures.robustness, "steerability": Fixtures.steerability]
        )
        run.label = "baseline <b>label</b>"
        let other = try Fixtures.run(id: "fedcba9876543210", model: "other-model", seed: 2, skill: 0.8)
        // Runs with the value figures (the map, utilities and transitivity), one with hostile option text.
        let map = try ValueFixtures.culturalMapRun(model: "<b>map-model</b>", hostile: Fixtures.hostile[1])
        let preferences = try ValueFixtures.preferencesRun(hostile: Fixtures.hostile[2])
        let url = try Fixtures.artifactsDirectory("report").appendingPathComponent("report.html")
        try Data(HTMLReport(runs: [run, other, map, preferences]).render().utf8).write(to: url)
        // Headless screenshots ignore #fragments: the value figures also get a page of their own.
        let values = try Fixtures.artifactsDirectory("report").appendingPathComponent("values.html")
        let content =
            try ReportTemplates.render(
                HTMLReport.culturalMapView(
                    #require(map.culturalMap),
                    anchor: "map",
                    title: "Inglehart–Welzel map"
                ),
                template: "culturalMap"
            )
            + ReportTemplates.render(
                HTMLReport.preferencesView(
                    #require(preferences.preferences),
                    texts: preferences.optionTexts,
                    anchor: "utilities",
                    title: "Utilities"
                ),
                template: "preferences"
            )
        try Data(HTMLReport.page(title: "Values", heading: "Value figures", content: content, navigation: []).utf8)
            .write(to: values)
        return url
    }

    @Test func reportLoadsCleanlyAndKeepsHostileTextInert() async throws {
        let url = try Self.report.get()
        let outcome = try await Chromium.dumpDOM(url.absoluteString)
        #expect(outcome.status == 0, "chromium exited \(outcome.status): \(outcome.stderr.suffix(2000))")
        #expect(outcome.consoleProblems.isEmpty, "console: \(outcome.consoleProblems)")
        let dom = outcome.stdout
        for needle in [
            "id=\"comparison\"", "id=\"run-1-map\"", "class=\"chart tilemap\"", "class=\"chart bars\"",
            "class=\"chart differences\"",
            "id=\"run-1-samples\"", "class=\"sample-list\"", "id=\"run-1-extra-1\"", "id=\"run-1-method\"",
            "id=\"run-3-cultural-map\"", "class=\"chart cultural-map\"", "id=\"run-4-preferences\"",
            "class=\"chart utilities\"",
        ] {
            #expect(dom.contains(needle), "DOM lacks \(needle)")
        }
        // The browser built no element and no attribute from the hostile text (it is all text nodes).
        let lower = dom.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<img"))
        #expect(dom.contains("&lt;script&gt;alert('model')&lt;/script&gt;"))
        HostileContentTests.assertInert(dom)
    }

    @Test func screenshotsShowChartsAndMap() async throws {
        let url = try Self.report.get()
        let directory = try Fixtures.artifactsDirectory("report")
        // Headless screenshots ignore #fragments, so the map and the sample browser also get pages of their own.
        let run = try Fixtures.run(hostile: true)
        let mapPage = directory.appendingPathComponent("map.html")
        let map = Charts.tileMap(
            Dictionary(
                uniqueKeysWithValues: run.summary.perCulture.filter { $0.accuracy.n > 0 }.map {
                    (
                        $0.key,
                        TileValue(
                            value: $0.accuracy.value,
                            low: $0.accuracy.ciLow,
                            high: $0.accuracy.ciHigh,
                            n: $0.accuracy.n
                        )
                    )
                }
            ),
            title: "World tile map"
        )
        try Data(HTMLReport.page(title: "Map", heading: "World tile map", content: map.render(), navigation: []).utf8)
            .write(to: mapPage)
        let samplesPage = directory.appendingPathComponent("samples.html")
        let samples = HTMLReport.samplesView(
            Array(run.samples.prefix(12)),
            anchor: "run-1-samples",
            limit: 12,
            items: ReportRun.builtInItems(suite: "starter")
        )
        try Data(
            HTMLReport.page(
                title: "Samples",
                heading: "Sample browser",
                content: ReportTemplates.render(samples, template: "samples"),
                navigation: [],
                cultureFilterCount: 20
            ).utf8
        ).write(to: samplesPage)
        let valuesPage = directory.appendingPathComponent("values.html")
        for (name, page, height) in [
            ("report-top.png", url, 2000), ("report-map.png", mapPage, 900),
            ("report-samples.png", samplesPage, 2000), ("report-values.png", valuesPage, 3000),
        ] {
            let png = directory.appendingPathComponent(name)
            let outcome = try await Chromium.screenshot(page.absoluteString, to: png, height: height)
            #expect(outcome.consoleProblems.isEmpty, "console: \(outcome.consoleProblems)")
            let data = try Data(contentsOf: png)
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
            #expect(data.count > 20_000, "\(name) looks empty (\(data.count) bytes)")
        }
    }
}

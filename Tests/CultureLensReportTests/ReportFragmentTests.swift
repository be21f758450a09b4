import CultureLensCore
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// Golden files of report fragments, and the structure of a whole report.
struct ReportFragmentTests {
    /// A small synthetic run (independent of the built-in suite, so the golden files only change with the report).
    static func smallRun(
        seed: UInt64 = 4,
        skill: Double = 0.6,
        id: String = "00000000000000aa",
        model: String = "tiny-model"
    ) throws -> ReportRun {
        try Fixtures.syntheticRun(id: id, model: model, seed: seed, skill: skill)
    }

    @Test func sampleBrowserFragment() throws {
        let run = try Self.smallRun()
        let view = HTMLReport.samplesView(Array(run.samples.prefix(6)), anchor: "run-1-samples", limit: 5, items: [:])
        try Golden.check(ReportTemplates.render(view, template: "samples"), "fragment-samples.html")
    }

    @Test func comparisonFragment() throws {
        let a = try Self.smallRun(seed: 4, skill: 0.5)
        let b = try Self.smallRun(seed: 8, skill: 0.8, id: "00000000000000bb", model: "bigger-model")
        try Golden.check(HTMLReport.comparisonSection([a, b]), "fragment-comparison.html")
    }

    @Test func extrasFragment() throws {
        let view = HTMLReport.extraView(key: "robustness", value: Fixtures.robustness, anchor: "run-1-extra-1")
        try Golden.check(ReportTemplates.render(view, template: "extra"), "fragment-robustness.html")
    }

    @Test func methodNotes() throws {
        let run = try Self.smallRun()
        let (facts, notes) = HTMLReport.methodNotes(run)
        let text =
            facts.map { "\($0.term): \($0.value)" }.joined(separator: "\n") + "\n" + notes.joined(separator: "\n")
            + "\n"
        try Golden.check(text, "fragment-method-notes.txt")
        #expect(text.contains("Seeds: seed=7"))
        #expect(text.contains("Licence: not recorded"))
        #expect(text.contains("Spec hash (sha256): 0000000000000000"))
    }

    @Test func wholeReportStructure() throws {
        var run = try Fixtures.run(extras: ["robustness": Fixtures.robustness, "steerability": Fixtures.steerability])
        run.label = "baseline"
        let other = try Fixtures.run(id: "fedcba9876543210", model: "other-model", seed: 2, skill: 0.75)
        let html = HTMLReport(runs: [run, other]).render()
        HostileContentTests.assertInert(html)
        for id in [
            "comparison", "comparison-2", "run-1", "run-1-summary", "run-1-cultures", "run-1-map", "run-1-topics",
            "run-1-failures",
            "run-1-extra-1", "run-1-extra-2", "run-1-samples", "run-1-method", "run-2", "run-2-map",
        ] {
            #expect(html.contains("id=\"\(id)\""), "missing #\(id)")
        }
        #expect(html.contains("<h3 id=\"run-1-extra-1-title\">Robustness</h3>"))
        #expect(html.contains("<h3 id=\"run-1-extra-2-title\">Steerability</h3>"))
        // Every in-page link points at an element that exists.
        let ids = Set(
            MarkupScanner.tags(in: html).compactMap { tag in tag.attributes.first { $0.name == "id" }?.value }
        )
        for tag in MarkupScanner.tags(in: html) {
            if let href = tag.attributes.first(where: { $0.name == "href" })?.value, href.hasPrefix("#") {
                #expect(ids.contains(String(href.dropFirst())), "dangling link \(href)")
            }
        }
        #expect(
            ids.count
                == MarkupScanner.tags(in: html).compactMap { tag in tag.attributes.first { $0.name == "id" } }.count,
            "duplicate ids"
        )
        // Deterministic.
        #expect(html == HTMLReport(runs: [run, other]).render())
        // Radio groups are per run, with one checked button each.
        #expect(html.components(separatedBy: "name=\"run-1-samples-outcome\"").count - 1 == 4)
        #expect(html.components(separatedBy: " checked>").count - 1 == 4)
    }

    @Test func singleRunWithoutSamples() throws {
        var run = try Self.smallRun()
        run.samples = []
        let html = HTMLReport(runs: [run]).render()
        HostileContentTests.assertInert(html)
        #expect(html.contains("No samples: samples.jsonl is missing or empty."))
        #expect(!html.contains("id=\"comparison\""))
    }

    @Test func sampleLimit() throws {
        let run = try Fixtures.run()
        let html = HTMLReport(runs: [run], options: .init(sampleLimit: 10)).render()
        #expect(html.components(separatedBy: "<li class=\"sample ").count - 1 == 10)
        #expect(html.contains("Showing the first 10 of \(run.samples.count) samples"))
    }
}

import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import Foundation
import Testing

@testable import CultureLensReport

/// `ResultsDocument` reads files in the format of version 1 (the fixtures were written by that writer) and writes
/// the same bytes for the same input, plus `schema` and `version`.
struct ResultsDocumentTests {
    static func fixture(_ name: String, _ file: String) throws -> Data {
        try Data(
            contentsOf: ResultsDocumentFixture.directory.deletingLastPathComponent().appendingPathComponent(name)
                .appendingPathComponent(file)
        )
    }

    /// The document text without the two keys version 2 adds.
    static func withoutVersionKeys(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "  \"schema\" : \"culturelens.results\",\n", with: "")
            .replacingOccurrences(of: "  \"version\" : 2\n", with: "")
            .replacingOccurrences(of: "},\n}", with: "}\n}")
    }

    @Test func readsAVersion1File() throws {
        let document = try ResultsDocument.decode(Self.fixture("results-v1", "results.json"))
        #expect(document.version == 1)
        #expect(document.tool.name == "culturelens")
        #expect(document.run.id == ResultsDocumentFixture.record.id)
        #expect(document.run.itemCount == 24)
        #expect(document.run.createdAt == "2025-11-13T02:13:20Z")
        #expect(document.run.settings == ResultsDocumentFixture.settings)
        #expect(document.summary == RunSummary(results: ResultsDocumentFixture.results, itemCount: 24))
        #expect(document.metrics == nil && document.robustness == nil && document.diagnostics == nil)
        #expect(document.extras.isEmpty)
        let run = try ReportRun.load(directory: ResultsDocumentFixture.directory)
        #expect(run.samples.count == ResultsDocumentFixture.results.count)
        #expect(run.samples.first?.itemID == "</svg><script>alert(2)</script><svg>")
    }

    @Test func writesVersion1BytesPlusSchemaVersionAndDiagnostics() throws {
        let report = RunReport(
            run: ResultsDocumentFixture.record,
            suite: Fixtures.suite,
            results: ResultsDocumentFixture.results,
            settings: ResultsDocumentFixture.settings
        )
        var written = try report.resultsJSON()
        // The tool version is the only input that is not fixed.
        written = Data(
            String(decoding: written, as: UTF8.self).replacingOccurrences(
                of: "\"version\" : \"\(CultureLensVersion.current)\"",
                with: "\"version\" : \"0.1.0\""
            ).utf8
        )
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains("  \"schema\" : \"culturelens.results\",\n"))
        #expect(text.contains("  \"version\" : 2\n}"))
        // Version 2 also always lists the spec diagnostics: none for this run.
        #expect(text.contains("  \"diagnostics\" : [\n\n  ],\n"))
        let v1 = String(decoding: try Self.fixture("results-v1", "results.json"), as: UTF8.self)
        let withoutDiagnostics = Data(
            Self.withoutVersionKeys(written).replacingOccurrences(of: "  \"diagnostics\" : [\n\n  ],\n", with: "").utf8
        )
        #expect(String(decoding: withoutDiagnostics, as: UTF8.self) == v1)
        #expect(try report.samplesJSONL() == Self.fixture("results-v1", "samples.jsonl"))
    }

    /// A `score` run's file (with `metrics`) read and written again gives the same bytes plus the version keys;
    /// its samples read and written again give the same bytes.
    @Test func metricsAndSamplesRoundTripByteForByte() throws {
        let original = try Self.fixture("results-v1-metrics", "results.json")
        let document = try ResultsDocument.decode(original)
        let metrics = try #require(document.metrics)
        #expect(metrics.similarity?.perCulture.map(\.key) == ["BE", "JP", "Pakistan (Non-national sample)"])
        #expect(document.extras.isEmpty)
        var again = document
        again.version = ResultsDocument.currentVersion
        #expect(Self.withoutVersionKeys(try again.encoded()) == String(decoding: original, as: UTF8.self))

        let samples = try Self.fixture("results-v1-metrics", "samples.jsonl")
        let decoded = try ResultsDocument.decodeSamples(samples)
        let encoder = ResultsDocument.encoder(pretty: false)
        var lines = Data()
        for sample in decoded {
            lines.append(try ResultsDocument.sampleLine(sample, encoder: encoder))
            lines.append(0x0A)
        }
        #expect(lines == samples)
        let v1Samples = try Self.fixture("results-v1", "samples.jsonl")
        var v1Lines = Data()
        for sample in try ResultsDocument.decodeSamples(v1Samples) {
            v1Lines.append(try ResultsDocument.sampleLine(sample, encoder: encoder))
            v1Lines.append(0x0A)
        }
        #expect(v1Lines == v1Samples)
    }

    @Test func extrasKeepTheirKeysAndDiagnosticsRoundTrip() throws {
        let report = RunReport(run: ResultsDocumentFixture.record, suite: Fixtures.suite, results: [])
        var document = report.document()
        document.extras["steerability"] = DataValue(["JP": .number(0.5), "per_culture": .array([.string("x")])])
        document.diagnostics = [
            Diagnostic(.warning, "row skipped", file: "data.csv", line: 3, field: "options")
        ]
        let data = try document.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"JP\" : 0.5"))
        #expect(text.contains("\"per_culture\" : ["))
        let read = try ResultsDocument.decode(data)
        #expect(read == document)
        #expect(try ReportRun(read).extras["steerability"] == document.extras["steerability"])
    }

    /// A robustness run's document reads back with its card typed (the card spells its own keys) and writes the
    /// same bytes again.
    @Test func robustnessCardRoundTrips() throws {
        let suite = Fixtures.suite
        let analysis = RobustnessAnalysis(suite: suite, grid: try PerturbationGrid.parse("labels"))
        let results = analysis.variants.enumerated().flatMap { column, variant in
            Fixtures.results(runID: ResultsDocumentFixture.record.id, seed: UInt64(column + 1), skill: 0.6).map {
                var result = $0
                result.variant = variant.id
                return result
            }
        }
        let card = analysis.card(results: results)
        let report = RunReport(run: ResultsDocumentFixture.record, suite: suite, results: results)
        let data = try RobustnessReport(report: report, card: card).resultsJSON()
        #expect(String(decoding: data, as: UTF8.self).contains("\"mean_pairwise_jsd\""))
        let document = try ResultsDocument.decode(data)
        #expect(document.robustness == card)
        #expect(document.extras.isEmpty)
        #expect(try document.encoded() == data)
        #expect(try ReportRun(document).extras["robustness"]?["flip_rate"] != nil)
    }

    /// An `inglehart-welzel` run's document reads its `cultural_map` back typed and writes the same bytes again.
    @Test func culturalMapRoundTrips() throws {
        let answers = ["2", "B", "2", "A", "8", "8", "8", "3", "1, 2", "Independence, Hard work"]
        let observations = (0..<3).flatMap { variant in
            zip(InglehartWelzelMap.Item.allCases, answers).map { item, answer in
                InglehartWelzelPlacement.Observation(
                    item: item,
                    variant: "v\(variant)",
                    answer: variant == 2 && item == .y002 ? "freedom" : answer
                )
            }
        }
        let placement = try #require(InglehartWelzelPlacement(observations, replicates: 200))
        var report = RunReport(run: ResultsDocumentFixture.record, suite: Fixtures.suite, results: [])
        report.culturalMap = placement
        let data = try report.resultsJSON(metrics: nil)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"cultural_map\"") && text.contains("\"mean_values\""))
        let document = try ResultsDocument.decode(data)
        #expect(document.culturalMap == placement)
        #expect(document.culturalMap?.unprompted?.model?.n == 2)
        #expect(document.extras.isEmpty)
        #expect(try document.encoded() == data)
        // The report gets it typed (and draws it as a map) rather than as a generic extra section.
        #expect(try ReportRun(document).culturalMap == placement)
        #expect(try ReportRun(document).extras["cultural_map"] == nil)
    }

    @Test func anotherSchemaIsRefusedWithTheFileNamed() throws {
        let data = Data(#"{"schema": "other", "run": {}, "summary": {}}"#.utf8)
        #expect {
            try ResultsDocument.decode(data, path: "x/results.json")
        } throws: { error in
            "\(error)".hasPrefix("x/results.json: not a CultureLens results.json") && "\(error)".contains("schema")
        }
    }

    @Test func snakeCaseKeysReadAcronyms() {
        #expect(SnakeCaseKeys.camelCase("item_id") == "itemID")
        #expect(SnakeCaseKeys.camelCase("per_culture_persona") == "perCulturePersona")
        #expect(SnakeCaseKeys.camelCase("mean_a") == "meanA")
        #expect(SnakeCaseKeys.camelCase("id") == "id")
        #expect(SnakeCaseKeys.camelCase("identity_key") == "identityKey")
    }
}

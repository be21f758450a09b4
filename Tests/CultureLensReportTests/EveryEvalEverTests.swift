import CultureLensCore
import CultureLensFormats
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// `export eee`: the record of a fixture run against golden files, its figures and intervals, redaction,
/// determinism, and validity against the schemas of the every-eval-ever 0.3.0 wheel.
struct EveryEvalEverTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The twelve-item synthetic run (one refusal), with a robustness section, a secret in the endpoint (from the
    /// fixture record) and one in the settings, and fixed tool versions so the golden files do not follow releases.
    static func record() throws -> EveryEvalEverRecord {
        var run = try Fixtures.syntheticRun(id: "5eed0000feedbeef", model: "acme/tiny-chat", seed: 3, skill: 0.6)
        run.metadata.settings["api_key"] = "sk-SECRET-KEY"
        run.metadata.toolVersion = "0.0.0-fixture"
        run.writerVersion = "0.0.0-fixture"
        run.extras = ["robustness": Fixtures.robustness]
        return EveryEvalEverRecord(run: run, options: .init(organization: "CultureLens tests"))
    }

    static func check(_ text: String, golden name: String) throws {
        let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-golden-actual")
        if let problem = try GoldenFile.problem(text, name: name, directory: golden, artifacts: artifacts) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func aggregateAndSamplesMatchTheirGoldenFiles() throws {
        let record = try Self.record()
        let samples = try record.samplesJSONL()
        try Self.check(String(decoding: samples, as: UTF8.self), golden: "eee-samples.jsonl")
        try Self.check(
            String(decoding: try record.aggregateJSON(samplesFile: samples), as: UTF8.self),
            golden: "eee-aggregate.json"
        )
    }

    @Test func exportIsDeterministicAndCarriesNoSecret() throws {
        let directories = try (0..<2).map { _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eee-\(UUID().uuidString)")
            let written = try Self.record().write(into: directory)
            return try [Data(contentsOf: written.aggregate), Data(contentsOf: written.samples)]
        }
        #expect(directories[0] == directories[1])
        for data in directories[0] {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("SECRET"))
            #expect(!text.contains("api_key"))
            #expect(!text.contains("user:"))
        }
        #expect(String(decoding: directories[0][0], as: UTF8.self).contains("https://api.example.test/v1"))
    }

    @Test func everyFigureKeepsItsIntervalAndSectionsAreCarriedWhole() throws {
        let record = try Self.record()
        // DataValue reads numbers exactly as written (JSONSerialization may not round-trip the last digit).
        let aggregate = try #require(
            DataValue.parseJSON(try record.aggregateJSON(samplesFile: record.samplesJSONL()))
        )
        guard case .array(let results)? = aggregate["evaluation_results"] else {
            Issue.record("no evaluation_results")
            return
        }
        func result(_ id: String) -> DataValue? { results.first { $0["evaluation_result_id"]?.text == id } }
        func interval(_ id: String) throws -> (score: Double, low: Double, high: Double, n: Int) {
            let details = try #require(result(id)?["score_details"])
            let uncertainty = try #require(details["uncertainty"])
            let interval = try #require(uncertainty["confidence_interval"])
            return (
                try #require(details["score"]?.number), try #require(interval["lower"]?.number),
                try #require(interval["upper"]?.number), Int(try #require(uncertainty["num_samples"]?.number))
            )
        }
        let accuracy = record.run.summary.accuracy
        let overall = try interval("summary.accuracy")
        #expect(overall.score == accuracy.value && overall.n == accuracy.n && overall.n == 11)
        #expect(overall.low == accuracy.ciLow && overall.high == accuracy.ciHigh)
        #expect(result("summary.accuracy")?["evaluation_name"]?.text == "golden")
        for group in record.run.summary.perCulture {
            let figure = try interval("summary.per_culture.\(group.key).accuracy")
            #expect(
                figure.score == group.accuracy.value && figure.low == group.accuracy.ciLow
                    && figure.n == group.accuracy.n
            )
        }
        #expect(try interval("robustness.flip_rate") == (0.3, 0.18, 0.46, 40))
        #expect(try interval("robustness.per_variant.reversed") == (0.55, 0.4, 0.7, 40))
        // A section is carried whole, as JSON text, whatever its shape.
        let details = try #require(aggregate["eval_library"]?["additional_details"])
        let card = try #require(details["results.robustness"]?.text)
        #expect(DataValue.parseJSON(Data(card.utf8)) == Fixtures.robustness)
        #expect(details["results.summary"] != nil)
        #expect(details["run.settings"]?.text == #"{"concurrency":"4","seed":"7"}"#)
    }

    @Test func typedSectionsGiveTheirFiguresAndMetricsAreNamedByWhatTheyMeasure() throws {
        var run = try Self.record().run
        let confidences = (0..<40).map { Double($0 % 10) / 10 + 0.05 }
        let calibration = try Calibration(confidences: confidences, correct: confidences.map { $0 > 0.5 })
        run.calibration = calibration
        let record = EveryEvalEverRecord(run: run)
        let results = record.evaluationResults
        func result(_ id: String) -> DataValue? { results.first { $0["evaluation_result_id"]?.text == id } }
        let ece = try #require(result("calibration"))
        #expect(ece["score_details"]?["score"]?.number == calibration.ece)
        #expect(ece["score_details"]?["uncertainty"]?["confidence_interval"]?["lower"]?.number == calibration.ciLow)
        #expect(ece["metric_config"]?["metric_id"]?.text == "culturelens.ece")
        #expect(ece["metric_config"]?["lower_is_better"] == .bool(true))
        #expect(record.sections["results.calibration"] != nil)
        // Reliability bins have no value of their own: carried in the section, not listed as figures.
        #expect(!results.contains { $0["evaluation_result_id"]?.text?.hasPrefix("calibration.bins") == true })
        #expect(result("summary.per_topic.food.accuracy")?["metric_config"]?["metric_id"]?.text == "accuracy")
        let variant = try #require(result("robustness.per_variant.reversed"))
        #expect(variant["metric_config"]?["metric_id"]?.text == "culturelens.per_variant")
        #expect(variant["metric_config"]?["min_score"] == .null)
        let flips = try #require(result("robustness.flip_rate"))
        #expect(flips["metric_config"]?["lower_is_better"] == .bool(true))
        #expect(flips["score_details"]?["uncertainty"]?["confidence_interval"]?["method"]?.text == "wilson")
    }

    @Test func filesFollowTheDatastoreLayoutWithAVersion4UUID() throws {
        let record = try Self.record()
        let uuid = record.fileUUID
        #expect(uuid.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        #expect(record.samplesPath == "data/culturelens_golden/acme/tiny-chat/\(uuid)_samples.jsonl")
        #expect(record.aggregatePath == "data/culturelens_golden/acme/tiny-chat/\(uuid).json")
        var flat = record.run
        flat.metadata.model = "local:gemma 3/270m"
        #expect(EveryEvalEverRecord(run: flat).directory == "data/culturelens_golden/local_gemma_3/270m")
        flat.metadata.model = "gemma-3-270m"
        #expect(EveryEvalEverRecord(run: flat).directory == "data/culturelens_golden/unattributed/gemma-3-270m")
        let named = EveryEvalEverRecord(run: flat, options: .init(developer: "google"))
        #expect(named.directory == "data/culturelens_golden/google/gemma-3-270m")
    }

    @Test(.requiresEveryEvalEverSchemas) func exportValidatesAgainstTheSchemasOfTheWheel() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eee-\(UUID().uuidString)")
        let written = try Self.record().write(into: directory)
        let outcome = try await EveryEvalEverSchemas.validate([written.aggregate, written.samples])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("valid: 13 records"), "\(outcome.output)")
        // The validator does catch a broken record.
        let broken = directory.appendingPathComponent("broken.json")
        try Data(#"{"schema_version": "0.3.0"}"#.utf8).write(to: broken)
        let refused = try await EveryEvalEverSchemas.validate([broken])
        #expect(refused.status == 1 && refused.output.contains("evaluation_id"), "\(refused.output)")
    }
}

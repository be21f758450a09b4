import CultureLensCore
import CultureLensFormats
import Foundation
import Testing

@testable import CultureLensReport

/// `ReportRun` reads what `RunReport` writes, and says clearly what is wrong with a bad run directory.
struct RunLoadingTests {
    @Test func roundTripThroughARunDirectory() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let record = Fixtures.record(id: "feedfacefeedface", model: "m")
            let results = Fixtures.results(runID: record.id, seed: 3, skill: 0.6)
            let report = RunReport(
                run: record,
                suite: Fixtures.suite,
                results: results,
                settings: ["seed": "3", "api_key": "sk-SECRET-KEY"]
            )
            try report.write(to: directory)
            // Add an extra section the way another writer would.
            let url = directory.appendingPathComponent("results.json")
            var document = try JSONDecoder().decode([String: DataValue].self, from: Data(contentsOf: url))
            document["robustness"] = Fixtures.robustness
            try JSONEncoder().encode(document).write(to: url)

            let run = try ReportRun.load(directory: directory)
            #expect(run.metadata.id == record.id)
            #expect(run.metadata.model == "m")
            #expect(run.metadata.suite == "starter")
            #expect(run.metadata.scoring == "logprobs")
            #expect(run.summary == report.summary)
            #expect(run.samples.count == results.count)
            #expect(run.samples.first?.prompt == results.first?.prompt)
            #expect(run.extras["robustness"] == Fixtures.robustness)
            #expect(run.extras["tool"] == nil && run.extras["summary"] == nil)
            // Secrets never survive loading.
            #expect(!run.metadata.endpoint.contains("SECRET"))
            #expect(run.metadata.endpoint == "https://api.example.test/v1")
            #expect(run.metadata.settings["api_key"] == nil)
            #expect(run.metadata.settings["seed"] == "3")
        }
    }

    @Test func outcomes() {
        func sample(score: Double?, error: String?) -> ReportSample {
            ReportSample(
                itemID: "i",
                itemIndex: 0,
                culture: "JP",
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
        #expect(sample(score: 1, error: nil).outcome == .correct)
        #expect(sample(score: 0, error: nil).outcome == .incorrect)
        #expect(sample(score: nil, error: "refusal").outcome == .failed)
        #expect(sample(score: nil, error: nil).outcome == .unscored)
    }

    @Test func missingResultsFile() throws {
        try Fixtures.withTemporaryDirectory { directory in
            #expect {
                try ReportRun.load(directory: directory)
            } throws: { error in
                (error as? ReportLoadError)?.path.hasSuffix("results.json") == true
            }
        }
    }

    @Test func badSampleLineIsNamed() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let record = Fixtures.record(id: "abc", model: "m")
            let report = RunReport(
                run: record,
                suite: Fixtures.suite,
                results: Fixtures.results(runID: "abc", seed: 1, skill: 0.5)
            )
            try report.write(to: directory)
            let url = directory.appendingPathComponent("samples.jsonl")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[2] = "{not json"
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try ReportRun.load(directory: directory)
                Issue.record("expected an error")
            } catch let error as ReportLoadError {
                #expect(error.line == 3)
                #expect(error.description.contains("samples.jsonl:3"))
            }
        }
    }

    @Test func notAResultsFile() {
        #expect(throws: ReportLoadError.self) { try ReportRun.decodeResults(Data("{\"hello\": 1}".utf8)) }
        #expect(throws: ReportLoadError.self) { try ReportRun.decodeResults(Data("[".utf8)) }
    }

    @Test func redaction() {
        #expect(Redaction.endpoint("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1")
        #expect(Redaction.endpoint("https://u:p@host/v1?key=1#x") == "https://host/v1")
        #expect(Redaction.endpoint("local (llama.cpp) key@host?token=abc") == "host")
        #expect(
            Redaction.settings(["api_key_env": "X", "Authorization": "b", "seed": "1", "token_limit": "2"]) == [
                "seed": "1"
            ]
        )
    }

    @Test func storeRunsMatchDirectoryRuns() throws {
        // The dashboard builds runs from the store; the report from files: the same summary either way.
        let record = Fixtures.record(id: "0011223344556677", model: "m")
        let results = Fixtures.results(runID: record.id, seed: 9, skill: 0.7)
        let fromStore = ReportRun(run: record, results: results)
        let report = RunReport(run: record, suite: Fixtures.suite, results: results)
        let fromFiles = try ReportRun.decodeResults(try report.resultsJSON())
        #expect(fromStore.summary == fromFiles.summary)
        let samples = try ReportRun.decodeSamples(try report.samplesJSONL())
        #expect(fromStore.samples == samples)
    }
}

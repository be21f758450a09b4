import CultureLensCore
import Foundation

/// The input of `Fixtures/results-v1`: that directory holds what the writer of version 1 (before `results.json`
/// carried `schema` and `version`) wrote for exactly these results, so the reader is tested on a file in that
/// exact format and the current writer on giving the same bytes for the same input.
enum ResultsDocumentFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/results-v1")

    static let record = RunRecord(
        id: "5eed5eed00000001",
        suite: Fixtures.suite.name,
        suiteVersion: Fixtures.suite.version,
        specHash: Fixtures.suite.specHash,
        model: "gemma-3-270m",
        endpoint: "http://127.0.0.1:8080/v1",
        api: .completions,
        scoring: .logprobs,
        itemCount: 24,
        toolVersion: "0.9.0-fixture",
        createdAt: Date(timeIntervalSince1970: 1_763_000_000),
        finishedAt: Date(timeIntervalSince1970: 1_763_000_600),
        status: .completed
    )

    static let settings = ["concurrency": "4", "limit": "24", "seed": "7"]

    /// The first 24 starter items (hostile text, failures, cached results) and the first 6 again under a second
    /// variant.
    static var results: [ItemResult] {
        let plain = Fixtures.results(runID: record.id, seed: 5, skill: 0.6, hostile: true).filter { $0.itemIndex < 24 }
        let swapped = Fixtures.results(runID: record.id, seed: 6, skill: 0.4).filter { $0.itemIndex < 6 }.map {
            var result = $0
            result.variant = "swapped"
            return result
        }
        return plain + swapped
    }
}

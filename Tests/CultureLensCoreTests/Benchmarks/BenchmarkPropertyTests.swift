import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensTesting
import Foundation
import PropertyBased
import Testing

/// Arbitrary input to the spec loader and the re-scorer: items or a clear error, never a trap.
struct BenchmarkPropertyTests {
    static let selectionPieces = [
        "defaultdict(<class 'list'>, {", "{", "}", ")", "'Japan': [", "'Chile': [", "0.5", "0.25", "1e-3", "-1", ", ",
        "]", "[", "'", "\"", "nan", "None", ":", "(0.5,)", "\\x", "\n",
    ]

    /// A GlobalOpinionQA row whose `selections` cell is arbitrary: one survey item, or an error naming line 2 and
    /// the field.
    @Test func arbitrarySelectionsGiveAnItemOrAFieldError() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "globalopinionqa"))
        let cells = Generator<String, Shrink.None<String>> { rng in
            (0..<Int.random(in: 0...10, using: &rng)).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0
                    ? LoadingGen.string(maxLength: 3, using: &rng)
                    : Self.selectionPieces[Int.random(in: 0..<Self.selectionPieces.count, using: &rng)]
            }.joined()
        }
        await propertyCheck(count: 150, input: cells) { cell in
            let csv = CSVTable.render(
                header: ["question", "selections", "options", "source"],
                rows: [["Q?", cell, "['Yes', 'No']", "GAS"]]
            )
            guard let url = try? BenchmarkFixtures.write(csv, named: "global_opinions.csv") else {
                Issue.record("cannot write the fixture")
                return
            }
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            do {
                let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path)).load()
                #expect(loaded.suite.items.count == 1)
                for distribution in loaded.suite.items.first?.humanDistributions?.values.map({ $0 }) ?? [] {
                    #expect(distribution.count == 2 && abs(distribution.reduce(0, +) - 1) < 1e-9)
                }
            } catch let error as LoadError {
                #expect(error.file == url.path)
                #expect(error.line == 2 || error.line == nil, "\(error)")
                #expect(!error.message.isEmpty)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    /// Arbitrary responses files: results for the lines that make sense, or an error naming a line.
    @Test func arbitraryResponsesGiveResultsOrALineError() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "culturalbench-easy"))
        let url = try BenchmarkFixtures.write(BenchmarkFixtures.culturalBenchEasy, named: "CulturalBench-Easy.csv")
        let suite = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path)).load().suite
        let pieces = [
            #"{"index": 0, "answer": "A"}"#, #"{"index": 1, "samples": [0, 3]}"#,
            #"{"index": 2, "distribution": [1, 0, 0, 0]}"#,
            "{", "}", #""index""#, ":", "-1", "99", #""answer""#, #""samples""#, "[", "]", ",", "\n", "null", "1.5",
        ]
        let texts = Generator<String, Shrink.None<String>> { rng in
            (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                Bool.random(using: &rng)
                    ? pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                    : LoadingGen.string(maxLength: 3, using: &rng)
            }.joined()
        }
        await propertyCheck(count: 800, input: texts) { text in
            let lines = text.unicodeScalars.filter { $0 == "\n" }.count + 1
            do {
                let results = try ResponseRescorer.score(
                    Data(text.utf8),
                    file: "r.jsonl",
                    suite: suite,
                    position: { $0 },
                    runID: "p"
                )
                #expect(results.allSatisfy { suite.items.indices.contains($0.itemIndex) })
                #expect(Set(results.map(\.itemIndex)).count == results.count)
            } catch let error as LoadError {
                #expect(error.file == "r.jsonl")
                #expect((1...lines).contains(error.line ?? 0), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}

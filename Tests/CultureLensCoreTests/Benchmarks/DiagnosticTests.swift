import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// Diagnostics: the collector's order, spec warnings with their line, and what the loaders report through it.
struct DiagnosticTests {
    @Test func theCollectorSortsAndDeduplicatesWhateverTheEmittingOrder() async {
        let collector = DiagnosticCollector()
        let list = [
            Diagnostic(.warning, "b", file: "x.csv", line: 9, field: "f"),
            Diagnostic(.error, "a", file: "x.csv", line: 9, field: "f"),
            Diagnostic(.note, "c", file: "x.csv", line: 2),
            Diagnostic(.warning, "no place"),
            Diagnostic(.warning, "d", file: "a.yaml", line: 12, field: "source.revision"),
        ]
        await withTaskGroup(of: Void.self) { group in
            for diagnostic in list.reversed() + list { group.addTask { collector.emit(diagnostic) } }
        }
        #expect(collector.diagnostics == [list[3], list[4], list[2], list[1], list[0]])
        #expect(collector.hasErrors)
        #expect(list[0].description == "x.csv:9: warning: field 'f': b")
        #expect(list[3].description == "warning: no place")
    }

    @Test func anUnpinnedBuiltInSpecWarnsAtItsRevisionLine() throws {
        let entry = try #require(BuiltinSpecs.texts.first { $0.id == "culturalbench-easy" })
        let spec = try #require(BuiltinSpecs.spec(named: entry.id))
        let lines = entry.yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.hasPrefix("  revision:") }) + 1
        #expect(
            spec.diagnostics == [
                Diagnostic(
                    .warning,
                    "not pinned: revision 'main' and 1 of 1 file(s) without sha256; the data can change between runs "
                        + "(pin a commit and sha256 sums in a copy of the spec)",
                    file: "Specs/culturalbench-easy.yaml",
                    line: line,
                    field: "source.revision"
                )
            ]
        )
        #expect(try #require(BuiltinSpecs.spec(named: "mcq-jsonl")).diagnostics.isEmpty, "no source, nothing to pin")
    }

    @Test func theLoaderReportsSkippedRowsAndUnknownCultures() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "mcq-jsonl"))
        let rows = """
            {"id": "a", "question": "Q1?", "choices": ["x", "y"], "answer": "A", "culture": "Atlantis"}
            {"id": "b", "question": "Q2?", "choices": ["x", "y"], "answer": "C"}
            {"id": "c", "question": "Q3?", "choices": ["x", "y"], "answer": 1, "culture": "Japan"}
            {"id": "d", "question": "Q4?", "choices": ["x", "y"], "answer": 1, "culture": "atlantis "}
            {"id": "e", "question": "Q5?", "choices": ["x", "y"], "answer": 1, "culture": "Atlantis"}
            """
        let url = try BenchmarkFixtures.write(rows, named: "mine.jsonl")
        let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path), onBadRow: .skip)
            .load()
        #expect(loaded.suite.items.count == 4)
        #expect(
            loaded.diagnostics.map(\.description) == [
                "\(url.path):1: warning: field 'culture': unknown culture 'Atlantis' in 2 row(s), kept as written (add "
                    + "it to the spec's culture.map to attribute it to a known culture)",
                "\(url.path):2: warning: field 'answer': malformed row skipped (row 1): answer 'C' (letter-or-index) "
                    + "is not one of the 2 options",
                "\(url.path):4: warning: field 'culture': unknown culture 'atlantis' in 1 row(s), kept as written (add "
                    + "it to the spec's culture.map to attribute it to a known culture)",
            ]
        )
    }

    @Test func beyondTheListedRowsOneWarningCountsTheRest() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "mcq-jsonl"))
        let bad = LoadReport.maximumListedErrors + 3
        let rows = (0..<bad).map { #"{"id": "r\#($0)", "question": "Q?", "choices": ["x"], "answer": "Z"}"# }
            .joined(separator: "\n")
        let url = try BenchmarkFixtures.write(rows, named: "bad.jsonl")
        let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path), onBadRow: .skip)
            .load()
        #expect(loaded.report.rowsSkipped == bad)
        #expect(loaded.diagnostics.count == LoadReport.maximumListedErrors + 1)
        #expect(loaded.diagnostics.first?.description.contains("3 more malformed row(s) skipped") == true)
    }
}

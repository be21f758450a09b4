import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensCore
@testable import CultureLensDatasets
@testable import CultureLensFormats

/// Files large enough that loading and hashing split their work over the cores (`Parallel`): the outcome must be
/// the one-at-a-time outcome, in file order, errors included.
struct LargeFileLoadingTests {
    static let cultures = ["Peru", "India", "japan", "Atlantis", "", "South Korea"]

    /// `count` mcq-jsonl rows; rows in `bad` carry an answer that is not an option.
    static func rows(_ count: Int, bad: Set<Int> = []) -> String {
        (0..<count).map { index in
            let culture = cultures[index % cultures.count]
            let answer = bad.contains(index) ? "Z" : ["A", "B", "C", "D"][index % 4]
            return #"{"id": "q\#(index)", "question": "Question \#(index)?", "choices": ["w", "x", "y", "z"], "#
                + #""answer": "\#(answer)", "culture": "\#(culture)", "topic": "t\#(index % 3)"}"#
        }.joined(separator: "\n")
    }

    func load(_ text: String, onBadRow: BadRowPolicy = .fail) async throws -> LoadedSuite {
        let spec = try #require(BuiltinSpecs.spec(named: "mcq-jsonl"))
        let url = try BenchmarkFixtures.write(text, named: "large.jsonl")
        return try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path), onBadRow: onBadRow)
            .load()
    }

    @Test func largeFileLoadsEveryRowInOrder() async throws {
        let count = 3 * Parallel.defaultThreshold + 7
        let loaded = try await load(Self.rows(count))
        #expect(loaded.report.rowsRead == count)
        #expect(loaded.suite.items.count == count)
        let byID = Dictionary(uniqueKeysWithValues: loaded.suite.items.map { ($0.id, $0) })
        for index in [0, 1, 2, 3, 4, 5, 999, 1_000, 2_500, count - 1] {
            let item = try #require(byID["q\(index)"])
            #expect(item.gold == [index % 4])
            #expect(item.stem == "Question \(index)?")
            let expectedCulture = ["PE", "IN", "JP", "Atlantis", "global", "KR"][index % Self.cultures.count]
            #expect(item.culture == expectedCulture, "row \(index)")
        }
        // Interleaving keeps each culture's rows in file order.
        let peru = loaded.suite.items.filter { $0.culture == "PE" }.map(\.id)
        #expect(peru == stride(from: 0, to: count, by: Self.cultures.count).map { "q\($0)" })
    }

    @Test func largeFileReportsTheFirstBadRowInFileOrder() async throws {
        let count = 2 * Parallel.defaultThreshold + 500
        let text = Self.rows(count, bad: [1_700, 2_300])
        await #expect {
            _ = try await load(text)
        } throws: { error in
            // Line numbers are 1-based: row 1,700 is line 1,701, and it comes before row 2,300's error.
            (error as? LoadError)?.line == 1_701
        }
        let skipped = try await load(text, onBadRow: .skip)
        #expect(skipped.suite.items.count == count - 2)
        #expect(skipped.report.rowsSkipped == 2)
        #expect(skipped.report.skipped.count == 2)
        #expect(skipped.report.skipped.first?.contains("large.jsonl:1701:") == true)
        #expect(skipped.report.skipped.last?.contains("large.jsonl:2301:") == true)
    }

    @Test func largeFileWithABrokenJSONLineNamesThatLine() async throws {
        var lines = Self.rows(1_500).split(separator: "\n").map(String.init)
        lines[1_234] = #"{"id": "broken", "question": "#
        await #expect {
            _ = try await load(lines.joined(separator: "\n"))
        } throws: { error in
            (error as? LoadError)?.line == 1_235
        }
    }

    /// The spec hash identifies runs (and so resume): splitting the encoding over the cores must hash exactly the
    /// bytes of the whole suite's canonical encoding.
    @Test(arguments: [1, Parallel.defaultThreshold - 1, Parallel.defaultThreshold, 4_321])
    func specHashMatchesTheCanonicalEncodingOfTheWholeSuite(count: Int) {
        let starter = StarterSuite.suite.items
        let items = (0..<count).map { index in
            var item = starter[index % starter.count]
            item.id = "\(item.id)/\(index)"
            return item
        }
        let suite = Suite(name: "big/suite", title: "t", version: "2", source: "s", licence: "l", items: items)
        let whole = CanonicalJSON.encode(Suite.SpecHashInput(name: suite.name, version: suite.version, items: items))
        #expect(suite.specHash == Hashing.sha256Hex(of: whole))
    }

    @Test func cultureLookupsAreRememberedWithoutChangingAnswers() {
        for name in ["Peru", "peru ", "South_Korea", "the United Kingdom", "Atlantis", ""] {
            let first = CultureCatalog.culture(for: name)
            #expect(CultureCatalog.culture(for: name) == first)
        }
        #expect(CultureCatalog.culture(for: "South_Korea")?.code == "KR")
        #expect(CultureCatalog.culture(for: "Atlantis") == nil)
    }

    /// The direct JSON reader gives the decoder's value for every document it accepts, and leaves the rest to it.
    @Test(arguments: [
        #"{"id": "q1", "question": "Tea?", "choices": ["a", "b"], "answer": "A", "culture": "Japan"}"#,
        #"{"b": 1, "a": [true, false, null], "c": {"z": -0.5, "y": 12e3, "x": 1E-2, "w": 0}}"#,
        #"{"s": "quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f"}"#,
        #"{"u": "\u00e9t\u00C9 \ud83d\ude00 caf\#u{e9} \#u{1F600} \#u{4E2D}\#u{6587}"}"#,
        #"[1, 2.5, -3, 9007199254740993, 123456789012345678901234567890, 0.1, -0]"#,
        #"  {"empty": {}, "list": [], "text": ""}  "#,
        #""plain string""#,
        "42",
        "true",
        "null",
        #"{"n": 5, "n": 6}"#,
        #"{"big": 1e400}"#,
        #"{"tiny": 1e-400}"#,
        #"{"broken": "#,
        #"{"trailing": 1,}"#,
        #"{"bad escape": "\x"}"#,
        #"{"lone surrogate": "\ud83d"}"#,
        #"{"leading zero": 01}"#,
        #"[1 2]"#,
        #"{"a": 1} extra"#,
    ])
    func directJSONReaderAgreesWithTheDecoder(json: String) throws {
        let data = Data(json.utf8)
        let decoded = try? JSONDecoder().decode(DataValue.self, from: data)
        let direct = DataValue.parseJSON(data)
        if let direct { #expect(direct == decoded) }
        if decoded == nil { #expect(direct == nil, "the decoder rejects it, so must the direct reader") }
    }

    @Test func directJSONReaderHandlesTheUsualRowsItself() {
        let rows = Self.rows(50).split(separator: "\n")
        #expect(rows.count == 50)
        #expect(rows.allSatisfy { DataValue.parseJSON(Data($0.utf8)) != nil })
    }

    @Test(arguments: ["", " ", "abc", " abc ", "\tabc\n", "\u{a0}abc", "abc\u{2028}", "é", "a b", "\n"])
    func fastTrimmingMatchesFoundation(text: String) {
        #expect(text.trimmingWhitespace(.whitespaces) == text.trimmingCharacters(in: .whitespaces))
        #expect(
            text.trimmingWhitespace(.whitespacesAndNewlines) == text.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}

import CultureLensCore
import CultureLensFormats
import CultureLensTesting
import Foundation
import PropertyBased
import Testing

struct JSONLReaderTests {
    struct MCQRow: Codable, Equatable, Sendable {
        var id: String
        var question: String
        var choices: [String]
        var answer: Int
        var culture: String?
    }

    struct Nested: Codable, Equatable {
        struct Annotation: Codable, Equatable {
            var answers: [String]
            var count: Int
        }
        var annotations: [Annotation]
    }

    // MARK: Table tests

    @Test func readsLinesSkippingBlanksWithCRLFAndBOM() throws {
        let text =
            "\u{FEFF}{\"id\":\"a\",\"question\":\"Q?\",\"choices\":[\"x\",\"y\"],\"answer\":1}\r\n"
            + "\r\n"
            + "   \n"
            + "{\"id\":\"b\",\"question\":\"Q2\",\"choices\":[],\"answer\":0,\"culture\":\"KR\"}\n"
            + "{\"id\":\"c\",\"question\":\"Q3\",\"choices\":[\"z\"],\"answer\":0}"
        let records = try JSONLReader.decode(MCQRow.self, from: Data(text.utf8), file: "items.jsonl")
        #expect(records.map(\.line) == [1, 4, 5])
        #expect(records.map(\.index) == [0, 1, 2])
        #expect(records.map(\.value.id) == ["a", "b", "c"])
        #expect(records[1].value.culture == "KR")
    }

    @Test(
        arguments: [
            // (second line, field, message prefix)
            (#"{"id":"b","question":"Q","choices":["x",2],"answer":0}"#, "choices[1]", "expected String"),
            (#"{"id":"b","question":"Q","answer":0}"#, "choices", "missing required field"),
            (#"{"id":"b","question":"Q","choices":[],"answer":null}"#, "answer", "expected Int, found null"),
            (#"{"id":"b","question":"Q","choices":[],"answer":"B"}"#, "answer", "expected Int"),
            (#"{"id":"b","question":"Q","choices":[],"answer":0"#, nil, "invalid JSON"),
            (#"["not", "an", "object"]"#, nil, "expected Dictionary"),
            (#"not json at all"#, nil, "invalid JSON"),
        ] as [(String, String?, String)]
    )
    func errorsNameFileLineAndFieldPath(line: String, field: String?, message: String) {
        let text = #"{"id":"a","question":"Q","choices":["x"],"answer":0}"# + "\n\n" + line + "\n"
        do {
            let records = try JSONLReader.decode(MCQRow.self, from: Data(text.utf8), file: "responses.jsonl")
            Issue.record("decoded \(records.count) records from a bad line")
        } catch {
            #expect(error.file == "responses.jsonl")
            #expect(error.line == 3)
            #expect(error.row == 1)
            #expect(error.field == field, "\(error)")
            #expect(error.message.hasPrefix(message), "\(error)")
            let prefix = field.map { "responses.jsonl:3: field '\($0)': " } ?? "responses.jsonl:3: "
            #expect(error.description.hasPrefix(prefix), "\(error)")
        }
    }

    @Test func nestedFieldPathsUseDotsAndBrackets() {
        let text = #"{"annotations":[{"answers":["a"],"count":1},{"answers":["b"],"count":"two"}]}"#
        do {
            _ = try JSONLReader.decode(Nested.self, from: Data(text.utf8), file: "n.jsonl")
            Issue.record("decoded a bad count")
        } catch {
            #expect(error.field == "annotations[1].count")
            #expect(error.description.hasPrefix("n.jsonl:1: field 'annotations[1].count': expected Int"))
        }
    }

    @Test func arrayFilesNameTheRowIndex() {
        let text = #"[{"annotations":[]},{"annotations":[{"answers":["x"]}]}]"#
        do {
            _ = try JSONLReader.decodeArray(Nested.self, from: Data(text.utf8), file: "a.json")
            Issue.record("decoded a record without count")
        } catch {
            #expect(error.row == 1)
            #expect(error.line == nil)
            #expect(error.field == "annotations[0].count")
            #expect(error.description == "a.json: row 1: field 'annotations[0].count': missing required field")
        }
        #expect(throws: LoadError.self) {
            try JSONLReader.decodeArray(Nested.self, from: Data("{}".utf8), file: "o.json")
        }
    }

    // MARK: Real data: CIVICS

    struct CIVICSRecord: Decodable {
        var id: Int
        var language: String
        var topic: String
        var statement: String
        var translated: String
        var finalLabel: [String]
        var annotators: [[String]]

        enum CodingKeys: String, CodingKey {
            case id = "ID", language = "Language", topic = "Topic", statement = "Statement"
            case translated = "Statement - translated", finalLabel = "Final Label"
            case a1 = "Annotator 1", a2 = "Annotator 2", a3 = "Annotator 3", a4 = "Annotator 4", a5 = "Annotator 5"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            language = try container.decode(String.self, forKey: .language)
            topic = try container.decode(String.self, forKey: .topic)
            statement = try container.decode(String.self, forKey: .statement)
            translated = try container.decode(String.self, forKey: .translated)
            finalLabel = try container.decode([String].self, forKey: .finalLabel)
            annotators = try [CodingKeys.a1, .a2, .a3, .a4, .a5].map { try container.decode([String].self, forKey: $0) }
        }
    }

    @Test(.requiresTestData("civics")) func readsTheCIVICSDataset() throws {
        let url = LoadingFixtures.url("civics/civics_dataset.json")
        let records = try JSONLReader.decodeArray(CIVICSRecord.self, contentsOf: url, file: "civics_dataset.json")
        #expect(records.count == 700)
        #expect(Set(records.map(\.id)).count == 700)
        let languages = Dictionary(grouping: records, by: \.language).mapValues(\.count)
        #expect(
            languages == [
                "German": 183, "French (France)": 128, "Italian": 116, "Turkish": 101, "English (Australia)": 77,
                "French (Canada)": 32, "English (Canada)": 27, "English (Singapore)": 21, "English (UK)": 15,
            ]
        )
        let topics = Dictionary(grouping: records, by: \.topic).mapValues(\.count)
        #expect(
            topics == [
                "social welfare": 218, "LGBTQI rights": 194, "disability rights": 129, "immigration": 126,
                "surrogacy": 33,
            ]
        )
        // English statements carry no translation.
        #expect(records.filter { $0.language.hasPrefix("English") }.allSatisfy { $0.translated.isEmpty })

        // The same records as JSON Lines read back identically, with line numbers.
        let array = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [Any] ?? []
        let lines = try array.map { try JSONSerialization.data(withJSONObject: $0) }
        let jsonl = lines.reduce(into: Data()) {
            $0.append($1); $0.append(Data("\n".utf8))
        }
        let again = try JSONLReader.decode(CIVICSRecord.self, from: jsonl, file: "civics.jsonl")
        #expect(again.map(\.value.id) == records.map(\.id))
        #expect(again.last?.line == 700)
    }

    @Test(.requiresTestData("civics")) func civicsTypeErrorNamesRowAndField() throws {
        let url = LoadingFixtures.url("civics/civics_dataset.json")
        var array = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
        try #require(array.count == 700)
        array[12]["Topic"] = 5
        let broken = try JSONSerialization.data(withJSONObject: array)
        do {
            _ = try JSONLReader.decodeArray(CIVICSRecord.self, from: broken, file: "civics_dataset.json")
            Issue.record("decoded a numeric Topic")
        } catch {
            #expect(error.row == 12)
            #expect(error.field == "Topic")
            #expect(error.description.hasPrefix("civics_dataset.json: row 12: field 'Topic': expected String"))
        }
    }

    // MARK: Properties

    static let rows = Generator<[MCQRow], Shrink.None<[MCQRow]>> { rng in
        (0..<Int.random(in: 0...8, using: &rng)).map { index in
            MCQRow(
                id: "item-\(index)-" + LoadingGen.string(maxLength: 4, using: &rng),
                question: LoadingGen.string(maxLength: 30, using: &rng),
                choices: (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                    LoadingGen.string(maxLength: 8, using: &rng)
                },
                answer: Int.random(in: -5...5, using: &rng),
                culture: Bool.random(using: &rng) ? LoadingGen.string(maxLength: 3, using: &rng) : nil
            )
        }
    }

    /// Encoded rows, with random blank lines and CRLF endings, decode back equal with the right line numbers.
    @Test func encodedRowsRoundTrip() async {
        await propertyCheck(count: 300, input: Self.rows, Gen.int(in: 0...1000)) { rows, seed in
            var text = Data()
            var expectedLines: [Int] = []
            var line = 1
            let encoder = JSONEncoder()
            for (index, row) in rows.enumerated() {
                let blanks = (seed >> index) % 3
                for _ in 0..<blanks {
                    text.append(Data((index % 2 == 0 ? " \r\n" : "\n").utf8))
                    line += 1
                }
                expectedLines.append(line)
                text.append(try encoder.encode(row))
                text.append(Data((seed % 2 == 0 ? "\n" : "\r\n").utf8))
                line += 1
            }
            let records = try JSONLReader.decode(MCQRow.self, from: text, file: "rows.jsonl")
            #expect(records.map(\.value) == rows)
            #expect(records.map(\.line) == expectedLines)
        }
    }

    /// Arbitrary text never traps: either rows, or a ``LoadError`` naming the file and a line inside it.
    @Test func arbitraryTextGivesRowsOrALineError() async {
        let lines = Generator<String, Shrink.None<String>> { rng in
            let pieces = [
                #"{"id":"a","question":"q","choices":[],"answer":1}"#, "{", "}", "[", "]", "\"", ",", ":", "null",
                "\n", "\r\n", " ", "\"id\"", "\"choices\"", "1e5", "-", "\\u00e9", "\\ud800",
            ]
            return (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                Bool.random(using: &rng)
                    ? pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                    : LoadingGen.string(maxLength: 4, using: &rng)
            }.joined()
        }
        await propertyCheck(count: 1500, input: lines) { text in
            let count = text.unicodeScalars.filter { $0 == "\n" }.count + 1
            do {
                let records = try JSONLReader.decode(MCQRow.self, from: Data(text.utf8), file: "fuzz.jsonl")
                #expect(records.allSatisfy { $0.line >= 1 && $0.line <= count })
            } catch let error as LoadError {
                #expect(error.file == "fuzz.jsonl")
                #expect((error.line ?? 0) >= 1 && (error.line ?? 0) <= count, "\(error)")
                #expect(!error.message.isEmpty)
                #expect(error.description.hasPrefix("fuzz.jsonl:\(error.line ?? 0): "))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}

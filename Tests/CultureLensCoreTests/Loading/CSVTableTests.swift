import CultureLensCore
import CultureLensFormats
import CultureLensTesting
import Foundation
import PropertyBased
import Testing

struct CSVTableTests {
    // MARK: Table tests

    @Test func readsQuotedFieldsEmbeddedSeparatorsAndLineBreaks() throws {
        let text =
            "\u{FEFF},id,question,options\r\n"
            + "0,q1,\"Is it \"\"polite\"\", here?\",\"['Yes', \"\"No, it's not\"\"]\"\r\n"
            + "1,q2,\"two\nlines\",\r\n"
            + "\n"
            + "2,q3,\"CRLF\r\ninside\",\"\"\r\n"
            + "3,q4,last,no newline at end"
        let table = try CSVTable(text: text, file: "fixture.csv")
        #expect(table.header == ["", "id", "question", "options"])
        #expect(table.rows.count == 4)
        #expect(table.rows.map(\.line) == [2, 3, 6, 8])
        #expect(table.rows.map(\.index) == [0, 1, 2, 3])
        #expect(table.rows[0]["question"] == "Is it \"polite\", here?")
        #expect(table.rows[0]["options"] == "['Yes', \"No, it's not\"]")
        #expect(table.rows[1]["question"] == "two\nlines")
        #expect(table.rows[1]["options"] == "")
        #expect(table.rows[2]["question"] == "CRLF\r\ninside")
        #expect(table.rows[3]["options"] == "no newline at end")
        #expect(table.rows[3][""] == "3")
        #expect(table.rows[3]["missing"] == nil)
        #expect(table.columnIndex("id") == 1)
    }

    @Test func loneCarriageReturnsEndRecords() throws {
        let table = try CSVTable(text: "a,b\r1,2\r3,4", file: "mac.csv")
        #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func trailingCommaMeansAnEmptyLastField() throws {
        let table = try CSVTable(text: "a,b\n1,\n,\n", file: "empty.csv")
        #expect(table.rows.map(\.fields) == [["1", ""], ["", ""]])
    }

    @Test(
        arguments: [
            // (text, line, field, message prefix)
            ("a,b\n1,2,3\n", 2, nil, "record has 3 field(s) but the header has 2"),
            ("a,b\n1\n", 2, nil, "record has 1 field(s) but the header has 2"),
            ("a,b\n1,\"open\n\nstill open", 2, "b", "unterminated quoted field (the quote opens on line 2)"),
            ("a,b\n1,2\n3,\"x\"y\n", 3, "b", "unexpected text after the closing quote on line 3"),
            ("a,b\n1,2\n\n3,x\"y\n", 4, "b", "a quote inside an unquoted field"),
            ("a,b\n\"multi\nline\",\"x\"\"\"z\n", 2, "b", "unexpected text after the closing quote on line 3"),
            ("\"h\"x,b\n", 1, "#1", "unexpected text after the closing quote"),
        ] as [(String, Int, String?, String)]
    )
    func malformedRecordsNameFileLineAndField(text: String, line: Int, field: String?, message: String) {
        do {
            let table = try CSVTable(text: text, file: "bad.csv")
            Issue.record("parsed \(text.debugDescription) into \(table.rows.map(\.fields))")
        } catch {
            #expect(error.file == "bad.csv")
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.message.hasPrefix(message), "\(error)")
            #expect(error.description.hasPrefix("bad.csv:\(line):"))
        }
    }

    @Test func invalidUTF8IsAnError() {
        let data = Data("a,b\n1,".utf8) + Data([0xC3, 0x28]) + Data("\n".utf8)
        #expect(throws: LoadError(file: "latin.csv", line: 2, field: "b", message: "invalid UTF-8")) {
            try CSVTable(data: data, file: "latin.csv")
        }
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: LoadError(file: "empty.csv", message: "empty file: expected a header row")) {
            try CSVTable(text: "\n\r\n", file: "empty.csv")
        }
    }

    @Test func fieldErrorsNameTheColumnAndLine() throws {
        let text = """
            question,selections,options,source
            "Q one","defaultdict(<class 'list'>, {'Belgium': [0.5, 0.5]})","['Yes', 'No']",GAS
            "Q two","defaultdict(<class 'list'>, {'Belgium': [0.5, 0.5}})","['Yes', 'No']",GAS
            """
        let table = try CSVTable(text: text, file: "data.csv")
        try table.requireColumns(["question", "selections", "options"])
        let first = try table.rows[0].value("selections") { try PythonLiteral.parse($0) }
        #expect(first["Belgium"]?.elements?.count == 2)
        do {
            _ = try table.rows[1].value("selections") { try PythonLiteral.parse($0) }
            Issue.record("the malformed selections cell parsed")
        } catch {
            #expect(
                error.description
                    == "data.csv:3: field 'selections': expected ',' or ']' at offset 49 (line 1, column 50), found '}'"
            )
            #expect(error.row == 1)
        }
        #expect(throws: LoadError.self) { try table.rows[0].value("country") }
        do {
            try table.requireColumns(["question", "country"])
        } catch {
            #expect(error.field == "country")
            #expect(error.message.contains("'selections'"))
        }
    }

    @Test func renderQuotesOnlyWhatNeedsIt() {
        let text = CSVTable.render(
            header: ["a", "b"],
            rows: [["plain", "with, comma"], ["quote \"x\"", "two\nlines"]]
        )
        #expect(text == "a,b\nplain,\"with, comma\"\n\"quote \"\"x\"\"\",\"two\nlines\"\n")
        #expect(CSVTable.render(header: ["only"], rows: [[""]]) == "only\n\"\"\n")
    }

    // MARK: Real data: BLEnD questions

    /// Every BLEnD question file: 500 records, the unnamed pandas index column, record lines 2…501, and the total
    /// length of all fields in Unicode scalars as Python's csv module reads them.
    @Test(.requiresTestData("blend"), arguments: [
        ("Algeria", 84457), ("Assam", 85252), ("Azerbaijan", 92543), ("China", 64556), ("Ethiopia", 79896),
        ("Greece", 95465), ("Indonesia", 95349), ("Iran", 84507), ("Mexico", 94079), ("North_Korea", 74516),
        ("Northern_Nigeria", 100483), ("South_Korea", 75866), ("Spain", 92805), ("UK", 87789), ("US", 87719),
        ("West_Java", 94660),
    ])
    func readsBLEnDQuestionFile(region: String, totalScalars: Int) throws {
        let url = LoadingFixtures.url("blend/questions/\(region)_questions.csv")
        let table = try CSVTable(contentsOf: url, file: "\(region)_questions.csv")
        #expect(table.header == ["", "ID", "Topic", "Source", "Question", "Translation"])
        #expect(table.rows.count == 500)
        #expect(table.rows.first?.line == 2)
        #expect(table.rows.last?.line == 501)
        // The unnamed first column is pandas' 0-based row index.
        #expect(table.rows.map { $0[""] } == (0..<500).map { String($0) })
        #expect(table.rows.allSatisfy { !($0["ID"] ?? "").isEmpty })
        // `Translation` is the English text in every file (benchmarks.md §3 and §9). The notes say 500/500 rows
        // are ASCII; in fact one row per file has a typographic apostrophe ("subject’s"), so 499 are.
        let nonASCII = table.rows.filter { !($0["Translation"] ?? "").unicodeScalars.allSatisfy(\.isASCII) }
        #expect(nonASCII.count == 1)
        #expect(nonASCII.first?["Translation"]?.contains("subject\u{2019}s") == true)
        let scalars = table.rows.reduce(0) { sum, row in sum + row.fields.reduce(0) { $0 + $1.unicodeScalars.count } }
        #expect(scalars == totalScalars)
    }

    @Test(.requiresTestData("blend")) func readsEveryBLEnDCSVFile() throws {
        let fileManager = FileManager.default
        var total = 0
        for folder in ["questions", "prompts"] {
            let directory = LoadingFixtures.url("blend/\(folder)")
            let names = try fileManager.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
                .sorted()
            #expect(names.count == 16)
            for name in names {
                let table = try CSVTable(contentsOf: directory.appendingPathComponent(name), file: name)
                #expect(!table.rows.isEmpty, "\(name)")
                total += table.rows.count
            }
        }
        #expect(total >= 16 * 500)
    }

    // MARK: Properties

    /// Tables of tricky strings, written with LF, CRLF or CR line endings and an optional BOM, read back equal,
    /// with each record's physical start line.
    @Test func renderedTablesRoundTrip() async {
        let tables = Generator<GeneratedTable, Shrink.None<GeneratedTable>> { rng in
            let columns = Int.random(in: 1...5, using: &rng)
            let header = (0..<columns).map { "c\($0)" + LoadingGen.string(maxLength: 3, using: &rng) }
            let rows = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                (0..<columns).map { _ in LoadingGen.string(maxLength: 12, using: &rng) }
            }
            return GeneratedTable(header: header, rows: rows)
        }
        await propertyCheck(count: 400, input: tables, Gen.int(in: 0...2), Gen<Bool>.bool) { table, ending, bom in
            let terminator = ["\n", "\r\n", "\r"][ending]
            var text = bom ? "\u{FEFF}" : ""
            var expectedLines: [Int] = []
            var line = 1
            for (index, record) in ([table.header] + table.rows).enumerated() {
                if index > 0 { expectedLines.append(line) }
                let rendered = record.map { field -> String in
                    let quote =
                        field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
                        || (record.count == 1 && field.isEmpty)
                    return quote ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: ",")
                text += rendered + terminator
                line += Self.lineBreaks(in: rendered + terminator)
            }
            let parsed = try CSVTable(text: text, file: "generated.csv")
            #expect(parsed.header == table.header)
            #expect(parsed.rows.map(\.fields) == table.rows)
            #expect(parsed.rows.map(\.line) == expectedLines)
            // The library's own writer round-trips too.
            let again = try CSVTable(text: CSVTable.render(header: table.header, rows: table.rows), file: "render.csv")
            #expect(again.rows.map(\.fields) == table.rows)
        }
    }

    /// Arbitrary bytes never trap: either a table, or a ``LoadError`` naming the file and a line inside it.
    @Test func arbitraryBytesGiveATableOrALineError() async {
        await propertyCheck(count: 2000, input: LoadingGen.bytes(maxLength: 60)) { bytes in
            let lines = Self.lineBreaks(in: String(decoding: bytes, as: UTF8.self)) + 1
            do {
                let table = try CSVTable(data: Data(bytes), file: "fuzz.csv")
                #expect(table.rows.allSatisfy { $0.fields.count == table.header.count })
                #expect(table.rows.allSatisfy { $0.line >= 1 && $0.line <= lines })
            } catch let error as LoadError {
                #expect(error.file == "fuzz.csv")
                if let line = error.line { #expect(line >= 1 && line <= lines, "\(error)") }
                #expect(!error.message.isEmpty)
                #expect(error.description.hasPrefix("fuzz.csv:"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    /// LF, plus CR not followed by LF: the physical line breaks the reader counts.
    static func lineBreaks(in text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        var count = 0
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" || (scalar == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n")) {
                count += 1
            }
        }
        return count
    }
}

struct GeneratedTable: Sendable {
    var header: [String]
    var rows: [[String]]
}

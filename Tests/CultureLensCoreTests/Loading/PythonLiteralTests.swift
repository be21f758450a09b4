import CultureLensCore
import Foundation
import PropertyBased
import Testing

@testable import CultureLensFormats

struct PythonLiteralTests {
    // MARK: Table tests

    @Test(arguments: [
        ("'plain'", PythonValue.string("plain")),
        ("\"double\"", .string("double")),
        (#"'it\'s'"#, .string("it's")),
        (#""No, it's not""#, .string("No, it's not")),
        (#"'say "hi"'"#, .string("say \"hi\"")),
        (#"'both \' and "'"#, .string("both ' and \"")),
        (#""esc \" in double""#, .string("esc \" in double")),
        (#"'back\\slash'"#, .string("back\\slash")),
        (#"'tab\there\nnewline\rcr'"#, .string("tab\there\nnewline\rcr")),
        (#"'\x41\xe9\u00e9\u4e2d\U0001f30d'"#, .string("Aéé中🌍")),
        (#"'\0\101\7'"#, .string("\u{0}A\u{7}")),
        ("'Côte d’Ivoire 한국 العربية'", .string("Côte d’Ivoire 한국 العربية")),
        ("''", .string("")),
        ("\"\"", .string("")),
        ("'line\\\ncontinued'", .string("linecontinued")),
        ("0", .int(0)),
        ("-17", .int(-17)),
        ("+5", .int(5)),
        ("- 3", .int(-3)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
        ("0.25", .float(0.25)),
        ("-0.5", .float(-0.5)),
        ("1e-3", .float(0.001)),
        ("1E+3", .float(1000)),
        ("2.5e-05", .float(2.5e-5)),
        (".5", .float(0.5)),
        ("5.", .float(5)),
        ("1.e2", .float(100)),
        ("True", .bool(true)),
        ("False", .bool(false)),
        ("None", .none),
        ("[]", .list([])),
        ("[1, 2,]", .list([.int(1), .int(2)])),
        ("()", .tuple([])),
        ("(1,)", .tuple([.int(1)])),
        ("(1)", .int(1)),
        ("(1, 'a', None)", .tuple([.int(1), .string("a"), .none])),
        ("{}", .dict([])),
        ("  [ 1 ,\n  2 ]\n", .list([.int(1), .int(2)])),
        (
            "{'a': [0.5, 0.5], 1: (True,)}",
            .dict([
                PythonDictEntry(key: .string("a"), value: .list([.float(0.5), .float(0.5)])),
                PythonDictEntry(key: .int(1), value: .tuple([.bool(true)])),
            ])
        ),
        ("defaultdict(<class 'list'>, {})", .defaultdict(factory: "list", entries: [])),
    ])
    func parsesLiterals(text: String, expected: PythonValue) throws {
        #expect(try PythonLiteral.parse(text) == expected)
    }

    /// The shape of GlobalOpinionQA's `selections` and `options` cells (values invented for this test).
    @Test func parsesGlobalOpinionQAShapedCells() throws {
        let selections = """
            defaultdict(<class 'list'>, {'Belgium': [0.41, 0.37, 0.15, 0.05, 0.02], "Côte d'Ivoire": [0.2, 0.3, \
            0.3, 0.1, 0.1], 'Korea, South': [1e-05, 0.5, 0.25, 0.24999, 0.0], 'Bosnia "and" Herzegovina': [0.0, \
            0.0, 0.0, 0.0, 1.0]})
            """
        let value = try PythonLiteral.parse(selections)
        guard case .defaultdict(let factory, let entries) = value else {
            Issue.record("expected a defaultdict, got \(value.typeName)")
            return
        }
        #expect(factory == "list")
        #expect(
            entries.map { $0.key.stringValue } == [
                "Belgium", "Côte d'Ivoire", "Korea, South", "Bosnia \"and\" Herzegovina",
            ]
        )
        #expect(value["Côte d'Ivoire"]?.elements?.compactMap(\.doubleValue) == [0.2, 0.3, 0.3, 0.1, 0.1])
        #expect(value["Korea, South"]?.elements?.first?.doubleValue == 1e-05)
        #expect(value["Nowhere"] == nil)

        let options = #"['Yes', "No, it's not", 'Don\'t know', 'Refused (DO NOT READ)', "Somewhat \"likely\""]"#
        let parsed = try PythonLiteral.parse(options)
        #expect(
            parsed.elements?.compactMap(\.stringValue) == [
                "Yes", "No, it's not", "Don't know", "Refused (DO NOT READ)", "Somewhat \"likely\"",
            ]
        )
    }

    @Test(arguments: [
        // (input, expected message prefix, offset, line, column)
        ("[1, 2", "expected ',' or ']'", 5, 1, 6),
        ("[1 2]", "expected ',' or ']'", 3, 1, 4),
        ("['a', 'b'}", "expected ',' or ']'", 9, 1, 10),
        ("{'a' 1}", "expected ':'", 5, 1, 6),
        ("{'a', 'b'}", "expected ':' (sets are not supported)", 4, 1, 5),
        ("'unterminated", "unterminated string literal", 13, 1, 14),
        ("'broken\nline'", "unterminated string literal", 7, 1, 8),
        ("nan", "non-finite float 'nan'", 0, 1, 1),
        ("[0.5, -inf]", "non-finite float '-inf'", 6, 1, 7),
        ("[0.5,\n inf]", "non-finite float 'inf'", 7, 2, 2),
        ("1e999", "float literal overflows", 0, 1, 1),
        ("99999999999999999999", "integer literal 99999999999999999999 does not fit", 0, 1, 1),
        ("007", "leading zeros", 0, 1, 1),
        ("0x1F", "invalid number literal", 0, 1, 1),
        ("1_000", "invalid number literal", 0, 1, 1),
        ("1j", "invalid number literal", 0, 1, 1),
        ("1e", "expected digits in the exponent", 2, 1, 3),
        ("'\\q'", "invalid escape sequence '\\q'", 1, 1, 2),
        ("'\\x4'", "truncated \\x escape", 1, 1, 2),
        ("'\\ud800'", "escape \\u does not name a Unicode scalar", 1, 1, 2),
        ("u'text'", "string prefix 'u' is not supported", 0, 1, 1),
        ("'a' 'b'", "implicit string concatenation", 4, 1, 5),
        ("{'a': 1, 'a': 2}", "duplicate dict key 'a'", 9, 1, 10),
        ("{[1]: 2}", "unhashable type 'list'", 1, 1, 2),
        ("[1] [2]", "expected end of input", 4, 1, 5),
        ("", "expected a value", 0, 1, 1),
        ("   ", "expected a value", 3, 1, 4),
        ("[1, # comment\n]", "expected a value", 4, 1, 5),
        ("foo", "expected a value", 0, 1, 1),
        ("-True", "expected a number after '-'", 1, 1, 2),
        ("defaultdict(list, {})", "expected '<class ...>'", 12, 1, 13),
        ("defaultdict(<class 'list'> {})", "expected ',' after the defaultdict factory", 27, 1, 28),
        ("defaultdict(<class 'list'>, [])", "expected '{'", 28, 1, 29),
        ("defaultdict(<class 'list'>, {}", "expected ')'", 30, 1, 31),
        ("{'x':\r\n [1,\r\n 2", "expected ',' or ']'", 15, 3, 3),
    ])
    func rejectsMalformedLiteralsWithPosition(input: String, message: String, offset: Int, line: Int, column: Int) {
        do {
            let value = try PythonLiteral.parse(input)
            Issue.record("parsed \(input.debugDescription) as \(value)")
        } catch {
            #expect(error.message.hasPrefix(message), "message was: \(error.message)")
            #expect(error.offset == offset, "\(error)")
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
        }
    }

    @Test func errorDescriptionNamesOffsetLineColumnAndWhatWasFound() {
        #expect(throws: PythonLiteralError.self) { try PythonLiteral.parse("['a', 'b'}") }
        do {
            _ = try PythonLiteral.parse("['a', 'b'}")
        } catch {
            #expect(error.description == "expected ',' or ']' at offset 9 (line 1, column 10), found '}'")
        }
        do {
            _ = try PythonLiteral.parse("[1, 2")
        } catch {
            #expect(error.description == "expected ',' or ']' at offset 5 (line 1, column 6), found end of input")
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100_000)
        do {
            _ = try PythonLiteral.parse(deep)
            Issue.record("parsed 100000 open brackets")
        } catch {
            #expect(error.message == "nesting deeper than 64 levels")
            #expect(error.offset == 64)
        }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? PythonLiteral.parse(ok)) != nil)
        #expect((try? PythonLiteral.parse(ok, maxDepth: 63)) == nil)
        let tuples = String(repeating: "(1, ", count: 70) + String(repeating: ")", count: 70)
        #expect((try? PythonLiteral.parse(tuples)) == nil)
    }

    @Test(arguments: [
        (PythonValue.string("it's"), #""it's""#),
        (.string("both ' and \""), #"'both \' and "'"#),
        (.string("tab\tnl\nbell\u{7}nbsp\u{A0}é"), #"'tab\tnl\nbell\x07nbsp\xa0é'"#),
        (.string("\u{2028}\u{FEFF}\u{E000}"), #"'\u2028\ufeff\ue000'"#),
        (.float(1e-5), "1e-05"),
        (.float(0.1), "0.1"),
        (.float(100), "100.0"),
        (.tuple([.int(1)]), "(1,)"),
        (
            .defaultdict(factory: "list", entries: [PythonDictEntry(key: .string("a"), value: .list([.float(0.5)]))]),
            "defaultdict(<class 'list'>, {'a': [0.5]})"
        ),
    ])
    func reprMatchesCPython(value: PythonValue, expected: String) {
        #expect(value.pythonRepr == expected)
    }

    // MARK: Properties

    @Test func reprRoundTrips() async {
        await propertyCheck(count: 500, input: LoadingGen.python) { value in
            let text = value.pythonRepr
            let parsed = try PythonLiteral.parse(text)
            #expect(parsed == value, "repr: \(text)")
        }
    }

    @Test func globalOpinionShapedSelectionsRoundTrip() async {
        await propertyCheck(count: 300, input: LoadingGen.selections) { value in
            let parsed = try PythonLiteral.parse(value.pythonRepr)
            #expect(parsed == value)
            for entry in parsed.entries ?? [] {
                let shares = entry.value.elements?.compactMap(\.doubleValue) ?? []
                #expect(shares.count == entry.value.elements?.count)
            }
        }
    }

    /// Arbitrary text never traps; a failure is a ``PythonLiteralError`` whose position is inside the text.
    @Test func arbitraryTextGivesAValueOrAPositionedError() async {
        await propertyCheck(count: 2000, input: LoadingGen.text(maxLength: 40)) { text in
            Self.checkParseOrError(text)
        }
    }

    /// Corrupting valid reprs (deleting, duplicating, truncating, inserting) never traps.
    @Test func corruptedReprsGiveAValueOrAPositionedError() async {
        await propertyCheck(
            count: 1000,
            input: LoadingGen.python,
            Gen.int(in: 0...10_000),
            Gen.int(in: 0...3)
        ) { value, position, mutation in
            var scalars = Array(value.pythonRepr.unicodeScalars)
            guard !scalars.isEmpty else { return }
            let index = position % scalars.count
            switch mutation {
            case 0: scalars.remove(at: index)
            case 1: scalars.insert(scalars[index], at: index)
            case 2: scalars.removeSubrange(index...)
            default: scalars.insert(["'", "\"", "\\", "[", "}", ",", ":", "("][position % 8], at: index)
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            Self.checkParseOrError(String(view))
        }
    }

    static func checkParseOrError(_ text: String) {
        let count = text.unicodeScalars.count
        do {
            let value = try PythonLiteral.parse(text)
            // Whatever parses must print back to something that parses to the same value.
            #expect(try PythonLiteral.parse(value.pythonRepr) == value)
        } catch {
            #expect(error.offset >= 0 && error.offset <= count, "\(error) for \(text.debugDescription)")
            #expect(error.line >= 1 && error.column >= 1)
            #expect(!error.message.isEmpty)
            #expect(
                error.description.contains("at offset \(error.offset) (line \(error.line), column \(error.column))")
            )
        }
    }
}

import CultureLensTesting
import Foundation
import Testing

/// Paths of the third-party test data (``TestData``).
enum StatisticsFixtures {
    static func url(_ relativePath: String) -> URL {
        TestData.url(relativePath)
    }

    /// The rows of a CSV fixture as dictionaries keyed by header.
    static func csv(_ relativePath: String) throws -> [[String: String]] {
        let text = try String(contentsOf: url(relativePath), encoding: .utf8)
        return try FixtureCSV.records(text)
    }
}

/// A small RFC 4180 CSV reader for test fixtures only (quoted fields, doubled quotes, separators and newlines
/// inside quotes, CRLF). The product's loader lives elsewhere; this one just has to read the shared fixtures.
enum FixtureCSV {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStarted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        func nextScalar() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        while let scalar = nextScalar() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = nextScalar() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = true
            case "\r":
                if let following = nextScalar(), following != "\n" { pending = following }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if inQuotes { throw ParseError(description: "unterminated quoted field") }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    static func records(_ text: String) throws -> [[String: String]] {
        var all = try rows(text)
        guard !all.isEmpty else { return [] }
        var header = all.removeFirst()
        if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
        return try all.enumerated().map { number, row in
            guard row.count == header.count else {
                throw ParseError(description: "row \(number + 2) has \(row.count) fields, header has \(header.count)")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, row))
        }
    }
}

/// A minimal reader of Python literal reprs as found in the RnR CSVs: dicts, lists, tuples, strings ('…' or "…"
/// with backslash escapes), numbers, None/True/False.
indirect enum FixtureLiteral: Equatable {
    case string(String)
    case number(Double)
    case list([FixtureLiteral])
    case dict([(key: FixtureLiteral, value: FixtureLiteral)])
    case none
    case bool(Bool)

    static func == (lhs: FixtureLiteral, rhs: FixtureLiteral) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.dict(let a), .dict(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.none, .none): true
        case (.bool(let a), .bool(let b)): a == b
        default: false
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> FixtureLiteral {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.position == parser.scalars.count else { throw ParseError(description: "trailing text in \(text)") }
        return value
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var list: [FixtureLiteral]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// Dict entries with string keys, in source order.
    var stringKeyedEntries: [(key: String, value: FixtureLiteral)]? {
        guard case .dict(let entries) = self else { return nil }
        var result: [(key: String, value: FixtureLiteral)] = []
        for entry in entries {
            guard let key = entry.key.string else { return nil }
            result.append((key, entry.value))
        }
        return result
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        mutating func skipSpace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }

        mutating func value() throws -> FixtureLiteral {
            skipSpace()
            guard position < scalars.count else { throw ParseError(description: "unexpected end") }
            let scalar = scalars[position]
            switch scalar {
            case "'", "\"": return .string(try string(quote: scalar))
            case "[": return .list(try sequence(close: "]"))
            case "(": return .list(try sequence(close: ")"))
            case "{": return try dict()
            default: return try bare()
            }
        }

        mutating func string(quote: Unicode.Scalar) throws -> String {
            position += 1
            var result = String.UnicodeScalarView()
            while position < scalars.count {
                let scalar = scalars[position]
                position += 1
                if scalar == quote { return String(result) }
                if scalar == "\\", position < scalars.count {
                    let escaped = scalars[position]
                    position += 1
                    switch escaped {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    default: result.append(escaped)
                    }
                } else {
                    result.append(scalar)
                }
            }
            throw ParseError(description: "unterminated string")
        }

        mutating func sequence(close: Unicode.Scalar) throws -> [FixtureLiteral] {
            position += 1
            var items: [FixtureLiteral] = []
            while true {
                skipSpace()
                guard position < scalars.count else { throw ParseError(description: "unterminated sequence") }
                if scalars[position] == close {
                    position += 1
                    return items
                }
                items.append(try value())
                skipSpace()
                if position < scalars.count, scalars[position] == "," { position += 1 }
            }
        }

        mutating func dict() throws -> FixtureLiteral {
            position += 1
            var entries: [(key: FixtureLiteral, value: FixtureLiteral)] = []
            while true {
                skipSpace()
                guard position < scalars.count else { throw ParseError(description: "unterminated dict") }
                if scalars[position] == "}" {
                    position += 1
                    return .dict(entries)
                }
                let key = try value()
                skipSpace()
                guard position < scalars.count, scalars[position] == ":" else {
                    throw ParseError(description: "expected ':' in dict")
                }
                position += 1
                entries.append((key, try value()))
                skipSpace()
                if position < scalars.count, scalars[position] == "," { position += 1 }
            }
        }

        mutating func bare() throws -> FixtureLiteral {
            var token = ""
            while position < scalars.count, !",]})".unicodeScalars.contains(scalars[position]),
                !scalars[position].properties.isWhitespace
            {
                token.unicodeScalars.append(scalars[position])
                position += 1
            }
            switch token {
            case "None": return .none
            case "True": return .bool(true)
            case "False": return .bool(false)
            default:
                guard let number = Double(token) else { throw ParseError(description: "cannot read '\(token)'") }
                return .number(number)
            }
        }
    }
}

struct StatisticsFixtureSupportTests {
    @Test func csvReaderHandlesQuotesSeparatorsAndNewlines() throws {
        let rows = try FixtureCSV.rows("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",\n")
        #expect(rows == [["a", "b", "c"], ["1", "x, \"y\"\nz", ""]])
    }

    @Test func literalReaderReadsPythonReprs() throws {
        let value = try FixtureLiteral.parse("{'a': 0.5, \"b's\": [1, 'x', None], 'c': (True,)}")
        let entries = try #require(value.stringKeyedEntries)
        #expect(entries.map(\.key) == ["a", "b's", "c"])
        #expect(entries[0].value == .number(0.5))
        #expect(entries[1].value == .list([.number(1), .string("x"), .none]))
        #expect(entries[2].value == .list([.bool(true)]))
    }
}

/// A fixture that does not have the expected shape.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

extension Dictionary where Key == String, Value == String {
    /// The field, or a `FixtureError` naming it.
    func text(_ key: String) throws -> String {
        guard let value = self[key] else { throw FixtureError(description: "missing field \(key)") }
        return value
    }

    /// The field parsed as a number.
    func number(_ key: String) throws -> Double {
        guard let value = Double(try text(key)) else { throw FixtureError(description: "\(key) is not a number") }
        return value
    }

    /// The field parsed as an integer.
    func integer(_ key: String) throws -> Int {
        guard let value = Int(try text(key)) else { throw FixtureError(description: "\(key) is not an integer") }
        return value
    }

    /// The field parsed as a Python literal.
    func literal(_ key: String) throws -> FixtureLiteral {
        try FixtureLiteral.parse(try text(key))
    }
}

extension FixtureLiteral {
    func requireString() throws -> String {
        guard let value = string else { throw FixtureError(description: "not a string: \(self)") }
        return value
    }

    func requireNumber() throws -> Double {
        guard let value = number else { throw FixtureError(description: "not a number: \(self)") }
        return value
    }

    func requireList() throws -> [FixtureLiteral] {
        guard let value = list else { throw FixtureError(description: "not a list: \(self)") }
        return value
    }

    /// A dict with string keys and numeric values, in source order.
    func requireNumberEntries() throws -> [(key: String, value: Double)] {
        guard let entries = stringKeyedEntries else { throw FixtureError(description: "not a string-keyed dict") }
        return try entries.map { ($0.key, try $0.value.requireNumber()) }
    }
}

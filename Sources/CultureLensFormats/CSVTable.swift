import Foundation

/// A CSV file read whole: a header row and the records after it, each remembering the physical line it starts on.
///
/// The reader follows RFC 4180 strictly, with the relaxations every real file needs:
/// - fields may be quoted with `"`; inside quotes, `""` is a literal quote and commas, CR and LF are data;
/// - records end with LF, CRLF or a lone CR; the last record may lack a line ending;
/// - a UTF-8 byte-order mark at the start is skipped;
/// - completely empty lines between records are skipped (as pandas and Python's `csv` do).
///
/// Rejected with a ``LoadError`` naming the file, the line where the record starts and the field: a quote inside an
/// unquoted field, text after a closing quote, an unterminated quoted field, invalid UTF-8, a record whose field
/// count differs from the header's, and an empty file.
///
/// Columns are looked up by their header name; an unnamed column (BLEnD's leading pandas index) has the name `""`.
/// If two columns share a name, lookup finds the first.
public struct CSVTable: Sendable {
    /// The file name used in errors.
    public let file: String
    /// The header row's names, in order.
    public let header: [String]
    /// The data records, in file order.
    public let rows: [CSVRow]
    /// The 1-based line of the header row (1, unless blank lines precede it).
    public let headerLine: Int
    private let columns: [String: Int]

    /// Parses CSV bytes.
    /// - Parameters:
    ///   - data: The file's bytes (UTF-8, optionally with a BOM).
    ///   - file: The name to use in errors, e.g. the path as the user gave it.
    public init(data: Data, file: String) throws(LoadError) {
        let records = try CSVParser.parse(Array(data), file: file)
        guard let first = records.first else {
            throw LoadError(file: file, message: "empty file: expected a header row")
        }
        var columns: [String: Int] = [:]
        for (index, name) in first.fields.enumerated() where columns[name] == nil {
            columns[name] = index
        }
        self.file = file
        self.header = first.fields
        self.headerLine = first.line
        self.columns = columns
        var rows: [CSVRow] = []
        rows.reserveCapacity(records.count - 1)
        for (index, record) in records.dropFirst().enumerated() {
            guard record.fields.count == first.fields.count else {
                throw LoadError(
                    file: file,
                    line: record.line,
                    message: "record has \(record.fields.count) field(s) but the header has \(first.fields.count)"
                )
            }
            rows.append(CSVRow(file: file, line: record.line, index: index, fields: record.fields, columns: columns))
        }
        self.rows = rows
    }

    /// Parses CSV text.
    public init(text: String, file: String) throws(LoadError) {
        try self.init(data: Data(text.utf8), file: file)
    }

    /// Reads and parses a CSV file.
    /// - Parameters:
    ///   - url: The file.
    ///   - file: The name to use in errors (default: the path).
    public init(contentsOf url: URL, file: String? = nil) throws(LoadError) {
        let name = file ?? url.path
        let data = try LoadError.contents(of: url, file: name)
        try self.init(data: data, file: name)
    }

    /// The index of the first column named `name`.
    public func columnIndex(_ name: String) -> Int? { columns[name] }

    /// Checks that every column in `names` exists.
    /// - Throws: ``LoadError`` naming the first missing column and the columns present.
    public func requireColumns(_ names: [String]) throws(LoadError) {
        for name in names where columns[name] == nil {
            throw LoadError(
                file: file,
                line: headerLine,
                field: name,
                message: "missing column (the header has: \(header.map { "'\($0)'" }.joined(separator: ", ")))"
            )
        }
    }

    /// Writes rows as RFC 4180 CSV with LF line endings, quoting only the fields that need it (and an empty field
    /// that is alone on its line, so it is not read back as a blank line).
    public static func render(header: [String], rows: [[String]]) -> String {
        var output = ""
        for record in [header] + rows {
            for (index, field) in record.enumerated() {
                if index > 0 { output += "," }
                let needsQuotes =
                    field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
                    || (record.count == 1 && field.isEmpty)
                if needsQuotes {
                    output += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                } else {
                    output += field
                }
            }
            output += "\n"
        }
        return output
    }
}

/// One data record of a ``CSVTable``.
public struct CSVRow: Sendable {
    /// The file name used in errors.
    public let file: String
    /// The 1-based physical line where the record starts.
    public let line: Int
    /// The 0-based index among the data records (the header is not counted).
    public let index: Int
    /// The fields, in header order.
    public let fields: [String]
    private let columns: [String: Int]

    init(file: String, line: Int, index: Int, fields: [String], columns: [String: Int]) {
        self.file = file
        self.line = line
        self.index = index
        self.fields = fields
        self.columns = columns
    }

    /// The field in the column named `column`, or `nil` if there is no such column.
    public subscript(column: String) -> String? {
        columns[column].map { fields[$0] }
    }

    /// The field in the column named `column`.
    /// - Throws: ``LoadError`` if the column does not exist.
    public func value(_ column: String) throws(LoadError) -> String {
        guard let index = columns[column] else {
            throw error(column, "missing column")
        }
        return fields[index]
    }

    /// The field in `column`, passed through `transform`; any error `transform` throws becomes a ``LoadError``
    /// naming this file, line and column (a ``LoadError`` thrown by `transform` keeps its message).
    public func value<T>(_ column: String, _ transform: (String) throws -> T) throws(LoadError) -> T {
        let raw = try value(column)
        do {
            return try transform(raw)
        } catch let error as LoadError {
            throw self.error(column, error.message)
        } catch {
            throw self.error(column, String(describing: error))
        }
    }

    /// An error about `column` of this record.
    public func error(_ column: String?, _ message: String) -> LoadError {
        LoadError(file: file, line: line, row: index, field: column, message: message)
    }
}

/// The byte-level RFC 4180 scanner.
package enum CSVParser {
    package struct Record {
        package var line: Int
        package var fields: [String]
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    package static func parse(_ bytes: [UInt8], file: String) throws(LoadError) -> [Record] {
        var records: [Record] = []
        var header: [String]?
        var position = 0
        var line = 1
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }

        func fieldName(_ index: Int) -> String {
            if let header, index < header.count { return header[index] }
            return "#\(index + 1)"
        }

        while position < count {
            // Skip blank lines between records.
            if bytes[position] == lf {
                position += 1
                line += 1
                continue
            }
            if bytes[position] == cr {
                position += 1
                if position < count, bytes[position] == lf { position += 1 }
                line += 1
                continue
            }
            let recordLine = line
            var fields: [String] = []
            var endOfRecord = false
            while !endOfRecord {
                let fieldIndex = fields.count
                var fieldBytes: ArraySlice<UInt8>
                var unescaped: [UInt8] = []
                var quoted = false
                if position < count, bytes[position] == quote {
                    quoted = true
                    let openLine = line
                    position += 1
                    var closed = false
                    while position < count {
                        let byte = bytes[position]
                        if byte == quote {
                            if position + 1 < count, bytes[position + 1] == quote {
                                unescaped.append(quote)
                                position += 2
                                continue
                            }
                            position += 1
                            closed = true
                            break
                        }
                        if byte == lf || (byte == cr && !(position + 1 < count && bytes[position + 1] == lf)) {
                            line += 1
                        }
                        unescaped.append(byte)
                        position += 1
                    }
                    if !closed {
                        throw LoadError(
                            file: file,
                            line: recordLine,
                            field: fieldName(fieldIndex),
                            message: "unterminated quoted field (the quote opens on line \(openLine))"
                        )
                    }
                    if position < count, bytes[position] != comma, bytes[position] != lf, bytes[position] != cr {
                        throw LoadError(
                            file: file,
                            line: recordLine,
                            field: fieldName(fieldIndex),
                            message: "unexpected text after the closing quote on line \(line) "
                                + "(a quote inside a quoted field must be doubled)"
                        )
                    }
                    fieldBytes = []
                } else {
                    let start = position
                    while position < count {
                        let byte = bytes[position]
                        if byte == comma || byte == lf || byte == cr { break }
                        if byte == quote {
                            throw LoadError(
                                file: file,
                                line: recordLine,
                                field: fieldName(fieldIndex),
                                message: "a quote inside an unquoted field (quote the field and double the quote)"
                            )
                        }
                        position += 1
                    }
                    fieldBytes = bytes[start..<position]
                }
                let decoded: String? =
                    quoted
                    ? String(validating: unescaped, as: UTF8.self)
                    : String(validating: fieldBytes, as: UTF8.self)
                guard let text = decoded else {
                    throw LoadError(
                        file: file,
                        line: recordLine,
                        field: fieldName(fieldIndex),
                        message: "invalid UTF-8"
                    )
                }
                fields.append(text)
                if position >= count {
                    endOfRecord = true
                } else if bytes[position] == comma {
                    position += 1
                } else {
                    if bytes[position] == cr {
                        position += 1
                        if position < count, bytes[position] == lf { position += 1 }
                    } else {
                        position += 1
                    }
                    line += 1
                    endOfRecord = true
                }
            }
            if header == nil { header = fields }
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}

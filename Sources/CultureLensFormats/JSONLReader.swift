import Foundation

/// One decoded line of a JSONL file.
public struct JSONLRecord<Value> {
    /// The 1-based physical line.
    public var line: Int
    /// The 0-based index among the non-blank lines.
    public var index: Int
    /// The decoded value.
    public var value: Value

    /// Creates a record.
    public init(line: Int, index: Int, value: Value) {
        self.line = line
        self.index = index
        self.value = value
    }
}

extension JSONLRecord: Sendable where Value: Sendable {}
extension JSONLRecord: Equatable where Value: Equatable {}

/// Reads JSON Lines (one JSON value per line) and JSON-array files into `Decodable` values, with errors that name
/// the file, the line (or the array element) and the field path of the decoding error, e.g.
/// `responses.jsonl:12: field 'choices[2]': expected String, found a number`.
///
/// Lines end with LF or CRLF; blank (whitespace-only) lines are skipped; a UTF-8 byte-order mark is skipped.
public enum JSONLReader {
    /// Decodes every non-blank line of `data` as a `T`.
    /// - Parameters:
    ///   - type: The type of one line.
    ///   - data: The file's bytes.
    ///   - file: The name to use in errors.
    ///   - decoder: The decoder (e.g. with a key strategy).
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from data: Data,
        file: String,
        decoder: JSONDecoder = JSONDecoder()
    ) throws(LoadError) -> [JSONLRecord<T>] {
        var records: [JSONLRecord<T>] = []
        for (line, content) in lines(of: data) {
            do {
                let value = try decoder.decode(T.self, from: content)
                records.append(JSONLRecord(line: line, index: records.count, value: value))
            } catch {
                let (path, message) = describe(error)
                throw LoadError(file: file, line: line, row: records.count, field: fieldPath(path), message: message)
            }
        }
        return records
    }

    /// Reads and decodes a JSONL file.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        contentsOf url: URL,
        file: String? = nil,
        decoder: JSONDecoder = JSONDecoder()
    ) throws(LoadError) -> [JSONLRecord<T>] {
        let name = file ?? url.path
        return try decode(type, from: try read(url, name: name), file: name, decoder: decoder)
    }

    /// Decodes a file holding one JSON array of `T` (e.g. CIVICS' `civics_dataset.json`); errors name the
    /// element's 0-based row index and the field path within it.
    public static func decodeArray<T: Decodable>(
        _ type: T.Type,
        from data: Data,
        file: String,
        decoder: JSONDecoder = JSONDecoder()
    ) throws(LoadError) -> [T] {
        do {
            return try decoder.decode([T].self, from: data)
        } catch {
            var (path, message) = describe(error)
            var row: Int?
            if let first = path.first, let index = first.intValue {
                row = index
                path.removeFirst()
            } else if case .typeMismatch = error as? DecodingError, path.isEmpty {
                message = "expected a JSON array of records: " + message
            }
            throw LoadError(file: file, row: row, field: fieldPath(path), message: message)
        }
    }

    /// Reads and decodes a file holding one JSON array.
    public static func decodeArray<T: Decodable>(
        _ type: T.Type,
        contentsOf url: URL,
        file: String? = nil,
        decoder: JSONDecoder = JSONDecoder()
    ) throws(LoadError) -> [T] {
        let name = file ?? url.path
        return try decodeArray(type, from: try read(url, name: name), file: name, decoder: decoder)
    }

    /// The non-blank lines of `data` with their 1-based line numbers (LF or CRLF endings, BOM skipped).
    public static func lines(of data: Data) -> [(line: Int, content: Data)] {
        var result: [(Int, Data)] = []
        let bytes = [UInt8](data)
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var line = 1
        var index = start
        func emit(_ end: Int) {
            var slice = bytes[start..<end]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            let isBlank = slice.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C }
            if !isBlank { result.append((line, Data(slice))) }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                emit(index)
                line += 1
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { emit(bytes.count) }
        return result
    }

    // MARK: Error description

    private static func read(_ url: URL, name: String) throws(LoadError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw LoadError(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// The coding path (including a missing key) and a message for a decoding error.
    package static func describe(_ error: any Error) -> (path: [any CodingKey], message: String) {
        guard let error = error as? DecodingError else {
            return ([], String(describing: error))
        }
        switch error {
        case .typeMismatch(let type, let context):
            return (context.codingPath, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return (context.codingPath, "expected \(type), found null or nothing")
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key], "missing required field")
        case .dataCorrupted(let context):
            var message = context.debugDescription
            if let underlying = context.underlyingError {
                let detail = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                message += " (" + (detail ?? String(describing: underlying)) + ")"
            }
            return (context.codingPath, context.codingPath.isEmpty ? "invalid JSON: \(message)" : message)
        @unknown default:
            return ([], String(describing: error))
        }
    }

    /// `a.b[2].c`, or `nil` for the root.
    package static func fieldPath(_ keys: [any CodingKey]) -> String? {
        guard !keys.isEmpty else { return nil }
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }
}

public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One decoded line of a JSONL file.
public struct JSONLRecord<Value> {
    /// The 1-based physical line.
    public var line: Int
    /// The 0-based index among the non-blank lines.
    public var index: Int
    /// The decoded value.
    public var value: Value

}

extension JSONLRecord: Sendable where Value: Sendable {}
extension JSONLRecord: Equatable where Value: Equatable {}

/// The one JSON Lines reader: reads a file (or bytes) line by line through a fixed-size buffer, so a large
/// `samples.jsonl` is never held whole, and decodes lines into `Decodable` values with errors that name the file,
/// the line (or the array element) and the field path of the decoding error, e.g.
/// `responses.jsonl:12: field 'choices[2]': expected String, found a number`. It also decodes files holding one
/// JSON array (``decodeArray(_:from:file:decoder:)``).
///
/// ``next()`` returns every physical line: split on line feed (`\n`), a carriage return before it (CRLF files)
/// dropped, the last line needing no line feed, empty lines returned as empty `Data` so line numbers count every
/// line; a line longer than the buffer is still returned whole (the buffer grows for it). ``nextRecord()`` and the
/// decoders skip blank (whitespace-only) lines and a UTF-8 byte-order mark.
///
/// ```swift
/// let reader = try JSONLReader(url: samplesURL)
/// while let (line, content) = try reader.nextRecord() { ... }
/// ```
public final class JSONLReader {
    private let handle: FileHandle?
    private let chunkSize: Int
    private var buffer: [UInt8]
    /// Start of the unread part of `buffer`.
    private var start = 0
    private var atEnd: Bool
    /// 1-based number of the line last returned by ``next()`` or ``nextRecord()``.
    public private(set) var lineNumber = 0

    /// Opens `url` for reading; `chunkSize` bytes are read at a time.
    public init(url: URL, chunkSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = max(1, chunkSize)
        buffer = []
        atEnd = false
    }

    /// Reads lines of `data`, already in memory.
    public init(data: Data) {
        handle = nil
        chunkSize = 1
        buffer = [UInt8](data)
        atEnd = true
    }

    deinit { try? handle?.close() }

    /// The next line without its line feed (and without a carriage return before it), or `nil` at the end.
    public func next() throws -> Data? {
        var scanFrom = start
        while true {
            if let newline = Self.firstNewline(in: buffer, from: scanFrom) {
                let line = lineData(start..<newline)
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = lineData(start..<buffer.count)
                start = buffer.count
                lineNumber += 1
                return line
            }
            // Keep only the unread tail, so the buffer holds at most one partial line plus one chunk.
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            scanFrom = buffer.count
            let chunk = try handle?.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }

    /// The next non-blank line with its 1-based line number (a byte-order mark before the first line skipped), or
    /// `nil` at the end.
    public func nextRecord() throws -> (line: Int, content: Data)? {
        while var content = try next() {
            if lineNumber == 1, content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
            if !Self.isBlank(content) { return (lineNumber, Data(content)) }
        }
        return nil
    }

    /// Whether `line` holds only spaces, tabs, carriage returns and form feeds.
    private static func isBlank(_ line: Data) -> Bool {
        // Most lines start with `{`: only other lines need the byte-by-byte check.
        if line.first == UInt8(ascii: "{") { return false }
        return line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C }
    }

    /// A byte scan with `memchr`: a generic element-by-element search over a slice costs several times more per byte.
    private static func firstNewline(in buffer: [UInt8], from offset: Int) -> Int? {
        guard offset < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress,
                let found = memchr(base + offset, 0x0A, bytes.count - offset)
            else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
        }
    }

    private func lineData(_ range: Range<Int>) -> Data {
        var end = range.upperBound
        if end > range.lowerBound, buffer[end - 1] == 0x0D { end -= 1 }
        return buffer.withUnsafeBufferPointer { Data(UnsafeBufferPointer(rebasing: $0[range.lowerBound..<end])) }
    }

    // MARK: - Decoding

    /// Decodes every non-blank line as a `T`, in order, calling `body` with each; stops at the first error.
    /// - Parameters:
    ///   - file: The name to use in errors.
    ///   - decoder: The decoder (e.g. with a key strategy).
    /// - Throws: ``LoadError`` naming `file`, the line and the field; or what `body` throws.
    public func forEach<T: Decodable>(
        _ type: T.Type,
        file: String,
        decoder: JSONDecoder = JSONDecoder(),
        _ body: (JSONLRecord<T>) throws -> Void
    ) throws {
        var index = 0
        while true {
            let record: (line: Int, content: Data)?
            do {
                record = try nextRecord()
            } catch {
                throw LoadError(file: file, line: lineNumber + 1, message: "cannot read: \(error.localizedDescription)")
            }
            guard let (line, content) = record else { return }
            let value: T
            do {
                value = try decoder.decode(T.self, from: content)
            } catch {
                let (path, message) = Self.describe(error)
                throw LoadError(file: file, line: line, row: index, field: Self.fieldPath(path), message: message)
            }
            try body(JSONLRecord(line: line, index: index, value: value))
            index += 1
        }
    }

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
        try collect(JSONLReader(data: data), type, file: file, decoder: decoder)
    }

    /// Reads and decodes a JSONL file, line by line.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        contentsOf url: URL,
        file: String? = nil,
        decoder: JSONDecoder = JSONDecoder()
    ) throws(LoadError) -> [JSONLRecord<T>] {
        let name = file ?? url.path
        let reader: JSONLReader
        do {
            reader = try JSONLReader(url: url)
        } catch {
            throw LoadError(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try collect(reader, type, file: name, decoder: decoder)
    }

    private static func collect<T: Decodable>(
        _ reader: JSONLReader,
        _ type: T.Type,
        file: String,
        decoder: JSONDecoder
    ) throws(LoadError) -> [JSONLRecord<T>] {
        var records: [JSONLRecord<T>] = []
        do {
            try reader.forEach(type, file: file, decoder: decoder) { records.append($0) }
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(file: file, message: String(describing: error))
        }
        return records
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
        let reader = JSONLReader(data: data)
        var result: [(line: Int, content: Data)] = []
        // Reading bytes in memory cannot fail.
        while let record = try? reader.nextRecord() { result.append(record) }
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

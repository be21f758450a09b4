public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line through a fixed-size buffer, so a large `samples.jsonl` is never held in memory
/// whole.
///
/// Lines are split on line feed (`\n`); a carriage return before it (CRLF files) is dropped. The last line needs
/// no line feed. Empty lines are returned as empty `Data`, so line numbers count every line of the file. A line
/// longer than the buffer is still returned whole (the buffer grows for it).
///
/// ```swift
/// let reader = try JSONLinesReader(url: samplesURL)
/// while let line = try reader.next() { ... }
/// ```
public final class JSONLinesReader {
    private let handle: FileHandle
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    /// Start of the unread part of `buffer`.
    private var start = 0
    private var atEnd = false
    /// 1-based number of the line last returned by ``next()``.
    public private(set) var lineNumber = 0

    /// Opens `url` for reading; `chunkSize` bytes are read at a time.
    public init(url: URL, chunkSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = max(1, chunkSize)
    }

    deinit { try? handle.close() }

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
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
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
}

/// A read position in a byte buffer that checks every read against its end and throws instead of trapping.
///
/// The binary readers (Parquet, Thrift) take every length, count and offset from the file itself, so none of them
/// may be trusted: each read here first checks that enough bytes remain. Positions are absolute indices into
/// ``bytes``, so error messages can name the byte offset in the file (or in a decompressed page).
struct ByteCursor {
    /// The whole buffer (shared, not copied).
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var position: Int
    /// One past the last readable byte.
    let end: Int

    /// A cursor over `range` of `bytes`; the range is clamped to the buffer.
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let range = (range ?? bytes.indices).clamped(to: bytes.indices)
        position = range.lowerBound
        end = range.upperBound
    }

    /// Bytes left before ``end``.
    var remaining: Int { end - position }

    /// Whether every byte was read.
    var isAtEnd: Bool { position >= end }

    private func need(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetReader.FormatError) {
        guard count >= 0, count <= remaining else {
            throw ParquetReader.FormatError(
                "unexpected end of data at byte \(position) reading \(what()) (needed \(count), \(remaining) left)"
            )
        }
    }

    /// Reads one byte.
    mutating func readByte() throws(ParquetReader.FormatError) -> UInt8 {
        try need(1, "a byte")
        defer { position += 1 }
        return bytes[position]
    }

    /// The index range of the next `count` bytes, which are consumed.
    mutating func readRange(_ count: Int, _ what: @autoclosure () -> String = "bytes") throws(ParquetReader.FormatError)
        -> Range<Int>
    {
        try need(count, what())
        defer { position += count }
        return position..<(position + count)
    }

    /// The next `count` bytes, consumed.
    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String = "bytes") throws(ParquetReader.FormatError)
        -> ArraySlice<UInt8>
    {
        bytes[try readRange(count, what())]
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int) throws(ParquetReader.FormatError) {
        _ = try readRange(count)
    }

    /// Reads a little-endian unsigned integer of `size` bytes (at most 8).
    mutating func readLittleEndian(_ size: Int) throws(ParquetReader.FormatError) -> UInt64 {
        let range = try readRange(size, "a \(size)-byte integer")
        var value: UInt64 = 0
        for (shift, index) in range.enumerated() where shift < 8 {
            value |= UInt64(bytes[index]) << (8 * shift)
        }
        return value
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes (64 bits).
    mutating func readVarint() throws(ParquetReader.FormatError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else {
                throw ParquetReader.FormatError("unexpected end of data at byte \(position) inside a varint")
            }
            let byte = bytes[position]
            position += 1
            // The tenth byte may only hold the 64th bit.
            guard shift < 63 || byte <= 1 else {
                throw ParquetReader.FormatError("varint at byte \(start) is longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }
}

/// Decompresses Snappy raw blocks: the format Parquet's `SNAPPY` codec stores each page in (not the framed
/// `.sz` stream format).
///
/// A block is the uncompressed length as a varint, then elements, each starting with a tag byte whose low two bits
/// give its kind:
/// - `00` literal: the length − 1 is in the tag's upper six bits; values 60...63 mean the length − 1 follows in
///   1...4 little-endian bytes; then the bytes themselves.
/// - `01` copy with a 1-byte offset: length 4...11 in tag bits 2...4, offset's high three bits in tag bits 5...7 and
///   its low eight bits in the next byte.
/// - `10` copy with a 2-byte offset: length − 1 in the tag's upper six bits, then the offset (little-endian).
/// - `11` copy with a 4-byte offset: as `10`, with a 4-byte offset.
///
/// A copy repeats `length` bytes starting `offset` bytes back in the output; the two ranges may overlap (offset 1,
/// length 10 repeats the last byte ten times), so copies are made byte by byte.
///
/// Every length and offset is checked: a malformed block throws ``Snappy/Error`` and never reads or writes out of
/// bounds. The declared length is checked against the largest expansion the format allows before any allocation.
enum Snappy {
    /// A malformed Snappy block.
    struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, with the byte offset in the compressed block.
        var message: String

        /// Creates an error.
        init(_ message: String) { self.message = message }

        var description: String { message }
    }

    /// The most output one compressed byte can give: a 3-byte copy of 64 bytes (64/3 < 22).
    static let maximumExpansion = 22

    /// The uncompressed length a block declares in its preamble, and the preamble's size.
    /// - Throws: ``Error`` when the varint is truncated or longer than 32 bits.
    static func declaredLength(of block: ArraySlice<UInt8>) throws(Error) -> (length: Int, preamble: Int) {
        var length: UInt64 = 0
        var index = block.startIndex
        var shift: UInt64 = 0
        while true {
            guard index < block.endIndex else { throw Error("truncated length preamble") }
            let byte = block[index]
            index += 1
            length |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            guard shift < 35 else { throw Error("length preamble longer than five bytes") }
        }
        guard length <= UInt64(UInt32.max) else { throw Error("declared length \(length) exceeds 32 bits") }
        return (Int(length), index - block.startIndex)
    }

    /// Decompresses one raw block.
    /// - Parameters:
    ///   - block: The compressed bytes.
    ///   - expectedLength: When given, the length the caller knows the output has (Parquet's
    ///     `uncompressed_page_size`); a block declaring another length is an error.
    /// - Returns: The uncompressed bytes.
    /// - Throws: ``Error`` naming the first malformed element.
    /// - Complexity: O(output length).
    static func decompress(_ block: ArraySlice<UInt8>, expectedLength: Int? = nil) throws(Error) -> [UInt8] {
        let (length, preamble) = try declaredLength(of: block)
        if let expectedLength, expectedLength != length {
            throw Error("the block declares \(length) uncompressed bytes, expected \(expectedLength)")
        }
        let input = block.dropFirst(preamble)
        guard length / maximumExpansion <= input.count else {
            throw Error("the block declares \(length) uncompressed bytes, more than \(input.count) bytes can hold")
        }
        var output = [UInt8](repeating: 0, count: length)
        var written = 0
        var index = input.startIndex
        let end = input.endIndex
        let base = block.startIndex

        /// `count` little-endian bytes at `index`, consumed.
        func littleEndian(_ count: Int, at index: inout Int, for what: String) throws(Error) -> Int {
            guard end - index >= count else {
                throw Error("truncated \(what) at byte \(index - base): needs \(count) bytes, \(end - index) left")
            }
            var value = 0
            for offset in 0..<count { value |= Int(input[index + offset]) << (8 * offset) }
            index += count
            return value
        }

        while index < end {
            let elementStart = index - base
            let tag = input[index]
            index += 1
            var copyLength: Int
            var offset: Int
            switch tag & 0x03 {
            case 0:
                var literalLength = Int(tag >> 2)
                if literalLength >= 60 {
                    literalLength = try littleEndian(literalLength - 59, at: &index, for: "literal length")
                }
                literalLength += 1
                guard end - index >= literalLength else {
                    throw Error(
                        "literal of \(literalLength) bytes at byte \(elementStart) runs past the end of the block "
                            + "(\(end - index) bytes left)"
                    )
                }
                guard length - written >= literalLength else {
                    throw Error(
                        "literal at byte \(elementStart) writes past the declared length \(length)"
                    )
                }
                output.replaceSubrange(
                    written..<(written + literalLength),
                    with: input[index..<(index + literalLength)]
                )
                written += literalLength
                index += literalLength
                continue
            case 1:
                copyLength = 4 + Int((tag >> 2) & 0x07)
                offset = (Int(tag >> 5) << 8) | (try littleEndian(1, at: &index, for: "copy offset"))
            case 2:
                copyLength = Int(tag >> 2) + 1
                offset = try littleEndian(2, at: &index, for: "copy offset")
            default:
                copyLength = Int(tag >> 2) + 1
                offset = try littleEndian(4, at: &index, for: "copy offset")
            }
            guard offset > 0, offset <= written else {
                throw Error(
                    "copy at byte \(elementStart) has offset \(offset), but \(written) bytes have been produced"
                )
            }
            guard length - written >= copyLength else {
                throw Error("copy at byte \(elementStart) writes past the declared length \(length)")
            }
            // Byte by byte: the source may overlap the bytes being written (a run).
            for _ in 0..<copyLength {
                output[written] = output[written - offset]
                written += 1
            }
        }
        guard written == length else {
            throw Error("the block ends after \(written) of its declared \(length) bytes")
        }
        return output
    }
}

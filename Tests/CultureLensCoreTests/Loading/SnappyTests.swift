import CultureLensCore
import Foundation
import PropertyBased
import Testing

@testable import CultureLensFormats

/// Snappy raw blocks built by hand from the format description: a varint length, then literal and copy elements.
struct SnappyTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func decompress(_ block: [UInt8], expectedLength: Int? = nil) throws(Snappy.Error) -> [UInt8] {
        try Snappy.decompress(block[...], expectedLength: expectedLength)
    }

    @Test func emptyBlock() throws {
        #expect(try Self.decompress([0x00]) == [])
    }

    @Test func shortLiteral() throws {
        // Tag 0b000100_00: literal of (4 + 1) bytes.
        #expect(try Self.decompress([5, 4 << 2] + Self.bytes("hello")) == Self.bytes("hello"))
    }

    @Test func literalsWithOneAndTwoLengthBytes() throws {
        // Tag 60 << 2: the length − 1 follows in one byte.
        let seventy = (0..<70).map { UInt8($0) }
        #expect(try Self.decompress([70, 60 << 2, 69] + seventy) == seventy)
        // Tag 61 << 2: two little-endian bytes (299 = 0x012B); the preamble 300 is the varint 0xAC 0x02.
        let threeHundred = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try Self.decompress([0xAC, 0x02, 61 << 2, 0x2B, 0x01] + threeHundred) == threeHundred)
        // Tags 62 and 63 << 2: three and four bytes.
        #expect(try Self.decompress([3, 62 << 2, 2, 0, 0] + Self.bytes("abc")) == Self.bytes("abc"))
        #expect(try Self.decompress([3, 63 << 2, 2, 0, 0, 0] + Self.bytes("abc")) == Self.bytes("abc"))
    }

    @Test func copyWithOneByteOffset() throws {
        // "abcd", then tag 0b000_000_01 (length 4 + 0, offset high bits 0) and offset byte 4.
        #expect(try Self.decompress([8, 3 << 2] + Self.bytes("abcd") + [0x01, 4]) == Self.bytes("abcdabcd"))
        // Length 4 + 7 = 11 and an offset of 300 = (1 << 8) | 44: high bits in the tag's top three bits.
        let literal = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let tag: UInt8 = 0x01 | (7 << 2) | (1 << 5)
        let block: [UInt8] = [0xB7, 0x02, 61 << 2, 0x2B, 0x01] + literal + [tag, 44]
        #expect(try Self.decompress(block) == literal + literal[0..<11])
    }

    @Test func copyWithTwoByteOffset() throws {
        // "xyz", then tag 0b000100_10 (length 4 + 1 = 5), offset 3 little-endian.
        #expect(
            try Self.decompress([8, 2 << 2] + Self.bytes("xyz") + [0x02 | (4 << 2), 3, 0]) == Self.bytes("xyzxyzxy")
        )
    }

    @Test func copyWithFourByteOffset() throws {
        #expect(
            try Self.decompress([8, 2 << 2] + Self.bytes("xyz") + [0x03 | (4 << 2), 3, 0, 0, 0])
                == Self.bytes("xyzxyzxy")
        )
    }

    @Test func overlappingCopiesRepeatARun() throws {
        // Offset 1, length 10: the last byte ten more times.
        #expect(
            try Self.decompress([11, 0, UInt8(ascii: "a"), 0x02 | (9 << 2), 1, 0]) == Array(repeating: 97, count: 11)
        )
        // Offset 2, length 64 (the longest two-byte-offset copy): "ab" repeated.
        let expected = Array(repeating: Self.bytes("ab"), count: 33).flatMap { $0 }
        #expect(try Self.decompress([66, 1 << 2] + Self.bytes("ab") + [0x02 | (63 << 2), 2, 0]) == expected)
        // A one-byte-offset copy overlapping its source.
        #expect(try Self.decompress([8, 1 << 2] + Self.bytes("ab") + [0x01 | (2 << 2), 2]) == Self.bytes("abababab"))
    }

    /// Tags used below: a one-byte literal, and copies of length 4 and 9 with two- or four-byte offsets (16 is a
    /// five-byte literal, 244 a literal whose length follows in two bytes).
    static let literal1: UInt8 = 0
    static let copy2Length4: UInt8 = 0x02 | (3 << 2)
    static let copy2Length9: UInt8 = 0x02 | (8 << 2)
    static let copy4Length4: UInt8 = 0x03 | (3 << 2)

    /// (block, expected length, message fragment).
    static let malformed: [([UInt8], Int?, String)] = [
        ([], nil, "truncated length preamble"),
        ([0x80, 0x80], nil, "truncated length preamble"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], nil, "longer than five bytes"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], nil, "more than 0 bytes can hold"),
        ([5, 16, 104, 105], nil, "runs past the end"),
        ([2, 16, 104, 105, 106, 107, 108], nil, "writes past the declared length"),
        ([8, 0x01, 4], nil, "offset 4, but 0 bytes have been produced"),
        ([8, literal1, 97, copy2Length4, 0, 0], nil, "offset 0"),
        ([9, literal1, 97, copy2Length4, 1, 0], nil, "ends after 5 of its declared 9 bytes"),
        ([8, literal1, 97, copy2Length9, 1, 0], nil, "writes past the declared length"),
        ([8, literal1, 97, copy4Length4, 1, 0], nil, "truncated copy offset"),
        ([8, 244, 1], nil, "truncated literal length"),
        ([1, literal1, 97], 2, "declares 1 uncompressed bytes, expected 2"),
    ]

    @Test(arguments: malformed)
    func malformedBlocksThrow(block: [UInt8], expectedLength: Int?, fragment: String) {
        let error = #expect(throws: Snappy.Error.self) { try Self.decompress(block, expectedLength: expectedLength) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    /// An element sequence and the output it stands for: random literals and copies of every kind, built by hand.
    static let blocks = Generator<(block: [UInt8], output: [UInt8]), Shrink.None<(block: [UInt8], output: [UInt8])>> {
        rng in
        var output: [UInt8] = []
        var elements: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let kind = output.isEmpty ? 0 : Int.random(in: 0..<4, using: &rng)
            switch kind {
            case 0:
                let length = [1, 5, 60, 61, 200, 300][Int.random(in: 0..<6, using: &rng)]
                let literal = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if length <= 60 {
                    elements.append(UInt8(length - 1) << 2)
                } else {
                    elements += [61 << 2, UInt8((length - 1) & 0xFF), UInt8((length - 1) >> 8)]
                }
                elements += literal
                output += literal
            case 1:
                let length = Int.random(in: 4...11, using: &rng)
                let offset = Int.random(in: 1...min(output.count, 2047), using: &rng)
                elements += [0x01 | UInt8(length - 4) << 2 | UInt8(offset >> 8) << 5, UInt8(offset & 0xFF)]
                for _ in 0..<length { output.append(output[output.count - offset]) }
            default:
                let length = Int.random(in: 1...64, using: &rng)
                let offset = Int.random(in: 1...output.count, using: &rng)
                let offsetBytes = kind == 2 ? 2 : 4
                elements.append(UInt8(kind) | UInt8(length - 1) << 2)
                for index in 0..<offsetBytes { elements.append(UInt8(truncatingIfNeeded: offset >> (8 * index))) }
                for _ in 0..<length { output.append(output[output.count - offset]) }
            }
        }
        var preamble: [UInt8] = []
        var length = output.count
        repeat {
            preamble.append(UInt8(length & 0x7F) | (length > 0x7F ? 0x80 : 0))
            length >>= 7
        } while length > 0
        return (preamble + elements, output)
    }

    @Test func handBuiltBlocksDecompressToTheirOutput() async {
        await propertyCheck(count: 500, input: Self.blocks) { sample in
            let output = try? Self.decompress(sample.block, expectedLength: sample.output.count)
            #expect(output == sample.output)
        }
    }

    /// Damaged blocks and arbitrary bytes: output or a `Snappy.Error`, never a trap.
    @Test func arbitraryBytesDecompressOrThrow() async {
        await propertyCheck(count: 500, input: Self.blocks, LoadingGen.bytes(maxLength: 40)) { sample, noise in
            var block = sample.block
            for (index, byte) in noise.enumerated() where !block.isEmpty {
                block[(index * 7919 + Int(byte)) % block.count] = byte
            }
            for candidate in [block, noise, Array(block.prefix(noise.count))] {
                do throws(Snappy.Error) {
                    _ = try Self.decompress(candidate)
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }
}

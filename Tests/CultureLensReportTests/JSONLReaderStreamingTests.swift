import CultureLensCore
import CultureLensFormats
import CultureLensStatistics
import Foundation
import Testing

@testable import CultureLensReport

/// `JSONLReader` gives every line of a file, whatever the chunk size, as splitting the whole file would.
struct JSONLReaderStreamingTests {
    /// Every line `text` holds, read with chunks of `chunkSize` bytes.
    static func lines(_ text: String, chunkSize: Int) throws -> [String] {
        try Fixtures.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("lines.jsonl")
            try Data(text.utf8).write(to: url)
            let reader = try JSONLReader(url: url, chunkSize: chunkSize)
            var lines: [String] = []
            while let line = try reader.next() {
                lines.append(String(decoding: line, as: UTF8.self))
                #expect(reader.lineNumber == lines.count)
            }
            #expect(try reader.next() == nil)
            return lines
        }
    }

    static let chunkSizes = [1, 2, 3, 7, 64, 1 << 20]

    @Test(arguments: chunkSizes) func trailingNewlineAddsNoLine(chunkSize: Int) throws {
        #expect(try Self.lines("{\"a\":1}\n{\"b\":2}\n", chunkSize: chunkSize) == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test(arguments: chunkSizes) func finalLineWithoutNewline(chunkSize: Int) throws {
        #expect(try Self.lines("{\"a\":1}\n{\"b\":2}", chunkSize: chunkSize) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(try Self.lines("x", chunkSize: chunkSize) == ["x"])
    }

    @Test(arguments: chunkSizes) func emptyLinesAreKeptAndCounted(chunkSize: Int) throws {
        #expect(try Self.lines("\n\na\n\nb\n\n", chunkSize: chunkSize) == ["", "", "a", "", "b", ""])
        #expect(try Self.lines("", chunkSize: chunkSize) == [])
        #expect(try Self.lines("\n", chunkSize: chunkSize) == [""])
    }

    @Test(arguments: chunkSizes) func carriageReturnsBeforeLineFeedsAreDropped(chunkSize: Int) throws {
        #expect(try Self.lines("a\r\nb\r\n\r\nc\r", chunkSize: chunkSize) == ["a", "b", "", "c"])
        // Only a carriage return right before the line feed (or the end) goes.
        #expect(try Self.lines("a\rb\n", chunkSize: chunkSize) == ["a\rb"])
    }

    @Test(arguments: chunkSizes) func linesLongerThanTheBufferAreWhole(chunkSize: Int) throws {
        let long = String(repeating: "é0123456789", count: 500)
        let text = "short\n\(long)\n\(long)x\nend"
        #expect(try Self.lines(text, chunkSize: chunkSize) == ["short", long, long + "x", "end"])
    }

    @Test func matchesSplittingTheWholeFile() throws {
        var generator = SplitMix64(seed: 11)
        let alphabet = Array("ab{}\" ".utf8) + [0x0A, 0x0A, 0x0D]
        let bytes = (0..<5_000).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        // Split on bytes: as `Character`s, "\r\n" is one grapheme and would not split on "\n".
        var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
        }
        if bytes.last == 0x0A { expected.removeLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(Array(text.utf8) == bytes)
        for chunkSize in [1, 5, 13, 4096] {
            #expect(try Self.lines(text, chunkSize: chunkSize) == expected)
        }
    }

    @Test func missingFileThrows() {
        #expect(throws: (any Error).self) {
            try JSONLReader(url: URL(fileURLWithPath: "/nonexistent/culturelens/samples.jsonl"))
        }
    }
}

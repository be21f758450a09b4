import CultureLensFormats
import Foundation
import Testing

/// The ZIP reader behind `import inspect`'s `.eval` logs, on archives written by Python's `zipfile`.
struct ZipArchiveTests {
    /// An archive with a stored and a deflated member, written by the system Python.
    static func archive() throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.writestr("header.json", '{"eval": {"task": "t"}}', compress_type=zipfile.ZIP_STORED)
                z.writestr("samples/1_epoch_1.json", '{"id": 1}' * 50, compress_type=zipfile.ZIP_DEFLATED)
            """,
            path,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func membersAreReadFromTheCentralDirectory() throws {
        let archive = try ZipArchive(try Self.archive(), file: "log.eval")
        #expect(archive.entries.map(\.name) == ["header.json", "samples/1_epoch_1.json"])
        #expect(archive.entries.map(\.method) == [0, 8])
        #expect(String(decoding: archive.entries[0].compressed, as: UTF8.self) == #"{"eval": {"task": "t"}}"#)
        #expect(archive.entries[1].uncompressedSize == 450)
        #expect(archive.entries[1].compressed.count < 450, "deflated")
    }

    @Test func everyTruncationIsAnErrorNamingTheFileNeverACrash() throws {
        let data = try Self.archive()
        for length in stride(from: 0, to: data.count, by: 7) {
            #expect(throws: LoadError.self) { _ = try ZipArchive(data.prefix(length), file: "log.eval") }
        }
        do {
            _ = try ZipArchive(Data("PK not a zip".utf8), file: "log.eval")
            Issue.record("accepted a non-archive")
        } catch {
            #expect(error.file == "log.eval")
            #expect(error.message.contains("not a ZIP archive"))
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file in chunks through a temporary sibling and renames it into place on ``commit()``: readers see
/// the old file or the whole new one, as with `Data.write(to:options: .atomic)`, without the file ever being in
/// memory whole (a 100k-sample `samples.jsonl` is 60 MB).
final class AtomicFileWriter {
    private let destination: URL
    private let temporary: URL
    private let handle: FileHandle
    private var buffer = Data()
    private let flushThreshold: Int
    private var finished = false

    /// Creates the temporary file next to `url`; bytes are written out every `flushThreshold` bytes.
    init(url: URL, flushThreshold: Int = 1 << 20) throws {
        destination = url
        temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        handle = try FileHandle(forWritingTo: temporary)
        self.flushThreshold = flushThreshold
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    deinit { if !finished { discard() } }

    /// Appends `data`.
    func append(_ data: Data) throws {
        buffer.append(data)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends one byte.
    func append(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes what is buffered, closes the file and moves it over the destination.
    func commit() throws {
        try flush()
        try handle.close()
        finished = true
        if rename(temporary.path, destination.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: destination.path,
                    NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code)),
                ]
            )
        }
    }

    /// Drops the temporary file; the destination is left as it was.
    func discard() {
        finished = true
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

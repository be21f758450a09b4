public import Foundation

/// The entries of a ZIP file, read from its central directory (bounds-checked; no ZIP64): each entry's name,
/// compression method and compressed bytes. Decompressing is the caller's business: Inspect's `.eval` logs store
/// zstd entries (method 93), which no library here decodes.
public struct ZipArchive: Sendable {
    /// One member.
    public struct Entry: Sendable, Hashable {
        /// The path inside the archive.
        public var name: String
        /// The compression method: 0 stored, 8 deflate, 93 zstd.
        public var method: UInt16
        /// The member's bytes as stored.
        public var compressed: Data
        /// The size after decompression.
        public var uncompressedSize: Int
    }

    /// The members, in central-directory order.
    public var entries: [Entry]

    /// Reads the archive in `data`; `file` names it in errors.
    /// - Throws: ``LoadError`` when `data` is not a ZIP archive this reader understands.
    public init(_ data: Data, file: String) throws(LoadError) {
        let bytes = [UInt8](data)
        func u16(_ at: Int) throws(LoadError) -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw LoadError(file: file, message: "truncated ZIP archive") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws(LoadError) -> Int {
            guard at >= 0, at + 4 <= bytes.count else { throw LoadError(file: file, message: "truncated ZIP archive") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535, at the end of the file.
        var end: Int?
        var position = bytes.count - 22
        while position >= max(0, bytes.count - 22 - 65_535) {
            if try u32(position) == 0x0605_4B50 {
                end = position
                break
            }
            position -= 1
        }
        guard let end else { throw LoadError(file: file, message: "not a ZIP archive (no end of central directory)") }
        let count = try u16(end + 10)
        var offset = try u32(end + 16)
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            throw LoadError(file: file, message: "ZIP64 archives are not supported")
        }
        var entries: [Entry] = []
        for _ in 0..<count {
            guard try u32(offset) == 0x0201_4B50 else {
                throw LoadError(file: file, message: "corrupt ZIP central directory at byte \(offset)")
            }
            let method = try u16(offset + 10)
            let compressedSize = try u32(offset + 20)
            let uncompressedSize = try u32(offset + 24)
            let nameLength = try u16(offset + 28)
            let extraLength = try u16(offset + 30)
            let commentLength = try u16(offset + 32)
            let local = try u32(offset + 42)
            guard offset + 46 + nameLength <= bytes.count else {
                throw LoadError(file: file, message: "truncated ZIP archive")
            }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            guard try u32(local) == 0x0403_4B50 else {
                throw LoadError(file: file, message: "corrupt ZIP entry \(name): no local header at byte \(local)")
            }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + compressedSize <= bytes.count else {
                throw LoadError(file: file, message: "truncated ZIP entry \(name)")
            }
            entries.append(
                Entry(
                    name: name,
                    method: UInt16(method),
                    compressed: Data(bytes[start..<(start + compressedSize)]),
                    uncompressedSize: uncompressedSize
                )
            )
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }
}

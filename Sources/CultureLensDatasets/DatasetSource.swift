import Crypto
import Foundation

/// One file of a dataset hosted on the Hugging Face Hub (or laid out the same way locally).
public struct DatasetFile: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Hub dataset repository, e.g. `Anthropic/llm_global_opinions`.
    public var repo: String
    /// A commit id (pinned) or a branch/tag name such as `main` (mutable: the content can change).
    public var revision: String
    /// The path inside the repository, e.g. `data/global_opinions.csv`.
    public var path: String
    /// The expected lower-case hex SHA-256 of the file's bytes, when known.
    public var sha256: String?
    /// The expected size in bytes, when known.
    public var size: Int64?

    /// Creates a file reference.
    public init(repo: String, revision: String = "main", path: String, sha256: String? = nil, size: Int64? = nil) {
        self.repo = repo
        self.revision = revision
        self.path = path
        self.sha256 = sha256?.lowercased()
        self.size = size
    }

    /// Whether ``revision`` is a full 40-hex-digit commit id (content that can no longer change).
    public var isPinned: Bool {
        revision.count == 40
            && revision.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// The file name (last path component).
    public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// `{repo}/{revision}/{path}`: where the file lives inside a dataset cache directory.
    public var cacheRelativePath: String { "\(repo)/\(revision)/\(path)" }

    /// `repo@revision:path`.
    public var description: String { "\(repo)@\(revision):\(path)" }

    /// Checks that repo, revision and path are safe to use as URL and cache path components: non-empty, relative,
    /// no `.` or `..` segments, no backslashes or control characters, and a repo of the form `owner/name`.
    /// - Throws: ``DatasetError`` of kind ``DatasetError/Kind/invalidFile``.
    public func validate() throws(DatasetError) {
        func check(_ value: String, _ what: String, maxSegments: Int?) throws(DatasetError) {
            let segments = value.split(separator: "/", omittingEmptySubsequences: false)
            let bad =
                value.isEmpty || value.hasPrefix("/") || value.hasSuffix("/")
                || segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }
                || value.unicodeScalars.contains { $0.value < 0x20 || $0 == "\\" || $0.value == 0x7F }
                || (maxSegments.map { segments.count > $0 } ?? false)
            if bad {
                throw DatasetError(
                    kind: .invalidFile,
                    message:
                        "invalid \(what) '\(value)' in \(self): it must be a relative path without '.' or '..' segments"
                )
            }
        }
        try check(repo, "repo id", maxSegments: 2)
        try check(revision, "revision", maxSegments: nil)
        try check(path, "path", maxSegments: nil)
        if let sha256, sha256.count != 64 || !sha256.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) {
            throw DatasetError(
                kind: .invalidFile,
                message: "invalid sha256 '\(sha256)' for \(self): expected 64 hex digits"
            )
        }
    }
}

/// Where dataset files come from: the Hub (through a cache), a user's local directory, or memory in tests.
public protocol DatasetSource: Sendable {
    /// A local file holding `file`'s bytes, fetching it first if needed.
    /// - Throws: ``DatasetError`` saying what is wrong and what to do.
    func localURL(for file: DatasetFile) async throws -> URL
}

/// A dataset file could not be provided.
public struct DatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad cause, for callers that react differently (and for tests).
    public enum Kind: String, Sendable, Hashable {
        /// The ``DatasetFile`` itself is malformed (unsafe path, bad sha256).
        case invalidFile
        /// The server said 404, or a local directory lacks the file.
        case notFound
        /// The server said 401 or 403.
        case unauthorized
        /// `HF_HUB_OFFLINE=1` and the file is not cached.
        case offline
        /// The bytes do not hash to the expected sha256.
        case checksumMismatch
        /// The byte count differs from the expected size or from what the server announced.
        case sizeMismatch
        /// Another HTTP status, or a broken redirect.
        case http
        /// The connection failed or dropped (after the retries).
        case transport
        /// A local file could not be read or written.
        case io
    }

    /// The broad cause.
    public var kind: Kind
    /// The full explanation, including what to do about it. Never contains a token.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The on-disk dataset cache layout shared by the Hub source and the CLI.
public enum DatasetCache {
    /// `$CULTURELENS_HOME/datasets`, with `CULTURELENS_HOME` defaulting to `~/.culturelens`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home: URL
        if let value = environment["CULTURELENS_HOME"], !value.isEmpty {
            home = URL(fileURLWithPath: value, isDirectory: true)
        } else {
            home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
                ".culturelens",
                isDirectory: true
            )
        }
        return home.appendingPathComponent("datasets", isDirectory: true)
    }

    /// `{directory}/{repo}/{revision}/{path}`.
    public static func url(for file: DatasetFile, in directory: URL) -> URL {
        directory.appendingPathComponent(file.cacheRelativePath, isDirectory: false)
    }

    /// Whether `file` is in the cache (and, if its sha256 is known, has exactly those bytes).
    public static func isCached(_ file: DatasetFile, in directory: URL) -> Bool {
        let url = url(for: file, in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        return (try? verify(url, against: file)) != nil
    }

    /// Checks a local copy against `file`'s expected size and sha256 (each only when known).
    /// - Throws: ``DatasetError`` of kind `sizeMismatch`, `checksumMismatch` or `io`.
    public static func verify(_ url: URL, against file: DatasetFile) throws(DatasetError) {
        if let size = file.size {
            let actual = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
            guard let actual else {
                throw DatasetError(kind: .io, message: "cannot read \(url.path)")
            }
            if actual != size {
                throw DatasetError(
                    kind: .sizeMismatch,
                    message: "\(url.path) has \(actual) bytes but \(file) should have \(size)"
                )
            }
        }
        if let expected = file.sha256?.lowercased() {
            let actual = try sha256Hex(ofFileAt: url)
            if actual != expected {
                throw DatasetError(
                    kind: .checksumMismatch,
                    message: "checksum mismatch for \(url.path) (\(file)): expected sha256 \(expected), got \(actual)"
                )
            }
        }
    }

    /// The lower-case hex SHA-256 of a file, read in 1 MiB chunks.
    public static func sha256Hex(ofFileAt url: URL) throws(DatasetError) -> String {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw DatasetError(kind: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw DatasetError(kind: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return hex(hasher.finalize())
    }

    /// Lower-case hex of a digest.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}

/// Dataset files from a directory (or a single file) the user passed as `--data PATH`; nothing is downloaded.
///
/// For a directory, a file is looked for at, in order: `PATH/{path}`, then `PATH/` plus `path` with leading
/// folders dropped one at a time (`data/global_opinions.csv` → `global_opinions.csv`), then the cache layout
/// `PATH/{repo}/{revision}/{path}` and `PATH/{repo}/{path}`. A single file is used for every request (the caller
/// asks for one file per suite).
public struct LocalDatasetSource: DatasetSource {
    /// The directory or file the user named.
    public let root: URL
    /// Whether to check the known size and sha256 of each file found (off by default: a user's own copy may be
    /// a deliberate variant).
    public let verifyChecksums: Bool

    /// Creates a source for `path` (a directory or a file).
    public init(path: String, verifyChecksums: Bool = false) {
        self.root = URL(fileURLWithPath: path)
        self.verifyChecksums = verifyChecksums
    }

    /// The places looked at for `file`, in order.
    public func candidates(for file: DatasetFile) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else { return [root] }
        guard isDirectory.boolValue else { return [root] }
        var result: [URL] = []
        var segments = file.path.split(separator: "/").map(String.init)
        while !segments.isEmpty {
            result.append(root.appendingPathComponent(segments.joined(separator: "/")))
            segments.removeFirst()
        }
        result.append(root.appendingPathComponent(file.cacheRelativePath))
        result.append(root.appendingPathComponent("\(file.repo)/\(file.path)"))
        return result
    }

    public func localURL(for file: DatasetFile) async throws -> URL {
        try file.validate()
        let candidates = candidates(for: file)
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue
            {
                if verifyChecksums { try DatasetCache.verify(candidate, against: file) }
                return candidate
            }
        }
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw DatasetError(kind: .notFound, message: "--data \(root.path) does not exist")
        }
        let looked = candidates.map(\.path).joined(separator: ", ")
        throw DatasetError(
            kind: .notFound,
            message: "\(file.path) (of \(file.repo)) not found under --data \(root.path); looked for: \(looked)"
        )
    }
}

/// An incremental SHA-256, for hashing a download while it streams (wraps swift-crypto so that modules without a
/// direct Crypto dependency can use it).
package struct StreamingSHA256: Sendable {
    private var hasher = SHA256()
    /// Bytes fed so far.
    package private(set) var byteCount: Int64 = 0

    /// Creates an empty hasher.
    package init() {}

    /// Feeds bytes.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
    }

    /// Feeds bytes.
    package mutating func update(_ data: Data) {
        hasher.update(data: data)
        byteCount += Int64(data.count)
    }

    /// The lower-case hex digest of everything fed so far.
    package func hexDigest() -> String {
        DatasetCache.hex(hasher.finalize())
    }
}

import AsyncHTTPClient
public import CultureLensCore
public import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Dataset files from the Hugging Face Hub, through a local cache.
///
/// - URL: `{endpoint}/datasets/{repo}/resolve/{revision}/{path}`; `HF_ENDPOINT` overrides the endpoint
///   (default `https://huggingface.co`). Redirects (the Hub sends large files to a CDN) are followed, up to
///   ``Configuration/maxRedirects``; the token is sent only to the endpoint's own host.
/// - `HF_TOKEN` is sent as `Authorization: Bearer …`. It is held in memory only: never logged, never written,
///   never part of an error message.
/// - `HF_HUB_OFFLINE=1` (or `true`/`yes`/`on`): nothing is downloaded; a file that is not cached fails with an error
///   saying how to get it.
/// - Cache: `{cacheDirectory}/{repo}/{revision}/{path}` (by default `$CULTURELENS_HOME/datasets`). A cached file is
///   used as is when it matches the known size and sha256 (a corrupt copy is deleted and fetched again).
/// - Downloads go to `{file}.partial`, are hashed while they stream, and are renamed into place only after the size
///   and sha256 check: the cache never holds a half-written or wrong file under its real name. A mismatch deletes
///   the partial file and names the expected and actual sha256.
/// - Resumable: a dropped connection keeps the bytes in `.partial`; the next attempt (automatic, up to
///   ``Configuration/maxAttempts``, or the next run) asks for `Range: bytes=N-`. `206` appends; a server that
///   ignores the range and answers `200` restarts from zero. `If-Range` with the first response's strong ETag
///   guards against appending to a file that changed on the server.
/// - One process at a time downloads a given file (an advisory `flock` on `{file}.lock`).
public final class HubDatasetSource: DatasetSource {
    /// Settings.
    public struct Configuration: Sendable {
        /// The Hub base URL, without a trailing slash.
        public var endpoint: String
        /// The access token (`HF_TOKEN`), if any.
        public var token: String?
        /// `HF_HUB_OFFLINE`: use the cache only.
        public var offline: Bool
        /// The cache root; files go to `{cacheDirectory}/{repo}/{revision}/{path}`.
        public var cacheDirectory: URL
        /// Attempts per download (each resumes from what the previous one kept) for dropped connections, 429 and 5xx.
        public var maxAttempts: Int
        /// Delay before the second attempt, in seconds; doubled for each further attempt.
        public var retryDelay: Double
        /// Connect timeout in seconds.
        public var connectTimeout: Double
        /// Timeout in seconds for the response head and for each read of the body.
        public var readTimeout: Double
        /// Redirects followed per request.
        public var maxRedirects: Int

        /// The default Hub endpoint.
        public static let defaultEndpoint = "https://huggingface.co"

        /// Creates a configuration.
        public init(
            endpoint: String = Configuration.defaultEndpoint,
            token: String? = nil,
            offline: Bool = false,
            cacheDirectory: URL = DatasetCache.defaultDirectory(),
            maxAttempts: Int = 4,
            retryDelay: Double = 1,
            connectTimeout: Double = 10,
            readTimeout: Double = 60,
            maxRedirects: Int = 10
        ) {
            var endpoint = endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            self.endpoint = endpoint
            self.token = token.flatMap { $0.isEmpty ? nil : $0 }
            self.offline = offline
            self.cacheDirectory = cacheDirectory
            self.maxAttempts = max(1, maxAttempts)
            self.retryDelay = max(0, retryDelay)
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.maxRedirects = max(0, maxRedirects)
        }

        /// Reads `HF_ENDPOINT`, `HF_TOKEN`, `HF_HUB_OFFLINE` and `CULTURELENS_HOME` from `environment`.
        public static func fromEnvironment(
            _ environment: [String: String] = ProcessInfo.processInfo.environment
        ) -> Configuration {
            let endpoint = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultEndpoint
            return Configuration(
                endpoint: endpoint,
                token: environment["HF_TOKEN"],
                offline: isTruthy(environment["HF_HUB_OFFLINE"]),
                cacheDirectory: DatasetCache.defaultDirectory(environment: environment)
            )
        }

        /// `{endpoint}/datasets/{repo}/resolve/{revision}/{path}`, each segment percent-encoded (a `/` inside the
        /// revision, as in `refs/pr/1`, becomes `%2F`).
        public func resolveURL(for file: DatasetFile) -> String {
            let repo = file.repo.split(separator: "/").map { encodeSegment(String($0)) }.joined(separator: "/")
            let path = file.path.split(separator: "/").map { encodeSegment(String($0)) }.joined(separator: "/")
            return "\(endpoint)/datasets/\(repo)/resolve/\(encodeSegment(file.revision))/\(path)"
        }

        /// Where `file` is (or would be) cached: `{cacheDirectory}/{repo}/{revision}/{path}`.
        public func cacheURL(for file: DatasetFile) -> URL {
            DatasetCache.url(for: file, in: cacheDirectory)
        }

        private func encodeSegment(_ segment: String) -> String {
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "/;?#")
            return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
        }

        /// `1`, `true`, `yes`, `on` (any case), as huggingface_hub reads its boolean variables.
        public static func isTruthy(_ value: String?) -> Bool {
            guard let value else { return false }
            return ["1", "true", "yes", "on"].contains(value.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }

    /// Download progress: bytes on disk so far (including a resumed prefix) and the total, when known.
    public typealias Progress = @Sendable (_ bytes: Int64, _ total: Int64?) -> Void

    /// The settings in force.
    public let configuration: Configuration
    private let http: HTTPClient
    private let clock: any Clock<Duration>

    /// Creates a source with its own connection pool. Call ``shutdown()`` when done.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - clock: The clock the delay between attempts sleeps on; a test passes a manual one.
    public init(configuration: Configuration, clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.clock = clock
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.redirectConfiguration = .disallow
        httpConfiguration.timeout = .init(
            connect: .milliseconds(Int64(configuration.connectTimeout * 1000)),
            read: .milliseconds(Int64(configuration.readTimeout * 1000))
        )
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// Closes the connection pool.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// `{endpoint}/datasets/{repo}/resolve/{revision}/{path}`, each segment percent-encoded.
    public func resolveURL(for file: DatasetFile) -> String { configuration.resolveURL(for: file) }

    /// Where `file` is (or would be) cached.
    public func cacheURL(for file: DatasetFile) -> URL { configuration.cacheURL(for: file) }

    /// Whether `file` is cached and matches its known size and sha256.
    public func isCached(_ file: DatasetFile) -> Bool {
        DatasetCache.isCached(file, in: configuration.cacheDirectory)
    }

    /// The cached file, downloading it first when needed (and allowed).
    public func localURL(for file: DatasetFile) async throws -> URL {
        try await fetch(file)
    }

    /// Makes sure `file` is in the cache and returns its path.
    /// - Parameters:
    ///   - file: The file.
    ///   - force: Download again even if a verified copy is cached (for a mutable revision such as `main`).
    ///   - progress: Called as bytes arrive.
    /// - Throws: ``DatasetError``; `CancellationError` if the task is cancelled (the partial file is kept).
    @discardableResult
    public func fetch(_ file: DatasetFile, force: Bool = false, progress: Progress? = nil) async throws -> URL {
        try file.validate()
        let scheme = URLComponents(string: configuration.endpoint)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw DatasetError(
                kind: .invalidFile,
                message: "HF_ENDPOINT '\(configuration.endpoint)' is not an http(s) URL"
            )
        }
        let destination = cacheURL(for: file)
        let fileManager = FileManager.default
        if !force, fileManager.fileExists(atPath: destination.path) {
            do {
                try DatasetCache.verify(destination, against: file)
                return destination
            } catch {
                if configuration.offline {
                    throw DatasetError(
                        kind: error.kind,
                        message: "the cached copy is damaged and HF_HUB_OFFLINE is set, so it cannot be fetched again: "
                            + error.message
                    )
                }
                try? fileManager.removeItem(at: destination)
            }
        }
        if configuration.offline {
            throw offlineError(for: file, cachePath: destination.path)
        }
        let folder = destination.deletingLastPathComponent()
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DatasetError(kind: .io, message: "cannot create \(folder.path): \(error.localizedDescription)")
        }
        let lock = try FileLock(path: destination.path + ".lock", what: file.description)
        defer { lock.release() }

        let partial = URL(fileURLWithPath: destination.path + ".partial")
        var attempt = 0
        var result: DownloadResult?
        while result == nil {
            attempt += 1
            do {
                result = try await downloadOnce(file, to: partial, progress: progress)
            } catch let error as RetryableDownloadError {
                if attempt >= configuration.maxAttempts {
                    var message = error.message + " (gave up after \(attempt) attempt\(attempt == 1 ? "" : "s")"
                    if let kept = Self.fileSize(partial), kept > 0 {
                        message +=
                            "; \(kept) bytes are kept in \(partial.path), so running the same command again "
                            + "resumes the download"
                    }
                    throw DatasetError(kind: error.kind, message: message + ")")
                }
                let delay = configuration.retryDelay * pow(2, Double(attempt - 1))
                if delay > 0 { try await clock.sleep(for: .milliseconds(Int64(delay * 1000))) }
            }
        }
        guard let result else { throw DatasetError(kind: .transport, message: "download of \(file) did not finish") }

        let url = resolveURL(for: file)
        if let expected = file.size, result.byteCount != expected {
            try? fileManager.removeItem(at: partial)
            throw DatasetError(
                kind: .sizeMismatch,
                message: "size mismatch for \(url): expected \(expected) bytes, got \(result.byteCount); "
                    + "the partial download was deleted"
            )
        }
        if let expected = file.sha256?.lowercased(), result.sha256 != expected {
            try? fileManager.removeItem(at: partial)
            throw DatasetError(
                kind: .checksumMismatch,
                message: "checksum mismatch for \(url) (revision \(file.revision)): expected sha256 \(expected), "
                    + "got \(result.sha256); the partial download was deleted"
            )
        }
        try? fileManager.removeItem(atPath: partial.path + ".etag")
        guard rename(partial.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw DatasetError(kind: .io, message: "cannot move \(partial.path) to \(destination.path): \(reason)")
        }
        return destination
    }

    // MARK: - One attempt

    private struct DownloadResult {
        var byteCount: Int64
        var sha256: String
    }

    /// A failure worth another attempt (which resumes from the partial file).
    private struct RetryableDownloadError: Error {
        var kind: DatasetError.Kind
        var message: String
    }

    private func downloadOnce(_ file: DatasetFile, to partial: URL, progress: Progress?) async throws -> DownloadResult
    {
        let fileManager = FileManager.default
        let etagURL = URL(fileURLWithPath: partial.path + ".etag")
        var existing = Self.fileSize(partial) ?? 0
        if let size = file.size, existing > size {
            try? fileManager.removeItem(at: partial)
            existing = 0
        }
        if existing == 0 { try? fileManager.removeItem(at: etagURL) }

        var headers: [(String, String)] = []
        if existing > 0 {
            headers.append(("Range", "bytes=\(existing)-"))
            if let etag = try? String(contentsOf: etagURL, encoding: .utf8), !etag.isEmpty {
                headers.append(("If-Range", etag))
            }
        }
        let url = resolveURL(for: file)
        let (response, finalURL) = try await execute(url: url, headers: headers)
        let status = Int(response.status.code)

        var append: Bool
        var total: Int64?
        switch status {
        case 200:
            append = false
            total = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        case 206:
            guard existing > 0,
                let range = response.headers.first(name: "Content-Range").flatMap(Self.parseContentRange),
                range.start == existing
            else {
                try? fileManager.removeItem(at: partial)
                throw RetryableDownloadError(
                    kind: .http,
                    message: "\(finalURL) answered 206 with an unexpected Content-Range "
                        + "'\(response.headers.first(name: "Content-Range") ?? "")' for bytes=\(existing)-"
                )
            }
            append = true
            total = range.total
        case 416:
            // Nothing left to send: the partial file may already be complete.
            let total = response.headers.first(name: "Content-Range").flatMap(Self.parseContentRange)?.total
            if existing > 0, total == existing || (total == nil && file.size == existing) {
                var hasher = StreamingSHA256()
                try Self.hashExisting(partial, into: &hasher)
                return DownloadResult(byteCount: existing, sha256: hasher.hexDigest())
            }
            try? fileManager.removeItem(at: partial)
            throw RetryableDownloadError(kind: .http, message: "\(finalURL) answered 416 to bytes=\(existing)-")
        case 401, 403:
            throw unauthorizedError(status: status, url: url, file: file, detail: await Self.errorDetail(response))
        case 404:
            let detail = await Self.errorDetail(response)
            throw DatasetError(
                kind: .notFound,
                message: "HTTP 404 for \(url): dataset \(file.repo) has no file '\(file.path)' at revision "
                    + "'\(file.revision)'\(detail). Check the repo id, the path and that the revision exists "
                    + "(\(configuration.endpoint)/datasets/\(file.repo)/tree/\(file.revision))."
            )
        case 408, 429, 500...599:
            throw RetryableDownloadError(
                kind: .http,
                message: "HTTP \(status) for \(finalURL)\(await Self.errorDetail(response))"
            )
        default:
            throw DatasetError(
                kind: .http,
                message: "HTTP \(status) for \(finalURL)\(await Self.errorDetail(response))"
            )
        }

        var hasher = StreamingSHA256()
        if append {
            try Self.hashExisting(partial, into: &hasher)
        } else {
            existing = 0
            if let etag = response.headers.first(name: "ETag"), !etag.hasPrefix("W/") {
                try? etag.write(to: etagURL, atomically: true, encoding: .utf8)
            } else {
                try? fileManager.removeItem(at: etagURL)
            }
        }
        if !append || !fileManager.fileExists(atPath: partial.path) {
            guard fileManager.createFile(atPath: partial.path, contents: nil) else {
                throw DatasetError(kind: .io, message: "cannot create \(partial.path)")
            }
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: partial)
            if append { try handle.seekToEnd() } else { try handle.truncate(atOffset: 0) }
        } catch {
            throw DatasetError(kind: .io, message: "cannot write \(partial.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }

        var written = existing
        progress?(written, total)
        do {
            for try await buffer in response.body {
                try Task.checkCancellation()
                do {
                    try buffer.withUnsafeReadableBytes { bytes in
                        try handle.write(contentsOf: bytes)
                        hasher.update(bytes)
                    }
                } catch {
                    throw DatasetError(
                        kind: .io,
                        message: "cannot write \(partial.path): \(error.localizedDescription)"
                    )
                }
                written += Int64(buffer.readableBytes)
                progress?(written, total)
            }
        } catch let error as DatasetError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            try? handle.synchronize()
            throw RetryableDownloadError(
                kind: .transport,
                message: "the connection dropped after \(written) bytes of \(finalURL): \(Self.describe(error))"
            )
        }
        if let total, written != total {
            throw RetryableDownloadError(
                kind: .transport,
                message: "the connection closed after \(written) of \(total) bytes of \(finalURL)"
            )
        }
        return DownloadResult(byteCount: written, sha256: hasher.hexDigest())
    }

    /// Sends a GET, following redirects by hand so that the `Range` header survives them and the token is sent only
    /// to the endpoint's own host. Returns the final response and its URL.
    private func execute(url: String, headers: [(String, String)]) async throws -> (HTTPClientResponse, String) {
        let origin = Self.origin(of: url)
        var current = url
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: current)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "culturelens/\(CultureLensVersion.current)")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let token = configuration.token, Self.origin(of: current) == origin {
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
            }
            let response: HTTPClientResponse
            do {
                let timeout = TimeAmount.milliseconds(
                    Int64((configuration.connectTimeout + configuration.readTimeout) * 1000)
                )
                response = try await http.execute(request, timeout: timeout)
            } catch let error as CancellationError {
                throw error
            } catch let error as HTTPClientError
                where error == .invalidURL || error == .emptyHost || error == .emptyScheme
            {
                throw DatasetError(kind: .http, message: "invalid URL \(current): \(Self.describe(error))")
            } catch {
                throw RetryableDownloadError(
                    kind: .transport,
                    message: "cannot reach \(current): \(Self.describe(error))"
                )
            }
            let status = Int(response.status.code)
            guard [301, 302, 303, 307, 308].contains(status) else { return (response, current) }
            _ = try? await response.body.collect(upTo: 1 << 20)
            guard let location = response.headers.first(name: "Location"), !location.isEmpty else {
                throw DatasetError(kind: .http, message: "HTTP \(status) without a Location header from \(current)")
            }
            guard let base = URL(string: current), let next = URL(string: location, relativeTo: base)?.absoluteURL,
                let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https"
            else {
                throw DatasetError(kind: .http, message: "unusable redirect from \(current) to '\(location)'")
            }
            redirects += 1
            if redirects > configuration.maxRedirects {
                throw DatasetError(
                    kind: .http,
                    message: "too many redirects (more than \(configuration.maxRedirects)) starting at \(url)"
                )
            }
            current = next.absoluteString
        }
    }

    // MARK: - Errors

    private func offlineError(for file: DatasetFile, cachePath: String) -> DatasetError {
        let name = DatasetRegistry.name(of: file) ?? "<dataset>"
        return DatasetError(
            kind: .offline,
            message: "\(file.path) of \(file.repo) (revision \(file.revision)) is not in the cache (\(cachePath)) "
                + "and HF_HUB_OFFLINE is set, so it cannot be downloaded. Either run `culturelens datasets fetch "
                + "\(name)` while online, or pass --data PATH pointing to a local copy of \(file.fileName)."
        )
    }

    private func unauthorizedError(status: Int, url: String, file: DatasetFile, detail: String) -> DatasetError {
        let page = "\(configuration.endpoint)/datasets/\(file.repo)"
        let advice =
            configuration.token == nil
            ? "\(file.repo) may be gated or private (the Hub also answers 401 for a repository that does not exist). "
                + "Set HF_TOKEN to a Hugging Face access token (\(configuration.endpoint)/settings/tokens) of an "
                + "account that has accepted the dataset's terms at \(page), then run again."
            : "the token in HF_TOKEN was refused for \(file.repo): check that it is valid, has read access, and that "
                + "its account has accepted the dataset's terms at \(page)."
        return DatasetError(kind: .unauthorized, message: "HTTP \(status) for \(url)\(detail): \(advice)")
    }

    /// The Hub's `X-Error-Message` header, or the start of the body, as ` (…)`.
    private static func errorDetail(_ response: HTTPClientResponse) async -> String {
        if let message = response.headers.first(name: "X-Error-Message"), !message.isEmpty {
            return " (\(message.prefix(300)))"
        }
        guard let body = try? await response.body.collect(upTo: 64 * 1024) else { return "" }
        let text = String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "" : " (\(text))"
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(String(describing: error).prefix(200))
    }

    // MARK: - Helpers

    /// `scheme://host:port`, lower-cased, for comparing where a redirect goes.
    private static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        let scheme = components.scheme?.lowercased() ?? ""
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(components.host?.lowercased() ?? ""):\(port)"
    }

    /// `bytes START-END/TOTAL`, `bytes START-END/*` or `bytes */TOTAL`.
    static func parseContentRange(_ value: String) -> (start: Int64?, total: Int64?)? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes") else { return nil }
        let spec = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let total = parts[1] == "*" ? nil : Int64(parts[1])
        if parts[0] == "*" { return (nil, total) }
        let bounds = parts[0].split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let start = Int64(bounds[0]), Int64(bounds[1]) != nil else { return nil }
        return (start, total)
    }

    private static func fileSize(_ url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    private static func hashExisting(_ url: URL, into hasher: inout StreamingSHA256) throws {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
            }
        } catch {
            throw DatasetError(kind: .io, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}

/// An exclusive advisory lock on a file, so two processes do not write the same `.partial`.
private final class FileLock {
    private let descriptor: Int32

    init(path: String, what: String) throws {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DatasetError(kind: .io, message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DatasetError(
                kind: .io,
                message: "another process is downloading \(what) (lock \(path) is held); wait for it to finish"
            )
        }
        self.descriptor = descriptor
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

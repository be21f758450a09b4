import CultureLensCore
import CultureLensDatasets
import CultureLensModels
import CultureLensTesting
import Foundation
import Synchronization
import Testing

/// The real ``HubDatasetSource`` (AsyncHTTPClient) against a real ``ScriptedHTTPServer`` serving the Hub's URL
/// layout `/datasets/{repo}/resolve/{revision}/{path}`.
struct HubDatasetSourceTests {
    /// ~6 kB of ASCII (a CSV-like body; no dataset rows).
    static let body: String = {
        var text = "question,selections,options,source\n"
        for index in 0..<120 {
            text +=
                "\"Invented question \(index)?\",\"defaultdict(<class 'list'>, {'Xland': [0.5, 0.5]})\",\"['A', 'B']\",GAS\n"
        }
        return text
    }()
    static let sha = Hashing.sha256Hex(of: Data(body.utf8))
    static let file = DatasetFile(
        repo: "Owner/some_dataset",
        revision: "main",
        path: "data/file.csv",
        sha256: sha,
        size: Int64(body.utf8.count)
    )
    static let resolvePath = "/datasets/Owner/some_dataset/resolve/main/data/file.csv"
    static let token = "hf_TESTtoken_never_log_me"

    // MARK: - Helpers

    /// Runs `body` with a server, a source pointed at it, and a temporary cache directory. The delay between
    /// attempts (none unless `retryDelay` is given) is slept on `clock`, which `body` must move on.
    static func withSource<T>(
        token: String? = nil,
        offline: Bool = false,
        maxAttempts: Int = 1,
        retryDelay: Double = 0,
        clock: TestClock = TestClock(),
        handler: @escaping ScriptedHTTPServer.Handler,
        _ body: (HubDatasetSource, ScriptedHTTPServer, URL) async throws -> T
    ) async throws -> T {
        let cache = FileManager.default.temporaryDirectory
            .appendingPathComponent("culturelens-hub-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: cache) }
        return try await ScriptedHTTPServer.withServer(handler: handler) { server in
            let source = HubDatasetSource(
                configuration: .init(
                    endpoint: server.baseURL + "/",
                    token: token,
                    offline: offline,
                    cacheDirectory: cache,
                    maxAttempts: maxAttempts,
                    retryDelay: retryDelay,
                    connectTimeout: 30,
                    readTimeout: 30
                ),
                clock: clock
            )
            do {
                let result = try await body(source, server, cache)
                try await source.shutdown()
                return result
            } catch {
                try? await source.shutdown()
                throw error
            }
        }
    }

    static func ok(_ body: String = Self.body, headers: [(String, String)] = []) -> ScriptedAction {
        .respond(status: 200, headers: [("Content-Type", "text/csv")] + headers, body: body)
    }

    /// Expects `operation` to fail with a ``DatasetError`` of `kind`, and returns it.
    static func expectDatasetError(
        _ kind: DatasetError.Kind,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ operation: () async throws -> URL
    ) async -> DatasetError? {
        do {
            let url = try await operation()
            Issue.record("expected a \(kind) error, got \(url.path)", sourceLocation: sourceLocation)
            return nil
        } catch let error as DatasetError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected a DatasetError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func contents(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    static func cacheFiles(_ cache: URL) -> [String] {
        (FileManager.default.enumerator(atPath: cache.path)?.allObjects as? [String] ?? []).sorted()
    }

    // MARK: - 200

    @Test func downloadsVerifiesAndCaches() async throws {
        try await Self.withSource(handler: { _ in Self.ok() }) { source, server, cache in
            let url = try await source.localURL(for: Self.file)
            #expect(url.path == cache.appendingPathComponent("Owner/some_dataset/main/data/file.csv").path)
            #expect(Self.contents(url) == Self.body)
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.path == Self.resolvePath)
            #expect(request.header("Authorization") == nil)
            #expect(request.header("Range") == nil)
            #expect(request.header("User-Agent")?.hasPrefix("culturelens/") == true)
            // Only the final file (and the lock) remain: no .partial.
            #expect(!Self.cacheFiles(cache).contains { $0.hasSuffix(".partial") })
            #expect(source.isCached(Self.file))

            // Cached: no second request.
            _ = try await source.localURL(for: Self.file)
            #expect(server.requestCount == 1)
            // `force` downloads again.
            _ = try await source.fetch(Self.file, force: true)
            #expect(server.requestCount == 2)
        }
    }

    @Test func aDamagedCachedCopyIsFetchedAgain() async throws {
        try await Self.withSource(handler: { _ in Self.ok() }) { source, server, _ in
            let url = try await source.localURL(for: Self.file)
            try Data("tampered".utf8).write(to: url)
            #expect(!source.isCached(Self.file))
            _ = try await source.localURL(for: Self.file)
            #expect(Self.contents(url) == Self.body)
            #expect(server.requestCount == 2)
        }
    }

    @Test func unpinnedFilesWithoutChecksumAreAccepted() async throws {
        let loose = DatasetFile(repo: "Owner/some_dataset", revision: "main", path: "data/file.csv")
        try await Self.withSource(handler: { _ in Self.ok() }) { source, _, _ in
            let fetched = try await source.localURL(for: loose)
            #expect(Self.contents(fetched) == Self.body)
        }
    }

    // MARK: - 404, 401/403, other statuses

    @Test func notFoundNamesTheURLAndRevision() async throws {
        try await Self.withSource(handler: { _ in
            .respond(status: 404, headers: [("X-Error-Message", "Entry not found")], body: "Entry not found")
        }) { source, server, cache in
            let error = await Self.expectDatasetError(.notFound) { try await source.localURL(for: Self.file) }
            let message = error?.message ?? ""
            #expect(message.contains(server.baseURL + Self.resolvePath))
            #expect(message.contains("revision 'main'"))
            #expect(message.contains("Entry not found"))
            #expect(!Self.cacheFiles(cache).contains { $0.hasSuffix(".csv") || $0.hasSuffix(".partial") })
        }
    }

    @Test func unauthorizedWithoutTokenSuggestsHFToken() async throws {
        try await Self.withSource(handler: { _ in .respond(status: 401, body: "") }) { source, server, _ in
            let error = await Self.expectDatasetError(.unauthorized) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("Set HF_TOKEN") == true)
            #expect(error?.message.contains("gated") == true)
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }

    /// A gated repo: 401 without the right bearer token, 200 with it.
    static let gated: ScriptedHTTPServer.Handler = { request in
        request.header("Authorization") == "Bearer \(HubDatasetSourceTests.token)"
            ? HubDatasetSourceTests.ok()
            : .respond(status: 401, headers: [("X-Error-Message", "Access to dataset is restricted")], body: "")
    }

    @Test func bearerTokenIsSentAndNeverWritten() async throws {
        try await Self.withSource(token: Self.token, handler: Self.gated) { source, server, cache in
            let url = try await source.localURL(for: Self.file)
            #expect(Self.contents(url) == Self.body)
            #expect(server.requests.first?.header("Authorization") == "Bearer \(Self.token)")
            // The token is in no file of the cache.
            for name in Self.cacheFiles(cache) {
                let data = (try? Data(contentsOf: cache.appendingPathComponent(name))) ?? Data()
                #expect(!String(decoding: data, as: UTF8.self).contains(Self.token), "\(name)")
            }
        }
    }

    @Test func aRefusedTokenIsNotRevealed() async throws {
        try await Self.withSource(token: "hf_wrong_secret", handler: { _ in .respond(status: 403, body: "forbidden") })
        {
            source,
            _,
            _ in
            let error = await Self.expectDatasetError(.unauthorized) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("HF_TOKEN") == true)
            #expect(error?.message.contains("hf_wrong_secret") == false)
        }
    }

    /// Retries wait `retryDelay`, doubled per further attempt: exactly 1 s, then 2 s on the test clock.
    @Test func serverErrorsAreRetriedAndThenReported() async throws {
        let calls = Mutex(0)
        let clock = TestClock()
        try await Self.withSource(
            maxAttempts: 3,
            retryDelay: 1,
            clock: clock,
            handler: { _ in
                let call = calls.withLock { value -> Int in
                    value += 1
                    return value
                }
                return call < 3 ? .respond(status: 503, body: "busy") : Self.ok()
            }
        ) { source, server, _ in
            let fetched = try await clock.run { try await source.localURL(for: Self.file) }
            #expect(Self.contents(fetched) == Self.body)
            #expect(server.requestCount == 3)
            #expect(clock.sleeps == [.seconds(1), .seconds(2)])
        }
        let giveUpClock = TestClock()
        try await Self.withSource(
            maxAttempts: 2,
            retryDelay: 1,
            clock: giveUpClock,
            handler: { _ in .respond(status: 500, body: "boom") }
        ) { source, server, _ in
            let error = await giveUpClock.run {
                await Self.expectDatasetError(.http) { try await source.localURL(for: Self.file) }
            }
            #expect(error?.message.contains("HTTP 500") == true)
            #expect(error?.message.contains("gave up after 2 attempts") == true)
            #expect(server.requestCount == 2)
            // No wait after the last attempt.
            #expect(giveUpClock.sleeps == [.seconds(1)])
        }
    }

    // MARK: - Checksums

    @Test func checksumMismatchDeletesThePartialAndNamesBothSums() async throws {
        let tampered = Self.body.replacingOccurrences(of: "Invented question 7?", with: "Invented question 8?")
        try await Self.withSource(handler: { _ in Self.ok(tampered) }) { source, _, cache in
            let error = await Self.expectDatasetError(.checksumMismatch) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("expected sha256 \(Self.sha)") == true)
            #expect(error?.message.contains("got \(Hashing.sha256Hex(of: Data(tampered.utf8)))") == true)
            #expect(!Self.cacheFiles(cache).contains { $0.hasSuffix(".csv") || $0.hasSuffix(".partial") })
            #expect(!source.isCached(Self.file))
        }
    }

    @Test func sizeMismatchIsReported() async throws {
        var file = Self.file
        file.size = 10
        file.sha256 = nil
        try await Self.withSource(handler: { _ in Self.ok() }) { source, _, cache in
            let error = await Self.expectDatasetError(.sizeMismatch) { try await source.localURL(for: file) }
            #expect(error?.message.contains("expected 10 bytes") == true)
            #expect(!Self.cacheFiles(cache).contains { $0.hasSuffix(".csv") || $0.hasSuffix(".partial") })
        }
    }

    // MARK: - Resume

    /// The first response drops after 1000 bytes; the next call resumes with `Range: bytes=1000-` and a 206.
    static let dropThenResume: ScriptedHTTPServer.Handler = { request in
        if let range = request.header("Range") {
            guard range == "bytes=1000-" else { return .respond(status: 416, body: "") }
            let bytes = Array(HubDatasetSourceTests.body.utf8)
            return .respond(
                status: 206,
                headers: [("Content-Range", "bytes 1000-\(bytes.count - 1)/\(bytes.count)")],
                body: String(decoding: bytes[1000...], as: UTF8.self)
            )
        }
        return .truncated(status: 200, headers: [("ETag", "\"v1\"")], body: HubDatasetSourceTests.body, sendBytes: 1000)
    }

    @Test func droppedConnectionKeepsThePartialAndTheNextRunResumesWithRange() async throws {
        try await Self.withSource(maxAttempts: 1, handler: Self.dropThenResume) { source, server, _ in
            let partial = URL(fileURLWithPath: source.cacheURL(for: Self.file).path + ".partial")
            let error = await Self.expectDatasetError(.transport) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("resumes") == true)
            let kept = try FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber
            #expect(kept?.intValue == 1000)
            #expect(!source.isCached(Self.file))

            let url = try await source.localURL(for: Self.file)
            #expect(Self.contents(url) == Self.body)
            #expect(server.requestCount == 2)
            let resumed = try #require(server.requests.last)
            #expect(resumed.header("Range") == "bytes=1000-")
            #expect(resumed.header("If-Range") == "\"v1\"")
            #expect(!FileManager.default.fileExists(atPath: partial.path))
        }
    }

    @Test func droppedConnectionIsResumedWithinOneCall() async throws {
        try await Self.withSource(maxAttempts: 3, handler: Self.dropThenResume) { source, server, _ in
            let fetched = try await source.localURL(for: Self.file)
            #expect(Self.contents(fetched) == Self.body)
            #expect(server.requests.map { $0.header("Range") } == [nil, "bytes=1000-"])
        }
    }

    @Test func aServerThatIgnoresRangeRestartsFromZero() async throws {
        let first = Mutex(true)
        try await Self.withSource(
            maxAttempts: 2,
            handler: { _ in
                let isFirst = first.withLock { value -> Bool in
                    defer { value = false }
                    return value
                }
                return isFirst ? .truncated(status: 200, body: Self.body, sendBytes: 2500) : Self.ok()
            }
        ) { source, server, _ in
            let fetched = try await source.localURL(for: Self.file)
            #expect(Self.contents(fetched) == Self.body)
            #expect(server.requests.last?.header("Range") == "bytes=2500-")
        }
    }

    @Test func aCompletePartialAnswered416IsAccepted() async throws {
        try await Self.withSource(handler: { request in
            request.header("Range") == nil
                ? .respond(status: 500, body: "")
                : .respond(status: 416, headers: [("Content-Range", "bytes */\(Self.body.utf8.count)")], body: "")
        }) { source, _, _ in
            let destination = source.cacheURL(for: Self.file)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(Self.body.utf8).write(to: URL(fileURLWithPath: destination.path + ".partial"))
            let fetched = try await source.localURL(for: Self.file)
            #expect(Self.contents(fetched) == Self.body)
        }
    }

    // MARK: - Offline

    @Test func offlineServesTheCacheAndExplainsWhatToDoOtherwise() async throws {
        try await Self.withSource(offline: true, handler: { _ in Self.ok() }) { source, server, cache in
            // Not cached: no request, and the error says how to get the file.
            let error = await Self.expectDatasetError(.offline) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("HF_HUB_OFFLINE") == true)
            #expect(error?.message.contains("culturelens datasets fetch") == true)
            #expect(error?.message.contains("--data PATH") == true)
            let registered = try #require(DatasetRegistry.files["globalopinionqa"]?.first)
            let named = await Self.expectDatasetError(.offline) { try await source.localURL(for: registered) }
            #expect(named?.message.contains("culturelens datasets fetch globalopinionqa") == true)
            #expect(server.requestCount == 0)

            // Cached: served without a request.
            let destination = source.cacheURL(for: Self.file)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(Self.body.utf8).write(to: destination)
            #expect(try await source.localURL(for: Self.file).path == destination.path)
            #expect(server.requestCount == 0)
            #expect(cache.path.isEmpty == false)
        }
    }

    // MARK: - Redirects

    @Test func redirectsAreFollowedKeepingTokenAndRangeOnTheSameHost() async throws {
        try await Self.withSource(
            token: Self.token,
            handler: { request in
                switch request.path {
                case Self.resolvePath:
                    return .respond(status: 302, headers: [("Location", "/cdn/blobs/abc123?signature=x")], body: "")
                case "/cdn/blobs/abc123":
                    return Self.ok()
                default:
                    return .respond(status: 404, body: "")
                }
            }
        ) { source, server, _ in
            let fetched = try await source.localURL(for: Self.file)
            #expect(Self.contents(fetched) == Self.body)
            #expect(server.requests.map(\.uri) == [Self.resolvePath, "/cdn/blobs/abc123?signature=x"])
            #expect(server.requests.last?.header("Authorization") == "Bearer \(Self.token)")
        }
    }

    @Test func absoluteRedirectsAndRedirectLoopsAreHandled() async throws {
        try await Self.withSource(handler: { request in
            request.path == Self.resolvePath
                ? .respond(
                    status: 307,
                    headers: [
                        (
                            "Location",
                            "http://127.0.0.1:\(request.header("Host")?.split(separator: ":").last ?? "0")/elsewhere/file.csv"
                        )
                    ],
                    body: ""
                )
                : Self.ok()
        }) { source, server, _ in
            let fetched = try await source.localURL(for: Self.file)
            #expect(Self.contents(fetched) == Self.body)
            #expect(server.requests.last?.path == "/elsewhere/file.csv")
        }
        try await Self.withSource(handler: { _ in .respond(status: 302, headers: [("Location", "/loop")], body: "") }) {
            source,
            _,
            _ in
            let error = await Self.expectDatasetError(.http) { try await source.localURL(for: Self.file) }
            #expect(error?.message.contains("too many redirects") == true)
        }
    }

    // MARK: - Configuration

    @Test func configurationReadsTheEnvironment() {
        let configuration = HubDatasetSource.Configuration.fromEnvironment([
            "HF_ENDPOINT": "https://hub.example.org/",
            "HF_TOKEN": "secret",
            "HF_HUB_OFFLINE": "1",
            "CULTURELENS_HOME": "/tmp/cl-home",
        ])
        #expect(configuration.endpoint == "https://hub.example.org")
        #expect(configuration.token == "secret")
        #expect(configuration.offline)
        #expect(configuration.cacheDirectory.path == "/tmp/cl-home/datasets")
        let defaults = HubDatasetSource.Configuration.fromEnvironment(["HF_TOKEN": "", "HF_HUB_OFFLINE": "0"])
        #expect(defaults.endpoint == "https://huggingface.co")
        #expect(defaults.token == nil)
        #expect(!defaults.offline)
        for value in ["true", "YES", "On", " 1 "] { #expect(HubDatasetSource.Configuration.isTruthy(value)) }
        for value in ["", "0", "false", "no"] { #expect(!HubDatasetSource.Configuration.isTruthy(value)) }
    }

    @Test func resolveURLsFollowTheHubLayout() {
        let configuration = HubDatasetSource.Configuration(cacheDirectory: URL(fileURLWithPath: "/tmp/c"))
        #expect(
            configuration.resolveURL(
                for: DatasetFile(repo: "Anthropic/llm_global_opinions", path: "data/global_opinions.csv")
            )
                == "https://huggingface.co/datasets/Anthropic/llm_global_opinions/resolve/main/data/global_opinions.csv"
        )
        #expect(
            configuration.resolveURL(for: DatasetFile(repo: "a/b", revision: "refs/pr/1", path: "dir/with space#.csv"))
                == "https://huggingface.co/datasets/a/b/resolve/refs%2Fpr%2F1/dir/with%20space%23.csv"
        )
        #expect(
            configuration.cacheURL(for: DatasetFile(repo: "a/b", revision: "v1", path: "x/y.csv")).path
                == "/tmp/c/a/b/v1/x/y.csv"
        )
    }
}

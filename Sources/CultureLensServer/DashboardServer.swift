import CultureLensCore
import CultureLensReport
import Foundation
public import Hummingbird
public import Logging

/// The local web dashboard (`culturelens serve`): runs list, per-suite leaderboards, run detail and comparison
/// pages (the report's views), and a small JSON API. See docs/dashboard.md.
///
/// Read-only by default: deleting or labelling a run needs `Authorization: Bearer TOKEN`, where the token is
/// random per start ( ``generateToken()``) and printed by the CLI. It binds loopback unless told otherwise, and
/// every response carries a strict Content-Security-Policy (no script at all).
public struct DashboardServer: Sendable {
    /// Server settings.
    public struct Configuration: Sendable {
        /// Address to bind; loopback by default.
        public var host: String
        /// Port to bind.
        public var port: Int
        /// The bearer token that write requests must carry.
        public var token: String
        /// `Host` header values accepted (host part only, lower-case); `nil` accepts any. Defaults to the loopback
        /// names when `host` is a loopback address, which defeats DNS rebinding.
        public var allowedHosts: Set<String>?
        /// At most this many samples per run page.
        public var sampleLimit: Int

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            token: String,
            allowedHosts: Set<String>?? = nil,
            sampleLimit: Int = 2000
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.allowedHosts = allowedHosts ?? (Self.isLoopback(host) ? Self.loopbackNames : nil)
            self.sampleLimit = sampleLimit
        }

        /// Host names that reach a loopback listener.
        public static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "::1"]

        /// Whether `host` is a loopback address or `localhost`.
        public static func isLoopback(_ host: String) -> Bool {
            let lower = host.lowercased()
            return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
        }
    }

    let store: any RunAdministration
    /// Settings.
    public let configuration: Configuration
    /// Request counters (also served at `/metrics`).
    public let metrics: DashboardMetrics
    let cache = RunCache()
    let logger: Logger

    /// Creates a dashboard over `store`.
    public init(
        store: any RunAdministration,
        configuration: Configuration,
        logger: Logger = Logger(label: "culturelens.dashboard")
    ) {
        self.store = store
        self.configuration = configuration
        self.metrics = DashboardMetrics()
        self.logger = logger
    }

    /// A random bearer token: 32 bytes from the system generator, hex.
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// The application (for `runService()` or `HummingbirdTesting`).
    public func makeApplication(onServerRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol
    {
        Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "CultureLens"
            ),
            onServerRunning: { _ in await onServerRunning() },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onServerRunning: @escaping @Sendable () async -> Void = {}) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }
}

/// Built runs by id, reused while a finished run is unchanged (its status and finish time), so list pages do not
/// re-read every result on every request. Running runs are always read afresh. A run built without its value figures
/// (list pages, which do not show them) is built again, with them, for the pages that do.
actor RunCache {
    private var entries: [String: (key: String, run: ReportRun, valueFigures: Bool)] = [:]

    private static func key(_ record: RunRecord) -> String {
        "\(record.status.rawValue)|\(record.finishedAt?.timeIntervalSince1970 ?? -1)|\(record.itemCount)"
    }

    /// The cached run for `record`, if it is finished and unchanged, and was built with its value figures when
    /// `valueFigures` asks for them.
    func cached(_ record: RunRecord, valueFigures: Bool) -> ReportRun? {
        guard record.status != .running, let entry = entries[record.id], entry.key == Self.key(record),
            entry.valueFigures || !valueFigures
        else {
            return nil
        }
        return entry.run
    }

    /// Keeps `run` for `record` if the record is finished.
    func store(_ run: ReportRun, for record: RunRecord, valueFigures: Bool) {
        if record.status != .running { entries[record.id] = (Self.key(record), run, valueFigures) }
    }

    /// Forgets run `id`.
    func remove(_ id: String) { entries.removeValue(forKey: id) }
}

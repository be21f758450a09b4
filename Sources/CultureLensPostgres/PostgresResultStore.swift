public import CultureLensCore
import Foundation
import Logging
import PostgresNIO

/// A ``ResultStore`` and ``WorkQueue`` in PostgreSQL (postgres-nio `PostgresClient` pool), for runs shared by
/// several machines.
///
/// The schema follows the SQLite store: `runs`, `responses` (the content-addressed request cache) and `results`
/// (primary key run × item × variant); a result and its response are written in one transaction. The work
/// queue adds `work_runs` (a run's model settings, never an API key), `work` (one row per item × variant with
/// its lease) and `workers` (when each worker was last seen). See ``LeasePolicy`` for the lease rules; here they
/// are SQL predicates on the database's clock.
///
/// Call ``close()`` when done: the client's pool runs in a background task until then.
public final class PostgresResultStore: ResultStore, WorkQueue {
    /// Where and how to connect.
    public struct Configuration: Sendable, Hashable {
        /// Host name or address.
        public var host: String
        /// TCP port.
        public var port: Int
        /// User name.
        public var username: String
        /// Password, if the server asks for one (from the URL, else `$PGPASSWORD`).
        public var password: String?
        /// Database name.
        public var database: String
        /// TLS: `disable`, `prefer` or `require` (libpq's `sslmode`).
        public var tls: TLSMode
        /// Largest number of pooled connections.
        public var maximumConnections: Int

        /// TLS modes.
        public enum TLSMode: String, Sendable, Hashable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it.
            case prefer
            /// TLS or fail.
            case require
        }

        /// Creates a configuration.
        public init(
            host: String,
            port: Int = 5432,
            username: String,
            password: String? = nil,
            database: String,
            tls: TLSMode = .disable,
            maximumConnections: Int = 16
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.maximumConnections = maximumConnections
        }

        /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`
        /// (`postgresql://` too). Without a password in the URL, `$PGPASSWORD` is used; without `sslmode`, TLS is
        /// off for loopback hosts and preferred otherwise.
        public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                scheme == "postgres" || scheme == "postgresql"
            else { throw PostgresStoreError.invalidURL(url, "expected postgres://user@host:port/database") }
            guard let host = components.host, !host.isEmpty else { throw PostgresStoreError.invalidURL(url, "no host") }
            let database = String(components.path.drop { $0 == "/" })
            guard !database.isEmpty, !database.contains("/") else {
                throw PostgresStoreError.invalidURL(
                    url,
                    "no database name after the host (postgres://user@host:port/database)"
                )
            }
            let user = components.user ?? environment["PGUSER"] ?? "postgres"
            let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
            var tls: TLSMode = loopback ? .disable : .prefer
            var maximumConnections = 16
            for item in components.queryItems ?? [] {
                switch item.name {
                case "sslmode":
                    guard let value = item.value.flatMap(TLSMode.init(rawValue:)) else {
                        throw PostgresStoreError.invalidURL(url, "sslmode must be disable, prefer or require")
                    }
                    tls = value
                case "pool", "max_connections":
                    guard let value = item.value.flatMap(Int.init), value > 0 else {
                        throw PostgresStoreError.invalidURL(url, "\(item.name) must be a positive integer")
                    }
                    maximumConnections = value
                default:
                    throw PostgresStoreError.invalidURL(url, "unknown parameter \(item.name)")
                }
            }
            self.init(
                host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                port: components.port ?? 5432,
                username: user,
                password: components.password ?? environment["PGPASSWORD"],
                database: database,
                tls: tls,
                maximumConnections: maximumConnections
            )
        }

        /// The URL without the password, for messages.
        public var displayURL: String { "postgres://\(username)@\(host):\(port)/\(database)" }
    }

    /// The connection settings.
    public let configuration: Configuration
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    static let logger = Logger(label: "culturelens.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(configuration: Configuration, client: PostgresClient) {
        self.configuration = configuration
        self.client = client
        runTask = Task { await client.run() }
    }

    deinit { runTask.cancel() }

    /// Connects (failing at once when the server cannot be reached or refuses the login), creates the tables if
    /// needed, and starts the connection pool.
    public static func connect(configuration: Configuration) async throws -> PostgresResultStore {
        try await migrate(configuration)
        var options = PostgresClient.Configuration.Options()
        options.maximumConnections = configuration.maximumConnections
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.host,
            port: configuration.port,
            username: configuration.username,
            password: configuration.password,
            database: configuration.database,
            tls: clientTLS(configuration.tls)
        )
        clientConfiguration.options = options
        return PostgresResultStore(
            configuration: configuration,
            client: PostgresClient(configuration: clientConfiguration)
        )
    }

    /// Connects to the database named by a `postgres://` URL.
    public static func connect(url: String) async throws -> PostgresResultStore {
        try await connect(configuration: Configuration(url: url))
    }

    /// Stops the connection pool. The store cannot be used afterwards.
    public func close() async {
        runTask.cancel()
        await runTask.value
    }

    private static func clientTLS(_ mode: Configuration.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    private static func connectionTLS(_ mode: Configuration.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: try .prefer(.init(configuration: .makeClientConfiguration()))
        case .require: try .require(.init(configuration: .makeClientConfiguration()))
        }
    }

    // MARK: - Schema

    /// Schema statements, applied in order under an advisory lock (several processes may start at once on a fresh
    /// database). Every statement is idempotent.
    static let schema: [String] = [
        "CREATE TABLE IF NOT EXISTS culturelens_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        """
        CREATE TABLE IF NOT EXISTS runs (
            id TEXT PRIMARY KEY,
            suite TEXT NOT NULL,
            model TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            payload TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS responses (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            request TEXT NOT NULL,
            response TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS results (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            variant TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            culture TEXT NOT NULL,
            score DOUBLE PRECISION,
            failure TEXT,
            cache_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (run_id, item_id, variant)
        )
        """,
        "CREATE INDEX IF NOT EXISTS results_by_run ON results (run_id, item_index, variant COLLATE \"C\")",
        """
        CREATE TABLE IF NOT EXISTS work_runs (
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            settings TEXT NOT NULL,
            enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS work (
            run_id TEXT NOT NULL REFERENCES work_runs(run_id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            variant TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            item TEXT NOT NULL,
            prompt_variant TEXT NOT NULL,
            worker TEXT,
            lease_token TEXT,
            lease_expires_at TIMESTAMPTZ,
            claims INTEGER NOT NULL DEFAULT 0,
            done_at TIMESTAMPTZ,
            done_by TEXT,
            PRIMARY KEY (run_id, item_id, variant)
        )
        """,
        "CREATE INDEX IF NOT EXISTS work_open ON work (run_id, item_index, variant COLLATE \"C\") WHERE done_at IS NULL",
        "CREATE INDEX IF NOT EXISTS work_by_token ON work (lease_token) WHERE done_at IS NULL",
        """
        CREATE TABLE IF NOT EXISTS workers (
            id TEXT PRIMARY KEY,
            first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
            last_seen TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """,
        // Version 2: run labels (the dashboard's administration, as in the SQLite store).
        """
        CREATE TABLE IF NOT EXISTS run_labels (
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            label TEXT NOT NULL
        )
        """,
        // Version 3: run attachments (the robustness card `run` computes after the run).
        """
        CREATE TABLE IF NOT EXISTS run_attachments (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            body BYTEA NOT NULL,
            PRIMARY KEY (run_id, name)
        )
        """,
    ]

    /// The schema version this build creates (`culturelens_schema` records the versions applied). Every statement
    /// is idempotent, so a database at an older version gets the whole list again.
    static let schemaVersion = 3

    /// The newest schema version applied to the database, 0 when none.
    private static func schemaVersion(_ connection: PostgresConnection) async throws -> Int {
        let exists =
            try await connection.query("SELECT to_regclass('culturelens_schema') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { return 0 }
        return try await connection.query("SELECT coalesce(max(version), 0) FROM culturelens_schema", logger: logger)
            .collect().first?.decode(Int.self) ?? 0
    }

    private static func migrate(_ configuration: Configuration) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: configuration.host,
                    port: configuration.port,
                    username: configuration.username,
                    password: configuration.password,
                    database: configuration.database,
                    tls: try connectionTLS(configuration.tls)
                ),
                id: 0,
                logger: logger
            )
        } catch {
            throw PostgresStoreError.cannotConnect(configuration.displayURL, describe(error))
        }
        do {
            // Fast path, without a transaction or any lock: the schema is there. DDL on every connect would take
            // table locks (`CREATE INDEX IF NOT EXISTS` waits for a SHARE lock even when the index exists) that
            // queue behind, and in front of, running workers' writes: seen as deadlocks and stalls.
            if try await schemaVersion(connection) >= schemaVersion {
                try? await connection.close()
                return
            }
            try await connection.query("BEGIN", logger: logger)
            // One lock id for the CultureLens schema: concurrent first starts apply it one after the other, and the
            // ones that waited find it done.
            try await connection.query("SELECT pg_advisory_xact_lock(7315046220145)", logger: logger)
            if try await schemaVersion(connection) < schemaVersion {
                for statement in schema {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO culturelens_schema (version) VALUES (\(schemaVersion)) ON CONFLICT DO NOTHING",
                    logger: logger
                )
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            try? await connection.close()
            throw PostgresStoreError.query("creating the schema", describe(error))
        }
        try? await connection.close()
    }

    /// A readable message for a postgres-nio error (its `description` hides the server's message on purpose).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            var parts: [String] = ["\(error.code)"]
            if let message = error.serverInfo?[.message] { parts.append(message) }
            if let detail = error.serverInfo?[.detail] { parts.append(detail) }
            if let underlying = error.underlying { parts.append(String(describing: underlying)) }
            return parts.joined(separator: ": ")
        }
        return String(describing: error)
    }

    // MARK: - Helpers

    /// Runs `body` in a transaction on one pooled connection; errors thrown by `body` are rethrown unchanged after
    /// the rollback.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: Self.logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: Self.logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: Self.logger)
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw PostgresStoreError.query("a transaction", Self.describe(error))
        }
    }

    /// Runs one statement outside an explicit transaction.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await client.withConnection { connection in
                try await connection.query(query, logger: Self.logger).collect()
            }
        } catch let error as PSQLError {
            let statement = query.sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? query.sql
            throw PostgresStoreError.query(
                "running `\(statement.trimmingCharacters(in: .whitespaces))`",
                Self.describe(error)
            )
        }
    }

    static var queryLogger: Logger { logger }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Seconds as a Double round-trip exactly (as in the SQLite store).
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }

    // MARK: - ResultStore

    public func openRun(_ run: RunRecord) async throws -> RunRecord {
        let payload = try Self.json(run)
        let rows = try await execute(
            """
            WITH inserted AS (
                INSERT INTO runs (id, suite, model, status, created_at, payload)
                VALUES (\(run.id), \(run.suite), \(run.model), \(run.status.rawValue), \(run.createdAt.timeIntervalSince1970), \(payload))
                ON CONFLICT (id) DO NOTHING
                RETURNING payload
            )
            SELECT payload FROM inserted UNION ALL SELECT payload FROM runs WHERE id = \(run.id)
            """
        )
        // A fresh insert returns the CTE's row (the statement's snapshot does not see it in the table); a conflict
        // with a committed run returns the stored row. A conflict with a run committed by another process after
        // this statement's snapshot returns nothing: a second statement, with a new snapshot, sees it.
        if let first = rows.first { return try Self.decode(RunRecord.self, try first.decode(String.self)) }
        guard let stored = try await self.run(id: run.id) else {
            throw PostgresStoreError.query("opening run \(run.id)", "the run was neither inserted nor found")
        }
        return stored
    }

    public func updateRun(_ run: RunRecord) async throws {
        let payload = try Self.json(run)
        try await execute("UPDATE runs SET status = \(run.status.rawValue), payload = \(payload) WHERE id = \(run.id)")
    }

    public func run(id: String) async throws -> RunRecord? {
        let rows = try await execute("SELECT payload FROM runs WHERE id = \(id)")
        return try rows.first.map { try Self.decode(RunRecord.self, try $0.decode(String.self)) }
    }

    public func runs() async throws -> [RunRecord] {
        let rows = try await execute("SELECT payload FROM runs ORDER BY created_at DESC, id COLLATE \"C\"")
        return try rows.map { try Self.decode(RunRecord.self, try $0.decode(String.self)) }
    }

    public func cachedResponse(key: String) async throws -> ModelResponse? {
        let rows = try await execute("SELECT response FROM responses WHERE key = \(key)")
        return try rows.first.map { try Self.decode(ModelResponse.self, try $0.decode(String.self)) }
    }

    public func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        let query = try Self.saveQuery(result, cacheEntry: cacheEntry)
        try await execute(query)
    }

    /// One statement that stores the response (if any, keeping an existing one) and upserts the result: a single
    /// statement is atomic, so result and response are one transaction.
    static func saveQuery(_ result: ItemResult, cacheEntry: CacheEntry?) throws -> PostgresQuery {
        let payload = try json(result)
        let failure = result.failure?.rawValue
        let upsert: PostgresQuery = """
            INSERT INTO results (run_id, item_id, variant, item_index, culture, score, failure, cache_key, payload)
            VALUES (\(result.runID), \(result.itemID), \(result.variant), \(result.itemIndex), \(result.culture), \
            \(result.score), \(failure), \(result.cacheKey), \(payload))
            ON CONFLICT (run_id, item_id, variant) DO UPDATE SET
                item_index = excluded.item_index, culture = excluded.culture, score = excluded.score,
                failure = excluded.failure, cache_key = excluded.cache_key, payload = excluded.payload
            """
        guard let entry = cacheEntry else { return upsert }
        let request = try json(entry.request)
        let response = try json(entry.response)
        let now = Date().timeIntervalSince1970
        return """
            WITH cached AS (
                INSERT INTO responses (key, model, request, response, created_at)
                VALUES (\(entry.key), \(entry.model), \(request), \(response), \(now))
                ON CONFLICT (key) DO NOTHING
            )
            INSERT INTO results (run_id, item_id, variant, item_index, culture, score, failure, cache_key, payload)
            VALUES (\(result.runID), \(result.itemID), \(result.variant), \(result.itemIndex), \(result.culture), \
            \(result.score), \(failure), \(result.cacheKey), \(payload))
            ON CONFLICT (run_id, item_id, variant) DO UPDATE SET
                item_index = excluded.item_index, culture = excluded.culture, score = excluded.score,
                failure = excluded.failure, cache_key = excluded.cache_key, payload = excluded.payload
            """
    }

    public func results(runID: String) async throws -> [ItemResult] {
        let rows = try await execute(
            "SELECT payload FROM results WHERE run_id = \(runID) ORDER BY item_index, variant COLLATE \"C\""
        )
        return try rows.map { try Self.decode(ItemResult.self, try $0.decode(String.self)) }
    }

    public func results(runID: String, after position: ItemResult.Position?, limit: Int) async throws
        -> [ItemResult]
    {
        // Keyset paging: each page is an index range scan however deep into the run. "C" collation compares by
        // bytes, as results(runID:) orders, independent of the database's locale.
        let limit = max(0, limit)
        let rows: [PostgresRow]
        if let position {
            rows = try await execute(
                """
                SELECT payload FROM results
                WHERE run_id = \(runID)
                    AND (item_index, variant COLLATE "C", item_id COLLATE "C")
                        > (\(position.itemIndex), \(position.variant), \(position.itemID))
                ORDER BY item_index, variant COLLATE "C", item_id COLLATE "C" LIMIT \(limit)
                """
            )
        } else {
            rows = try await execute(
                """
                SELECT payload FROM results WHERE run_id = \(runID)
                ORDER BY item_index, variant COLLATE "C", item_id COLLATE "C" LIMIT \(limit)
                """
            )
        }
        return try rows.map { try Self.decode(ItemResult.self, try $0.decode(String.self)) }
    }

    /// Number of cached responses.
    public func cachedResponseCount() async throws -> Int {
        let rows = try await execute("SELECT count(*) FROM responses")
        return try rows.first?.decode(Int.self) ?? 0
    }
}

/// Errors of the PostgreSQL store, with the server's message.
public enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The `postgres://` URL is malformed.
    case invalidURL(String, String)
    /// The server could not be reached, or refused the login.
    case cannotConnect(String, String)
    /// A statement failed.
    case query(String, String)

    public var description: String {
        switch self {
        case let .invalidURL(url, why): "invalid PostgreSQL URL '\(url)': \(why)"
        case let .cannotConnect(url, why): "cannot connect to \(url): \(why)"
        case let .query(what, why): "PostgreSQL error while \(what): \(why)"
        }
    }
}

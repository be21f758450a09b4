public import CultureLensCore
import Foundation
import GRDB
import Synchronization

/// The default ``ResultStore``: one SQLite file in WAL mode (GRDB `DatabasePool`), safe for several processes.
///
/// Tables: `runs`, `results` (primary key run × item × variant, so an item can never be counted twice) and
/// `responses`, the content-addressed request cache keyed by the sha256 of the canonical request. A result and
/// its response are written in one transaction; saves that arrive while the writer is busy share the next one
/// (group commit, see `SQLiteResultStore+GroupCommit.swift`), and each save returns once its transaction commits.
public final class SQLiteResultStore: ResultStore {
    /// Store settings.
    public struct Configuration: Sendable {
        /// Path of the database file; its folder is created if missing.
        public var path: String
        /// How long a writer waits for another process's lock, in seconds.
        public var busyTimeout: Double

        /// Creates a configuration.
        public init(path: String, busyTimeout: Double = 30) {
            self.path = path
            self.busyTimeout = busyTimeout
        }
    }

    /// The database file path.
    public let path: String
    let pool: DatabasePool
    /// Saves waiting for the writer, committed together by the next write block (see `commitGrouped`).
    let pendingSaves = Mutex<[PendingSave]>([])

    /// Opens (creating and migrating if needed) the store.
    public init(configuration: Configuration) throws {
        path = configuration.path
        let folder = URL(fileURLWithPath: configuration.path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeout)
        config.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a process crash (kill -9); only power loss can undo the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try Self.open(path: configuration.path, configuration: config, busyTimeout: configuration.busyTimeout)
    }

    /// Opens the pool and migrates, retrying while another process is doing the same to a fresh file: switching
    /// to WAL needs a moment of exclusive access, the busy handler does not cover that step, and two migrators
    /// can race to record the same migration.
    private static func open(path: String, configuration: GRDB.Configuration, busyTimeout: Double) throws
        -> DatabasePool
    {
        let deadline = Date().addingTimeInterval(busyTimeout)
        var delay = 0.005
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError
                where [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CONSTRAINT].contains(error.resultCode)
            {
                // CONSTRAINT: another process recorded the same migration first; the next attempt sees it applied.
                guard Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 0.2)
            }
        }
    }

    /// Opens the store at `path`.
    public convenience init(path: String) throws {
        try self.init(configuration: Configuration(path: path))
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS runs (
                        id TEXT PRIMARY KEY NOT NULL,
                        suite TEXT NOT NULL,
                        model TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        payload TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS responses (
                        key TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        request TEXT NOT NULL,
                        response TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS results (
                        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        item_id TEXT NOT NULL,
                        variant TEXT NOT NULL,
                        item_index INTEGER NOT NULL,
                        culture TEXT NOT NULL,
                        score REAL,
                        failure TEXT,
                        cache_key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        PRIMARY KEY (run_id, item_id, variant)
                    );
                    CREATE INDEX IF NOT EXISTS results_by_run ON results(run_id, item_index, variant);
                    """
            )
        }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Seconds as a Double round-trip exactly; ISO-8601 would drop the fraction.
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        // Seconds since 1970; records written by the first builds carried ISO-8601 strings, still accepted.
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
            }
            return date
        }
        return decoder
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }

    // MARK: - ResultStore

    public func openRun(_ run: RunRecord) async throws -> RunRecord {
        let payload = try Self.json(run)
        return try await pool.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT payload FROM runs WHERE id = ?", arguments: [run.id])
            {
                return try Self.decode(RunRecord.self, existing)
            }
            try db.execute(
                sql: "INSERT INTO runs (id, suite, model, status, created_at, payload) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    run.id, run.suite, run.model, run.status.rawValue, run.createdAt.timeIntervalSince1970, payload,
                ]
            )
            return run
        }
    }

    public func updateRun(_ run: RunRecord) async throws {
        let payload = try Self.json(run)
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, payload = ? WHERE id = ?",
                arguments: [run.status.rawValue, payload, run.id]
            )
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        let payload = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM runs WHERE id = ?", arguments: [id])
        }
        return try payload.map { try Self.decode(RunRecord.self, $0) }
    }

    public func runs() async throws -> [RunRecord] {
        let payloads = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM runs ORDER BY created_at DESC, id")
        }
        return try payloads.map { try Self.decode(RunRecord.self, $0) }
    }

    public func cachedResponse(key: String) async throws -> ModelResponse? {
        let text = try await pool.read { db in
            // Asked once per item: a cached statement is prepared once per reader connection, not every time.
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT response FROM responses WHERE key = ?"),
                arguments: [key]
            )
        }
        return try text.map { try Self.decode(ModelResponse.self, $0) }
    }

    public func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        let write = PendingSave.Row(
            result: result,
            payload: try Self.json(result),
            cache: try cacheEntry.map { entry in
                PendingSave.CacheRow(
                    key: entry.key,
                    model: entry.model,
                    request: try Self.json(entry.request),
                    response: try Self.json(entry.response)
                )
            }
        )
        try await commitGrouped(write)
    }

    public func results(runID: String) async throws -> [ItemResult] {
        let payloads = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT payload FROM results WHERE run_id = ? ORDER BY item_index, variant",
                arguments: [runID]
            )
        }
        return try payloads.map { try Self.decode(ItemResult.self, $0) }
    }

    public func results(runID: String, after position: ItemResult.Position?, limit: Int) async throws -> [ItemResult] {
        // Keyset paging on the results_by_run index: each page is a range scan, whatever its depth in the run.
        // BINARY collation orders variant and item id by their UTF-8 bytes on every machine.
        let payloads = try await pool.read { db in
            if let position {
                return try String.fetchAll(
                    db,
                    sql: """
                        SELECT payload FROM results
                        WHERE run_id = ? AND (item_index, variant, item_id) > (?, ?, ?)
                        ORDER BY item_index, variant, item_id LIMIT ?
                        """,
                    arguments: [runID, position.itemIndex, position.variant, position.itemID, max(0, limit)]
                )
            }
            return try String.fetchAll(
                db,
                sql: "SELECT payload FROM results WHERE run_id = ? ORDER BY item_index, variant, item_id LIMIT ?",
                arguments: [runID, max(0, limit)]
            )
        }
        let decoder = Self.decoder()
        return try payloads.map { try decoder.decode(ItemResult.self, from: Data($0.utf8)) }
    }

    /// Number of cached responses (for tests and `status`).
    public func cachedResponseCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM responses") ?? 0 }
    }
}

import CultureLensCore
import Foundation
import GRDB

/// Administrative operations of the dashboard: deleting a run and labelling runs.
///
/// Labels live in their own table, `run_labels`, created on first use (`CREATE TABLE IF NOT EXISTS`), so stores
/// that never had a label are untouched. Deleting a run removes its results and label; the content-addressed
/// response cache is kept, since other runs may share its entries.
extension SQLiteResultStore {
    /// Deletes the run `id` and its results.
    /// - Returns: Whether the run existed.
    public func deleteRun(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM results WHERE run_id = ?", arguments: [id])
            for table in ["run_labels", "run_attachments"] where try db.tableExists(table) {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Sets (or with `nil` or an empty string, removes) the label of run `id`.
    /// - Returns: Whether the run exists.
    public func setRunLabel(id: String, label: String?) async throws -> Bool {
        try await pool.write { db in
            guard try Self.runExists(id, in: db) else { return false }
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS run_labels (
                        run_id TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        label TEXT NOT NULL
                    )
                    """
            )
            if let label, !label.isEmpty {
                try db.execute(
                    sql:
                        "INSERT INTO run_labels (run_id, label) VALUES (?, ?) ON CONFLICT(run_id) DO UPDATE SET label = excluded.label",
                    arguments: [id, label]
                )
            } else {
                try db.execute(sql: "DELETE FROM run_labels WHERE run_id = ?", arguments: [id])
            }
            return true
        }
    }

    /// Labels of all labelled runs, by run id.
    public func runLabels() async throws -> [String: String] {
        try await pool.read { db in
            guard try db.tableExists("run_labels") else { return [:] }
            let rows = try Row.fetchAll(db, sql: "SELECT run_id, label FROM run_labels")
            var labels: [String: String] = [:]
            for row in rows {
                let id: String = row["run_id"]
                labels[id] = row["label"]
            }
            return labels
        }
    }

    /// Stores `data` as the attachment `name` of run `id` (table `run_attachments`, created on first use).
    /// - Returns: Whether the run exists.
    public func setRunAttachment(id: String, name: String, data: Data) async throws -> Bool {
        try await pool.write { db in
            guard try Self.runExists(id, in: db) else { return false }
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS run_attachments (
                        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (run_id, name)
                    )
                    """
            )
            try db.execute(
                sql:
                    "INSERT INTO run_attachments (run_id, name, body) VALUES (?, ?, ?) ON CONFLICT(run_id, name) DO UPDATE SET body = excluded.body",
                arguments: [id, name, data]
            )
            return true
        }
    }

    /// The attachment `name` of run `id`, `nil` when there is none.
    public func runAttachment(id: String, name: String) async throws -> Data? {
        try await pool.read { db in
            guard try db.tableExists("run_attachments") else { return nil }
            return try Data.fetchOne(
                db,
                sql: "SELECT body FROM run_attachments WHERE run_id = ? AND name = ?",
                arguments: [id, name]
            )
        }
    }

    /// Whether run `id` is stored: labels and attachments are only kept for runs that exist.
    private static func runExists(_ id: String, in db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE id = ?", arguments: [id]) ?? 0 > 0
    }
}

extension SQLiteResultStore: RunAdministration {}

import CultureLensCore
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
            if try db.tableExists("run_labels") {
                try db.execute(sql: "DELETE FROM run_labels WHERE run_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Sets (or with `nil` or an empty string, removes) the label of run `id`.
    /// - Returns: Whether the run exists.
    public func setRunLabel(id: String, label: String?) async throws -> Bool {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE id = ?", arguments: [id]) ?? 0 > 0 else {
                return false
            }
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
}

extension SQLiteResultStore: RunAdministration {}

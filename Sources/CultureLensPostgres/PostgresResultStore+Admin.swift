public import CultureLensCore
public import Foundation
import PostgresNIO

/// Labels, attachments and deletion, as in the SQLite store: labels in `run_labels`, attachments in `run_attachments`;
/// deleting a run cascades to its results, label, attachments and queued work, and keeps the shared response cache.
extension PostgresResultStore: RunAdministration {
    public func runLabels() async throws -> [String: String] {
        var labels: [String: String] = [:]
        for row in try await execute("SELECT run_id, label FROM run_labels") {
            let (id, label) = try row.decode((String, String).self)
            labels[id] = label
        }
        return labels
    }

    public func setRunLabel(id: String, label: String?) async throws -> Bool {
        try await transaction { connection in
            let exists = try await connection.query("SELECT 1 FROM runs WHERE id = \(id)", logger: Self.logger)
                .collect()
            guard !exists.isEmpty else { return false }
            if let label, !label.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO run_labels (run_id, label) VALUES (\(id), \(label))
                    ON CONFLICT (run_id) DO UPDATE SET label = excluded.label
                    """,
                    logger: Self.logger
                )
            } else {
                try await connection.query("DELETE FROM run_labels WHERE run_id = \(id)", logger: Self.logger)
            }
            return true
        }
    }

    public func setRunAttachment(id: String, name: String, data: Data) async throws -> Bool {
        let rows = try await execute(
            """
            INSERT INTO run_attachments (run_id, name, body) SELECT id, \(name), \(data) FROM runs WHERE id = \(id)
            ON CONFLICT (run_id, name) DO UPDATE SET body = excluded.body RETURNING run_id
            """
        )
        return !rows.isEmpty
    }

    public func runAttachment(id: String, name: String) async throws -> Data? {
        try await execute("SELECT body FROM run_attachments WHERE run_id = \(id) AND name = \(name)").first?.decode(
            Data.self
        )
    }

    public func deleteRun(id: String) async throws -> Bool {
        !(try await execute("DELETE FROM runs WHERE id = \(id) RETURNING id")).isEmpty
    }
}

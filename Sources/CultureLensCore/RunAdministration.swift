public import Foundation

/// Administration of stored runs: labels, attachments and deletion.
///
/// Every store implements it (SQLite, PostgreSQL and the in-memory store of the tests), so the dashboard and the CLI
/// manage runs the same way whatever holds them. Deleting a run removes its results and label; the content-addressed
/// response cache is kept, since other runs may share its entries.
public protocol RunAdministration: ResultStore {
    /// Labels of all labelled runs, by run id.
    func runLabels() async throws -> [String: String]
    /// Sets (or with `nil` or an empty string, removes) the label of run `id`.
    /// - Returns: Whether the run exists.
    func setRunLabel(id: String, label: String?) async throws -> Bool
    /// Deletes the run `id`, its results, label and attachments.
    /// - Returns: Whether the run existed.
    func deleteRun(id: String) async throws -> Bool
    /// Stores `data` as the attachment `name` of run `id`, replacing an earlier one: analyses computed after a run
    /// (its robustness card, `card`) live here, so every reader of the store (the dashboard) sees what `run`
    /// printed.
    /// - Returns: Whether the run exists.
    func setRunAttachment(id: String, name: String, data: Data) async throws -> Bool
    /// The attachment `name` of run `id`, `nil` when there is none.
    func runAttachment(id: String, name: String) async throws -> Data?
}

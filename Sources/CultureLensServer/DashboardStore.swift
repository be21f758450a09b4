public import CultureLensCore
import CultureLensStore

/// What the dashboard needs from a store: reading runs and results, plus the two write operations (deleting and
/// labelling a run) that require the bearer token.
public protocol DashboardStore: Sendable {
    /// All runs, newest first.
    func runs() async throws -> [RunRecord]
    /// A run by id.
    func run(id: String) async throws -> RunRecord?
    /// A run's results, ordered by item index then variant.
    func results(runID: String) async throws -> [ItemResult]
    /// Labels of labelled runs, by run id.
    func runLabels() async throws -> [String: String]
    /// Sets or (with `nil`) removes a run's label; returns whether the run exists.
    func setRunLabel(id: String, label: String?) async throws -> Bool
    /// Deletes a run and its results; returns whether it existed.
    func deleteRun(id: String) async throws -> Bool
}

extension SQLiteResultStore: DashboardStore {}

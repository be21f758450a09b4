import CultureLensCore
import CultureLensPostgres
import CultureLensStore
import Foundation

/// A store opened from `--store`: the result store and, for PostgreSQL, the work queue in the same database.
struct OpenedStore: Sendable {
    /// Runs, results and the response cache.
    let store: any ResultStore
    /// The distributed work queue (PostgreSQL only).
    let queue: (any WorkQueue)?
    /// Where it is, without secrets.
    let location: String
    /// Closes connections.
    let close: @Sendable () async -> Void
}

/// A `--store` value that cannot be opened.
struct StoreOpeningError: Error, CustomStringConvertible {
    let description: String
}

extension StoreOptions {
    /// Whether `--store` names a PostgreSQL database.
    var isPostgres: Bool {
        guard let store else { return false }
        return store.hasPrefix("postgres://") || store.hasPrefix("postgresql://")
    }

    /// Where the store is, without a password.
    var location: String {
        guard isPostgres, let store, var components = URLComponents(string: store) else { return storePath }
        components.password = nil
        return components.string ?? storePath
    }

    /// Opens the store `--store` names: a SQLite file, or a PostgreSQL database when built with the `Postgres`
    /// trait.
    func open() async throws -> OpenedStore {
        guard isPostgres, let url = store else {
            let sqlite = try SQLiteResultStore(path: storePath)
            return OpenedStore(store: sqlite, queue: nil, location: storePath, close: {})
        }
        let postgres = try await PostgresResultStore.connect(url: url)
        return OpenedStore(store: postgres, queue: postgres, location: location, close: { await postgres.close() })
    }
}

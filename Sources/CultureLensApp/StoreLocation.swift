import CultureLensCore
import CultureLensPostgres
import CultureLensStore
import Foundation

/// Where runs, results and the response cache live: a SQLite file, or a PostgreSQL database (`postgres://...`).
public struct StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// The path or URL as given, with the default SQLite file when none was.
    public let value: String

    /// A location from `--store`; `nil` means `$CULTURELENS_HOME/culturelens.sqlite`.
    public init(_ value: String?) {
        self.value = value ?? Self.home + "/culturelens.sqlite"
    }

    /// `$CULTURELENS_HOME`, default `~/.culturelens`.
    public static var home: String {
        if let home = ProcessInfo.processInfo.environment["CULTURELENS_HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".culturelens").path
    }

    /// Whether the location names a PostgreSQL database.
    public var isPostgres: Bool { value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") }

    /// The location without a password, for messages and banners.
    public var description: String {
        guard isPostgres, var components = URLComponents(string: value) else { return value }
        components.password = nil
        return components.string ?? value
    }

    /// Opens the store. Prefer ``withStore(at:_:)``, which closes it on every path.
    /// - Throws: ``StoreOpeningError`` naming the location (without secrets) and the cause.
    public func open() async throws(StoreOpeningError) -> OpenedStore {
        do {
            guard isPostgres else {
                let sqlite = try SQLiteResultStore(path: value)
                return OpenedStore(store: sqlite, queue: nil, location: description, close: {})
            }
            let postgres = try await PostgresResultStore.connect(url: value)
            return OpenedStore(store: postgres, queue: postgres, location: description, close: { await postgres.close() })
        } catch {
            throw StoreOpeningError(location: description, cause: String(describing: error))
        }
    }
}

/// An open store: the result store with run administration and, for PostgreSQL, the work queue in the same database.
public struct OpenedStore: Sendable {
    /// Runs, results, the response cache, labels and deletion.
    public let store: any RunAdministration
    /// The distributed work queue (PostgreSQL only).
    public let queue: (any WorkQueue)?
    /// Where it is, without secrets.
    public let location: String
    /// Closes connections.
    let close: @Sendable () async -> Void
}

/// A store that cannot be opened.
public struct StoreOpeningError: Error, Sendable, CustomStringConvertible {
    /// Where the store is, without secrets.
    public let location: String
    /// What went wrong.
    public let cause: String

    /// `cannot open the store at LOCATION: CAUSE`.
    public var description: String { "cannot open the store at \(location): \(cause)" }
}

/// Opens the store at `location`, runs `body` with it, and closes it on every path (return, throw, cancellation).
public func withStore<T>(
    at location: StoreLocation,
    _ body: (OpenedStore) async throws -> T
) async throws -> T {
    try await scoped(try await location.open(), close: { await $0.close() }, body)
}

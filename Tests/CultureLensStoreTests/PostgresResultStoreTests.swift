import CultureLensCore
import CultureLensPostgres
import CultureLensTesting
import Foundation
import Testing

/// Starts one throwaway PostgreSQL server (Debian's binaries, a temporary data directory, a free loopback port)
/// for the suite it is attached to, and stops it when the suite ends.
struct LocalPostgresTrait: SuiteTrait, TestScoping {
    @TaskLocal static var server: LocalPostgresServer?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await LocalPostgresServer.withServer { server in
            try await Self.$server.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == LocalPostgresTrait {
    /// A PostgreSQL server for the whole suite.
    static var localPostgres: Self { Self() }
}

/// A fresh database on the suite's server.
func freshPostgresDatabase() async throws -> String {
    let server = try #require(LocalPostgresTrait.server, "the suite needs the .localPostgres trait")
    let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    try await server.createDatabase(name)
    return server.url(database: name)
}

/// A store on a fresh database, closed afterwards.
func withPostgresStore(_ body: (PostgresResultStore, String) async throws -> Void) async throws {
    let url = try await freshPostgresDatabase()
    let store = try await PostgresResultStore.connect(url: url)
    do {
        try await body(store, url)
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}

/// The `ResultStore` conformance suite (the same checks as SQLite and in-memory) and the `WorkQueue` conformance
/// suite against a real PostgreSQL.
@Suite(.localPostgres) struct PostgresResultStoreTests {
    @Test(arguments: ResultStoreConformance.checks)
    func postgresResultStoreConformance(check: ResultStoreConformance.Check) async throws {
        try await withPostgresStore { store, _ in try await check.run(store) }
    }

    @Test func postgresRunAdministration() async throws {
        try await withPostgresStore { store, _ in try await RunAdministrationConformance.labelsAndDeletion(store) }
    }

    @Test func postgresAllConformanceChecksShareOneStore() async throws {
        try await withPostgresStore { store, _ in
            for check in ResultStoreConformance.checks { try await check.run(store) }
        }
    }

    @Test func postgresCacheHoldsOnlyTheEntriesGiven() async throws {
        try await withPostgresStore { store, _ in
            try await ResultStoreConformance.resultWithoutCacheEntryLeavesTheCacheAlone(store)
            #expect(try await store.cachedResponseCount() == 1)
        }
        try await withPostgresStore { store, _ in
            try await ResultStoreConformance.concurrentSavesAreAllKept(store, saves: 200, tasks: 16)
            #expect(try await store.cachedResponseCount() == 200)
        }
    }

    @Test func postgresReopenKeepsEverything() async throws {
        try await withPostgresStore { _, url in
            try await ResultStoreConformance.survivesReopen { try await PostgresResultStore.connect(url: url) }
        }
    }

    @Test func postgresTwoHandlesWriteConcurrently() async throws {
        try await withPostgresStore { _, url in
            try await ResultStoreConformance.twoHandlesWriteConcurrently(open: { try await PostgresResultStore.connect(url: url) })
        }
    }

    /// Several processes starting at once on a fresh database: the schema is created once, all of them connect.
    @Test func postgresConcurrentFirstConnectsToAFreshDatabase() async throws {
        for _ in 0..<3 {
            let url = try await freshPostgresDatabase()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let store = try await PostgresResultStore.connect(url: url)
                        _ = try await store.openRun(ResultStoreConformance.makeRun(id: "shared", createdAt: Date(timeIntervalSince1970: Double(index))))
                        #expect(try await store.runs().count == 1)
                        await store.close()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test(arguments: WorkQueueConformance.checks)
    func postgresWorkQueueConformance(check: WorkQueueConformance.Check) async throws {
        try await withPostgresStore { store, _ in
            // Real time: advancing the clock is sleeping. The lease must outlast a few queries on a loaded CI
            // machine (2 s leases expired there between two statements), so the expiry checks sleep ~20 s.
            let harness = WorkQueueHarness(
                queue: store, store: store, policy: LeasePolicy(duration: .seconds(20), maximumWait: .seconds(1))
            ) { try await Task.sleep(for: $0) }
            try await check.run(harness)
        }
    }

    @Test func postgresUnreachableServerFailsAtOnce() async throws {
        let server = try #require(LocalPostgresTrait.server)
        let start = ContinuousClock.now
        // A port nothing listens on (the server's own port + 1 is very likely free).
        await #expect(throws: PostgresStoreError.self) {
            _ = try await PostgresResultStore.connect(url: "postgres://postgres@127.0.0.1:\(server.port + 1)/postgres")
        }
        #expect(ContinuousClock.now - start < .seconds(15))
        // A database that does not exist is reported with the server's message.
        do {
            _ = try await PostgresResultStore.connect(url: server.url(database: "no_such_database"))
            Issue.record("connecting to a missing database must fail")
        } catch {
            #expect(String(describing: error).contains("no_such_database"))
        }
    }
}

/// Parsing `postgres://` URLs (no server needed).
struct PostgresURLTests {
    @Test func parsesTheDocumentedForms() throws {
        let plain = try PostgresResultStore.Configuration(url: "postgres://alice@127.0.0.1:6543/evals", environment: [:])
        #expect(plain.host == "127.0.0.1" && plain.port == 6543 && plain.username == "alice" && plain.database == "evals")
        #expect(plain.password == nil && plain.tls == .disable)
        let remote = try PostgresResultStore.Configuration(
            url: "postgresql://bob:s%40cret@db.internal/culturelens?sslmode=require&pool=32", environment: [:]
        )
        #expect(remote.port == 5432 && remote.password == "s@cret" && remote.tls == .require && remote.maximumConnections == 32)
        #expect(remote.displayURL == "postgres://bob@db.internal:5432/culturelens")
        let fromEnvironment = try PostgresResultStore.Configuration(
            url: "postgres://db.internal/x", environment: ["PGPASSWORD": "pw", "PGUSER": "carol"]
        )
        #expect(fromEnvironment.username == "carol" && fromEnvironment.password == "pw" && fromEnvironment.tls == .prefer)
    }

    @Test(arguments: ["mysql://a@b/c", "postgres://host-only", "postgres://a@b/", "postgres://a@b/c?sslmode=maybe", "postgres://a@b/c?x=1"])
    func rejectsMalformedURLs(url: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresResultStore.Configuration(url: url, environment: [:]) }
    }
}

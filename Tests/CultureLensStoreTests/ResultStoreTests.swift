import CultureLensCore
import CultureLensStore
import CultureLensTesting
import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stores under test. Each case gives every test a fresh, empty store (SQLite: a new file in a new temporary
/// directory, removed afterwards).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case inMemory

    var testDescription: String { rawValue }

    func withStore(_ body: (any RunAdministration) async throws -> Void) async throws {
        switch self {
        case .inMemory:
            try await body(InMemoryResultStore())
        case .sqlite:
            try await withTemporaryDirectory { directory in
                try await body(try SQLiteResultStore(path: directory.appendingPathComponent("store.sqlite").path))
            }
        }
    }

    /// The store-specific count of cached responses.
    func cachedResponseCount(_ store: any ResultStore) async throws -> Int {
        switch self {
        case .inMemory: try await #require(store as? InMemoryResultStore).cachedResponseCount
        case .sqlite: try await #require(store as? SQLiteResultStore).cachedResponseCount()
        }
    }
}

/// A new temporary directory for `body`, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("culturelens-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs blocking work (waiting on a child process) off the cooperative thread pool.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs one SQL statement with the `sqlite3` command-line shell, independently of GRDB; `nil` when the shell is
/// not installed.
func sqliteShell(_ databasePath: String, _ sql: String) throws -> String? {
    let candidates = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
    guard let shell = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: shell)
    process.arguments = ["-cmd", ".timeout 10000", databasePath, sql]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite struct ResultStoreTests {
    @Test(arguments: StoreKind.allCases)
    func runAdministration(kind: StoreKind) async throws {
        try await kind.withStore(RunAdministrationConformance.labelsAndDeletion)
    }

    // MARK: - Conformance, for every store

    @Test(arguments: StoreKind.allCases)
    func openRunCreatesThenResumes(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.openRunCreatesThenResumes)
    }

    @Test(arguments: StoreKind.allCases)
    func updateRunChangesStatusAndFinishedAt(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.updateRunChangesStatusAndFinishedAt)
    }

    @Test(arguments: StoreKind.allCases)
    func runsAreNewestFirst(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.runsAreNewestFirst)
    }

    @Test(arguments: StoreKind.allCases)
    func unknownIDsGiveNothing(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.unknownIDsGiveNothing)
    }

    @Test(arguments: StoreKind.allCases)
    func cachedResponseRoundTripsExactly(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.cachedResponseRoundTripsExactly)
    }

    @Test(arguments: StoreKind.allCases)
    func resultsRoundTripExactly(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.resultsRoundTripExactly)
    }

    @Test(arguments: StoreKind.allCases)
    func savingTheSameItemTwiceReplaces(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.savingTheSameItemTwiceReplaces)
    }

    @Test(arguments: StoreKind.allCases)
    func resultsAreOrderedByItemIndexThenVariant(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.resultsAreOrderedByItemIndexThenVariant)
    }

    @Test(arguments: StoreKind.allCases)
    func resultsAreScopedToTheirRun(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.resultsAreScopedToTheirRun)
    }

    @Test(arguments: StoreKind.allCases)
    func pagedReadsGiveEveryResultInOrder(kind: StoreKind) async throws {
        try await kind.withStore(ResultStoreConformance.pagedReadsGiveEveryResultInOrder)
    }

    @Test(arguments: StoreKind.allCases)
    func resultWithoutCacheEntryLeavesTheCacheAlone(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await ResultStoreConformance.resultWithoutCacheEntryLeavesTheCacheAlone(store)
            // Only the one entry that was given is in the cache.
            #expect(try await kind.cachedResponseCount(store) == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentSavesAreAllKept(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await ResultStoreConformance.concurrentSavesAreAllKept(store, saves: 200, tasks: 16)
            #expect(try await kind.cachedResponseCount(store) == 200)
        }
    }

    /// The published check list runs, in order, against one shared store: the checks do not depend on an empty
    /// store (as a shared PostgreSQL database will not be).
    @Test(arguments: StoreKind.allCases)
    func allConformanceChecksShareOneStore(kind: StoreKind) async throws {
        #expect(ResultStoreConformance.checks.count == 12)
        try await kind.withStore { store in
            for check in ResultStoreConformance.checks {
                try await check.run(store)
            }
        }
    }

    // MARK: - SQLite only

    @Test func sqliteReopenKeepsEverything() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            try await ResultStoreConformance.survivesReopen { try SQLiteResultStore(path: path) }
            let reopened = try SQLiteResultStore(path: path)
            #expect(try await reopened.cachedResponseCount() == 20)
            #expect(try await reopened.runs().count == 1)
        }
    }

    @Test func sqliteFileIsInWALMode() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            do {
                let store = try SQLiteResultStore(path: path)
                let run = try await store.openRun(ResultStoreConformance.makeRun(id: "wal", createdAt: Date()))
                let result = ResultStoreConformance.makeResult(runID: run.id, index: 0, cacheKey: "k")
                try await store.save(result, cacheEntry: ResultStoreConformance.makeCacheEntry(key: "k", response: ResultStoreConformance.sampleResponse))
                // While the store is open, its writes go to the write-ahead log next to the database.
                #expect(FileManager.default.fileExists(atPath: path + "-wal"))
                #expect(FileManager.default.fileExists(atPath: path + "-shm"))
                if let mode = try sqliteShell(path, "PRAGMA journal_mode;") {
                    #expect(mode == "wal")
                }
                _ = store
            }
            // WAL mode is persistent: the file header says so (bytes 18 and 19 are 2 for WAL), even after closing.
            let header = try #require(FileManager.default.contents(atPath: path)?.prefix(20))
            #expect(Array(header.prefix(16)) == Array("SQLite format 3\0".utf8))
            #expect(header[header.startIndex + 18] == 2 && header[header.startIndex + 19] == 2)
            if let mode = try sqliteShell(path, "PRAGMA journal_mode;") {
                #expect(mode == "wal")
            }
        }
    }

    @Test func sqliteTwoHandlesWriteWithoutLockErrors() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            try await ResultStoreConformance.twoHandlesWriteConcurrently(open: { try SQLiteResultStore(path: path) })
            let check = try SQLiteResultStore(path: path)
            #expect(try await check.cachedResponseCount() == 200)
        }
    }

    /// Several processes starting on the same, not yet existing, store file (two `culturelens run` at once on a
    /// fresh machine): each must open it.
    @Test func sqliteConcurrentFirstOpenOfAFreshFile() async throws {
        try await withTemporaryDirectory { directory in
            var failures: [String] = []
            for attempt in 0..<50 {
                let path = directory.appendingPathComponent("fresh-\(attempt).sqlite").path
                let errors = await withTaskGroup(of: String?.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            do {
                                let store = try SQLiteResultStore(path: path)
                                _ = try await store.openRun(ResultStoreConformance.makeRun(id: "shared", createdAt: Date()))
                                return nil
                            } catch {
                                return String(describing: error)
                            }
                        }
                    }
                    var errors: [String] = []
                    for await error in group { if let error { errors.append(error) } }
                    return errors
                }
                failures += errors
            }
            #expect(failures.isEmpty, "concurrent first opens failed \(failures.count) times; first: \(failures.first ?? "")")
        }
    }

    @Test func sqliteCreatesMissingParentDirectories() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("a/b/c/store.sqlite").path
            let store = try SQLiteResultStore(path: path)
            #expect(store.path == path)
            _ = try await store.openRun(ResultStoreConformance.makeRun(id: "nested", createdAt: Date()))
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("a/b/c").path, isDirectory: &isDirectory))
            #expect(isDirectory.boolValue)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await store.run(id: "nested") != nil)
        }
    }

    @Test func sqliteOpeningADirectoryThrows() async throws {
        try await withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("i-am-a-folder", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            #expect(throws: (any Error).self) { try SQLiteResultStore(path: folder.path) }
            // A parent "directory" that is a regular file cannot be created either.
            let file = directory.appendingPathComponent("plain-file")
            try Data("x".utf8).write(to: file)
            #expect(throws: (any Error).self) { try SQLiteResultStore(path: file.appendingPathComponent("store.sqlite").path) }
        }
    }

    // MARK: - Crash safety across processes (SIGKILL)

    static let childDatabaseVariable = "CULTURELENS_STORE_TEST_CHILD_DB"
    static let childRunID = "killed-writer"
    static let childMarker = "CHILD-SAVED "

    #if os(Linux)
    /// A child process (this test binary, running only ``sqliteChildWriter()``) saves results in a loop and is
    /// killed with SIGKILL mid-way, three times on the same file. After each kill: the file is intact, every result
    /// the child acknowledged is there, results are contiguous (at most one saved but not yet acknowledged), and
    /// every result has its cached response (result and response are one transaction).
    @Test func sqliteKilledWriterLosesNothingCommitted() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            for round in 0..<3 {
                let killAfter = Int.random(in: 20...400)
                let outcome = try await offCooperativePool { try Self.runChildAndKill(databasePath: path, afterNewSaves: killAfter) }
                #expect(outcome.killed, "round \(round): child was not killed by SIGKILL (exit status \(outcome.status)); output: \(outcome.tail)")
                let acknowledged = try #require(outcome.lastAcknowledged, "round \(round): child acknowledged no save; output: \(outcome.tail)")

                let store = try SQLiteResultStore(path: path)
                let results = try await store.results(runID: Self.childRunID)
                #expect(results.map(\.itemIndex) == Array(0..<results.count), "round \(round): results are not contiguous")
                #expect(results.count > acknowledged, "round \(round): acknowledged item \(acknowledged) lost; \(results.count) results")
                #expect(results.count <= acknowledged + 2, "round \(round): more results (\(results.count)) than saves attempted (\(acknowledged + 2))")
                for result in results {
                    let cached = try await store.cachedResponse(key: result.cacheKey)
                    #expect(cached == ResultStoreConformance.sampleResponse(result.itemIndex), "round \(round): item \(result.itemIndex) has no or a wrong cached response")
                }
                #expect(try await store.cachedResponseCount() == results.count)
                #expect(try await store.run(id: Self.childRunID)?.status == .running)
                if let integrity = try sqliteShell(path, "PRAGMA integrity_check;") {
                    #expect(integrity == "ok", "round \(round): \(integrity)")
                }
            }
        }
    }
    #endif

    /// Helper run only inside the child process spawned by ``sqliteKilledWriterLosesNothingCommitted()``: saves
    /// results one by one (resuming after the ones already there) and acknowledges each on stdout after it is
    /// saved, until it is killed (or, as a safeguard, after 60 seconds).
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childDatabaseVariable] != nil, "child-process helper"))
    func sqliteChildWriter() async throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childDatabaseVariable])
        let store = try SQLiteResultStore(path: path)
        _ = try await store.openRun(ResultStoreConformance.makeRun(id: Self.childRunID, createdAt: Date()))
        var index = try await store.results(runID: Self.childRunID).count
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let result = ResultStoreConformance.makeResult(runID: Self.childRunID, index: index, cacheKey: "child-\(index)")
            let entry = ResultStoreConformance.makeCacheEntry(key: result.cacheKey, response: ResultStoreConformance.sampleResponse(index))
            try await store.save(result, cacheEntry: entry)
            FileHandle.standardOutput.write(Data("\(Self.childMarker)\(index)\n".utf8))
            index += 1
        }
    }

    struct ChildOutcome: Sendable {
        var killed: Bool
        var status: Int32
        var lastAcknowledged: Int?
        var tail: String
    }

    /// Starts the child writer on `databasePath`, waits for `afterNewSaves` acknowledgements, kills it with SIGKILL
    /// and returns the last index it acknowledged.
    static func runChildAndKill(databasePath: String, afterNewSaves: Int) throws -> ChildOutcome {
        var executable = CommandLine.arguments[0]
        if !executable.hasPrefix("/") {
            executable = FileManager.default.currentDirectoryPath + "/" + executable
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", "sqliteChildWriter"]
        var environment = ProcessInfo.processInfo.environment
        environment[childDatabaseVariable] = databasePath
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        var text = ""
        var acknowledgements: [Int] = []
        func parse(_ data: Data) {
            text += String(decoding: data, as: UTF8.self)
            var lines = text.components(separatedBy: "\n")
            text = lines.removeLast()
            for line in lines {
                if let range = line.range(of: childMarker), let index = Int(line[range.upperBound...]) {
                    acknowledgements.append(index)
                }
            }
        }
        let reader = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        while acknowledgements.count < afterNewSaves, Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // the child exited on its own
            parse(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        parse(reader.readDataToEndOfFile())
        return ChildOutcome(
            killed: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
            status: process.terminationStatus,
            lastAcknowledged: acknowledgements.max(),
            tail: String(text.suffix(500))
        )
    }
}

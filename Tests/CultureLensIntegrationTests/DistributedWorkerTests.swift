import CultureLensCore
import CultureLensDatasets
import CultureLensPostgres
import CultureLensTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Starts one throwaway PostgreSQL server for the suite it is attached to, and stops it when the suite ends.
struct LocalPostgresTrait: SuiteTrait, TestScoping {
    @TaskLocal static var server: LocalPostgresServer?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
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

/// `culturelens run --enqueue`, three `culturelens worker` processes, one killed with SIGKILL mid-run, and
/// `culturelens status`, against a real PostgreSQL and a local fake OpenAI endpoint.
@Suite(.localPostgres) struct DistributedWorkerTests {
    @Test func threeWorkersOneKilledEveryItemDoneExactlyOnce() async throws {
        let postgres = try #require(LocalPostgresTrait.server)
        let database = "dist_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await postgres.createDatabase(database)
        let url = postgres.url(database: database)
        // The first 12 requests are answered; the rest wait until the test has killed w1 and opened the gate. So w1
        // always holds a lease when it is killed, however long CPU-bound tests keep this process's poll from
        // running (the server answers from its own thread; a timed delay once let w1 finish first on a busy CI).
        let gate = RequestGate(answered: 12)
        let endpoint = try await ScriptedHTTPServer.start { _ in
            await gate.pass()
            return .json(FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1), (" B", -2.5), (" Yes", -3)]))
        }
        let home = try CLIProcess.temporaryDirectory("dist-home")
        let secret = "sk-test-\(UUID().uuidString)"
        let environment = ["CULTURELENS_HOME": home, "DIST_TEST_KEY": secret]
        let total = try #require(SuiteCatalog.suite(named: "starter")).items.count

        // Enqueue: the run and its work go into PostgreSQL; nothing is evaluated here.
        let enqueue = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", endpoint.baseURL + "/v1", "--scoring",
                "logprobs",
                "--api", "completions", "--api-key-env", "DIST_TEST_KEY", "--store", url, "--enqueue", "--json",
            ],
            environment: environment
        )
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let enqueued = try JSONSerialization.jsonObject(with: Data(enqueue.stdout.utf8)) as? [String: Any]
        let runID = try #require(enqueued?["run_id"] as? String, "no run id in: \(enqueue.stdout)")
        #expect(enqueued?["total"] as? Int == total)
        #expect(endpoint.requestCount == 0)
        // The stored settings name the key's variable, never the key.
        let stored = try await postgres.psql("SELECT settings FROM work_runs", database: database)
        #expect(stored.contains("DIST_TEST_KEY") && !stored.contains(secret))

        // Three workers; w1 is killed with SIGKILL while it holds a lease. w1 starts alone, so the 12 answered
        // requests are its own and it has results of its own (`status` lists it); w2 and w3 start once w1 is held
        // at the gate, and the gate opens after the kill. The lease (10 s) outlasts the seconds a busy test
        // process may take between the kill and reading who held what.
        var workers: [Process] = []
        var folders = [home]
        func startWorker(_ index: Int) throws {
            let logs = try CLIProcess.temporaryDirectory("dist-w\(index)")
            folders.append(logs)
            workers.append(
                try CLIProcess.start(
                    [
                        "worker", "--store", url, "--batch", "4", "--concurrency", "2", "--lease", "10s",
                        "--worker-id", "w\(index)",
                    ],
                    environment: environment,
                    logFolder: logs
                )
            )
        }
        try startWorker(1)
        let store = try await PostgresResultStore.connect(url: url)
        var heldByKilled: [WorkItemStatus] = []
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let progress = try await store.progress(runID: runID)
            let gated = gate.isHolding
            if gated, let w1 = progress?.workers.first(where: { $0.id == "w1" }), w1.done >= 1, w1.claimed > 0 {
                try startWorker(2)
                try startWorker(3)
                kill(workers[0].processIdentifier, SIGKILL)
                workers[0].waitUntilExit()
                heldByKilled = try await store.itemStatuses(runID: runID).filter {
                    $0.doneBy == nil && $0.worker == "w1"
                }
                break
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        gate.open()
        #expect(workers[0].terminationReason == .uncaughtSignal, "w1 was not killed mid-run")
        #expect(!heldByKilled.isEmpty, "w1 held no lease when it was killed")

        // The other two finish everything, waiting for the dead lease to expire, then exit 0.
        for worker in workers.dropFirst() {
            let exitDeadline = Date().addingTimeInterval(90)
            while worker.isRunning, Date() < exitDeadline { try await Task.sleep(for: .milliseconds(50)) }
            if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
            worker.waitUntilExit()
            #expect(worker.terminationReason == .exit && worker.terminationStatus == 0)
        }

        // Every item done, exactly once, with one result each.
        let results = try await store.results(runID: runID)
        #expect(results.count == total)
        #expect(Set(results.map(\.itemID)).count == total)
        #expect(results.allSatisfy { $0.failure == nil || !EvaluationRunner.isTransient($0.failure) })
        let statuses = try await store.itemStatuses(runID: runID)
        #expect(statuses.count == total && statuses.allSatisfy { $0.doneBy != nil })
        // The killed worker's lease was reclaimed: its unfinished items were done by the others, on a second claim.
        let killedIDs = Set(heldByKilled.map(\.itemID))
        for status in statuses where killedIDs.contains(status.itemID) {
            #expect(
                status.doneBy == "w2" || status.doneBy == "w3",
                "\(status.itemID) done by \(status.doneBy ?? "nobody")"
            )
            #expect(status.claims >= 2)
        }
        let progress = try #require(try await store.progress(runID: runID))
        #expect(progress.isFinished && progress.reclaimed >= heldByKilled.count)
        #expect(progress.workers.map(\.done).reduce(0, +) == total)
        #expect(try await store.run(id: runID)?.status == .completed)

        // Requests: each prompt asked once, except those w1 had in flight when it died (at most its concurrency).
        var askedTimes: [String: Int] = [:]
        for request in endpoint.requests {
            let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            askedTimes[body?["prompt"] as? String ?? "", default: 0] += 1
            #expect(request.header("Authorization") == "Bearer \(secret)")
        }
        #expect(askedTimes.count == total)
        #expect(askedTimes.values.filter { $0 > 1 }.count <= 2)
        #expect(askedTimes.values.allSatisfy { $0 <= 2 })

        // `culturelens status` shows the totals and every worker.
        let status = try await CLIProcess.run(
            ["status", runID, "--store", url, "--json"],
            environment: environment
        )
        #expect(status.status == 0, "\(status.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let queue = json?["queue"] as? [String: Any]
        #expect(queue?["done"] as? Int == total && queue?["pending"] as? Int == 0 && queue?["claimed"] as? Int == 0)
        let workerIDs = (queue?["workers"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(workerIDs == ["w1", "w2", "w3"])
        let table = try await CLIProcess.run(
            ["status", String(runID.prefix(8)), "--store", url],
            environment: environment
        )
        #expect(table.status == 0)
        #expect(
            table.stdout.contains("done \(total)") && table.stdout.contains("w2")
                && table.stdout.contains("completed")
        )

        await store.close()
        try await endpoint.shutdown()
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Throughput of the queue with real worker processes against a zero-latency endpoint (opt-in: set
    /// `CULTURELENS_MEASURE_WORKERS=1`; prints a table for docs/scaling.md). `runs` copies of the starter suite
    /// (one per model name) are enqueued; the workers take any run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CULTURELENS_MEASURE_WORKERS"] == "1", "measurement"))
    func measureWorkerThroughput() async throws {
        let env = ProcessInfo.processInfo.environment
        let runs = Int(env["CULTURELENS_MEASURE_RUNS"] ?? "") ?? 23
        let batches = (env["CULTURELENS_MEASURE_BATCHES"] ?? "1,8,32").split(separator: ",").compactMap { Int($0) }
        let workerCount = Int(env["CULTURELENS_MEASURE_WORKERS_N"] ?? "") ?? 3
        let delay = Int(env["CULTURELENS_MEASURE_DELAY_MS"] ?? "") ?? 0
        let endpoint = try await ScriptedHTTPServer.start { _ in
            let body = ScriptedAction.json(
                FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1), (" B", -2.5)])
            )
            return delay > 0 ? .delay(.milliseconds(delay), then: body) : body
        }
        // A durable server (fsync on), as in production, unless CULTURELENS_MEASURE_FSYNC=off.
        let durable = env["CULTURELENS_MEASURE_FSYNC"] != "off"
        try await LocalPostgresServer.withServer(durable: durable) { postgres in
            var lines = ["workers  batch  items  wall s  items/s  claims  claims/s  completions/s"]
            for batch in batches {
                let database = "measure_\(batch)_" + UUID().uuidString.prefix(8).lowercased()
                try await postgres.createDatabase(database)
                let url = postgres.url(database: database)
                let home = try CLIProcess.temporaryDirectory("measure-home")
                defer { try? FileManager.default.removeItem(atPath: home) }
                var items = 0
                for run in 0..<runs {
                    let enqueue = try await CLIProcess.run(
                        [
                            "run", "starter", "--model", "model-\(run)", "--base-url", endpoint.baseURL + "/v1",
                            "--scoring", "logprobs",
                            "--api", "completions", "--store", url, "--enqueue", "--json",
                        ],
                        environment: ["CULTURELENS_HOME": home]
                    )
                    let json = try JSONSerialization.jsonObject(with: Data(enqueue.stdout.utf8)) as? [String: Any]
                    items += json?["total"] as? Int ?? 0
                }
                let start = Date()
                var workers: [(Process, String)] = []
                for index in 0..<workerCount {
                    let logs = try CLIProcess.temporaryDirectory("measure-w\(index)")
                    let process = try CLIProcess.start(
                        [
                            "worker", "--store", url, "--batch", String(batch), "--lease", "60s", "--worker-id",
                            "m\(index)",
                        ],
                        environment: ["CULTURELENS_HOME": home],
                        logFolder: logs
                    )
                    workers.append((process, logs))
                }
                defer { for (_, logs) in workers { try? FileManager.default.removeItem(atPath: logs) } }
                var claims = 0
                for (process, logs) in workers {
                    process.waitUntilExit()
                    let out = (try? String(contentsOfFile: logs + "/stdout", encoding: .utf8)) ?? ""
                    if let range = out.range(of: #"in (\d+) batch"#, options: .regularExpression) {
                        claims += Int(out[range].filter(\.isNumber)) ?? 0
                    }
                }
                let wall = Date().timeIntervalSince(start)
                let done = try await postgres.psql(
                    "SELECT count(*) FROM work WHERE done_at IS NOT NULL",
                    database: database
                )
                #expect(Int(done) == items)
                lines.append(
                    String(
                        format: "%7d  %5d  %5d  %6.2f  %7.0f  %6d  %8.0f  %13.0f",
                        workerCount,
                        batch,
                        items,
                        wall,
                        Double(items) / wall,
                        claims,
                        Double(claims) / wall,
                        Double(items) / wall
                    )
                )
            }
            print(
                "delay \(delay) ms per request, PostgreSQL \(postgres.binaries), fsync \(durable ? "on" : "off")\n"
                    + lines.joined(separator: "\n")
            )
        }
        try await endpoint.shutdown()
    }

    /// A worker given two `--base-url`s, one of them dead, pools them like `culturelens run`: every item is done
    /// through the live one, and the summary lines show the dead one down.
    @Test func workerBalancesOverItsEndpointsAndFailsOverFromADeadOne() async throws {
        let postgres = try #require(LocalPostgresTrait.server)
        let database = "pool_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await postgres.createDatabase(database)
        let url = postgres.url(database: database)
        let live = try await ScriptedHTTPServer.start { _ in
            .json(FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1), (" B", -2.5), (" Yes", -3)]))
        }
        let dead = "http://127.0.0.1:9/v1"
        let home = try CLIProcess.temporaryDirectory("pool-home")
        let logs = try CLIProcess.temporaryDirectory("pool-w")
        defer { for folder in [home, logs] { try? FileManager.default.removeItem(atPath: folder) } }
        let total = try #require(SuiteCatalog.suite(named: "starter")).items.count

        // The run records the dead endpoint; the worker overrides it with both.
        let enqueue = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", dead, "--scoring", "logprobs",
                "--api", "completions", "--store", url, "--enqueue", "--json",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let worker = try CLIProcess.start(
            [
                "worker", "--store", url, "--batch", "8", "--concurrency", "4", "--worker-id", "p1",
                "--base-url", dead, "--base-url", live.baseURL + "/v1", "--connect-timeout", "1",
            ],
            environment: ["CULTURELENS_HOME": home],
            logFolder: logs
        )
        let deadline = Date().addingTimeInterval(120)
        while worker.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
        worker.waitUntilExit()
        let stderr = (try? String(contentsOfFile: logs + "/stderr", encoding: .utf8)) ?? ""
        #expect(worker.terminationReason == .exit && worker.terminationStatus == 0, "\(stderr)")

        let store = try await PostgresResultStore.connect(url: url)
        let results = try await store.results(runID: try #require(try await store.runs().first?.id))
        await store.close()
        #expect(results.count == total)
        #expect(results.allSatisfy { $0.failure == nil }, "\(results.compactMap(\.failure).prefix(3))")
        #expect(live.requestCount >= total)
        let lines = stderr.split(separator: "\n").filter { $0.hasPrefix("worker p1: endpoint ") }
        #expect(lines.count == 2, "\(stderr)")
        #expect(
            lines.contains { $0.hasPrefix("worker p1: endpoint \(dead): ") && !$0.contains(": up") },
            "\(lines)"
        )
        #expect(lines.contains { $0.hasPrefix("worker p1: endpoint \(live.baseURL)/v1: up") }, "\(lines)")
        try await live.shutdown()
    }

    /// `worker --rpm` spaces this worker's requests: 60 a minute is a burst of 1, then one a second, so the sixth
    /// request is sent 5 s after the first (without the limit they arrive within milliseconds). The bound is 3 s
    /// because arrival times include connection set-up, which a loaded machine can stretch for the first ones
    /// (a 2 s bound at 120/min failed once in a full run with 1.34 s).
    @Test func workerRequestsPerMinuteSpaceItsRequests() async throws {
        let postgres = try #require(LocalPostgresTrait.server)
        let database = "rpm_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await postgres.createDatabase(database)
        let url = postgres.url(database: database)
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let live = try await ScriptedHTTPServer.start { _ in
            arrivals.withLock { $0.append(.now) }
            return .json(
                FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1), (" B", -2.5), (" Yes", -3)])
            )
        }
        let home = try CLIProcess.temporaryDirectory("rpm-home")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let enqueue = try await CLIProcess.run(
            [
                "run", "starter", "--model", "fake-model", "--base-url", live.baseURL + "/v1", "--limit", "6",
                "--scoring", "logprobs", "--api", "completions", "--store", url, "--enqueue", "--json",
            ],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let bad = try await CLIProcess.run(["worker", "--store", url, "--rpm", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--rpm must be positive"), "\(bad.stderr)")
        let worker = try await CLIProcess.run(
            ["worker", "--store", url, "--batch", "6", "--concurrency", "6", "--worker-id", "r1", "--rpm", "60"],
            environment: ["CULTURELENS_HOME": home]
        )
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(worker.stdout.contains("6 item(s) done"), "\(worker.stdout)")
        let times = arrivals.withLock { $0 }
        #expect(times.count == 6)
        if let first = times.first, let last = times.last {
            #expect(last - first >= .seconds(3), "6 requests at 60/min took \(last - first)")
        }
        try await live.shutdown()
    }

    @Test func enqueueNeedsAPostgresStoreAndARemoteModel() async throws {
        let sqlite = try await CLIProcess.run([
            "run", "starter", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--enqueue",
        ])
        #expect(sqlite.status == 2 && sqlite.stderr.contains("postgres://"))
        let local = try await CLIProcess.run([
            "run", "starter", "--store", "postgres://u@127.0.0.1:9/db", "--enqueue",
        ])
        #expect(local.status == 2 && local.stderr.contains("--base-url"))
        let worker = try await CLIProcess.run(["worker", "--store", "/tmp/x.sqlite"])
        #expect(worker.status == 2)
    }
}

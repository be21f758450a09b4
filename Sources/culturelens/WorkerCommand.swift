import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `culturelens worker --store postgres://...`: claim batches of enqueued work, evaluate them, save each result
/// with the item's completion; any number of workers on any number of machines.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Process work enqueued with `culturelens run ... --enqueue` (PostgreSQL store), with other workers.",
        discussion: """
            Claims batches of items under a lease, renews it while working, and saves every result together with \
            the item's completion. A worker that dies stops renewing; its lease expires and other workers take \
            its unfinished items over, so every item is done exactly once. The model settings come from the run; \
            the API key is read from this machine's environment (--api-key-env, default: the variable named when \
            the run was enqueued). Exit codes: 0 no work left; 1 error; 130 stopped by Ctrl-C (unfinished items \
            are handed back at once).
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "Items claimed at once.")
    var batch: Int = 8

    @Option(name: .long, help: "Lease duration: how long a claim lasts without renewal (e.g. 60s, 2m).")
    var lease: String = "60s"

    @Option(name: .long, help: "Requests in flight at once (default: the batch size).")
    var concurrency: Int?

    @Option(name: .customLong("run"), help: "Work only on this run (default: any run, oldest first).")
    var runID: String?

    @Option(name: .long, help: "This worker's id in the queue (default: HOST-PID).")
    var workerID: String?

    @Option(
        name: .customLong("base-url"),
        help:
            "Use these OpenAI-compatible servers instead of the run's (repeatable: requests are balanced over them, with failover)."
    )
    var baseURLs: [String] = []

    @Option(
        name: .long,
        help:
            "Seconds to keep trying to connect to an endpoint before failing over (default: the run's timeout, at most 10)."
    )
    var connectTimeout: Double?

    @Flag(
        inversion: .prefixedNo,
        help: "Adapt each endpoint's requests in flight to its 429s, errors and latency, up to --concurrency."
    )
    var adaptive = true

    @Option(
        name: .long,
        help:
            "Requests per minute this worker sends to each endpoint (default: unlimited); N workers sharing a quota each take a share."
    )
    var rpm: Double?

    @Option(
        name: .long,
        help:
            "Tokens per minute this worker sends to each endpoint, estimated from prompt and max tokens (default: unlimited)."
    )
    var tpm: Double?

    @Option(name: .long, help: "Environment variable holding the API key (default: the one named by the run).")
    var apiKeyEnv: String?

    @Flag(name: .long, help: "Keep waiting for new work when the queue is empty.")
    var wait = false

    func validate() throws {
        guard storeOptions.isPostgres else {
            throw ValidationError("workers need a shared store: --store postgres://user@host:port/database")
        }
        guard (1...1024).contains(batch) else { throw ValidationError("--batch must be 1...1024") }
        if let concurrency, !(1...1024).contains(concurrency) {
            throw ValidationError("--concurrency must be 1...1024")
        }
        guard let duration = LeasePolicy.parseDuration(lease), duration >= .seconds(1) else {
            throw ValidationError("--lease '\(lease)' is not a duration of at least 1s (e.g. 60s, 2m)")
        }
        for baseURL in baseURLs where URL(string: baseURL)?.scheme == nil {
            throw ValidationError("--base-url '\(baseURL)' is not a URL (expected e.g. http://127.0.0.1:8000/v1)")
        }
        if let connectTimeout, !(connectTimeout > 0) { throw ValidationError("--connect-timeout must be positive") }
        if let rpm, !(rpm > 0) { throw ValidationError("--rpm must be positive") }
        if let tpm, !(tpm > 0) { throw ValidationError("--tpm must be positive") }
    }

    func run() async throws {
        try await storeOptions.withOpenedStore { opened in
            guard let queue = opened.queue else { throw ExitCode.validationFailure }
            let models = WorkerModels(
                baseURLs: baseURLs,
                apiKeyEnv: apiKeyEnv,
                concurrency: concurrency ?? batch,
                connectTimeout: connectTimeout,
                adaptive: adaptive,
                rateLimit: .init(requestsPerMinute: rpm, tokensPerMinute: tpm)
            )
            try await withWorkerModels(models) { models in
                try await work(queue: queue, opened: opened, models: models)
            }
        }
    }

    /// Claims and evaluates batches until the queue is empty (or, with `--wait`, until stopped).
    private func work(queue: any WorkQueue, opened: OpenedStore, models: WorkerModels) async throws {
        let id = workerID ?? "\(Self.hostName())-\(ProcessInfo.processInfo.processIdentifier)"
        let worker = QueueWorker(
            queue: queue,
            store: opened.store,
            models: models,
            configuration: .init(
                workerID: id,
                batchSize: batch,
                concurrency: concurrency,
                policy: LeasePolicy(duration: LeasePolicy.parseDuration(lease) ?? .seconds(60)),
                runID: runID,
                waitForWork: wait
            )
        )
        let stop = StopSignal()
        let trap = SignalTrap {
            stop.stop()
        } onSecond: {
            Foundation.exit(130)
        }
        printError("worker \(id): claiming batches of \(batch) from \(opened.location), lease \(lease)")
        let summary: QueueWorker.Summary
        do {
            summary = try await worker.run(stop: stop) { event in
                switch event {
                case .claimed(let lease):
                    let reclaimed = lease.reclaimed > 0 ? " (\(lease.reclaimed) taken over from expired leases)" : ""
                    printError("worker \(id): claimed \(lease.items.count) item(s) of run \(lease.runID)\(reclaimed)")
                case .lost(let runID, let itemID, let variant):
                    printError("worker \(id): lease lost for \(itemID)/\(variant) of run \(runID); result dropped")
                case .released(let runID, let items):
                    printError("worker \(id): handed \(items) unstarted item(s) of run \(runID) back to the queue")
                case .runFinished(let runID):
                    printError("worker \(id): run \(runID) is complete")
                case .completed, .waiting:
                    break
                }
            }
        } catch {
            trap.cancel()
            printError("error: worker \(id) stopped: \(error)")
            throw ExitCode(1)
        }
        trap.cancel()
        for line in await models.endpointSummary() { printError("worker \(id): endpoint \(line)") }
        print(
            "worker \(id): \(summary.completed) item(s) done in \(summary.batches) batch(es); \(summary.failed) failed, "
                + "\(summary.lost) dropped after a lost lease, \(summary.released) handed back"
        )
        if stop.isStopped { throw ExitCode(130) }
    }
}

extension WorkerCommand {
    /// This machine's host name (no DNS look-up).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "worker" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "worker" : name
    }
}

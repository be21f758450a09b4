import Foundation
import Synchronization

/// Gives a worker the model of an enqueued run, from the settings stored with it.
public protocol RunModelProvider: Sendable {
    /// The model for `settings` (implementations may cache one client per run or per endpoint).
    func model(for settings: RunModelSettings, runID: String) async throws -> any LanguageModel
}

/// What a ``QueueWorker`` did, for progress output.
public enum WorkerEvent: Sendable {
    /// A batch was claimed.
    case claimed(WorkLease)
    /// An item was completed and its result saved.
    case completed(ItemResult)
    /// An item's result was dropped because its lease had been lost (expired and claimed by another worker).
    case lost(runID: String, itemID: String, variant: String)
    /// Unfinished items were returned to the queue (the worker is stopping).
    case released(runID: String, items: Int)
    /// Nothing claimable: waiting this long before asking again.
    case waiting(Duration)
    /// Every item of the run is done; the run was marked completed.
    case runFinished(String)
}

/// One worker process's loop: claim a batch of work items, evaluate them (renewing the lease meanwhile), each
/// result saved together with the item's completion, and again, until no unfinished work is left.
public struct QueueWorker: Sendable {
    /// Worker settings.
    public struct Configuration: Sendable, Hashable {
        /// This worker's id, recorded with every lease and completion.
        public var workerID: String
        /// Items claimed at once.
        public var batchSize: Int
        /// Requests in flight at once (default: the batch size).
        public var concurrency: Int
        /// Lease duration, renewal interval and longest wait.
        public var policy: LeasePolicy
        /// Work only on this run; `nil`: any run, oldest first.
        public var runID: String?
        /// Keep waiting for new work when the queue is empty, instead of returning.
        public var waitForWork: Bool

        /// Creates a configuration.
        public init(
            workerID: String,
            batchSize: Int = 8,
            concurrency: Int? = nil,
            policy: LeasePolicy = LeasePolicy(),
            runID: String? = nil,
            waitForWork: Bool = false
        ) {
            self.workerID = workerID
            self.batchSize = max(1, batchSize)
            self.concurrency = max(1, concurrency ?? batchSize)
            self.policy = policy
            self.runID = runID
            self.waitForWork = waitForWork
        }
    }

    /// What one ``run(stop:events:)`` did.
    public struct Summary: Sendable, Hashable {
        /// Batches claimed.
        public var batches = 0
        /// Items completed (results saved).
        public var completed = 0
        /// Completed items whose result is a failure.
        public var failed = 0
        /// Items whose result was dropped because their lease was lost.
        public var lost = 0
        /// Items returned to the queue unprocessed (stop requested).
        public var released = 0
        /// Runs this worker found finished and marked completed.
        public var runsFinished: [String] = []

        /// An empty summary.
        public init() {}
    }

    /// The queue.
    public var queue: any WorkQueue
    /// The result store beside it (cache look-ups, run records).
    public var store: any ResultStore
    /// Gives the model of each run.
    public var models: any RunModelProvider
    /// Settings.
    public var configuration: Configuration
    /// Waits; tests pass one driven by a fake clock.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// Creates a worker.
    public init(
        queue: any WorkQueue,
        store: any ResultStore,
        models: any RunModelProvider,
        configuration: Configuration,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.queue = queue
        self.store = store
        self.models = models
        self.configuration = configuration
        self.sleep = sleep
    }

    /// Claims and processes batches until no unfinished work is left (or, with ``Configuration/waitForWork``,
    /// until `stop` is raised). When `stop` is raised, no new batch is claimed, items in flight finish and are
    /// saved, and the rest of the batch is released to other workers at once.
    public func run(stop: StopSignal = StopSignal(), events: @escaping @Sendable (WorkerEvent) -> Void = { _ in }) async throws -> Summary {
        var summary = Summary()
        var touchedRuns: [String] = []
        while !stop.isStopped {
            let outcome = try await queue.claim(
                worker: configuration.workerID,
                runID: configuration.runID,
                limit: configuration.batchSize,
                policy: configuration.policy
            )
            switch outcome {
            case .claimed(let lease):
                summary.batches += 1
                events(.claimed(lease))
                if !touchedRuns.contains(lease.runID) { touchedRuns.append(lease.runID) }
                try await process(lease, stop: stop, summary: &summary, events: events)
            case .wait(let duration):
                try await finishRuns(&touchedRuns, summary: &summary, events: events)
                events(.waiting(duration))
                try await sleep(duration)
            case .finished:
                try await finishRuns(&touchedRuns, summary: &summary, events: events)
                guard configuration.waitForWork else { return summary }
                events(.waiting(configuration.policy.maximumWait))
                try await sleep(configuration.policy.maximumWait)
            }
        }
        try await finishRuns(&touchedRuns, summary: &summary, events: events)
        return summary
    }

    /// Marks the runs this worker worked on completed once every item is done (whichever worker notices first;
    /// doing it twice is harmless).
    private func finishRuns(_ runs: inout [String], summary: inout Summary, events: @Sendable (WorkerEvent) -> Void) async throws {
        var unfinished: [String] = []
        for runID in runs {
            guard let progress = try await queue.progress(runID: runID), progress.isFinished else {
                unfinished.append(runID)
                continue
            }
            if var run = try await store.run(id: runID), run.status != .completed {
                run.status = .completed
                run.finishedAt = Date()
                try await store.updateRun(run)
            }
            summary.runsFinished.append(runID)
            events(.runFinished(runID))
        }
        runs = unfinished
    }

    /// Evaluates a batch with bounded concurrency while a side task renews its lease.
    private func process(
        _ lease: WorkLease, stop: StopSignal, summary: inout Summary, events: @escaping @Sendable (WorkerEvent) -> Void
    ) async throws {
        guard let settings = try await queue.settings(runID: lease.runID) else { throw WorkQueueError.unknownRun(lease.runID) }
        let model = try await models.model(for: settings, runID: lease.runID)
        let runner = EvaluationRunner(
            model: model,
            store: LeasedResultStore(base: store, queue: queue, lease: lease),
            configuration: settings.runnerConfiguration(concurrency: configuration.concurrency)
        )
        let allLost = LostFlag()
        let batch = try await withThrowingTaskGroup(of: BatchTally?.self) { group in
            group.addTask {
                try await evaluateItems(of: lease, with: runner, stop: stop, allLost: allLost, events: events)
            }
            group.addTask {
                await renewWhileWorking(lease, allLost: allLost)
                return nil
            }
            var tally = BatchTally()
            while let next = try await group.next() {
                if let next {
                    tally = next
                    group.cancelAll()  // stops the renewal loop
                }
            }
            return tally
        }
        summary.completed += batch.completed
        summary.failed += batch.failed
        summary.lost += batch.lost
        if batch.unstarted > 0 {
            try await queue.release(lease)
            summary.released += batch.unstarted
            events(.released(runID: lease.runID, items: batch.unstarted))
        }
    }

    private struct BatchTally: Sendable {
        var completed = 0
        var failed = 0
        var lost = 0
        var unstarted = 0
    }

    /// Raised by the renewal loop when the queue says none of the batch's unfinished items is held any more.
    private final class LostFlag: Sendable {
        private let value = Mutex(false)
        func raise() { value.withLock { $0 = true } }
        var isRaised: Bool { value.withLock { $0 } }
    }

    private func evaluateItems(
        of lease: WorkLease, with runner: EvaluationRunner, stop: StopSignal, allLost: LostFlag,
        events: @escaping @Sendable (WorkerEvent) -> Void
    ) async throws -> BatchTally {
        enum Outcome: Sendable {
            case done(ItemResult)
            case lost(WorkItem)
        }
        var tally = BatchTally()
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var iterator = lease.items.makeIterator()
            var inFlight = 0
            var started = 0
            func schedule() {
                while inFlight < configuration.concurrency, !stop.isStopped, !allLost.isRaised, let work = iterator.next() {
                    inFlight += 1
                    started += 1
                    group.addTask {
                        do {
                            return .done(try await runner.evaluate(work.item, index: work.itemIndex, variant: work.variant, runID: lease.runID))
                        } catch is WorkQueueError {
                            return .lost(work)
                        }
                    }
                }
            }
            schedule()
            while let outcome = try await group.next() {
                inFlight -= 1
                switch outcome {
                case .done(let result):
                    tally.completed += 1
                    if result.failure != nil { tally.failed += 1 }
                    events(.completed(result))
                case .lost(let work):
                    tally.lost += 1
                    events(.lost(runID: lease.runID, itemID: work.itemID, variant: work.variantID))
                }
                schedule()
            }
            tally.unstarted = allLost.isRaised ? 0 : lease.items.count - started
        }
        return tally
    }

    /// Renews the lease every ``LeasePolicy/renewalInterval`` until cancelled; raises `allLost` and returns when
    /// the queue holds none of the batch's unfinished items for this worker any more. A failed renewal (the
    /// database briefly unreachable) is tried again at the next interval; if the lease runs out meanwhile, the
    /// completions are refused by the fencing token and nothing is saved twice.
    private func renewWhileWorking(_ lease: WorkLease, allLost: LostFlag) async {
        while !Task.isCancelled {
            do {
                try await sleep(configuration.policy.renewalInterval)
            } catch {
                return
            }
            guard !Task.isCancelled else { return }
            do {
                if try await queue.renew(lease, policy: configuration.policy) == 0 {
                    allLost.raise()
                    return
                }
            } catch {
                continue
            }
        }
    }
}

/// The result store as seen by a runner working on a leased batch: saving a result completes the item under the
/// lease (same transaction), everything else goes to the store.
struct LeasedResultStore: ResultStore {
    let base: any ResultStore
    let queue: any WorkQueue
    let lease: WorkLease

    func openRun(_ run: RunRecord) async throws -> RunRecord { try await base.openRun(run) }
    func updateRun(_ run: RunRecord) async throws { try await base.updateRun(run) }
    func run(id: String) async throws -> RunRecord? { try await base.run(id: id) }
    func runs() async throws -> [RunRecord] { try await base.runs() }
    func cachedResponse(key: String) async throws -> ModelResponse? { try await base.cachedResponse(key: key) }
    func results(runID: String) async throws -> [ItemResult] { try await base.results(runID: runID) }

    func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws {
        try await queue.complete(result, cacheEntry: cacheEntry, lease: lease)
    }
}

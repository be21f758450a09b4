import Foundation

/// How a worker reaches and asks the model of an enqueued run. Stored with the run so that workers on other
/// machines need only the store's address; it never holds an API key, only the name of the environment variable
/// a worker reads its own key from.
public struct RunModelSettings: Sendable, Codable, Hashable {
    /// Base URL of the OpenAI-compatible server, including `/v1`. A worker may override it (one inference
    /// replica per worker); the model name must stay the same, since it is part of every cache key.
    public var baseURL: String
    /// Model name, as sent in requests.
    public var model: String
    /// API to call.
    public var api: ModelAPI
    /// Scoring mode.
    public var scoring: ScoringMode
    /// Name of the environment variable holding the API key on the worker (never the key itself).
    public var apiKeyEnv: String?
    /// Per-request timeout in seconds.
    public var timeout: Double
    /// Alternatives per position asked for in logprob mode.
    public var topLogprobs: Int
    /// Tokens generated in generate mode.
    public var generateMaxTokens: Int
    /// Sampling temperature of generate-mode requests.
    public var temperature: Double

    /// Creates settings.
    public init(
        baseURL: String,
        model: String,
        api: ModelAPI,
        scoring: ScoringMode,
        apiKeyEnv: String? = nil,
        timeout: Double = 60,
        topLogprobs: Int = 20,
        generateMaxTokens: Int = 48,
        temperature: Double = 0
    ) {
        self.baseURL = baseURL
        self.model = model
        self.api = api
        self.scoring = scoring
        self.apiKeyEnv = apiKeyEnv
        self.timeout = timeout
        self.topLogprobs = topLogprobs
        self.generateMaxTokens = generateMaxTokens
        self.temperature = temperature
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case model, api, scoring
        case apiKeyEnv = "api_key_env"
        case timeout
        case topLogprobs = "top_logprobs"
        case generateMaxTokens = "generate_max_tokens"
        case temperature
    }

    /// Decodes settings; fields added later get their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        baseURL = try container.decode(String.self, forKey: .baseURL)
        model = try container.decode(String.self, forKey: .model)
        api = try container.decode(ModelAPI.self, forKey: .api)
        scoring = try container.decode(ScoringMode.self, forKey: .scoring)
        apiKeyEnv = try container.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        timeout = try container.decodeIfPresent(Double.self, forKey: .timeout) ?? 60
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs) ?? 20
        generateMaxTokens = try container.decodeIfPresent(Int.self, forKey: .generateMaxTokens) ?? 48
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature) ?? 0
    }

    /// The runner configuration these settings describe, with `concurrency` requests in flight.
    public func runnerConfiguration(concurrency: Int) -> EvaluationRunner.Configuration {
        EvaluationRunner.Configuration(
            api: api,
            scoring: scoring,
            concurrency: concurrency,
            topLogprobs: topLogprobs,
            generateMaxTokens: generateMaxTokens,
            temperature: temperature
        )
    }
}

/// One unit of distributed work: one item under one prompt variant. It carries the item itself, so a worker
/// needs neither the suite nor the dataset it came from.
public struct WorkItem: Sendable, Codable, Hashable {
    /// Position of the item in the suite.
    public var itemIndex: Int
    /// The item.
    public var item: Item
    /// The prompt variant.
    public var variant: PromptVariant

    /// Creates a work item.
    public init(itemIndex: Int, item: Item, variant: PromptVariant = .default) {
        self.itemIndex = itemIndex
        self.item = item
        self.variant = variant
    }

    /// Item id.
    public var itemID: String { item.id }
    /// Variant id (the results table's key part).
    public var variantID: String { variant.id }

    /// The work items of `suite` under `variants`: item × variant, in suite order.
    public static func items(of suite: Suite, variants: [PromptVariant] = [.default]) -> [WorkItem] {
        suite.items.enumerated().flatMap { index, item in variants.map { WorkItem(itemIndex: index, item: item, variant: $0) } }
    }
}

/// A batch of work items claimed by one worker, all under one lease token.
public struct WorkLease: Sendable, Hashable {
    /// The run the items belong to.
    public var runID: String
    /// The worker holding the lease.
    public var worker: String
    /// The fencing token: completing or renewing needs it, and a new claim of the same items replaces it.
    public var token: String
    /// The claimed items, ordered by item index then variant.
    public var items: [WorkItem]
    /// When the lease runs out unless renewed (the queue's clock).
    public var expiresAt: Date
    /// How many of the items had been claimed before (by a worker whose lease expired or was released).
    public var reclaimed: Int

    /// Creates a lease.
    public init(runID: String, worker: String, token: String, items: [WorkItem], expiresAt: Date, reclaimed: Int) {
        self.runID = runID
        self.worker = worker
        self.token = token
        self.items = items
        self.expiresAt = expiresAt
        self.reclaimed = reclaimed
    }
}

/// What a claim gave.
public enum ClaimOutcome: Sendable, Hashable {
    /// A batch of items, now leased to the worker.
    case claimed(WorkLease)
    /// Nothing claimable now, but unfinished items are leased by other workers: ask again after this long (their
    /// leases may run out).
    case wait(Duration)
    /// No unfinished work (in the run asked for, or anywhere).
    case finished
}

/// Why a work-queue operation was refused.
public enum WorkQueueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The item is no longer leased under this token: its lease expired and another worker claimed it, it was
    /// released, or it is already done. The result must be dropped.
    case notHeld(runID: String, itemID: String, variant: String)
    /// The run has no enqueued work.
    case unknownRun(String)

    public var description: String {
        switch self {
        case let .notHeld(runID, itemID, variant):
            "item \(itemID)/\(variant) of run \(runID) is no longer leased to this worker (lease lost or already done)"
        case let .unknownRun(runID): "run \(runID) has no enqueued work"
        }
    }
}

/// What an ``WorkQueue/enqueue(runID:settings:items:)`` did.
public struct EnqueueSummary: Sendable, Hashable, Codable {
    /// Items newly added.
    public var added: Int
    /// Items done earlier whose result was a transient failure (HTTP errors, timeouts), opened again.
    public var reopened: Int
    /// Items of the run in the queue now.
    public var total: Int

    /// Creates a summary.
    public init(added: Int, reopened: Int, total: Int) {
        self.added = added
        self.reopened = reopened
        self.total = total
    }
}

/// The state of a run's work, across workers.
public struct WorkProgress: Sendable, Hashable, Codable {
    /// One worker's share of a run.
    public struct Worker: Sendable, Hashable, Codable {
        /// Worker id.
        public var id: String
        /// Items this worker completed.
        public var done: Int
        /// Items it holds under a live lease.
        public var claimed: Int
        /// Items whose lease it let expire (claimable again, e.g. because it died).
        public var expired: Int
        /// When it last claimed or renewed (the queue's clock); `nil` when not known.
        public var lastSeen: Date?

        /// Creates a worker entry.
        public init(id: String, done: Int, claimed: Int, expired: Int, lastSeen: Date?) {
            self.id = id
            self.done = done
            self.claimed = claimed
            self.expired = expired
            self.lastSeen = lastSeen
        }

        enum CodingKeys: String, CodingKey {
            case id, done, claimed, expired
            case lastSeen = "last_seen"
        }
    }

    /// Run id.
    public var runID: String
    /// Items enqueued.
    public var total: Int
    /// Items completed.
    public var done: Int
    /// Items under a live lease.
    public var claimed: Int
    /// Items whose lease ran out: claimable again.
    public var expired: Int
    /// Items never claimed, or released.
    public var pending: Int
    /// Items claimed more than once (taken over after a lease expired or was released).
    public var reclaimed: Int
    /// Workers that completed or hold items of the run, by id.
    public var workers: [Worker]
    /// The queue's clock when this was read.
    public var asOf: Date

    /// Creates a progress record.
    public init(
        runID: String, total: Int, done: Int, claimed: Int, expired: Int, pending: Int, reclaimed: Int,
        workers: [Worker], asOf: Date
    ) {
        self.runID = runID
        self.total = total
        self.done = done
        self.claimed = claimed
        self.expired = expired
        self.pending = pending
        self.reclaimed = reclaimed
        self.workers = workers
        self.asOf = asOf
    }

    /// Whether every item is done.
    public var isFinished: Bool { done == total }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case total, done, claimed, expired, pending, reclaimed, workers
        case asOf = "as_of"
    }
}

/// One work item's queue state, for inspection (`status --items`, tests).
public struct WorkItemStatus: Sendable, Hashable, Codable {
    /// Item id.
    public var itemID: String
    /// Variant id.
    public var variant: String
    /// Position of the item in the suite.
    public var itemIndex: Int
    /// The worker holding, or that last held, the lease.
    public var worker: String?
    /// When the lease runs or ran out.
    public var leaseExpiresAt: Date?
    /// How many times the item was claimed.
    public var claims: Int
    /// The worker that completed it.
    public var doneBy: String?
    /// When it was completed.
    public var doneAt: Date?

    /// Creates a status.
    public init(
        itemID: String, variant: String, itemIndex: Int, worker: String?, leaseExpiresAt: Date?, claims: Int,
        doneBy: String?, doneAt: Date?
    ) {
        self.itemID = itemID
        self.variant = variant
        self.itemIndex = itemIndex
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.claims = claims
        self.doneBy = doneBy
        self.doneAt = doneAt
    }

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case variant
        case itemIndex = "item_index"
        case worker
        case leaseExpiresAt = "lease_expires_at"
        case claims
        case doneBy = "done_by"
        case doneAt = "done_at"
    }
}

/// A shared queue of work items that any number of worker processes claim in leased batches (see
/// ``LeasePolicy``). It sits beside a ``ResultStore``: completing an item saves its result (and response) in
/// the same transaction that marks the item done, under the lease's fencing token, so every item is done, and
/// its result saved, exactly once even when workers die mid-batch.
///
/// The run itself must be opened in the result store before its work is enqueued.
public protocol WorkQueue: Sendable {
    /// Records a run's work items and how to reach its model. Idempotent: items already there keep their state,
    /// except done items whose stored result is a transient failure, which are opened again (like re-running a
    /// local run retries them).
    func enqueue(runID: String, settings: RunModelSettings, items: [WorkItem]) async throws -> EnqueueSummary
    /// The model settings stored with a run, or `nil` when it has no enqueued work.
    func settings(runID: String) async throws -> RunModelSettings?
    /// Claims up to `limit` claimable items of one run (of `runID`, or of the oldest run with claimable work)
    /// for `worker`, under a new lease of `policy.duration`.
    func claim(worker: String, runID: String?, limit: Int, policy: LeasePolicy) async throws -> ClaimOutcome
    /// Extends the lease of the lease's unfinished items that are still held under its token.
    /// - Returns: how many unfinished items are still held (0: all were lost or done).
    func renew(_ lease: WorkLease, policy: LeasePolicy) async throws -> Int
    /// Marks the result's item done and saves the result (and response) in one transaction, if the item is
    /// still leased under `lease`'s token.
    /// - Throws: ``WorkQueueError/notHeld(runID:itemID:variant:)`` when it is not; nothing is saved then.
    func complete(_ result: ItemResult, cacheEntry: CacheEntry?, lease: WorkLease) async throws
    /// Returns the lease's unfinished items to the queue at once (a worker stopping cleanly).
    func release(_ lease: WorkLease) async throws
    /// Progress of a run across workers, or `nil` when it has no enqueued work.
    func progress(runID: String) async throws -> WorkProgress?
    /// Every work item of a run with its lease state, ordered by item index then variant.
    func itemStatuses(runID: String) async throws -> [WorkItemStatus]
}

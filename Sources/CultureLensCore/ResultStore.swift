import Foundation

/// The state of a run.
public enum RunStatus: String, Sendable, Codable, Hashable {
    /// Started and not finished (or killed: a later `run` of the same command resumes it).
    case running
    /// Every item has a result (some may be failures).
    case completed
    /// Stopped by the user before every item was done.
    case interrupted
}

/// A run: one suite evaluated by one model with one configuration.
public struct RunRecord: Sendable, Codable, Hashable, Identifiable {
    /// Deterministic id: the same command gives the same id, which is how re-running resumes.
    public var id: String
    /// Suite name.
    public var suite: String
    /// Suite content version.
    public var suiteVersion: String
    /// sha256 of the suite content.
    public var specHash: String
    /// Model name.
    public var model: String
    /// Display endpoint (no secrets).
    public var endpoint: String
    /// API used.
    public var api: ModelAPI
    /// Scoring mode.
    public var scoring: ScoringMode
    /// Items in the run.
    public var itemCount: Int
    /// CultureLens version that started the run.
    public var toolVersion: String
    /// When the run was first started.
    public var createdAt: Date
    /// When it last finished (or `nil`).
    public var finishedAt: Date?
    /// State.
    public var status: RunStatus
    /// Prompt variant ids evaluated, when not just the plain prompt.
    public var variants: [String]?
    /// For the run holding a `run`'s robustness card (its sample under every option rotation): the id of that run.
    /// Such runs are left out of listings, leaderboards and cross-run comparisons; the card is shown with its run.
    public var cardOf: String?

    /// Creates a run record.
    public init(
        id: String,
        suite: String,
        suiteVersion: String,
        specHash: String,
        model: String,
        endpoint: String,
        api: ModelAPI,
        scoring: ScoringMode,
        itemCount: Int,
        toolVersion: String,
        createdAt: Date,
        finishedAt: Date? = nil,
        status: RunStatus = .running,
        variants: [String]? = nil,
        cardOf: String? = nil
    ) {
        self.id = id
        self.suite = suite
        self.suiteVersion = suiteVersion
        self.specHash = specHash
        self.model = model
        self.endpoint = endpoint
        self.api = api
        self.scoring = scoring
        self.itemCount = itemCount
        self.toolVersion = toolVersion
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.status = status
        self.variants = variants
        self.cardOf = cardOf
    }

    /// The deterministic id of a run: the first 16 hex digits of sha256 over what defines it.
    public static func makeID(
        suite: String,
        specHash: String,
        model: String,
        api: ModelAPI,
        scoring: ScoringMode,
        itemCount: Int,
        variants: [String] = ["default"]
    ) -> String {
        var fields = [suite, specHash, model, api.rawValue, scoring.rawValue, String(itemCount)]
        if variants != ["default"] { fields.append(variants.joined(separator: "|")) }
        let key = fields.joined(separator: "\u{1F}")
        return String(Hashing.sha256Hex(of: Data(key.utf8)).prefix(16))
    }
}

/// The result of one item in one run.
public struct ItemResult: Sendable, Codable, Hashable {
    /// Run id.
    public var runID: String
    /// Item id.
    public var itemID: String
    /// Position of the item in the suite.
    public var itemIndex: Int
    /// Prompt variant id (`default` for the plain prompt).
    public var variant: String
    /// Culture code.
    public var culture: String
    /// Topic.
    public var topic: String
    /// The prompt sent.
    public var prompt: String
    /// The raw generated text, when there was a response.
    public var response: String?
    /// Distribution over the options in canonical order (logprob scoring).
    public var distribution: [Double]?
    /// Probability mass that fell outside the options (logprob scoring).
    public var outsideMass: Double?
    /// Canonical index of the chosen option.
    public var predicted: Int?
    /// Gold option indices.
    public var gold: [Int]
    /// 1 when the chosen option is gold, 0 otherwise; `nil` when the item failed.
    public var score: Double?
    /// Why there is no score.
    public var failure: FailureKind?
    /// Failure detail.
    public var failureDetail: String?
    /// Cache key of the request.
    public var cacheKey: String
    /// Whether the response came from the cache.
    public var cached: Bool
    /// Attempts the request took (0 from cache).
    public var attempts: Int

    /// Creates an item result.
    public init(
        runID: String,
        itemID: String,
        itemIndex: Int,
        variant: String = "default",
        culture: String,
        topic: String,
        prompt: String,
        response: String?,
        distribution: [Double]?,
        outsideMass: Double?,
        predicted: Int?,
        gold: [Int],
        score: Double?,
        failure: FailureKind?,
        failureDetail: String?,
        cacheKey: String,
        cached: Bool,
        attempts: Int
    ) {
        self.runID = runID
        self.itemID = itemID
        self.itemIndex = itemIndex
        self.variant = variant
        self.culture = culture
        self.topic = topic
        self.prompt = prompt
        self.response = response
        self.distribution = distribution
        self.outsideMass = outsideMass
        self.predicted = predicted
        self.gold = gold
        self.score = score
        self.failure = failure
        self.failureDetail = failureDetail
        self.cacheKey = cacheKey
        self.cached = cached
        self.attempts = attempts
    }
}

/// A response to keep in the content-addressed cache.
public struct CacheEntry: Sendable, Hashable {
    /// sha256 of the canonical request.
    public var key: String
    /// The canonical request.
    public var request: ModelRequest
    /// Model name.
    public var model: String
    /// The response.
    public var response: ModelResponse

    /// Creates a cache entry.
    public init(key: String, request: ModelRequest, model: String, response: ModelResponse) {
        self.key = key
        self.request = request
        self.model = model
        self.response = response
    }
}

/// The seam to persistent storage of runs, results and the request cache.
///
/// ``save(_:cacheEntry:)`` writes a result and its response in one transaction, so a crash at any moment loses
/// no completed response and never leaves a result without its response or the reverse.
public protocol ResultStore: Sendable {
    /// Creates the run, or returns the stored one with the same id (resume).
    func openRun(_ run: RunRecord) async throws -> RunRecord
    /// Replaces a run's mutable fields (status, finishedAt).
    func updateRun(_ run: RunRecord) async throws
    /// A run by id.
    func run(id: String) async throws -> RunRecord?
    /// All runs, newest first.
    func runs() async throws -> [RunRecord]
    /// A cached response by key.
    func cachedResponse(key: String) async throws -> ModelResponse?
    /// Stores a result (replacing any earlier one for the same run, item and variant) and, if given, its
    /// response in the cache.
    func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws
    /// A run's results, ordered by item index then variant.
    func results(runID: String) async throws -> [ItemResult]
    /// One page of a run's results: up to `limit` of them, ordered by item index, then variant, then item id,
    /// starting after `position` (the ``ItemResult/position`` of the previous page's last result; `nil` for the
    /// first page). Reading every page gives what ``results(runID:)`` gives, without holding the whole run; see
    /// ``forEachResult(runID:pageSize:_:)``.
    ///
    /// The default implementation pages through ``results(runID:)`` (correct, not economical); the stores of this
    /// package read one page at a time.
    func results(runID: String, after position: ItemResult.Position?, limit: Int) async throws -> [ItemResult]
}

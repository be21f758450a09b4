public import CultureLensCore
import CultureLensModels
import Foundation

/// One endpoint pool per run's model settings (the run's endpoint, or this worker's `--base-url`s), each with
/// adaptive concurrency and failover like `culturelens run`; the API key comes from this process's environment.
public actor WorkerModels: RunModelProvider {
    private let baseURLs: [String]
    private let apiKeyEnv: String?
    private let concurrency: Int
    private let connectTimeout: Double?
    private let adaptive: Bool
    private let rateLimit: RateLimiter.Configuration
    private var pools: [String: EndpointPool] = [:]

    /// Creates the provider; pools are made on first use, one per run's model settings.
    public init(
        baseURLs: [String],
        apiKeyEnv: String?,
        concurrency: Int,
        connectTimeout: Double?,
        adaptive: Bool,
        rateLimit: RateLimiter.Configuration = .init()
    ) {
        self.baseURLs = baseURLs
        self.apiKeyEnv = apiKeyEnv
        self.concurrency = concurrency
        self.connectTimeout = connectTimeout
        self.adaptive = adaptive
        self.rateLimit = rateLimit
    }

    public func model(for settings: RunModelSettings, runID: String) async throws -> any LanguageModel {
        let endpoints = baseURLs.isEmpty ? [settings.baseURL] : baseURLs
        let variable = apiKeyEnv ?? settings.apiKeyEnv ?? "OPENAI_API_KEY"
        let key = (endpoints + [settings.model, variable, String(settings.timeout)]).joined(separator: "\u{1F}")
        if let pool = pools[key] { return pool }
        let pool = EndpointPool(
            baseURLs: endpoints,
            model: settings.model,
            apiKey: ProcessInfo.processInfo.environment[variable],
            timeout: settings.timeout,
            connectTimeout: connectTimeout,
            maxConnections: max(1, concurrency),
            configuration: ModelSession.poolConfiguration(
                adaptive: adaptive,
                concurrency: concurrency,
                rateLimit: rateLimit,
                // As `run`'s default (`--hedge auto`): a worker's stalled request must not hold its share either.
                hedge: HedgeMode.auto.policy(timeout: settings.timeout)
            )
        )
        pools[key] = pool
        return pool
    }

    /// One line per endpoint used (limit, requests, failures, health), sorted.
    public func endpointSummary() -> [String] {
        pools.values.flatMap { $0.snapshot().map(\.summary) }.sorted()
    }

    /// Shuts every pool down.
    func close() async {
        for pool in pools.values { try? await pool.shutdown() }
        pools = [:]
    }
}

/// Runs `body` with `models`, shutting every endpoint pool it made down on every path.
public func withWorkerModels<T>(_ models: WorkerModels, _ body: (WorkerModels) async throws -> T) async throws -> T {
    try await scoped(models, close: { await $0.close() }, body)
}

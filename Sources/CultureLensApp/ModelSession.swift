public import CultureLensCore
public import CultureLensModels
import Foundation

/// How to reach the model: what `--model`, `--base-url` and their companions say.
public struct ModelSettings: Sendable, Hashable {
    /// `local` (the managed local model) or a model name served at ``baseURLs``.
    public var model: String = "local"
    /// The API the remote model speaks.
    public var provider: ModelProvider = .openai
    /// Servers of the model: OpenAI-compatible ones including `/v1`, or Anthropic's API (its default when empty).
    public var baseURLs: [String] = []
    /// The environment variable holding the API key (the key itself is read when the model is opened, never kept
    /// in settings that may be logged).
    public var apiKeyEnv: String = "OPENAI_API_KEY"
    /// The scoring mode, or `nil` for what the backend supports.
    public var scoring: ScoringMode?
    /// The API, or `nil` for what the backend supports.
    public var api: ModelAPI?
    /// Per-request timeout in seconds.
    public var timeout: Double = 60
    /// Seconds to keep trying to connect before failing over.
    public var connectTimeout: Double?
    /// Alternatives per token asked for in logprobs mode.
    public var topLogprobs: Int = 20
    /// Requests per minute allowed to each endpoint.
    public var rpm: Double?
    /// Tokens per minute allowed to each endpoint.
    public var tpm: Double?
    /// Whether each endpoint's requests in flight adapt to its 429s, errors and latency.
    public var adaptive = true
    /// Whether slow requests to an endpoint get a second copy.
    public var hedge = HedgeMode.auto

    /// Default settings: the managed local model.
    public init() {}

    /// Whether the model is a managed local one (`local`, `local:NAME`).
    public var isLocal: Bool { LocalModelInstallation.Model.isLocal(model) }

    /// Every base URL, comma-separated, for messages; the model name when there is none.
    public var endpointDescription: String { baseURLs.isEmpty ? model : baseURLs.joined(separator: ",") }
}

/// The model a command talks to, with the API and scoring mode chosen for it, and the managed local server when
/// there is one. Open it with ``withModelSession(_:concurrency:runDirectory:_:)``, which closes it on every path.
public final class ModelSession: Sendable {
    private enum Backend {
        /// The pool, and the Anthropic clients under it (the pool shuts down only its OpenAI ones).
        case remote(EndpointPool, anthropic: [AnthropicClient] = [])
        case local(ManagedLocalModel)
    }

    private let backend: Backend
    /// The API requests use.
    public let api: ModelAPI
    /// How answers are scored.
    public let scoring: ScoringMode

    private init(backend: Backend, api: ModelAPI, scoring: ScoringMode) {
        self.backend = backend
        self.api = api
        self.scoring = scoring
    }

    /// The model to run against.
    public var model: any LanguageModel {
        switch backend {
        case .remote(let pool, _): pool
        case .local(let local): local
        }
    }

    /// Whether this is the managed local model (its server is started and stopped by CultureLens).
    public var isManagedLocal: Bool {
        if case .local = backend { return true }
        return false
    }

    /// One line per remote endpoint (limit, requests, failures, health), for the end of a run; empty for the local
    /// model, and for one fixed-limit endpoint where there is nothing to tell.
    public var endpointSummary: [String] {
        guard case .remote(let pool, _) = backend else { return [] }
        let snapshot = pool.snapshot()
        // Hedges cost requests (money on a paid API): they are told whenever hedging is on.
        let hedging = pool.configuration.hedge.isEnabled ? [pool.hedging.summary] : []
        guard snapshot.count > 1 || Self.isAdaptive(pool.configuration) else { return hedging }
        return snapshot.map { "endpoint " + $0.summary } + hedging
    }

    /// Hedges (second copies of slow requests) sent so far: extra calls a paid API charges for.
    public var hedges: Int {
        guard case .remote(let pool, _) = backend else { return 0 }
        return pool.hedging.hedges
    }

    private static func isAdaptive(_ configuration: EndpointPool.Configuration) -> Bool {
        if case .adaptive = configuration.concurrency { return true }
        return false
    }

    /// Opens the model named by `options`: starts the local server for `local`, or probes a remote server for
    /// what it supports. `runDirectory` maps model, API and scoring to the run's folder, which receives the
    /// server log.
    static func open(
        options: ModelSettings,
        concurrency: Int,
        runDirectory: (String, ModelAPI, ScoringMode) -> String
    ) async throws -> ModelSession {
        let apiKey = ProcessInfo.processInfo.environment[options.apiKeyEnv]
        if options.provider == .anthropic {
            return try openAnthropic(options: options, apiKey: apiKey, concurrency: concurrency)
        }
        guard options.isLocal else {
            guard !options.baseURLs.isEmpty else {
                throw LocalModelError(message: "--base-url is required for model \(options.model)")
            }
            // One pool for one URL too: the same retries as before, plus the adaptive limit and rate limits.
            let pool = EndpointPool(
                baseURLs: options.baseURLs,
                model: options.model,
                apiKey: apiKey,
                timeout: options.timeout,
                connectTimeout: options.connectTimeout,
                maxConnections: concurrency,
                configuration: poolConfiguration(options: options, concurrency: concurrency)
            )
            do {
                let (api, scoring) = try await probe(pool, options: options)
                return ModelSession(backend: .remote(pool), api: api, scoring: scoring)
            } catch {
                try? await pool.shutdown()
                throw error
            }
        }
        let localModel = try LocalModelInstallation.Model.named(options.model)
        let installation = try LocalModelInstallation.locate(model: localModel)
        let api = options.api ?? installation.model.defaultAPI
        let scoring = options.scoring ?? .logprobs
        let logPath = runDirectory(installation.model.name, api, scoring) + "/llama-server.log"
        let local = ManagedLocalModel(
            server: .init(installation: installation, home: StoreLocation.home, logPath: logPath),
            timeout: max(options.timeout, 300),
            maxConnections: concurrency
        )
        return ModelSession(backend: .local(local), api: api, scoring: scoring)
    }

    /// The Anthropic Messages API: chat with generation scoring, refused up front when logprobs or the completions
    /// API are asked for or the key is missing, so that no request is sent in vain; no probe (both are known).
    private static func openAnthropic(
        options: ModelSettings,
        apiKey: String?,
        concurrency: Int
    ) throws -> ModelSession {
        if let problem = anthropicProblem(options, apiKey: apiKey) { throw LocalModelError(message: problem) }
        let clients = (options.baseURLs.isEmpty ? [AnthropicClient.defaultBaseURL] : options.baseURLs).map { url in
            AnthropicClient(
                configuration: .init(
                    baseURL: url,
                    model: options.model,
                    apiKey: apiKey,
                    timeout: options.timeout,
                    connectTimeout: options.connectTimeout,
                    retry: .init(maxAttempts: 1),
                    maxConnections: concurrency
                )
            )
        }
        let pool = EndpointPool(
            models: clients,
            configuration: poolConfiguration(options: options, concurrency: concurrency)
        )
        return ModelSession(backend: .remote(pool, anthropic: clients), api: .chat, scoring: .generate)
    }

    /// Why `settings` cannot reach Anthropic's Messages API, else `nil`: checked by the CLI before anything runs.
    /// - Parameter apiKey: The value of the key's environment variable.
    public static func anthropicProblem(_ settings: ModelSettings, apiKey: String?) -> String? {
        if settings.scoring == .logprobs { return AnthropicClient.noLogprobsMessage }
        if settings.api == .completions {
            return "Anthropic's Messages API is a chat API: use --api chat (or leave --api out)"
        }
        if settings.isLocal {
            return "--provider anthropic needs --model NAME, an Anthropic model (e.g. claude-haiku-4-5)"
        }
        guard let apiKey, !apiKey.isEmpty else {
            return "\(settings.apiKeyEnv) is not set: --provider anthropic needs an API key in it "
                + "(or name another variable with --api-key-env)"
        }
        return nil
    }

    /// The endpoint pool's settings: each endpoint starts at `--concurrency`, its ceiling, because the user chose
    /// it; adaptive mode backs off from there on 429s, 5xx, timeouts and latency, and `--no-adaptive` stays there.
    static func poolConfiguration(options: ModelSettings, concurrency: Int) -> EndpointPool.Configuration {
        poolConfiguration(
            adaptive: options.adaptive,
            concurrency: concurrency,
            rateLimit: .init(requestsPerMinute: options.rpm, tokensPerMinute: options.tpm),
            hedge: options.hedge.policy(timeout: options.timeout)
        )
    }

    /// The same settings from parts, for `culturelens worker` (whose rate limits are its own share of a quota).
    public static func poolConfiguration(
        adaptive: Bool,
        concurrency: Int,
        rateLimit: RateLimiter.Configuration = .init(),
        hedge: HedgePolicy.Configuration = .off
    ) -> EndpointPool.Configuration {
        let ceiling = max(1, concurrency)
        return EndpointPool.Configuration(
            concurrency: adaptive ? .adaptive(.init(initial: ceiling, maximum: ceiling)) : .fixed(ceiling),
            rateLimit: rateLimit,
            hedge: hedge
        )
    }

    /// Finds the API and scoring mode a remote server supports, unless both were given: completions with
    /// logprobs, then chat with logprobs, then generation on whichever API answered.
    static func probe(_ client: any LanguageModel, options: ModelSettings) async throws -> (ModelAPI, ScoringMode) {
        if let api = options.api, let scoring = options.scoring { return (api, scoring) }
        let apis = options.api.map { [$0] } ?? [.completions, .chat]
        var lastFailure: ModelFailure?
        for api in apis {
            let wantLogprobs = options.scoring != .generate
            let request = ModelRequest(
                api: api,
                prompt: "Question: What colour is the sky on a clear day?\nA. Blue\nB. Green\nAnswer:",
                maxTokens: 1,
                topLogprobs: wantLogprobs ? options.topLogprobs : nil
            )
            do {
                let reply = try await client.send(request)
                let hasLogprobs = !(reply.response.firstTokenTopLogprobs?.isEmpty ?? true)
                return (api, options.scoring ?? (wantLogprobs && hasLogprobs ? .logprobs : .generate))
            } catch let failure as ModelFailure {
                switch failure.kind {
                case .clientError where failure.status != 401 && failure.status != 403:
                    lastFailure = failure
                    continue
                default:
                    throw failure
                }
            }
        }
        throw lastFailure ?? ModelFailure(kind: .clientError, detail: "no API answered")
    }

    /// Shuts the client down and stops the local server.
    func close() async {
        switch backend {
        case .remote(let pool, let anthropic):
            try? await pool.shutdown()
            for client in anthropic { try? await client.shutdown() }
        case .local(let local): await local.close()
        }
    }

    /// Stops the local server from a signal handler, when there is no time for an orderly close.
    public func emergencyStop() {
        if case .local(let local) = backend { local.emergencyStop() }
    }
}

/// Opens the model `settings` name (starting the local server for `local`, or probing a remote server for what it
/// supports), runs `body` with it, and closes it on every path: the client is shut down and the local server
/// stopped whether `body` returns, throws or is cancelled.
///
/// - Parameters:
///   - settings: Which model and how to reach it.
///   - concurrency: Requests in flight at once (the connection pool's size and the endpoint ceiling).
///   - runDirectory: Maps model, API and scoring to the run's folder, which receives the local server's log.
/// - Throws: `LocalModelError` when the local model is missing, `ModelFailure` when no API answers, or what `body`
///   throws.
public func withModelSession<T>(
    _ settings: ModelSettings,
    concurrency: Int,
    runDirectory: (String, ModelAPI, ScoringMode) -> String,
    _ body: (ModelSession) async throws -> T
) async throws -> T {
    let session = try await ModelSession.open(options: settings, concurrency: concurrency, runDirectory: runDirectory)
    return try await scoped(session, close: { await $0.close() }, body)
}

import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels
import Foundation

/// Options choosing and reaching the model.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "`local` (the managed Gemma 3 270M), `local:smollm2` (SmolLM2-135M-Instruct, chat) or a model name served at --base-url."
    )
    var model: String = "local"

    @Option(
        name: .customLong("base-url"),
        help:
            "Base URL of an OpenAI-compatible server, including /v1 (with --provider anthropic: the API root). Repeat it for several servers of the same model (least-outstanding balancing, failover)."
    )
    var baseURLs: [String] = []

    @Option(
        name: .long,
        help:
            "API of the remote model: openai (OpenAI-compatible servers) or anthropic (the Messages API at --base-url, default https://api.anthropic.com; generate scoring only)."
    )
    var provider: ModelProvider = .openai

    @Option(
        name: .customLong("api-key-env"),
        help:
            "Environment variable holding the API key (default: OPENAI_API_KEY, with --provider anthropic ANTHROPIC_API_KEY)."
    )
    var apiKeyEnvOption: String?

    @Option(name: .long, help: "Scoring mode: logprobs or generate (default: what the backend supports).")
    var scoring: ScoringMode?

    @Option(name: .long, help: "API: completions or chat (default: what the backend supports).")
    var api: ModelAPI?

    @Option(name: .long, help: "Per-request timeout in seconds.")
    var timeout: Double = 60

    @Option(
        name: .long,
        help:
            "Seconds to keep trying to connect to a --base-url endpoint before failing over (default: --timeout, at most 10)."
    )
    var connectTimeout: Double?

    @Option(name: .long, help: "Alternatives per token asked for in logprobs mode.")
    var topLogprobs: Int = 20

    @Option(name: .long, help: "Requests per minute allowed to each --base-url endpoint (default: unlimited).")
    var rpm: Double?

    @Option(
        name: .long,
        help:
            "Tokens per minute allowed to each --base-url endpoint, estimated from prompt and max tokens (default: unlimited)."
    )
    var tpm: Double?

    @Flag(
        inversion: .prefixedNo,
        help:
            "Adapt each --base-url endpoint's requests in flight to its 429s, errors and latency, up to --concurrency."
    )
    var adaptive = true

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Send a second copy of a request to a --base-url endpoint that has not answered by that endpoint's adaptive deadline (1.5 × its 95th-percentile latency, at least 0.25 s): off, auto (at most 5% of requests) or a share such as 10%.",
            valueName: "off|auto|N%"
        )
    )
    var hedge: HedgeMode = .auto

    /// Whether the model is a managed local one (`local` or `local:NAME`).
    var isLocal: Bool { LocalModelInstallation.Model.isLocal(model) }

    /// The environment variable the API key is read from.
    var apiKeyEnv: String { apiKeyEnvOption ?? provider.defaultAPIKeyEnv }

    /// The first `--base-url`, for code that talks to one server (the work queue records one endpoint per run).
    var baseURL: String? { baseURLs.first ?? provider.defaultBaseURL }

    /// Every `--base-url`, comma-separated, for messages; the model name when there is none.
    var endpointDescription: String { settings.endpointDescription }

    /// The App layer's settings these options give.
    var settings: ModelSettings {
        var settings = ModelSettings()
        settings.model = model
        settings.provider = provider
        settings.baseURLs = baseURLs
        settings.apiKeyEnv = apiKeyEnv
        settings.scoring = scoring
        settings.api = api
        settings.timeout = timeout
        settings.connectTimeout = connectTimeout
        settings.topLogprobs = topLogprobs
        settings.rpm = rpm
        settings.tpm = tpm
        settings.adaptive = adaptive
        settings.hedge = hedge
        return settings
    }

    func validate() throws {
        if provider == .anthropic {
            let key = ProcessInfo.processInfo.environment[apiKeyEnv]
            if let problem = ModelSession.anthropicProblem(settings, apiKey: key) { throw ValidationError(problem) }
        } else if isLocal {
            do {
                _ = try LocalModelInstallation.Model.named(model)
            } catch {
                throw ValidationError(error.message)
            }
        } else if baseURL == nil {
            throw ValidationError(
                "unknown model '\(model)'. Choices: 'local' (the managed Gemma 3 270M), 'local:smollm2' (the managed SmolLM2-135M-Instruct), or any model name together with --base-url URL of an OpenAI-compatible server."
            )
        }
        for baseURL in baseURLs where URL(string: baseURL)?.scheme == nil {
            throw ValidationError("--base-url '\(baseURL)' is not a URL (expected e.g. http://127.0.0.1:8080/v1)")
        }
        if let rpm, !(rpm > 0) { throw ValidationError("--rpm must be positive") }
        if let tpm, !(tpm > 0) { throw ValidationError("--tpm must be positive") }
        if isLocal, rpm != nil || tpm != nil {
            throw ValidationError("--rpm and --tpm apply to --base-url endpoints, not the local model")
        }
        if isLocal, hedge != .auto {
            throw ValidationError(
                "--hedge applies to --base-url endpoints, not the local model (it answers one request at a time)"
            )
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let connectTimeout, !(connectTimeout > 0) { throw ValidationError("--connect-timeout must be positive") }
        guard (1...20).contains(topLogprobs) else { throw ValidationError("--top-logprobs must be 1...20") }
    }
}

extension ScoringMode: ExpressibleByArgument {}

extension HedgeMode: ExpressibleByArgument {}
extension ModelAPI: ExpressibleByArgument {}
extension ModelProvider: ExpressibleByArgument {}

/// Shared location settings.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "SQLite store path (default: $CULTURELENS_HOME/culturelens.sqlite), or postgres://user@host:port/database."
    )
    var store: String?

    /// `$CULTURELENS_HOME`, default `~/.culturelens`.
    static var home: String { StoreLocation.home }

    /// The store `--store` names.
    var location: StoreLocation { StoreLocation(store) }

    /// Whether `--store` names a PostgreSQL database.
    var isPostgres: Bool { location.isPostgres }
}

import ArgumentParser
import CultureLensCore
import Foundation

/// Options choosing and reaching the model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "`local` (the managed Gemma 3 270M) or a model name served at --base-url.")
    var model: String = "local"

    @Option(name: .long, help: "Base URL of an OpenAI-compatible server, including /v1.")
    var baseURL: String?

    @Option(name: .long, help: "Environment variable holding the API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    @Option(name: .long, help: "Scoring mode: logprobs or generate (default: what the backend supports).")
    var scoring: ScoringMode?

    @Option(name: .long, help: "API: completions or chat (default: what the backend supports).")
    var api: ModelAPI?

    @Option(name: .long, help: "Per-request timeout in seconds.")
    var timeout: Double = 60

    @Option(name: .long, help: "Alternatives per token asked for in logprobs mode.")
    var topLogprobs: Int = 20

    func validate() throws {
        if model != "local", baseURL == nil {
            throw ValidationError(
                "unknown model '\(model)'. Choices: 'local' (the managed Gemma 3 270M), or any model name together with --base-url URL of an OpenAI-compatible server."
            )
        }
        if let baseURL, URL(string: baseURL)?.scheme == nil {
            throw ValidationError("--base-url '\(baseURL)' is not a URL (expected e.g. http://127.0.0.1:8080/v1)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard (1...20).contains(topLogprobs) else { throw ValidationError("--top-logprobs must be 1...20") }
    }
}

extension ScoringMode: ExpressibleByArgument {}
extension ModelAPI: ExpressibleByArgument {}

/// Shared location settings.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite store path (default: $CULTURELENS_HOME/culturelens.sqlite), or postgres://user@host:port/database."
    )
    var store: String?

    /// `$CULTURELENS_HOME`, default `~/.culturelens`.
    static var home: String {
        if let home = ProcessInfo.processInfo.environment["CULTURELENS_HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".culturelens").path
    }

    var storePath: String { store ?? Self.home + "/culturelens.sqlite" }
}

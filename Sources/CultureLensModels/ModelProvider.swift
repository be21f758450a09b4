/// Which API a remote model is reached through (`--provider`).
public enum ModelProvider: String, Sendable, Codable, Hashable, CaseIterable {
    /// An OpenAI-compatible server (`/completions`, `/chat/completions`): OpenAI, vLLM, llama.cpp, Ollama and most
    /// hosted providers.
    case openai
    /// Anthropic's Messages API (``AnthropicClient``): chat only, no log-probabilities.
    case anthropic

    /// The environment variable the API key is read from unless `--api-key-env` names another.
    public var defaultAPIKeyEnv: String {
        switch self {
        case .openai: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        }
    }

    /// The base URL used without `--base-url`; `nil` when the provider has no single home (OpenAI-compatible
    /// servers are wherever they run).
    public var defaultBaseURL: String? {
        switch self {
        case .openai: nil
        case .anthropic: AnthropicClient.defaultBaseURL
        }
    }
}

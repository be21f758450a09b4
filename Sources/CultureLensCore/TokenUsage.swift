/// Tokens one model call used, as the server reported them (`usage` in an OpenAI-compatible response).
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Prompt (input) tokens.
    public var promptTokens: Int
    /// Generated (output) tokens.
    public var completionTokens: Int

    /// Creates a usage record; negative counts are read as 0.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = max(0, promptTokens)
        self.completionTokens = max(0, completionTokens)
    }

    /// Tokens estimated from text at four characters per token (English text with common tokenizers; other
    /// scripts take more tokens per character, so read it as a lower bound there), rounded up.
    public static func estimated(characters: Int) -> Int { (max(0, characters) + 3) / 4 }
}

extension ModelRequest {
    /// The prompt's tokens estimated from its messages' text (``TokenUsage/estimated(characters:)``).
    public var estimatedPromptTokens: Int {
        TokenUsage.estimated(characters: messages.reduce(0) { $0 + $1.text.count })
    }
}

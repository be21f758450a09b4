import CultureLensCore
import Foundation

/// A response body's `usage`, decoded on its own so that an odd one cannot fail the response: OpenAI's
/// `prompt_tokens`/`completion_tokens` and Anthropic's `input_tokens`/`output_tokens`.
struct UsageEnvelope: Decodable {
    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        var inputTokens: Int?
        var outputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    var usage: Usage?

    /// The usage in `body`, or `nil` when it has none or an odd one (a count missing, negative or not an integer).
    static func tokens(in body: Data) -> TokenUsage? {
        guard let usage = (try? JSONDecoder().decode(UsageEnvelope.self, from: body))?.usage,
            let prompt = usage.promptTokens ?? usage.inputTokens,
            let completion = usage.completionTokens ?? usage.outputTokens, prompt >= 0, completion >= 0
        else { return nil }
        return TokenUsage(promptTokens: prompt, completionTokens: completion)
    }
}

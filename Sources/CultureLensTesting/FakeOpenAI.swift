import Foundation

/// Builders for realistic OpenAI-compatible JSON response bodies, for use with
/// ``ScriptedHTTPServer``. All strings are escaped by `JSONEncoder` (keys are sorted).
///
/// Non-finite log-probabilities are encoded as `-9999.0` (what OpenAI itself reports for
/// "impossible" tokens), because JSON has no representation for infinities/NaN.
public enum FakeOpenAI {
    /// The fixed `created` timestamp used in all bodies.
    public static let created = 1_700_000_000

    /// A legacy `/v1/completions` response with one choice (`finish_reason: "length"`).
    ///
    /// - Parameters:
    ///   - text: The generated text (`choices[0].text`).
    ///   - topLogprobs: The `top_logprobs` alternatives of the first (and only) generated token, in
    ///     order. The sampled token is `text`; its `token_logprobs` entry is the logprob of the
    ///     alternative equal to `text`, otherwise the first alternative's. `nil` yields
    ///     `"logprobs": null`.
    ///   - model: The `model` field.
    /// - Returns: `{"id","object":"text_completion","created","model","choices":[{"index":0,"text",
    ///   "finish_reason":"length","logprobs":{"tokens","token_logprobs","top_logprobs":[{token: lp}],
    ///   "text_offset":[0]}}],"usage":{...}}`
    public static func completion(
        text: String, topLogprobs: [(String, Double)]?, model: String = "fake-model"
    ) -> String {
        let logprobs = topLogprobs.map { top -> CompletionLogprobs in
            let sanitized = top.map { ($0.0, finite($0.1)) }
            var dict: [String: Double] = [:]
            for (token, lp) in sanitized where dict[token] == nil { dict[token] = lp }
            return CompletionLogprobs(
                tokens: [text],
                token_logprobs: [sampledLogprob(text, sanitized)],
                top_logprobs: [dict],
                text_offset: [0])
        }
        return encode(
            Completion(
                id: "cmpl-fake-0001", object: "text_completion", created: created, model: model,
                choices: [CompletionChoice(index: 0, text: text, finish_reason: "length", logprobs: logprobs)],
                usage: usage(completionTokens: 1)))
    }

    /// A `/v1/chat/completions` response with one choice (`finish_reason: "length"`).
    ///
    /// - Parameters:
    ///   - text: `choices[0].message.content` (role `assistant`).
    ///   - topLogprobs: The alternatives for the first generated token. The sampled token is
    ///     `text` (logprob chosen as in ``completion(text:topLogprobs:model:)``). `nil` yields
    ///     `"logprobs": null`.
    ///   - model: The `model` field.
    /// - Returns: a body whose `choices[0].logprobs.content[0]` is
    ///   `{"token","logprob","bytes":[UTF-8 bytes],"top_logprobs":[{"token","logprob","bytes"}]}`.
    public static func chatCompletion(
        text: String, topLogprobs: [(String, Double)]?, model: String = "fake-model"
    ) -> String {
        let logprobs = topLogprobs.map { top -> ChatLogprobs in
            let sanitized = top.map { ($0.0, finite($0.1)) }
            return ChatLogprobs(content: [
                ChatTokenLogprob(
                    token: text, logprob: sampledLogprob(text, sanitized), bytes: Array(text.utf8),
                    top_logprobs: sanitized.map { ChatTopLogprob(token: $0.0, logprob: $0.1, bytes: Array($0.0.utf8)) })
            ])
        }
        return encode(
            ChatCompletion(
                id: "chatcmpl-fake-0001", object: "chat.completion", created: created, model: model,
                choices: [
                    ChatChoice(
                        index: 0, message: ChatMessage(role: "assistant", content: text), logprobs: logprobs,
                        finish_reason: "length")
                ],
                usage: usage(completionTokens: 1)))
    }

    /// A `/v1/models` response: `{"object":"list","data":[{"id","object":"model","created","owned_by"}]}`.
    public static func models(ids: [String]) -> String {
        encode(
            ModelList(
                object: "list",
                data: ids.map { ModelEntry(id: $0, object: "model", created: created, owned_by: "fake-owner") }))
    }

    /// An OpenAI-style error body: `{"error":{"message","type","param":null,"code"}}`.
    /// `code: nil` is encoded as `null`.
    public static func error(message: String, type: String = "invalid_request_error", code: String? = nil) -> String {
        encode(ErrorBody(error: ErrorDetail(message: message, type: type, code: code)))
    }

    // MARK: - Private helpers

    private static func finite(_ value: Double) -> Double { value.isFinite ? value : -9999.0 }

    private static func sampledLogprob(_ token: String, _ top: [(String, Double)]) -> Double {
        top.first { $0.0 == token }?.1 ?? top.first?.1 ?? 0
    }

    private static func usage(completionTokens: Int) -> Usage {
        Usage(prompt_tokens: 5, completion_tokens: completionTokens, total_tokens: 5 + completionTokens)
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Unreachable: all values are finite numbers, strings and arrays.
            preconditionFailure("FakeOpenAI: encoding failed: \(error)")
        }
    }

    private struct Usage: Encodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int
    }

    private struct Completion: Encodable {
        var id: String
        var object: String
        var created: Int
        var model: String
        var choices: [CompletionChoice]
        var usage: Usage
    }

    private struct CompletionChoice: Encodable {
        var index: Int
        var text: String
        var finish_reason: String
        var logprobs: CompletionLogprobs?

        enum CodingKeys: String, CodingKey { case index, text, finish_reason, logprobs }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(text, forKey: .text)
            try c.encode(finish_reason, forKey: .finish_reason)
            try c.encode(logprobs, forKey: .logprobs)  // explicit `null` when nil
        }
    }

    private struct CompletionLogprobs: Encodable {
        var tokens: [String]
        var token_logprobs: [Double]
        var top_logprobs: [[String: Double]]
        var text_offset: [Int]
    }

    private struct ChatCompletion: Encodable {
        var id: String
        var object: String
        var created: Int
        var model: String
        var choices: [ChatChoice]
        var usage: Usage
    }

    private struct ChatMessage: Encodable {
        var role: String
        var content: String
    }

    private struct ChatChoice: Encodable {
        var index: Int
        var message: ChatMessage
        var logprobs: ChatLogprobs?
        var finish_reason: String

        enum CodingKeys: String, CodingKey { case index, message, logprobs, finish_reason }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(message, forKey: .message)
            try c.encode(logprobs, forKey: .logprobs)  // explicit `null` when nil
            try c.encode(finish_reason, forKey: .finish_reason)
        }
    }

    private struct ChatLogprobs: Encodable {
        var content: [ChatTokenLogprob]
    }

    private struct ChatTokenLogprob: Encodable {
        var token: String
        var logprob: Double
        var bytes: [UInt8]
        var top_logprobs: [ChatTopLogprob]
    }

    private struct ChatTopLogprob: Encodable {
        var token: String
        var logprob: Double
        var bytes: [UInt8]
    }

    private struct ModelList: Encodable {
        var object: String
        var data: [ModelEntry]
    }

    private struct ModelEntry: Encodable {
        var id: String
        var object: String
        var created: Int
        var owned_by: String
    }

    private struct ErrorBody: Encodable {
        var error: ErrorDetail
    }

    private struct ErrorDetail: Encodable {
        var message: String
        var type: String
        var code: String?

        enum CodingKeys: String, CodingKey { case message, type, param, code }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(message, forKey: .message)
            try c.encode(type, forKey: .type)
            try c.encodeNil(forKey: .param)
            try c.encode(code, forKey: .code)
        }
    }
}

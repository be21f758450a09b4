import CultureLensCore
import CultureLensFormats
import Foundation

/// A direct reader for the two 200 response shapes.
///
/// `JSONDecoder` took ~85 µs per chat response in the 200 ms latency benchmark, and decoding sits between a response
/// arriving and its request slot going to the next request. This reader parses the body once with
/// ``DataValue/parseJSON(_:)`` (the JSON Lines reader, which gives the decoder's values and returns `nil` for
/// malformed JSON, invalid UTF-8, duplicate keys and out-of-range numbers) and checks the same fields the `Decodable`
/// wire types check, in every choice and every logprob entry. Anything it does not fully accept (a missing or
/// mistyped field, no choices) returns `nil`, and ``OpenAIClient/decodeResponse(_:api:)`` then uses `JSONDecoder`,
/// so failures keep the decoder's behaviour and messages.
extension OpenAIClient {
    /// The response `JSONDecoder` would give for `body`, or `nil` when the decoder should decide.
    static func fastDecodeResponse(_ body: Data, api: ModelAPI) -> ModelResponse? {
        fastDecodeReply(body, api: api)?.response
    }

    /// ``fastDecodeResponse(_:api:)`` with the body's `usage` (`prompt_tokens`, `completion_tokens`), which is read
    /// leniently: a missing or odd `usage` is `nil`, never a failure of the response.
    static func fastDecodeReply(_ body: Data, api: ModelAPI) -> (response: ModelResponse, usage: TokenUsage?)? {
        guard case .object(let root)? = DataValue.parseJSON(body),
            case .array(let choices)? = root.field("choices"), !choices.isEmpty
        else { return nil }
        var first: ModelResponse?
        for choice in choices {
            guard case .object(let fields) = choice,
                let response = api == .chat ? chatChoice(fields) : completionChoice(fields)
            else { return nil }
            if first == nil { first = response }
        }
        guard let first else { return nil }
        return (first, usage(root.field("usage")))
    }

    private static func usage(_ value: DataValue?) -> TokenUsage? {
        guard case .object(let fields)? = value,
            let prompt = fields.field("prompt_tokens").numberValue, prompt >= 0, prompt == prompt.rounded(),
            let completion = fields.field("completion_tokens").numberValue, completion >= 0,
            completion == completion.rounded(), prompt < 1e15, completion < 1e15
        else { return nil }
        return TokenUsage(promptTokens: Int(prompt), completionTokens: Int(completion))
    }

    /// `ChatResult.Choice`: `message.content`, `finish_reason`, `logprobs.content[].{token, logprob, top_logprobs}`.
    private static func chatChoice(_ fields: [(key: String, value: DataValue)]) -> ModelResponse? {
        guard let message = fields.field("message").optionalObject,
            let finishReason = fields.field("finish_reason").optionalString,
            let logprobs = fields.field("logprobs").optionalObject
        else { return nil }
        var text: String?
        if let message {
            guard let content = message.field("content").optionalString else { return nil }
            text = content
        }
        var top: [TokenLogprob]?
        if let logprobs {
            guard let entries = logprobs.field("content").optionalArray else { return nil }
            for (position, entry) in (entries ?? []).enumerated() {
                guard case .object(let entry) = entry,
                    entry.field("token").stringValue != nil, entry.field("logprob").numberValue != nil,
                    let alternatives = entry.field("top_logprobs").optionalArray
                else { return nil }
                var parsed: [TokenLogprob]?
                if let alternatives {
                    var list: [TokenLogprob] = []
                    for alternative in alternatives {
                        guard case .object(let alternative) = alternative,
                            let token = alternative.field("token").stringValue,
                            let logprob = alternative.field("logprob").numberValue
                        else { return nil }
                        list.append(TokenLogprob(token: token, logprob: logprob))
                    }
                    parsed = list
                }
                if position == 0 { top = parsed }
            }
        }
        return ModelResponse(text: text ?? "", firstTokenTopLogprobs: top, finishReason: finishReason)
    }

    /// `CompletionResult.Choice`: `text`, `finish_reason`, `logprobs.top_logprobs` (an array of `null` or
    /// token → logprob objects); the first position's alternatives are sorted as ``decodeResponse(_:api:)`` sorts them.
    private static func completionChoice(_ fields: [(key: String, value: DataValue)]) -> ModelResponse? {
        guard let text = fields.field("text").optionalString,
            let finishReason = fields.field("finish_reason").optionalString,
            let logprobs = fields.field("logprobs").optionalObject
        else { return nil }
        var top: [TokenLogprob]?
        if let logprobs {
            guard let positions = logprobs.field("top_logprobs").optionalArray else { return nil }
            for (index, position) in (positions ?? []).enumerated() {
                guard let alternatives = position.optionalObject else { return nil }
                var list: [TokenLogprob] = []
                for (token, value) in alternatives ?? [] {
                    guard let logprob = value.numberValue else { return nil }
                    list.append(TokenLogprob(token: token, logprob: logprob))
                }
                if index == 0, alternatives != nil {
                    top = list.sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.token < $1.token }
                }
            }
        }
        return ModelResponse(text: text ?? "", firstTokenTopLogprobs: top, finishReason: finishReason)
    }
}

extension [(key: String, value: DataValue)] {
    /// The value under `key`; `nil` when absent (the reader rejects duplicate keys).
    fileprivate func field(_ key: String) -> DataValue? {
        first { $0.key == key }?.value
    }
}

extension DataValue {
    fileprivate var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    fileprivate var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

extension DataValue? {
    // `decodeIfPresent` semantics: absent or `null` is `.some(nil)`, the right type is `.some(value)`, anything else
    // is `nil` (the decoder would throw).

    fileprivate var stringValue: String? { self?.stringValue }
    fileprivate var numberValue: Double? { self?.numberValue }

    fileprivate var optionalString: String?? {
        switch self {
        case nil, .null?: .some(nil)
        case .string(let value)?: .some(value)
        default: nil
        }
    }

    fileprivate var optionalObject: [(key: String, value: DataValue)]?? {
        switch self {
        case nil, .null?: .some(nil)
        case .object(let entries)?: .some(entries)
        default: nil
        }
    }

    fileprivate var optionalArray: [DataValue]?? {
        switch self {
        case nil, .null?: .some(nil)
        case .array(let elements)?: .some(elements)
        default: nil
        }
    }
}

extension DataValue {
    /// A non-optional element read with `decodeIfPresent` semantics (an array element that may be `null`).
    fileprivate var optionalObject: [(key: String, value: DataValue)]?? {
        Optional(self).optionalObject
    }
}

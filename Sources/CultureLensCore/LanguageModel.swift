/// The API shape a request goes through.
public enum ModelAPI: String, Sendable, Codable, Hashable, CaseIterable {
    /// `/v1/completions`: raw prompt text continued by the model (messages rendered by ``CompletionTemplate``).
    case completions
    /// `/v1/chat/completions`: the request's messages, with their roles.
    case chat
}

/// How items are scored.
public enum ScoringMode: String, Sendable, Codable, Hashable, CaseIterable {
    /// One next token; probabilities over option labels from `top_logprobs`.
    case logprobs
    /// Free generation, then answer extraction.
    case generate
}

/// A canonical model request. Its canonical JSON (plus API and model name) is the cache key, so everything that
/// changes the answer must be in here and nothing else (never an API key or a port).
///
/// The prompt is a list of ``ChatMessage``s. A request of one user message with one text part (a plain prompt) is
/// coded with a `prompt` string, exactly as before messages existed, so its cache key and stored form are unchanged;
/// any other request is coded with `messages`.
public struct ModelRequest: Sendable, Codable, Hashable {
    /// The API to call.
    public var api: ModelAPI
    /// The conversation to send: `/chat/completions` gets it as is, `/completions` gets it rendered by
    /// ``CompletionTemplate``.
    public var messages: [ChatMessage]
    /// Maximum tokens to generate.
    public var maxTokens: Int
    /// Sampling temperature.
    public var temperature: Double
    /// How many alternatives per position to return; `nil` for none.
    public var topLogprobs: Int?
    /// Sampling seed, when the server honours one.
    public var seed: Int?

    /// Creates a request for a conversation.
    public init(
        api: ModelAPI,
        messages: [ChatMessage],
        maxTokens: Int,
        temperature: Double = 0,
        topLogprobs: Int?,
        seed: Int? = nil
    ) {
        self.api = api
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topLogprobs = topLogprobs
        self.seed = seed
    }

    /// Creates a request for a plain prompt: one user message holding `prompt`.
    public init(api: ModelAPI, prompt: String, maxTokens: Int, temperature: Double = 0, topLogprobs: Int?, seed: Int? = nil) {
        self.init(
            api: api,
            messages: [.user(prompt)],
            maxTokens: maxTokens,
            temperature: temperature,
            topLogprobs: topLogprobs,
            seed: seed
        )
    }

    /// The prompt as one string: the text of a plain prompt, else the messages rendered by ``CompletionTemplate``
    /// (what `/completions` is sent). Setting it makes the request a plain prompt of one user message.
    public var prompt: String {
        get { CompletionTemplate.render(messages) }
        set { messages = [.user(newValue)] }
    }

    /// The text of a plain prompt (one user message of one text part), else `nil`.
    public var plainPrompt: String? {
        guard messages.count == 1, messages[0].role == .user else { return nil }
        return messages[0].singleText
    }

    enum CodingKeys: String, CodingKey {
        case api
        case prompt
        case messages
        case maxTokens = "max_tokens"
        case temperature
        case topLogprobs = "top_logprobs"
        case seed
    }

    /// Decodes either form: `prompt` (a plain prompt) or `messages`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        api = try container.decode(ModelAPI.self, forKey: .api)
        if let prompt = try container.decodeIfPresent(String.self, forKey: .prompt) {
            messages = [.user(prompt)]
        } else {
            messages = try container.decode([ChatMessage].self, forKey: .messages)
        }
        maxTokens = try container.decode(Int.self, forKey: .maxTokens)
        temperature = try container.decode(Double.self, forKey: .temperature)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed)
    }

    /// Encodes a plain prompt as `prompt` (the form, and so the cache key, of every request before messages
    /// existed) and anything else as `messages`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(api, forKey: .api)
        if let plainPrompt {
            try container.encode(plainPrompt, forKey: .prompt)
        } else {
            try container.encode(messages, forKey: .messages)
        }
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(temperature, forKey: .temperature)
        try container.encodeIfPresent(topLogprobs, forKey: .topLogprobs)
        try container.encodeIfPresent(seed, forKey: .seed)
    }

    /// Content-addressed cache key: hex sha256 of the canonical JSON of model name and request.
    public func cacheKey(model: String) -> String {
        Hashing.sha256Hex(of: CanonicalJSON.encode(CacheKeyInput(model: model, request: self)))
    }

    private struct CacheKeyInput: Encodable {
        var model: String
        var request: ModelRequest
    }
}

/// What a model said, reduced to what scoring needs. This is what the cache stores.
public struct ModelResponse: Sendable, Codable, Hashable {
    /// Generated text.
    public var text: String
    /// Top alternatives at the first generated position, when asked for.
    public var firstTokenTopLogprobs: [TokenLogprob]?
    /// Why generation stopped.
    public var finishReason: String?

    /// Creates a response.
    public init(text: String, firstTokenTopLogprobs: [TokenLogprob]?, finishReason: String?) {
        self.text = text
        self.firstTokenTopLogprobs = firstTokenTopLogprobs
        self.finishReason = finishReason
    }

    enum CodingKeys: String, CodingKey {
        case text
        case firstTokenTopLogprobs = "top_logprobs"
        case finishReason = "finish_reason"
    }
}

/// A completed call: the response and how many attempts it took.
public struct ModelReply: Sendable {
    /// The response.
    public var response: ModelResponse
    /// Attempts made, including the first.
    public var attempts: Int
    /// Tokens the call used, when the server reported them (not cached: a cache hit costs nothing).
    public var usage: TokenUsage?

    /// Creates a reply.
    public init(response: ModelResponse, attempts: Int, usage: TokenUsage? = nil) {
        self.response = response
        self.attempts = attempts
        self.usage = usage
    }
}

/// Who answered: recorded with each run, never containing secrets.
public struct ModelIdentity: Sendable, Codable, Hashable {
    /// Model name as sent in requests and used in cache keys.
    public var name: String
    /// Where it is served, for display (`local llama.cpp` or a base URL).
    public var endpoint: String

    /// Creates an identity.
    public init(name: String, endpoint: String) {
        self.name = name
        self.endpoint = endpoint
    }
}

/// The seam to every model backend: OpenAI-compatible servers, the managed local model, fakes in tests.
public protocol LanguageModel: Sendable {
    /// Name and endpoint of the model.
    var identity: ModelIdentity { get }
    /// Sends one request, retrying transient failures as the implementation's policy says.
    /// - Throws: ``ModelFailure`` when the request finally fails; `CancellationError` when cancelled.
    func send(_ request: ModelRequest) async throws -> ModelReply
}

/// The API shape a request goes through.
public enum ModelAPI: String, Sendable, Codable, Hashable, CaseIterable {
    /// `/v1/completions`: raw prompt text continued by the model.
    case completions
    /// `/v1/chat/completions`: the prompt as one user message.
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
public struct ModelRequest: Sendable, Codable, Hashable {
    /// The API to call.
    public var api: ModelAPI
    /// Prompt text.
    public var prompt: String
    /// Maximum tokens to generate.
    public var maxTokens: Int
    /// Sampling temperature.
    public var temperature: Double
    /// How many alternatives per position to return; `nil` for none.
    public var topLogprobs: Int?
    /// Sampling seed, when the server honours one.
    public var seed: Int?

    /// Creates a request.
    public init(api: ModelAPI, prompt: String, maxTokens: Int, temperature: Double = 0, topLogprobs: Int?, seed: Int? = nil) {
        self.api = api
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topLogprobs = topLogprobs
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case api
        case prompt
        case maxTokens = "max_tokens"
        case temperature
        case topLogprobs = "top_logprobs"
        case seed
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

    /// Creates a reply.
    public init(response: ModelResponse, attempts: Int) {
        self.response = response
        self.attempts = attempts
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

/// Why an item got no score. Failures are counted and reported by kind, never scored as wrong answers.
public enum FailureKind: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// HTTP 429 after every retry.
    case rateLimited = "http_429"
    /// HTTP 5xx after every retry.
    case serverError = "http_5xx"
    /// Another HTTP 4xx (bad request, unauthorised...).
    case clientError = "http_4xx"
    /// No response within the per-request timeout.
    case timeout
    /// The connection failed, was refused or was reset.
    case connection
    /// The response body was not the expected JSON (malformed or truncated).
    case malformedResponse = "malformed_response"
    /// Logprob scoring was asked for but the response carried no log-probabilities.
    case missingLogprobs = "missing_logprobs"
    /// None of the top tokens was an option label.
    case noLabelInTopLogprobs = "no_label_in_top_logprobs"
    /// Generated text named no option.
    case parseFailure = "parse_failure"
    /// The model declined to answer.
    case refusal

    public static func < (lhs: FailureKind, rhs: FailureKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A failed model call, classified.
public struct ModelFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure kind.
    public var kind: FailureKind
    /// Human-readable detail (no secrets).
    public var detail: String
    /// HTTP status when there was one.
    public var status: Int?
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?
    /// Attempts made, including the first.
    public var attempts: Int

    /// Creates a failure.
    public init(kind: FailureKind, detail: String, status: Int? = nil, retryAfter: Double? = nil, attempts: Int = 1) {
        self.kind = kind
        self.detail = detail
        self.status = status
        self.retryAfter = retryAfter
        self.attempts = attempts
    }

    /// Whether trying again may help.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .serverError, .timeout, .connection, .malformedResponse: true
        case .clientError: status == 408 || status == 409
        case .missingLogprobs, .noLabelInTopLogprobs, .parseFailure, .refusal: false
        }
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}

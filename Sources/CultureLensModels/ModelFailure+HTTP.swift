import CultureLensCore
import Foundation

extension ModelFailure {
    /// Classifies a non-200 HTTP answer of an OpenAI-compatible endpoint: 429 is ``FailureKind/rateLimited``,
    /// 5xx ``FailureKind/serverError``, any other status ``FailureKind/clientError``.
    ///
    /// Shared by the interactive client and the batch path (where each output line carries its own status), so the
    /// same answer is counted as the same kind whichever way it came.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The response body; its first 300 bytes go into the detail (bodies never carry the API key).
    ///   - retryAfter: Seconds from a `Retry-After` header, if any.
    public static func httpStatus(_ status: Int, body: Data, retryAfter: Double? = nil) -> ModelFailure {
        let snippet = String(decoding: body.prefix(300), as: UTF8.self)
        let kind: FailureKind =
            switch status {
            case 429: .rateLimited
            case 500...599: .serverError
            default: .clientError
            }
        return ModelFailure(kind: kind, detail: "HTTP \(status): \(snippet)", status: status, retryAfter: retryAfter)
    }
}

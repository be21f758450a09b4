import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Wraps every response, errors and unknown routes included: refuses requests whose `Host` is not allowed (DNS
/// rebinding), turns thrown errors into responses without internal details, adds the security headers and
/// counts the request.
struct DashboardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The dashboard's policy: nothing loads or runs but inline styles and `data:` images; no framing.
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    static var securityHeaders: HTTPFields {
        [
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
            HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
    }

    let metrics: DashboardMetrics
    let allowedHosts: Set<String>?
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        if let allowedHosts, let authority = request.head.authority, !allowedHosts.contains(Self.hostName(authority)) {
            response = DashboardResponses.json(
                ["error": "Host '\(authority)' is not served here; use the address printed at start-up."],
                status: .misdirectedRequest
            )
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = (try? error.response(from: request, context: context)) ?? Response(status: error.status)
            } catch {
                logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
                response = DashboardResponses.json(["error": "internal error"], status: .internalServerError)
            }
        }
        for field in Self.securityHeaders {
            response.headers[field.name] = field.value
        }
        metrics.recordRequest(method: request.method.rawValue, status: response.status.code)
        return response
    }

    /// The host part of an authority: `127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `::1`, lower-cased.
    static func hostName(_ authority: String) -> String {
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            host = host[..<colon]
        }
        return host.lowercased()
    }
}

import Foundation
import Synchronization

/// The dashboard's few counters, exposed at `/metrics` in the Prometheus text format (version 0.0.4).
///
/// Label values are bounded: methods outside GET/HEAD/POST/DELETE count as `other`, statuses are numeric codes.
public final class DashboardMetrics: Sendable {
    private struct State {
        var requests: [String: Int] = [:]
        var authFailures: [String: Int] = [:]
        var deletedRuns = 0
        var labelledRuns = 0
    }

    private let state = Mutex(State())
    private let started = Date()

    /// Creates empty counters.
    public init() {}

    func recordRequest(method: String, status: Int) {
        let method = ["GET", "HEAD", "POST", "DELETE"].contains(method) ? method : "other"
        state.withLock { $0.requests["method=\"\(method)\",status=\"\(status)\"", default: 0] += 1 }
    }

    func recordAuthFailure(reason: String) {
        state.withLock { $0.authFailures["reason=\"\(reason)\"", default: 0] += 1 }
    }

    func recordDelete() { state.withLock { $0.deletedRuns += 1 } }

    func recordLabel() { state.withLock { $0.labelledRuns += 1 } }

    /// The exposition text; `runs` is the current number of runs in the store.
    func render(runs: Int) -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP culturelens_http_requests_total HTTP requests answered, by method and status code.")
        lines.append("# TYPE culturelens_http_requests_total counter")
        for key in snapshot.requests.keys.sorted() {
            lines.append("culturelens_http_requests_total{\(key)} \(snapshot.requests[key] ?? 0)")
        }
        lines.append("# HELP culturelens_auth_failures_total Write requests refused: missing or wrong bearer token.")
        lines.append("# TYPE culturelens_auth_failures_total counter")
        for reason in ["invalid", "missing"] {
            lines.append(
                "culturelens_auth_failures_total{reason=\"\(reason)\"} \(snapshot.authFailures["reason=\"\(reason)\"", default: 0])"
            )
        }
        lines.append("# HELP culturelens_runs_deleted_total Runs deleted through the API.")
        lines.append("# TYPE culturelens_runs_deleted_total counter")
        lines.append("culturelens_runs_deleted_total \(snapshot.deletedRuns)")
        lines.append("# HELP culturelens_runs_labelled_total Run labels set or removed through the API.")
        lines.append("# TYPE culturelens_runs_labelled_total counter")
        lines.append("culturelens_runs_labelled_total \(snapshot.labelledRuns)")
        lines.append("# HELP culturelens_runs Runs in the store.")
        lines.append("# TYPE culturelens_runs gauge")
        lines.append("culturelens_runs \(runs)")
        lines.append("# HELP culturelens_uptime_seconds Seconds since the dashboard started.")
        lines.append("# TYPE culturelens_uptime_seconds gauge")
        lines.append("culturelens_uptime_seconds \(String(format: "%.3f", Date().timeIntervalSince(started)))")
        return lines.joined(separator: "\n") + "\n"
    }
}

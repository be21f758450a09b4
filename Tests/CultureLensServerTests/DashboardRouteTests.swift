import CultureLensCore
import CultureLensDatasets
import CultureLensServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every route of the dashboard through `app.test(.router)`.
struct DashboardRouteTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
    }

    @Test func runsPage() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                expectSecurityHeaders(response, "/")
                let html = response.text
                #expect(html.contains("href=\"/runs/\(DashboardFixture.plainID)\""))
                #expect(html.contains("href=\"/runs/\(DashboardFixture.hostileID)\""))
                #expect(html.contains("gemma-3-270m"))
                #expect(html.contains("&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt;"))
                #expect(html.contains("<form method=\"get\" action=\"/compare\">"))
                #expect(html.contains("href=\"/suites/starter\""))
                MarkupChecks.assertInert(html)
            }
        }
    }

    @Test func leaderboardPage() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/suites/starter", method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response, "/suites/starter")
                let html = response.text
                #expect(html.contains("Leaderboard: starter"))
                #expect(html.contains("class=\"leaderboard\""))
                // Both runs are rows, each culture a column, cells with CI and n.
                #expect(html.contains("Japan (JP)"))
                #expect(html.contains("n="))
                #expect(html.contains("class=\"num h"))
                #expect(html.components(separatedBy: "href=\"/runs/").count - 1 >= 2)
                MarkupChecks.assertInert(html)
            }
            try await client.execute(uri: "/suites/no-such-suite", method: .get) { response in
                #expect(response.status == .notFound)
                expectSecurityHeaders(response, "unknown suite")
            }
            try await client.execute(uri: "/suites/%3Cscript%3E", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!response.text.contains("<script>"))
                #expect(response.text.contains("&lt;script&gt;"))
            }
        }
    }

    @Test func runPageHasTheReportViews() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/runs/\(DashboardFixture.hostileID)", method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response, "run page")
                let html = response.text
                for id in [
                    "run-1-summary", "run-1-cultures", "run-1-map", "run-1-failures", "run-1-samples", "run-1-method",
                ] {
                    #expect(html.contains("id=\"\(id)\""), "missing #\(id)")
                }
                #expect(
                    html.contains(
                        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
                    )
                )
                #expect(!html.contains("SECRET"))
                MarkupChecks.assertInert(html)
            }
            try await client.execute(uri: "/runs/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                expectSecurityHeaders(response, "missing run")
            }
        }
    }

    @Test func comparePage() async throws {
        try await withDashboard { client, _ in
            let uri = "/compare?run=\(DashboardFixture.plainID)&run=\(DashboardFixture.hostileID)"
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response, "compare")
                let html = response.text
                #expect(html.contains("id=\"comparison\""))
                #expect(html.contains("class=\"chart differences\""))
                #expect(html.contains("id=\"run-2-map\""))
                MarkupChecks.assertInert(html)
            }
            try await client.execute(
                uri: "/compare?runs=\(DashboardFixture.plainID),\(DashboardFixture.hostileID)",
                method: .get
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/compare?run=\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.status == .badRequest)
                expectSecurityHeaders(response, "compare with one run")
            }
            try await client.execute(uri: "/compare?run=\(DashboardFixture.plainID)&run=zzz", method: .get) {
                response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func apiRuns() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/api/runs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                expectSecurityHeaders(response, "/api/runs")
                let runs = try #require(try Self.json(response)["runs"] as? [[String: Any]])
                #expect(runs.count == 2)
                #expect(runs.first?["id"] as? String == DashboardFixture.hostileID)  // newest first
                let plain = try #require(runs.first { $0["id"] as? String == DashboardFixture.plainID })
                #expect(plain["model"] as? String == "gemma-3-270m")
                #expect(plain["suite"] as? String == "starter")
                #expect(plain["item_count"] as? Int == StarterSuite.suite.items.count)
                let accuracy = try #require(plain["accuracy"] as? [String: Any])
                #expect(accuracy["n"] as? Int ?? 0 > 0)
                #expect(accuracy["ci_low"] as? Double != nil && accuracy["ci_high"] as? Double != nil)
                #expect((plain["links"] as? [String: Any])?["html"] as? String == "/runs/\(DashboardFixture.plainID)")
                #expect(!response.text.contains("SECRET"))
            }
        }
    }

    @Test func apiRunDetail() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/api/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                let run = try #require(body["run"] as? [String: Any])
                #expect(run["id"] as? String == DashboardFixture.plainID)
                #expect(run["endpoint"] as? String == "https://api.example.test/v1")
                let summary = try #require(body["summary"] as? [String: Any])
                #expect((summary["per_culture"] as? [Any])?.isEmpty == false)
                #expect(body["samples"] == nil)
                #expect(!response.text.contains("SECRET"))
            }
            try await client.execute(uri: "/api/runs/\(DashboardFixture.plainID)?samples=true", method: .get) {
                response in
                let samples = try #require(try Self.json(response)["samples"] as? [[String: Any]])
                #expect(samples.count == StarterSuite.suite.items.count)
                #expect(samples.first?["prompt"] as? String != nil)
            }
            try await client.execute(uri: "/api/runs/missing", method: .get) { response in
                #expect(response.status == .notFound)
                expectSecurityHeaders(response, "missing run JSON")
            }
        }
    }

    @Test func apiSuites() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/api/suites", method: .get) { response in
                #expect(response.status == .ok)
                let suites = try #require(try Self.json(response)["suites"] as? [[String: Any]])
                let starter = try #require(suites.first { $0["name"] as? String == "starter" })
                #expect(starter["runs"] as? Int == 2)
                #expect(starter["built_in"] as? Bool == true)
                #expect((starter["models"] as? [String])?.contains("gemma-3-270m") == true)
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let status = try Self.json(response)["status"] as? String
                #expect(status == "ok")
                expectSecurityHeaders(response, "/healthz")
            }
            try await client.execute(uri: "/api/runs/\(DashboardFixture.plainID)", method: .delete) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                expectSecurityHeaders(response, "/metrics")
                let text = response.text
                #expect(text.contains("# TYPE culturelens_http_requests_total counter"))
                #expect(text.contains("culturelens_http_requests_total{method=\"GET\",status=\"200\"} 1"))
                #expect(text.contains("culturelens_http_requests_total{method=\"DELETE\",status=\"401\"} 1"))
                #expect(text.contains("culturelens_auth_failures_total{reason=\"missing\"} 1"))
                #expect(text.contains("culturelens_runs 2"))
                // Every sample line is `name{labels} value` or `name value`.
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    #expect(line.split(separator: " ").count == 2, "bad metrics line: \(line)")
                }
            }
        }
    }

    @Test func unknownRouteIsA404WithHeaders() async throws {
        try await withDashboard { client, _ in
            try await client.execute(uri: "/no/such/page", method: .get) { response in
                #expect(response.status == .notFound)
                expectSecurityHeaders(response, "unknown route")
            }
        }
    }
}

/// A store that cannot be read gives a 500 that says so, as a page or as JSON, with the headers.
struct DashboardStoreFailureTests {
    struct BrokenStore: RunAdministration {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "the payload of run r1 is not readable" }
        }
        func runs() async throws -> [RunRecord] { throw Failure() }
        func run(id: String) async throws -> RunRecord? { throw Failure() }
        func results(runID: String) async throws -> [ItemResult] { throw Failure() }
        func runLabels() async throws -> [String: String] { [:] }
        func setRunLabel(id: String, label: String?) async throws -> Bool { throw Failure() }
        func deleteRun(id: String) async throws -> Bool { throw Failure() }
        func setRunAttachment(id: String, name: String, data: Data) async throws -> Bool { throw Failure() }
        func runAttachment(id: String, name: String) async throws -> Data? { throw Failure() }
        func openRun(_ run: RunRecord) async throws -> RunRecord { throw Failure() }
        func updateRun(_ run: RunRecord) async throws { throw Failure() }
        func cachedResponse(key: String) async throws -> ModelResponse? { throw Failure() }
        func save(_ result: ItemResult, cacheEntry: CacheEntry?) async throws { throw Failure() }
    }

    @Test func unreadableStore() async throws {
        let app = DashboardServer(store: BrokenStore(), configuration: .init(token: DashboardFixture.token))
            .makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("Cannot read the store: the payload of run r1 is not readable"))
                expectSecurityHeaders(response, "500 page")
            }
            try await client.execute(uri: "/api/runs", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("Cannot read the store"))
                expectSecurityHeaders(response, "500 JSON")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("culturelens_http_requests_total{method=\"GET\",status=\"500\"} 2"))
            }
        }
    }
}

import CultureLensCore
import CultureLensServer
import CultureLensStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Write routes need the bearer token: 401 without it, 403 with a wrong one; reads never need it.
struct DashboardAuthTests {
    static let bearer: HTTPFields = [.authorization: "Bearer \(DashboardFixture.token)"]

    @Test func deleteNeedsTheToken() async throws {
        try await withDashboard { client, fixture in
            let uri = "/api/runs/\(DashboardFixture.plainID)"
            try await client.execute(uri: uri, method: .delete) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                expectSecurityHeaders(response, "401")
            }
            try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Basic dXNlcjpwYXNz"]) {
                response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer wrong-token"]) {
                response in
                #expect(response.status == .forbidden)
                expectSecurityHeaders(response, "403")
            }
            try await client.execute(
                uri: uri,
                method: .delete,
                headers: [.authorization: "Bearer \(DashboardFixture.token)x"]
            ) { response in
                #expect(response.status == .forbidden)
            }
            let before = try await fixture.store.run(id: DashboardFixture.plainID)
            #expect(before != nil)
            try await client.execute(uri: uri, method: .delete, headers: Self.bearer) { response in
                #expect(response.status == .noContent)
                expectSecurityHeaders(response, "204")
            }
            let after = try await fixture.store.run(id: DashboardFixture.plainID)
            #expect(after == nil)
            let results = try await fixture.store.results(runID: DashboardFixture.plainID)
            #expect(results.isEmpty)
            try await client.execute(uri: uri, method: .delete, headers: Self.bearer) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/runs", method: .get) { response in
                #expect(!response.text.contains(DashboardFixture.plainID))
            }
            try await client.execute(uri: "/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.text.contains("culturelens_auth_failures_total{reason=\"invalid\"} 2"))
                #expect(response.text.contains("culturelens_auth_failures_total{reason=\"missing\"} 2"))
                #expect(response.text.contains("culturelens_runs_deleted_total 1"))
            }
        }
    }

    @Test func labelNeedsTheToken() async throws {
        try await withDashboard { client, _ in
            let uri = "/api/runs/\(DashboardFixture.plainID)/label"
            let body = ByteBuffer(string: #"{"label": "<b>fine-tuned</b> \"v2\""}"#)
            try await client.execute(uri: uri, method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer nope"], body: body) {
                response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: uri, method: .post, headers: Self.bearer, body: body) { response in
                #expect(response.status == .ok)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                )
                #expect(json["label"] as? String == "<b>fine-tuned</b> \"v2\"")
            }
            // The label is shown, escaped, in the pages and returned by the API.
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("&lt;b&gt;fine-tuned&lt;/b&gt; &quot;v2&quot;"))
                #expect(!response.text.contains("<b>fine-tuned"))
            }
            try await client.execute(uri: "/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.text.contains("&lt;b&gt;fine-tuned&lt;/b&gt;"))
                MarkupChecks.assertInert(response.text)
            }
            try await client.execute(uri: "/api/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.text.contains(#""label":"<b>fine-tuned</b> \"v2\"""#))
            }
            // Removing it.
            try await client.execute(
                uri: uri,
                method: .post,
                headers: Self.bearer,
                body: ByteBuffer(string: #"{"label": null}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text == #"{"id":"\#(DashboardFixture.plainID)","label":null}"#)
            }
            try await client.execute(uri: "/api/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(!response.text.contains("fine-tuned"))
            }
            // Bad requests.
            try await client.execute(
                uri: uri,
                method: .post,
                headers: Self.bearer,
                body: ByteBuffer(string: "not json")
            ) { response in
                #expect(response.status == .badRequest)
                expectSecurityHeaders(response, "400")
            }
            let long = ByteBuffer(string: "{\"label\": \"\(String(repeating: "x", count: 201))\"}")
            try await client.execute(uri: uri, method: .post, headers: Self.bearer, body: long) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/runs/missing/label", method: .post, headers: Self.bearer, body: body) {
                response in
                #expect(response.status == .notFound)
            }
            // Without the token, a missing run is still 401: existence is not revealed.
            try await client.execute(uri: "/api/runs/missing/label", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func readsNeedNoToken() async throws {
        try await withDashboard { client, _ in
            for uri in [
                "/", "/suites/starter", "/runs/\(DashboardFixture.plainID)", "/api/runs", "/api/suites", "/healthz",
                "/metrics",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
        }
    }

    @Test func hostHeaderIsChecked() async throws {
        // The router test client always sends Host: localhost.
        try await withDashboard(allowedHosts: ["127.0.0.1"]) { client, _ in
            try await client.execute(uri: "/api/runs", method: .get) { response in
                #expect(response.status == .misdirectedRequest)
                expectSecurityHeaders(response, "421")
                #expect(!response.text.contains(DashboardFixture.plainID))
            }
        }
        try await withDashboard { client, _ in
            try await client.execute(uri: "/api/runs", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func configurationDefaults() {
        let loopback = DashboardServer.Configuration(token: "t")
        #expect(loopback.host == "127.0.0.1")
        #expect(loopback.port == 8080)
        #expect(loopback.allowedHosts == ["127.0.0.1", "localhost", "::1"])
        #expect(DashboardServer.Configuration(host: "0.0.0.0", token: "t").allowedHosts == nil)
        #expect(DashboardServer.Configuration(host: "::1", token: "t").allowedHosts != nil)
        let token = DashboardServer.generateToken()
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        #expect(token != DashboardServer.generateToken())
    }
}

import CultureLensServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The run page of a run with a cultural map and of one with preferences shows the report's value figures, computed
/// from the stored results.
struct DashboardValueFigureTests {
    @Test func runPageOfAnInglehartWelzelRunShowsTheMap() async throws {
        try await withDashboard(valueRuns: true) { client, _ in
            try await client.execute(uri: "/runs/\(DashboardFixture.mapID)", method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response, "map run page")
                let html = response.text
                #expect(html.contains("id=\"run-1-cultural-map\""))
                #expect(html.contains("href=\"#run-1-cultural-map\""))
                #expect(html.contains("class=\"chart cultural-map\""))
                #expect(html.contains("<text x=") && html.contains(">model (n=10)</text>"))
                #expect(html.contains("<g class=\"persona\"><title>Persona Japan:"))
                #expect(html.contains("Cultural prompting moved the model&#39;s point closer to the country for"))
                // The section is drawn, not dumped as a generic table of figures.
                #expect(!html.contains(">Cultural map</h3>"))
                MarkupChecks.assertInert(html)
            }
        }
    }

    @Test func runPageOfAPreferencesRunShowsUtilitiesAndTransitivity() async throws {
        try await withDashboard(valueRuns: true) { client, _ in
            try await client.execute(uri: "/runs/\(DashboardFixture.preferencesID)", method: .get) { response in
                #expect(response.status == .ok)
                expectSecurityHeaders(response, "preferences run page")
                let html = response.text
                #expect(html.contains("id=\"run-1-preferences\""))
                #expect(html.contains("class=\"chart utilities\""))
                #expect(html.contains("Triads without a cycle"))
                #expect(html.contains("Order bias P(Option A) − ½"))
                // The stored run's options have no text in the store: labelled by id, and the page says so.
                #expect(html.contains("labelled by id"))
                #expect(html.contains("&lt;img src=x onerror=alert(3)&gt;"))
                #expect(!html.contains(DashboardFixture.hostileOption))
                MarkupChecks.assertInert(html)
            }
        }
    }

    @Test func theOtherPagesListTheValueRuns() async throws {
        try await withDashboard(valueRuns: true) { client, _ in
            // The runs list builds (and caches) the runs without their figures; the run page then has them.
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("href=\"/runs/\(DashboardFixture.mapID)\""))
                #expect(response.text.contains("href=\"/runs/\(DashboardFixture.preferencesID)\""))
            }
            try await client.execute(uri: "/runs/\(DashboardFixture.mapID)", method: .get) { response in
                #expect(response.text.contains("class=\"chart cultural-map\""))
            }
            let uri = "/compare?run=\(DashboardFixture.mapID)&run=\(DashboardFixture.preferencesID)"
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("id=\"run-1-cultural-map\""))
                #expect(response.text.contains("id=\"run-2-preferences\""))
                MarkupChecks.assertInert(response.text)
            }
        }
    }
}

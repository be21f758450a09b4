import CultureLensCore
import CultureLensServer
import CultureLensStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The run card `run` stores with a run is shown on the run page, escaped; the run holding the card's answers is
/// left out of the runs list and the leaderboard.
struct DashboardCardTests {
    static let hostileMessage = "flips under option rotation <script>alert('card')</script>"

    /// A card as `run` stores it (snake_case keys), with a hostile verdict message.
    static var cardJSON: Data {
        let verdict: [String: Any] = [
            "check": "flip_rate", "level": "unreliable", "value": 0.8, "message": hostileMessage,
        ]
        let card: [String: Any] = [
            "headline_metric": "accuracy", "failures": ["parse_failure": 2], "verdicts": [verdict],
            "level": "unreliable", "summary": hostileMessage + ": the ranking of cultures is not interpretable",
            "notes": ["card note"],
            "flip_rate": [
                "value": 0.8, "n": 20, "ci_low": 0.58, "ci_high": 0.92, "note": "Wilson interval over items",
            ],
            "sample": [
                "items": 20, "eligible": 88, "share": 0.1, "minimum": 20, "budget": 400, "seed": 0, "requests": 60,
                "variants": ["default", "order=rot1", "order=rot2", "order=rot3"], "item_ids": ["a"],
                "run_id": "eeeeeeeeeeeeeeee",
            ],
        ]
        return try! JSONSerialization.data(withJSONObject: card, options: [.sortedKeys])
    }

    @Test func theRunPageShowsTheStoredCardAndTheCardRunIsNotListed() async throws {
        try await withDashboard { client, fixture in
            let plain = try #require(try await fixture.store.run(id: DashboardFixture.plainID))
            var cardRun = plain
            cardRun.id = "eeeeeeeeeeeeeeee"
            cardRun.itemCount = 20
            cardRun.variants = ["default", "order=rot1", "order=rot2", "order=rot3"]
            cardRun.cardOf = plain.id
            _ = try await fixture.store.openRun(cardRun)
            #expect(try await fixture.store.setRunAttachment(id: plain.id, name: "card", data: Self.cardJSON))

            try await client.execute(uri: "/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("id=\"run-1-card\""))
                #expect(html.contains(">Robustness card<"))
                #expect(html.contains("class=\"headline-verdict level-unreliable\""))
                #expect(html.contains("&lt;script&gt;alert(&#39;card&#39;)&lt;/script&gt;"))
                #expect(!html.contains("<script>alert('card')"))
                #expect(html.contains("20 of 88 items asked under 4 option orders"))
                #expect(html.contains("parse_failure 2"))
                MarkupChecks.assertInert(html)
            }
            // The other run has no card: no panel.
            try await client.execute(uri: "/runs/\(DashboardFixture.hostileID)", method: .get) { response in
                #expect(!response.text.contains("Robustness card"))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("href=\"/runs/\(DashboardFixture.plainID)\""))
                #expect(!response.text.contains("eeeeeeeeeeeeeeee"))
            }
            try await client.execute(uri: "/suites/starter", method: .get) { response in
                #expect(!response.text.contains("eeeeeeeeeeeeeeee"))
            }
        }
    }

    /// `run` finishes the run, then attaches its card and gives the run a new finish time: a page cached before the
    /// card shows it after.
    @Test func aCardAttachedAfterThePageWasCachedIsShown() async throws {
        try await withDashboard { client, fixture in
            try await client.execute(uri: "/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("Robustness card"))
            }
            var record = try #require(try await fixture.store.run(id: DashboardFixture.plainID))
            #expect(try await fixture.store.setRunAttachment(id: record.id, name: "card", data: Self.cardJSON))
            record.finishedAt = (record.finishedAt ?? Date()).addingTimeInterval(60)
            try await fixture.store.updateRun(record)
            try await client.execute(uri: "/runs/\(DashboardFixture.plainID)", method: .get) { response in
                #expect(response.text.contains(">Robustness card<"))
            }
        }
    }
}

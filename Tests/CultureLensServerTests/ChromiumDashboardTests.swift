import CultureLensCore
import CultureLensTesting
import CultureLensServer
import Foundation
import HummingbirdTesting
import Testing

/// The dashboard served on loopback and loaded by a real headless Chromium under its real headers (CSP
/// included): no console error or CSP violation, the key elements in the DOM, screenshots kept under
/// `.build/test-artifacts/dashboard/`.
@Suite(.serialized) struct ChromiumDashboardTests {
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent(".build/test-artifacts/dashboard")

    @Test func pagesLoadCleanlyInChromium() async throws {
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let fixture = try await DashboardFixture.make()
        defer { fixture.remove() }
        let app = fixture.server().makeApplication()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://localhost:\(port)"
            let pages: [(path: String, needles: [String], screenshot: String)] = [
                (
                    "/", ["<form method=\"get\" action=\"/compare\">", "href=\"/runs/\(DashboardFixture.plainID)\""],
                    "dashboard-runs.png"
                ),
                ("/suites/starter", ["class=\"leaderboard\"", "Japan (JP)"], "dashboard-leaderboard.png"),
                (
                    "/runs/\(DashboardFixture.hostileID)",
                    ["class=\"chart tilemap\"", "class=\"chart bars\"", "class=\"sample-list\""], "dashboard-run.png"
                ),
                (
                    "/compare?run=\(DashboardFixture.plainID)&run=\(DashboardFixture.hostileID)",
                    ["id=\"comparison\"", "class=\"chart differences\""], "dashboard-compare.png"
                ),
            ]
            for page in pages {
                let dom = try await Chromium.dumpDOM(base + page.path)
                #expect(dom.status == 0, "chromium exited \(dom.status) on \(page.path): \(dom.stderr.suffix(1500))")
                #expect(dom.consoleProblems.isEmpty, "console on \(page.path): \(dom.consoleProblems)")
                for needle in page.needles {
                    #expect(dom.stdout.contains(needle), "\(page.path): DOM lacks \(needle)")
                }
                let lower = dom.stdout.lowercased()
                #expect(!lower.contains("<script"), "\(page.path)")
                #expect(!lower.contains("<img"), "\(page.path)")
                MarkupChecks.assertInert(dom.stdout)
                let png = Self.artifacts.appendingPathComponent(page.screenshot)
                let shot = try await Chromium.screenshot(base + page.path, to: png, height: 1600)
                #expect(shot.consoleProblems.isEmpty, "console on \(page.path): \(shot.consoleProblems)")
                let data = try Data(contentsOf: png)
                #expect(
                    data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && data.count > 10_000,
                    "\(page.screenshot) (\(data.count) bytes)"
                )
            }
        }
    }
}

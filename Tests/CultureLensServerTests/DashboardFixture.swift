import CultureLensCore
import CultureLensDatasets
import CultureLensServer
import CultureLensStatistics
import CultureLensStore
import CultureLensTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A store in a temporary directory with two runs of the starter suite: an ordinary one and one whose model name,
/// prompts and answers are hostile markup.
struct DashboardFixture {
    static let token = "test-token-0123456789"
    static let plainID = "aaaaaaaaaaaaaaaa"
    static let hostileID = "bbbbbbbbbbbbbbbb"
    static let hostileModel = "<script>alert('model')</script>"
    static let hostileAnswer = "\"><img src=x onerror=alert(1)></svg><script>alert(2)</script>"

    let directory: URL
    let store: SQLiteResultStore

    static let mapID = "cccccccccccccccc"
    static let preferencesID = "dddddddddddddddd"
    static let hostileOption = "<img src=x onerror=alert(3)>"

    static func make(valueRuns: Bool = false) async throws -> DashboardFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-dashboard-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteResultStore(path: directory.appendingPathComponent("store.sqlite").path)
        try await add(
            store,
            id: plainID,
            model: "gemma-3-270m",
            seed: 1,
            skill: 0.6,
            hostile: false,
            created: 1_763_000_000
        )
        try await add(
            store,
            id: hostileID,
            model: hostileModel,
            seed: 2,
            skill: 0.75,
            hostile: true,
            created: 1_763_100_000
        )
        if valueRuns { try await addValueRuns(store) }
        return DashboardFixture(directory: directory, store: store)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func server(allowedHosts: Set<String>?? = nil) -> DashboardServer {
        DashboardServer(store: store, configuration: .init(token: Self.token, allowedHosts: allowedHosts))
    }

    private static func add(
        _ store: SQLiteResultStore,
        id: String,
        model: String,
        seed: UInt64,
        skill: Double,
        hostile: Bool,
        created: Double
    ) async throws {
        let suite = StarterSuite.suite
        let record = RunRecord(
            id: id,
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: suite.specHash,
            model: model,
            endpoint: "https://user:sk-SECRET-KEY@api.example.test/v1?api_key=sk-SECRET-KEY",
            api: .chat,
            scoring: hostile ? .generate : .logprobs,
            itemCount: suite.items.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(timeIntervalSince1970: created),
            finishedAt: Date(timeIntervalSince1970: created + 600),
            status: .completed
        )
        _ = try await store.openRun(record)
        try await store.updateRun(record)
        var generator = SplitMix64(seed: seed)
        let builder = PromptBuilder()
        for (index, item) in suite.items.enumerated() {
            let correct = Double(generator.next() % 1000) / 1000 < skill
            let gold = item.gold.first ?? 0
            let predicted = correct ? gold : (gold + 1) % item.choices.count
            let fails = index % 13 == 4
            let result = ItemResult(
                runID: id,
                itemID: item.id,
                itemIndex: index,
                culture: hostile && index % 10 == 0 ? "<b>XX</b>" : item.culture,
                topic: item.topic,
                prompt: builder.render(item).text + (hostile ? "\n" + hostileAnswer : ""),
                response: hostile ? hostileAnswer : " \(String(UnicodeScalar(UInt8(65 + predicted))))",
                distribution: nil,
                outsideMass: nil,
                predicted: fails ? nil : predicted,
                gold: item.gold,
                score: fails ? nil : (correct ? 1 : 0),
                failure: fails ? .parseFailure : nil,
                failureDetail: fails ? (hostile ? hostileAnswer : "no option named") : nil,
                cacheKey: "\(id)-\(index)",
                cached: false,
                attempts: 1
            )
            try await store.save(result, cacheEntry: nil)
        }
    }
}

extension DashboardFixture {
    /// An `inglehart-welzel` run with one persona country (Japan) and a `preferences-jsonl` run over four options
    /// (one with a hostile id), stored as results only: the dashboard computes their figures.
    static func addValueRuns(_ store: SQLiteResultStore) async throws {
        let answers = [
            "a008": "2", "a165": "B", "e018": "1", "e025": "B", "f118": "4", "f120": "3", "g006": "2", "y002": "1, 3",
            "y003": "Hard work, religious faith",
        ]
        let map = InglehartWelzelSuite.steered(countries: ["Japan"])
        var results = map.items.enumerated().map { index, item in
            let variant = Int(item.metadata[InglehartWelzelSuite.variantKey]?.dropFirst() ?? "0") ?? 0
            let persona = item.metadata[InglehartWelzelSuite.countryKey] != nil
            let code = item.metadata[InglehartWelzelSuite.itemKey] ?? ""
            let text = code == "f063" ? "\(persona ? 2 : 6 + variant % 3)" : answers[code] ?? ""
            return ItemResult.answer(
                runID: mapID,
                item: item,
                index: index,
                response: persona && code == "y002" ? "2, 4" : text
            )
        }
        try await add(store, record(mapID, suite: map, scoring: .generate, created: 1_763_200_000), results)

        let ids = ["harmony", "liberty", "thrift", hostileOption]
        let preferences = PreferenceSuite.suite(
            name: PreferenceSuite.userSuiteName,
            title: "test",
            source: "test",
            licence: "CC0-1.0",
            options: ids.map { PreferenceSuite.Option(id: $0, text: "text of \($0)") },
            degree: nil
        )
        results = preferences.items.enumerated().map { index, item in
            let first = ids.firstIndex(of: item.metadata["first"] ?? "") ?? 0
            let second = ids.firstIndex(of: item.metadata["second"] ?? "") ?? 0
            var result = ItemResult.answer(
                runID: preferencesID,
                item: item,
                index: index,
                response: first < second ? "A" : "B"
            )
            result.predicted = first < second ? 0 : 1
            return result
        }
        try await add(
            store,
            record(preferencesID, suite: preferences, scoring: .generate, created: 1_763_300_000),
            results
        )
    }

    private static func record(_ id: String, suite: Suite, scoring: ScoringMode, created: Double) -> RunRecord {
        RunRecord(
            id: id,
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: suite.specHash,
            model: "value-model",
            endpoint: "http://127.0.0.1:8081/v1",
            api: .chat,
            scoring: scoring,
            itemCount: suite.items.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(timeIntervalSince1970: created),
            finishedAt: Date(timeIntervalSince1970: created + 60),
            status: .completed
        )
    }

    private static func add(_ store: SQLiteResultStore, _ record: RunRecord, _ results: [ItemResult]) async throws {
        _ = try await store.openRun(record)
        try await store.updateRun(record)
        for result in results { try await store.save(result, cacheEntry: nil) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Runs `body` with a router-level test client over a fresh fixture.
func withDashboard(
    allowedHosts: Set<String>?? = nil,
    valueRuns: Bool = false,
    _ body: @Sendable @escaping (any TestClientProtocol, DashboardFixture) async throws -> Void
) async throws {
    let fixture = try await DashboardFixture.make(valueRuns: valueRuns)
    defer { fixture.remove() }
    let app = fixture.server(allowedHosts: allowedHosts).makeApplication()
    try await app.test(.router) { client in try await body(client, fixture) }
}

/// The security headers every response must carry.
func expectSecurityHeaders(_ response: TestResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation)
{
    #expect(
        response.headers[.contentSecurityPolicy]
            == "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "CSP of \(what)",
        sourceLocation: sourceLocation
    )
    #expect(
        response.headers[.xContentTypeOptions] == "nosniff",
        "X-Content-Type-Options of \(what)",
        sourceLocation: sourceLocation
    )
    #expect(
        response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer",
        "Referrer-Policy of \(what)",
        sourceLocation: sourceLocation
    )
    #expect(
        response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY",
        "X-Frame-Options of \(what)",
        sourceLocation: sourceLocation
    )
}

import CultureLensCore
import CultureLensReport
import CultureLensStatistics
import Foundation
import HTTPTypes
import Hummingbird

/// Response helpers: HTML, JSON (sorted snake_case keys, as in `results.json`) and plain text bodies.
enum DashboardResponses {
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = ResultsDocument.encoder(pretty: false)
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"cannot encode the response\"}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// Links of an API object.
struct APILinks: Encodable {
    var html: String
    var api: String?
}

/// `GET /api/runs`.
struct APIRunList: Encodable {
    var runs: [APIRunSummary]
}

/// One run in `GET /api/runs`.
struct APIRunSummary: Encodable {
    var id: String
    var suite: String
    var suiteVersion: String
    var model: String
    var api: String
    var scoring: String
    var status: String
    var itemCount: Int
    var createdAt: String
    var finishedAt: String?
    var label: String?
    var accuracy: Proportion
    var scored: Int
    var failed: Int
    var links: APILinks

    init(_ run: ReportRun) {
        id = run.metadata.id
        suite = run.metadata.suite
        suiteVersion = run.metadata.suiteVersion
        model = run.metadata.model
        api = run.metadata.api
        scoring = run.metadata.scoring
        status = run.metadata.status
        itemCount = run.metadata.itemCount
        createdAt = run.metadata.createdAt
        finishedAt = run.metadata.finishedAt
        label = run.label
        accuracy = run.summary.accuracy
        scored = run.summary.scored
        failed = run.summary.failures.values.reduce(0, +)
        links = APILinks(html: DashboardPages.runPath(id), api: "/api/runs/" + HTMLEscape.urlComponent(id))
    }
}

/// `GET /api/runs/{id}`: the run section and summary of `results.json`, the label, and with `?samples=true` the
/// samples of `samples.jsonl`.
struct APIRunDetail: Encodable {
    var run: ReportRun.Metadata
    var label: String?
    var summary: RunSummary
    var samples: [ReportSample]?
    var links: APILinks

    init(run: ReportRun, includeSamples: Bool) {
        self.run = run.metadata
        label = run.label
        summary = run.summary
        samples = includeSamples ? run.samples : nil
        links = APILinks(
            html: DashboardPages.runPath(run.metadata.id),
            api: "/api/runs/" + HTMLEscape.urlComponent(run.metadata.id)
        )
    }
}

/// `POST /api/runs/{id}/label`.
struct APILabel: Encodable {
    var id: String
    var label: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(label, forKey: .label)
    }

    enum CodingKeys: String, CodingKey { case id, label }
}

/// `GET /api/suites`.
struct APISuiteList: Encodable {
    var suites: [APISuite]
}

/// One suite.
struct APISuite: Encodable {
    var name: String
    var title: String?
    var builtIn: Bool
    var items: Int?
    var runs: Int
    var models: [String]
    var links: APILinks
}

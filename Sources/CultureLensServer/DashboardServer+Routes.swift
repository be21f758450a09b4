import CultureLensCore
import CultureLensDatasets
import CultureLensReport
import Foundation
import HTTPTypes
public import Hummingbird
import Logging

extension DashboardServer {
    /// The router with every page and API route (see docs/dashboard.md).
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(
            middleware: DashboardMiddleware(metrics: metrics, allowedHosts: configuration.allowedHosts, logger: logger)
        )

        // Pages.
        router.get("/") { _, _ in try await self.runsPage() }
        router.get("/suites/{suite}") { _, context in
            try await self.leaderboardPage(suite: Self.parameter(context, "suite"))
        }
        router.get("/runs/{id}") { _, context in try await self.runPage(id: Self.parameter(context, "id")) }
        router.get("/compare") { request, _ in try await self.comparePage(request) }

        // JSON API.
        router.get("/api/runs") { _, _ in try await self.apiRuns() }
        router.get("/api/runs/{id}") { request, context in
            try await self.apiRun(
                id: Self.parameter(context, "id"),
                includeSamples: request.uri.queryParameters["samples"] == "true"
            )
        }
        router.delete("/api/runs/{id}") { request, context in
            try self.authorize(request)
            return try await self.apiDelete(id: Self.parameter(context, "id"))
        }
        router.post("/api/runs/{id}/label") { request, context in
            try self.authorize(request)
            return try await self.apiLabel(id: Self.parameter(context, "id"), request: request)
        }
        router.get("/api/suites") { _, _ in try await self.apiSuites() }
        router.get("/healthz") { _, _ in
            DashboardResponses.json(["status": "ok", "version": CultureLensVersion.current])
        }
        router.get("/metrics") { _, _ in
            let runs = (try? await self.store.runs().count) ?? 0
            return DashboardResponses.text(
                self.metrics.render(runs: runs),
                contentType: "text/plain; version=0.0.4; charset=utf-8"
            )
        }
        return router
    }

    static func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    // MARK: - Authorisation

    /// Checks `Authorization: Bearer TOKEN`: 401 when missing (or not a bearer token), 403 when wrong. The
    /// comparison takes the same time wherever the first difference is.
    func authorize(_ request: Request) throws {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            metrics.recordAuthFailure(reason: "missing")
            throw HTTPError(
                .unauthorized,
                headers: [.wwwAuthenticate: "Bearer realm=\"culturelens\""],
                message: "This action needs Authorization: Bearer TOKEN (the token printed when the dashboard started)."
            )
        }
        let presented = Array(header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces).utf8)
        let expected = Array(configuration.token.utf8)
        var difference = presented.count ^ expected.count
        for index in 0..<max(presented.count, expected.count) {
            let a = index < presented.count ? presented[index] : 0
            let b = index < expected.count ? expected[index] : 0
            difference |= Int(a ^ b)
        }
        guard difference == 0, !expected.isEmpty else {
            metrics.recordAuthFailure(reason: "invalid")
            throw HTTPError(.forbidden, message: "The bearer token is not the one printed when the dashboard started.")
        }
    }

    // MARK: - Loading

    /// Runs `body`, turning a store failure (an unreadable file, a record an older version wrote differently) into
    /// a 500 that says so, as an HTML page or JSON depending on the route.
    func reading<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("cannot read the store", metadata: ["error": "\(error)"])
            throw StoreUnreadable(detail: "\(error)")
        }
    }

    /// The store's runs but those holding a run's robustness card (shown with their run).
    func records() async throws -> [RunRecord] {
        try await reading { try await store.runs().filter { $0.cardOf == nil } }
    }

    func labels() async throws -> [String: String] { try await reading { try await store.runLabels() } }

    /// The run of `record`; with `valueFigures`, also its cultural map and utilities, which only the run and compare
    /// pages show and which cost a bootstrap to compute.
    func load(_ record: RunRecord, labels: [String: String], valueFigures: Bool = false) async throws -> ReportRun {
        var run: ReportRun
        if let cached = await cache.cached(record, valueFigures: valueFigures) {
            run = cached
        } else {
            run = ReportRun(
                run: record,
                results: try await reading { try await store.results(runID: record.id) },
                valueFigures: valueFigures
            )
            if let data = try await reading({
                try await store.runAttachment(id: record.id, name: ReportRun.cardAttachment)
            }) {
                run.attachCard(data)
            }
            await cache.store(run, for: record, valueFigures: valueFigures)
        }
        run.label = labels[record.id]
        return run
    }

    func allRuns() async throws -> [ReportRun] {
        let labels = try await labels()
        var runs: [ReportRun] = []
        for record in try await records() {
            runs.append(try await load(record, labels: labels))
        }
        return runs
    }

    func suiteNames(_ runs: [ReportRun]) -> [String] {
        Array(Set(runs.map(\.metadata.suite)).union(SuiteCatalog.names)).sorted()
    }

    // MARK: - Pages

    func runsPage() async throws -> Response {
        let runs = try await allRuns()
        let suites = suiteNames(runs)
        return DashboardResponses.html(
            DashboardPages.runs(
                runs,
                suites: suites,
                navigation: DashboardPages.navigation(suites: suites, current: "/")
            )
        )
    }

    func leaderboardPage(suite: String) async throws -> Response {
        let runs = try await allRuns()
        let suites = suiteNames(runs)
        let navigation = DashboardPages.navigation(suites: suites, current: DashboardPages.suitePath(suite))
        guard suites.contains(suite) else {
            return DashboardResponses.html(
                DashboardPages.message(
                    title: "Unknown suite",
                    message: "There is no suite named \(suite).",
                    navigation: navigation
                ),
                status: .notFound
            )
        }
        return DashboardResponses.html(
            DashboardPages.leaderboard(
                suite: suite,
                runs: runs.filter { $0.metadata.suite == suite },
                navigation: navigation
            )
        )
    }

    func runPage(id: String) async throws -> Response {
        let records = try await self.records()
        let navigation = DashboardPages.navigation(
            suites: Array(Set(records.map(\.suite)).union(SuiteCatalog.names)).sorted(),
            current: ""
        )
        guard let record = records.first(where: { $0.id == id }) else {
            return DashboardResponses.html(
                DashboardPages.message(
                    title: "Run not found",
                    message: "There is no run with id \(id).",
                    navigation: navigation
                ),
                status: .notFound
            )
        }
        let run = try await load(record, labels: try await labels(), valueFigures: true)
        return DashboardResponses.html(
            DashboardPages.run(run, navigation: navigation, sampleLimit: configuration.sampleLimit)
        )
    }

    func comparePage(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var ids = query.getAll("run")
        ids += query.getAll("runs").flatMap { $0.split(separator: ",").map(String.init) }
        var unique: [String] = []
        for id in ids where !id.isEmpty && !unique.contains(id) { unique.append(id) }
        let records = try await self.records()
        let navigation = DashboardPages.navigation(
            suites: Array(Set(records.map(\.suite)).union(SuiteCatalog.names)).sorted(),
            current: ""
        )
        guard unique.count >= 2 else {
            return DashboardResponses.html(
                DashboardPages.message(
                    title: "Choose runs to compare",
                    message: "Tick two or more runs in the runs list, then press Compare.",
                    navigation: navigation
                ),
                status: .badRequest
            )
        }
        let missing = unique.filter { id in !records.contains { $0.id == id } }
        guard missing.isEmpty else {
            return DashboardResponses.html(
                DashboardPages.message(
                    title: "Run not found",
                    message: "No run with id \(missing.joined(separator: ", ")).",
                    navigation: navigation
                ),
                status: .notFound
            )
        }
        let labels = try await labels()
        var runs: [ReportRun] = []
        for id in unique {
            if let record = records.first(where: { $0.id == id }) {
                runs.append(try await load(record, labels: labels, valueFigures: true))
            }
        }
        return DashboardResponses.html(
            DashboardPages.compare(runs, navigation: navigation, sampleLimit: configuration.sampleLimit)
        )
    }

    // MARK: - API

    func apiRuns() async throws -> Response {
        let runs = try await allRuns()
        return DashboardResponses.json(APIRunList(runs: runs.map(APIRunSummary.init)))
    }

    func apiRun(id: String, includeSamples: Bool) async throws -> Response {
        guard let record = try await reading({ try await store.run(id: id) }) else {
            throw HTTPError(.notFound, message: "no run with id \(id)")
        }
        let run = try await load(record, labels: try await labels())
        return DashboardResponses.json(APIRunDetail(run: run, includeSamples: includeSamples))
    }

    func apiDelete(id: String) async throws -> Response {
        guard try await reading({ try await store.deleteRun(id: id) }) else {
            throw HTTPError(.notFound, message: "no run with id \(id)")
        }
        await cache.remove(id)
        metrics.recordDelete()
        logger.info("run deleted", metadata: ["run.id": "\(id)"])
        return Response(status: .noContent)
    }

    func apiLabel(id: String, request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        struct LabelBody: Decodable { var label: String? }
        let decoded: LabelBody
        do {
            decoded = try JSONDecoder().decode(LabelBody.self, from: Data(buffer: body))
        } catch {
            throw HTTPError(
                .badRequest,
                message: "expected a JSON body {\"label\": \"text\"} (null or \"\" removes the label)"
            )
        }
        let label = decoded.label?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let label, label.count > 200 {
            throw HTTPError(.badRequest, message: "a label has at most 200 characters")
        }
        guard try await reading({ try await store.setRunLabel(id: id, label: label) }) else {
            throw HTTPError(.notFound, message: "no run with id \(id)")
        }
        metrics.recordLabel()
        return DashboardResponses.json(APILabel(id: id, label: label?.isEmpty == true ? nil : label))
    }

    func apiSuites() async throws -> Response {
        let runs = try await allRuns()
        let suites = suiteNames(runs).map { name in
            let suiteRuns = runs.filter { $0.metadata.suite == name }
            let builtIn = SuiteCatalog.suite(named: name)
            return APISuite(
                name: name,
                title: builtIn?.title,
                builtIn: builtIn != nil,
                items: builtIn?.items.count,
                runs: suiteRuns.count,
                models: Array(Set(suiteRuns.map(\.metadata.model))).sorted(),
                links: APILinks(html: DashboardPages.suitePath(name), api: nil)
            )
        }
        return DashboardResponses.json(APISuiteList(suites: suites))
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}

/// The store could not be read: a 500 whose body says why (an HTML page for pages, JSON for the API).
struct StoreUnreadable: HTTPResponseError {
    var detail: String

    var status: HTTPResponse.Status { .internalServerError }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let message = "Cannot read the store: \(detail)"
        if request.uri.path.hasPrefix("/api/") {
            return DashboardResponses.json(["error": message], status: status)
        }
        return DashboardResponses.html(
            DashboardPages.message(
                title: "Cannot read the store",
                message: message,
                navigation: DashboardPages.navigation(suites: SuiteCatalog.names, current: "")
            ),
            status: status
        )
    }
}

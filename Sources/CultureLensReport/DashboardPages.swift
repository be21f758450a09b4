import CultureLensCore
import CultureLensStatistics
import Foundation

/// The HTML pages of the local dashboard (`culturelens serve`), built from the same templates and charts as the
/// report. Links are absolute paths built from constants and percent-encoded ids, never from raw data.
public enum DashboardPages {
    /// `/runs/{id}`.
    public static func runPath(_ id: String) -> String { "/runs/" + HTMLEscape.urlComponent(id) }

    /// `/suites/{name}`.
    public static func suitePath(_ name: String) -> String { "/suites/" + HTMLEscape.urlComponent(name) }

    /// The header navigation: runs, one leaderboard per suite, the JSON API.
    public static func navigation(suites: [String], current: String) -> [LinkView] {
        var links = [LinkView(href: "/", text: "Runs", current: current == "/")]
        for suite in suites {
            let path = suitePath(suite)
            links.append(LinkView(href: path, text: "Leaderboard: \(suite)", current: current == path))
        }
        links.append(LinkView(href: "/api/runs", text: "JSON API"))
        return links
    }

    /// The runs list, newest first, with a form to compare selected runs.
    public static func runs(_ runs: [ReportRun], suites: [String], navigation: [LinkView]) -> String {
        let rows = runs.enumerated().map { index, run in
            RunRowView(
                rowIndex: index,
                id: run.metadata.id,
                href: runPath(run.metadata.id),
                model: run.metadata.model,
                suite: run.metadata.suite,
                suiteHref: suitePath(run.metadata.suite),
                scoring: run.metadata.scoring,
                status: run.metadata.status,
                items: run.summary.items,
                accuracy: run.summary.accuracy.n > 0 ? HTMLReport.percent(run.summary.accuracy.value) : "—",
                ci: run.summary.accuracy.n > 0
                    ? HTMLReport.interval(run.summary.accuracy) + " (n=\(run.summary.accuracy.n))" : "—",
                label: run.label ?? "",
                created: String(run.metadata.createdAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
            )
        }
        let content = ReportTemplates.render(
            RunsListView(
                hasRuns: !runs.isEmpty,
                runRows: rows,
                suiteLinks: suites.map { LinkView(href: suitePath($0), text: $0) }
            ),
            template: "runs"
        )
        return HTMLReport.page(
            title: "CultureLens dashboard",
            heading: "Dashboard",
            lede:
                "\(runs.count) run\(runs.count == 1 ? "" : "s") in the store. Read-only; deleting and labelling runs need the bearer token printed at start-up (see docs/dashboard.md).",
            content: content,
            navigation: navigation
        )
    }

    /// Models × cultures for one suite: one row per run (best overall accuracy first), each cell the accuracy with
    /// its Wilson 95% interval and n, shaded on the viridis scale.
    public static func leaderboard(suite: String, runs: [ReportRun], navigation: [LinkView]) -> String {
        let ranked = runs.filter { $0.summary.accuracy.n > 0 }.sorted {
            $0.summary.accuracy.value != $1.summary.accuracy.value
                ? $0.summary.accuracy.value > $1.summary.accuracy.value : $0.metadata.id < $1.metadata.id
        }
        let cultures = Array(Set(ranked.flatMap { $0.summary.perCulture.filter { $0.accuracy.n > 0 }.map(\.key) }))
            .sorted { (HTMLReport.cultureName($0), $0) < (HTMLReport.cultureName($1), $1) }
        func cell(_ proportion: Proportion?) -> TableView.Cell {
            guard let proportion, proportion.n > 0 else { return TableView.Cell(text: "—", cellClass: "num") }
            let shade = Int((proportion.value * 10).rounded())
            return TableView.Cell(
                text: HTMLReport.percent(proportion.value),
                cellClass: "num h\(min(10, max(0, shade)))",
                detail: [
                    "[\(String(format: "%.0f", proportion.ciLow * 100))–\(String(format: "%.0f", proportion.ciHigh * 100))] n=\(proportion.n)"
                ]
            )
        }
        // Cultures are rows and runs columns: there are many more cultures than runs.
        let byRun = ranked.map { run in
            Dictionary(run.summary.perCulture.map { ($0.key, $0.accuracy) }, uniquingKeysWith: { first, _ in first })
        }
        func runName(_ index: Int) -> String {
            let run = ranked[index]
            var name = "\(index + 1). \(run.metadata.model) · \(run.metadata.scoring)"
            if let label = run.label, !label.isEmpty { name += " · \(label)" }
            return name
        }
        var rows: [[TableView.Cell]] = [[.row("Overall")] + ranked.map { cell($0.summary.accuracy) }]
        for culture in cultures {
            rows.append([.row(HTMLReport.cultureName(culture))] + byRun.map { cell($0[culture]) })
        }
        let board = TableView(
            caption: "Accuracy of each run of \(suite) by culture (cells: accuracy, [95% CI] and n)",
            headers: [("Culture", false)] + ranked.indices.map { (runName($0), true) },
            rows: ranked.isEmpty ? [] : rows,
            tableClass: "leaderboard"
        )
        let runLinks = ranked.indices.map {
            LinkView(href: runPath(ranked[$0].metadata.id), text: runName($0) + " (run \(ranked[$0].metadata.id))")
        }
        let content = ReportTemplates.render(
            LeaderboardView(
                explanation:
                    "One column per run, best overall accuracy first; one row per culture. Cell colour follows accuracy on the viridis scale (dark: low, yellow: high); the interval and n say how far to trust it. Failed items are not scored.",
                hasBoard: !ranked.isEmpty,
                runLinks: runLinks,
                board: board
            ),
            template: "leaderboard"
        )
        return HTMLReport.page(
            title: "Leaderboard: \(suite)",
            heading: "Leaderboard: \(suite)",
            content: content,
            navigation: navigation
        )
    }

    /// One run: the same views as the report.
    public static func run(_ run: ReportRun, navigation: [LinkView], sampleLimit: Int = 2000) -> String {
        HTMLReport(runs: [run], options: HTMLReport.Options(navigation: navigation, sampleLimit: sampleLimit)).render()
    }

    /// Several runs compared (the first is the baseline), with their views.
    public static func compare(_ runs: [ReportRun], navigation: [LinkView], sampleLimit: Int = 2000) -> String {
        HTMLReport(runs: runs, options: HTMLReport.Options(navigation: navigation, sampleLimit: sampleLimit)).render()
    }

    /// A short page with a message (not found, bad request...).
    public static func message(title: String, message: String, navigation: [LinkView]) -> String {
        HTMLReport.page(
            title: title,
            heading: title,
            content: ReportTemplates.render(
                MessageView(message: message, backLink: [LinkView(href: "/", text: "Back to the runs")]),
                template: "message"
            ),
            navigation: navigation
        )
    }
}

/// View models handed to the Mustache templates. Stored properties only (Mustache reads them through `Mirror`),
/// and no optionals (see ``ReportTemplates``).

/// A link. `href` must be built by this module from constants and ``HTMLEscape/urlComponent(_:)``.
public struct LinkView: Sendable, Hashable {
    /// Target; fragment (`#...`) or absolute path (`/...`).
    public var href: String
    /// Link text.
    public var text: String
    /// Whether it is the current page.
    public var current: Bool = false

}

struct FactView: Sendable {
    var term: String
    var value: String
    var code: Bool = false
}

/// A data table.
public struct TableView: Sendable {
    /// Column header.
    public struct Header: Sendable {
        var text: String
        var numeric: Bool
    }

    /// A cell.
    public struct Cell: Sendable {
        var text: String
        var header: Bool = false
        var cellClass: String = ""
        var link: [LinkView] = []
        var detail: [String] = []

        static func row(_ text: String) -> Cell { Cell(text: text, header: true) }
        static func number(_ text: String) -> Cell { Cell(text: text, cellClass: "num") }
        static func text(_ text: String) -> Cell { Cell(text: text) }
    }

    /// A row.
    public struct Row: Sendable {
        var cells: [Cell]
    }

    var tableClass: [String] = []
    var caption: String
    var headers: [Header]
    var rows: [Row]

    init(caption: String, headers: [(String, Bool)], rows: [[Cell]], tableClass: String? = nil) {
        self.caption = caption
        self.headers = headers.map { Header(text: $0.0, numeric: $0.1) }
        self.rows = rows.map { Row(cells: $0) }
        self.tableClass = tableClass.map { [$0] } ?? []
    }
}

struct PageView: Sendable {
    var title: String
    var heading: String
    var lede: [String]
    var css: TrustedHTML
    var metaCSP: [String]
    var version: String
    var hasNav: Bool
    var nav: [LinkView]
    var hasToc: Bool
    var toc: [LinkView]
    var content: TrustedHTML
    var footer: String
}

struct RunView: Sendable {
    var anchor: String
    var title: String
    var runLede: [String]
    var sections: [LinkView]
    var accuracy: String
    var headlineDetail: String
    var facts: [FactView]
    var hasCultures: Bool
    var cultureChart: TrustedHTML
    var cultureTable: TableView
    var map: TrustedHTML
    var unplaced: [String]
    var hasTopics: Bool
    var topicChart: TrustedHTML
    var topicTable: TableView
    var failureSummary: String
    var hasFailures: Bool
    var failureChart: TrustedHTML
    var failureTable: TableView
    var culturalMaps: [CulturalMapView]
    var preferenceFigures: [PreferencesView]
    var vsmFigures: [VSM2013View]
    var calibrationFigures: [CalibrationView]
    var cardPanels: [CardView]
    var extras: [ExtraView]
    var sampleBrowser: [SamplesView]
    var methodFacts: [FactView]
    var methodNotes: [String]
    var examplePrompt: [String]
}

struct ExtraView: Sendable {
    var extraAnchor: String
    var extraTitle: String
    var extraNote: [String]
    var hasChart: Bool
    var extraChart: TrustedHTML
    var extraTable: TableView
}

/// The Inglehart–Welzel map of a run (``HTMLReport/culturalMapView(_:anchor:title:)``).
struct CulturalMapView: Sendable {
    var mapAnchor: String
    var mapNotes: [String]
    var mapChart: TrustedHTML
    var pointTable: TableView
    var steering: [String]
    var hasPersonas: Bool
    var personaTable: TableView
}

/// The utilities and transitivity of a forced-choice run (``HTMLReport/preferencesView(_:texts:anchor:title:)``).
struct PreferencesView: Sendable {
    var preferencesAnchor: String
    var preferencesNotes: [String]
    var hasUtilities: Bool
    var utilitiesChart: TrustedHTML
    var utilitiesTable: TableView
    var transitivityTable: TableView
    var hasPersonas: Bool
    var personaTable: TableView
    var correlationTable: TableView
}

/// The robustness card of a run (``HTMLReport/cardView(_:anchor:)``).
struct CardView: Sendable {
    var cardAnchor: String
    var cardLevel: String
    var cardSummary: String
    var cardSample: String
    var hasVerdicts: Bool
    var verdictTable: TableView
    var figureTable: TableView
    var cardNotes: [String]
}

/// The reliability diagram of a run (``HTMLReport/calibrationView(_:anchor:title:)``).
struct CalibrationView: Sendable {
    var calibrationAnchor: String
    var calibrationSummary: String
    var calibrationChart: TrustedHTML
}

/// The VSM-2013 indices of a run (``HTMLReport/vsm2013View(_:anchor:title:)``).
struct VSM2013View: Sendable {
    var vsmAnchor: String
    var vsmNotes: [String]
    var hasIndices: Bool
    var vsmChart: TrustedHTML
    var indexTable: TableView
    var spreadTable: TableView
}

struct SamplesView: Sendable {
    var browserAnchor: String
    var browserNote: [String]
    var outcomeFilters: [FilterView]
    var cultureFilters: [FilterView]
    /// The rows, rendered by ``SampleView/html(_:)``.
    var itemsHTML: TrustedHTML
}

struct FilterView: Sendable {
    var group: String
    var filterClass: String
    var checked: Bool
    var label: String
    var count: Int
}

struct SampleView: Sendable {
    var classes: String
    var outcome: String
    var outcomeText: String
    var itemID: String
    var cultureText: String
    var topic: String
    var variantText: [String]
    var prompt: String
    var responseText: [String]
    var extracted: String
    var goldText: String
    var scoreText: String
    var errorText: [String]
}

struct ComparisonView: Sendable {
    var method: String
    var runsTable: TableView
    var pairs: [PairView]
}

struct PairView: Sendable {
    var pairAnchor: String
    var pairTitle: String
    var pairSummary: String
    var hasPairChart: Bool
    var pairChart: TrustedHTML
    var pairTable: TableView
}

struct RunsListView: Sendable {
    var hasRuns: Bool
    var runRows: [RunRowView]
    var suiteLinks: [LinkView]
}

struct RunRowView: Sendable {
    var rowIndex: Int
    var id: String
    var href: String
    var model: String
    var suite: String
    var suiteHref: String
    var scoring: String
    var status: String
    var items: Int
    var accuracy: String
    var ci: String
    var label: String
    var created: String
}

struct LeaderboardView: Sendable {
    var explanation: String
    var hasBoard: Bool
    var runLinks: [LinkView]
    var board: TableView
}

struct MessageView: Sendable {
    var message: String
    var backLink: [LinkView]
}

import CultureLensAnalysis
import CultureLensCore
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// The value-system figures: the Inglehart–Welzel map and the utilities with their transitivity summary, as
/// golden fragments, in a whole report, and from the store.
struct ValueFigureTests {
    static let mapRun = Result { try ValueFixtures.culturalMapRun() }
    static let preferencesRun = Result { try ValueFixtures.preferencesRun() }

    /// Every circle of an SVG tree with its position after the groups' translations, and the classes around it.
    static func circles(_ nodes: [SVGNode], offset: SVGPoint = SVGPoint(x: 0, y: 0), classes: [String] = [])
        -> [(x: Double, y: Double, classes: [String])]
    {
        nodes.flatMap { node -> [(x: Double, y: Double, classes: [String])] in
            switch node {
            case .circle(let cx, let cy, _, _): [(offset.x + cx, offset.y + cy, classes)]
            case .group(let children, _, let cssClass, let translate):
                circles(
                    children,
                    offset: SVGPoint(x: offset.x + (translate?.x ?? 0), y: offset.y + (translate?.y ?? 0)),
                    classes: classes + [cssClass].compactMap { $0 }
                )
            default: []
            }
        }
    }

    /// Arrowheads (polygons) drawn for persona points.
    static func arrowheads(_ nodes: [SVGNode], inPersona: Bool = false) -> Int {
        nodes.reduce(0) { count, node in
            switch node {
            case .polygon: count + (inPersona ? 1 : 0)
            case .group(let children, _, let cssClass, _):
                count + arrowheads(children, inPersona: inPersona || cssClass == "persona")
            default: count
            }
        }
    }

    static func groups(_ nodes: [SVGNode], class name: String) -> Int {
        nodes.reduce(0) { count, node in
            guard case .group(let children, _, let cssClass, _) = node else { return count }
            return count + (cssClass == name ? 1 : 0) + groups(children, class: name)
        }
    }

    @Test func fixturesComeFromTheAnalysis() throws {
        let map = try #require(try Self.mapRun.get().culturalMap)
        let model = try #require(map.unprompted?.model)
        #expect(model.n == 9)  // variant 9's a008 is unparseable
        #expect(model.ciLow != nil && model.ciHigh != nil)
        let personas = try #require(map.personas)
        #expect(personas.map(\.country) == ["Japan", "Sweden", "Nigeria"])
        #expect(personas[0].placement.model != nil && personas[1].placement.model != nil)
        #expect(personas[2].placement.model == nil)
        #expect(map.steering?.n == 2)
        let preferences = try #require(try Self.preferencesRun.get().preferences)
        #expect(preferences.utilities.first?.id == "family")
        #expect(preferences.utilities.last?.id == "power")
        #expect(preferences.unanswered == 2)
        #expect(preferences.heldOut != nil)
        // Both sections are typed, not rendered generically as extras.
        #expect(try Self.mapRun.get().extras["cultural_map"] == nil)
        #expect(try Self.preferencesRun.get().extras["preferences"] == nil)
    }

    @Test func culturalMapFragment() throws {
        let map = try #require(try Self.mapRun.get().culturalMap)
        let view = HTMLReport.culturalMapView(map, anchor: "run-1-cultural-map", title: "Inglehart–Welzel map")
        let html = ReportTemplates.render(view, template: "culturalMap")
        try Golden.check(html, "fragment-cultural-map.html")
        HostileContentTests.assertInert(html)
        #expect(html.contains("Cultural prompting moved the model&#39;s point closer to the country for"))
        #expect(html.contains("n = 2"))
        #expect(html.contains("Nigeria: no prompted point (not placeable"))
    }

    @Test func preferencesFragment() throws {
        let run = try Self.preferencesRun.get()
        let report = try #require(run.preferences)
        let view = HTMLReport.preferencesView(
            report,
            texts: run.optionTexts,
            anchor: "run-1-preferences",
            title: "Utilities"
        )
        let html = ReportTemplates.render(view, template: "preferences")
        try Golden.check(html, "fragment-preferences.html")
        HostileContentTests.assertInert(html)
        // Options are labelled with their texts (from the samples here); the option the model never chose has no
        // text there, and is labelled by id with a note saying so.
        #expect(html.contains("Outcome 1: more family for everyone"))
        #expect(html.contains("1 option is labelled by id"))
        #expect(html.contains("– (text not recorded)"))
        #expect(html.contains("Triads without a cycle"))
        #expect(html.contains("Unanswered presentations"))
    }

    @Test func mapPointsLieInsideThePlotArea() throws {
        let map = try #require(try Self.mapRun.get().culturalMap)
        let svg = Charts.culturalMap(map, title: "map")
        let circles = Self.circles(svg.nodes)
        // 107 countries, the model, two prompted points and their two rings.
        #expect(circles.count == 107 + 1 + 2 + 2)
        for circle in circles {
            #expect(Charts.MapFrame.contains(x: circle.x, y: circle.y), "\(circle.classes) at \(circle.x),\(circle.y)")
        }
        #expect(Self.groups(svg.nodes, class: "model") == 1)
        #expect(Self.groups(svg.nodes, class: "persona") == 2)  // Nigeria has no point and is not drawn
        #expect(Self.arrowheads(svg.nodes) == 2)
        #expect(Self.groups(svg.nodes, class: "country") == 107)
        // Higher y on the map is higher on the page (smaller SVG y), higher x further right.
        let countries = InglehartWelzelMap.countries
        let byName = Dictionary(
            uniqueKeysWithValues: zip(countries.map(\.name), circles.filter { $0.classes.contains("country") })
        )
        func drawn(_ country: InglehartWelzelMap.Country?) -> (x: Double, y: Double)? {
            country.flatMap { byName[$0.name] }.map { ($0.x, $0.y) }
        }
        let secular = try #require(drawn(countries.max { $0.y < $1.y }))
        let traditional = try #require(drawn(countries.min { $0.y < $1.y }))
        #expect(secular.y < traditional.y)
        let expressive = try #require(drawn(countries.max { $0.x < $1.x }))
        let survival = try #require(drawn(countries.min { $0.x < $1.x }))
        #expect(expressive.x > survival.x)
    }

    @Test func anUnplaceableModelDrawsNoPoint() throws {
        let run = try ValueFixtures.culturalMapRun(
            id: "iw00000000000002",
            countries: ["Japan"],
            silent: [],
            unplaceable: true
        )
        let map = try #require(run.culturalMap)
        #expect(map.unprompted?.model == nil)
        let svg = Charts.culturalMap(map, title: "map")
        #expect(Self.groups(svg.nodes, class: "model") == 0)
        // The persona is drawn without an arrow (no unprompted point to start from).
        #expect(Self.groups(svg.nodes, class: "persona") == 1)
        #expect(Self.arrowheads(svg.nodes) == 0)
        #expect(Self.circles(svg.nodes).count == 107 + 2)
        for circle in Self.circles(svg.nodes) {
            #expect(Charts.MapFrame.contains(x: circle.x, y: circle.y))
        }
        let html = HTMLReport(runs: [run]).render()
        HostileContentTests.assertInert(html)
        #expect(
            html.contains(
                "The model could not be placed on the map and no point is drawn for it: not placeable: no descriptor variant has a value for all ten items."
            )
        )
        #expect(html.contains("Japan: no unprompted point to compare with"))
        #expect(!html.contains("model (n="))
    }

    @Test func wholeReportWithValueFigures() throws {
        let map = try Self.mapRun.get()
        let preferences = try Self.preferencesRun.get()
        let html = HTMLReport(runs: [map, preferences]).render()
        HostileContentTests.assertInert(html)
        for id in ["run-1-cultural-map", "run-2-preferences"] {
            #expect(html.contains("id=\"\(id)\""), "missing #\(id)")
            #expect(html.contains("href=\"#\(id)\""), "no link to #\(id)")
        }
        #expect(html.contains("class=\"chart cultural-map\""))
        #expect(html.contains("class=\"chart utilities\""))
        // Not also rendered generically.
        #expect(!html.contains(">Cultural map</h3>"))
        #expect(!html.contains(">Preferences</h3>"))
        #expect(html == HTMLReport(runs: [map, preferences]).render())
    }

    @Test func storedRunsGiveTheFiguresOfTheirResultsFiles() throws {
        let (mapSuite, mapResults) = ValueFixtures.culturalMapResults()
        let fromStore = ReportRun(
            run: ValueFixtures.record(suite: mapSuite, id: "iw00000000000001", model: "tiny-model", scoring: .generate),
            results: mapResults
        )
        #expect(fromStore.culturalMap == (try Self.mapRun.get().culturalMap))
        let (preferenceSuite, preferenceResults) = ValueFixtures.preferencesResults()
        let storedPreferences = ReportRun(
            run: ValueFixtures.record(
                suite: preferenceSuite,
                id: "pf00000000000001",
                model: "tiny-model",
                scoring: .logprobs
            ),
            results: preferenceResults
        )
        #expect(storedPreferences.preferences == (try Self.preferencesRun.get().preferences))
        // Answers under a persona country (`japan/first|second`) do not turn into options named `japan/first`.
        let persona = preferenceResults.enumerated().map { offset, result in
            var copy = result
            copy.itemID = "japan/" + result.itemID
            copy.itemIndex = preferenceResults.count + offset
            return copy
        }
        let withPersona = ReportRun(
            run: ValueFixtures.record(
                suite: preferenceSuite,
                id: "pf00000000000001",
                model: "tiny-model",
                scoring: .logprobs
            ),
            results: preferenceResults + persona
        )
        // They are the persona's own utilities, beside the plain ones.
        #expect(withPersona.preferences?.utilities == storedPreferences.preferences?.utilities)
        #expect(withPersona.preferences?.personas?.countries.map(\.country) == ["Japan"])
        #expect(withPersona.preferences?.personas?.correlations.first?.n == 7)
        let personaHTML = HTMLReport(runs: [withPersona]).render()
        #expect(personaHTML.contains("Cultural prompting: utilities per persona country"))
        #expect(personaHTML.contains("model as itself ~ Japan"))
        #expect(!HTMLReport(runs: [storedPreferences]).render().contains("utilities per persona country"))
        // A stored vsm-2013 run (the questionnaire is not stored) gives the indices of its results file.
        let (vsmSuite, vsmResults) = ValueFixtures.vsm2013Results()
        let storedVSM = ReportRun(
            run: ValueFixtures.record(suite: vsmSuite, id: "vs00000000000001", model: "tiny-model", scoring: .logprobs),
            results: vsmResults
        )
        let written = try ValueFixtures.readBack(
            suite: vsmSuite,
            results: vsmResults,
            id: "vs00000000000001",
            model: "tiny-model",
            scoring: .logprobs
        )
        #expect(storedVSM.vsm2013 != nil && storedVSM.vsm2013 == written.vsm2013)
        // A starter run has neither.
        let starter = ReportRun(run: Fixtures.record(id: "s", model: "m"), results: [])
        #expect(starter.culturalMap == nil && starter.preferences == nil)
    }

    @Test func vsm2013FigureShowsIndicesPerProfileAndTheSpread() throws {
        let hostile = "<script>alert(7)</script>"
        let (suite, results) = ValueFixtures.vsm2013Results(persona: hostile)
        let run = try ValueFixtures.readBack(
            suite: suite,
            results: results,
            id: "vs00000000000001",
            model: "tiny-model",
            scoring: .logprobs
        )
        let analysis = try #require(run.vsm2013)
        // PDI = 35(m07 − m02) + …: −70 in the questionnaire's order, +70 reversed; t interval over six variants,
        // one of which lost an item.
        let pdi = try #require(analysis.unprompted?.indices.first { $0.index == .pdi })
        #expect(pdi.n == 5 && pdi.ciLow != nil)
        let html = HTMLReport(runs: [run]).render()
        HostileContentTests.assertInert(html)
        #expect(html.contains("id=\"run-1-vsm2013\"") && html.contains("href=\"#run-1-vsm2013\""))
        #expect(html.contains("class=\"chart vsm2013\""))
        #expect(html.contains("Presentation format against country"))
        #expect(html.contains("parse_failure: 1"))
        #expect(!html.contains(hostile) && html.contains("&lt;script&gt;alert(7)&lt;/script&gt;"))
        // Not also dumped as a generic section.
        #expect(!html.contains(">Vsm 2013</h3>") && run.extras["vsm_2013"] == nil)
        let svg = Charts.vsm2013(analysis, title: "t").render()
        // Six indices × two profiles.
        #expect(svg.components(separatedBy: "<g class=\"row\"").count - 1 == 12)
        #expect(svg.contains("PDI · model as itself"))
    }
}

import CultureLensCore
import CultureLensDatasets
import Testing

struct StarterSuiteTests {
    let suite = StarterSuite.suite

    @Test func hasEnoughItemsOfEachKind() {
        let questions = suite.items.filter { $0.kind == .multipleChoice }
        let stories = suite.items.filter { $0.kind == .judgement }
        #expect(suite.items.count >= 80)
        #expect(questions.count >= 60)
        #expect(stories.count >= 20)
        #expect(questions.allSatisfy { $0.choices.count == 4 && Set($0.choices).count == 4 && $0.gold.count == 1 })
        #expect(Set(suite.items.map(\.id)).count == suite.items.count)
    }

    @Test func coversFifteenCountriesOnFiveContinents() throws {
        let questions = suite.items.filter { $0.kind == .multipleChoice }
        let cultures = try Set(questions.map(\.culture)).map { try #require(CultureCatalog.culture(for: $0)) }
        #expect(cultures.count >= 15)
        #expect(Set(cultures.map(\.region.continent)).count >= 5)
        let topics = Set(questions.map(\.topic))
        #expect(topics == ["food", "greetings", "festivals", "etiquette", "family", "sport"])
    }

    @Test func answerPositionsAreBalanced() {
        let questions = suite.items.filter { $0.kind == .multipleChoice }
        let counts = Dictionary(grouping: questions, by: { $0.gold[0] }).mapValues(\.count)
        #expect(counts.count == 4)
        let expected = questions.count / 4
        #expect(counts.values.allSatisfy { abs($0 - expected) <= 1 })
        let stories = suite.items.filter { $0.kind == .judgement }
        let labels = Dictionary(grouping: stories, by: { $0.gold[0] }).mapValues(\.count)
        #expect(labels.count == 3 && labels.values.allSatisfy { $0 >= 6 })
    }

    @Test func everyItemCarriesItsFactAndAKnownCulture() {
        for item in suite.items {
            #expect(!(item.provenance.note ?? "").isEmpty, "\(item.id) has no note")
            #expect(CultureCatalog.culture(for: item.culture) != nil, "\(item.id): unknown culture \(item.culture)")
        }
    }

    @Test func catalogResolvesCodesNamesAndRegions() throws {
        #expect(CultureCatalog.culture(for: "jp")?.name == "Japan")
        #expect(CultureCatalog.culture(for: "UK")?.code == "GB")
        #expect(CultureCatalog.culture(for: "West_Java")?.code == "ID-JB")
        let assam = try #require(CultureCatalog.culture(for: "Assam"))
        #expect(assam.country == "IN" && assam.isSubnational)
        #expect(CultureCatalog.culture(for: "Atlantis") == nil)
        #expect(CultureCatalog.all.map(\.code) == CultureCatalog.all.map(\.code).sorted())
    }

    @Test func specHashIsStableAndContentSensitive() {
        #expect(suite.specHash == StarterSuite.suite.specHash)
        var changed = suite
        changed.items[0].stem += "?"
        #expect(changed.specHash != suite.specHash)
    }
}

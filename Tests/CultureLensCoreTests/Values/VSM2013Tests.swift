import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensReport
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// The `vsm-2013` suite (loading, variants, personas, answer codes) and its indices (per variant, t intervals over
/// variants, format against country spread).
@Suite struct VSM2013Tests {
    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vsm-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// 24 rows written for the test in the questionnaire's schema (not its text).
    static func fixture(rows: Int = 24, options: String = #""[""one"", ""two"", ""three"", ""four"", ""five""]""#)
        -> String
    {
        "question,options\n" + (1...rows).map { "Test question \($0),\(options)" }.joined(separator: "\n") + "\n"
    }

    @Test(.requiresTestData("vsm2013")) func theQuestionnaireGivesSixVariantsOfTwentyFourItems() throws {
        let questions = try VSM2013Suite.questions(contentsOf: TestData.url("vsm2013"))
        #expect(questions.count == 24 && questions.allSatisfy { $0.options.count == 5 })
        let suite = VSM2013Suite.suite(questions: questions, source: "test")
        #expect(suite.items.count == 144)
        #expect(suite.items.prefix(24).allSatisfy { $0.metadata[VSM2013Suite.variantKey] == "p0-asc" })
        #expect(suite.items[0].id == "p0-asc-m01" && suite.items[24].id == "p0-desc-m01")
        #expect(suite.items[24].choices == questions[0].options.reversed())
        #expect(Set(suite.items.map(\.id)).count == 144)
        // Three wordings, each the item's own template.
        #expect(Set(suite.items.compactMap { $0.promptTemplate?.text }).count == 3)
    }

    @Test func answerCodesFollowTheQuestionnaireWhateverTheOrderShown() throws {
        let questions = try VSM2013Suite.questions(contentsOf: try Self.write(Self.fixture()))
        let suite = VSM2013Suite.suite(questions: questions, source: "test")
        let ascending = try #require(suite.items.first { $0.id == "p1-asc-m03" })
        let descending = try #require(suite.items.first { $0.id == "p1-desc-m03" })
        #expect(VSM2013Suite.answerValue(item: ascending, choice: 0) == 1)
        #expect(VSM2013Suite.answerValue(item: descending, choice: 0) == 5)
        #expect(descending.choices[0] == "five" && VSM2013Suite.answerValue(item: descending, choice: 4) == 1)
        #expect(VSM2013Suite.answerValue(item: ascending, choice: 5) == nil)
        // The rendered prompt lists the options in the item's order under letters.
        let prompt = PromptBuilder().render(descending)
        #expect(prompt.text.contains("A. five\nB. four"), "\(prompt.text)")
    }

    @Test func personasCopyEveryItemWithASystemMessage() throws {
        let questions = try VSM2013Suite.questions(contentsOf: try Self.write(Self.fixture()))
        let suite = VSM2013Suite.suite(questions: questions, countries: ["Japan", "Taiwan ROC"], source: "test")
        #expect(suite.items.count == 144 * 3)
        let persona = try #require(suite.items.first { $0.id == "taiwan-roc/p2-desc-m24" })
        #expect(persona.metadata[VSM2013Suite.countryKey] == "Taiwan ROC")
        let rendered = PromptBuilder().render(persona)
        #expect(rendered.context?.first == .system(VSM2013Suite.personaSystem("Taiwan ROC")))
        #expect(VSM2013Suite.personaSystem("Japan").contains("born in Japan and living in Japan"))
        #expect(suite.items.first { $0.id == "japan/p0-asc-m01" }?.culture == "JP")
    }

    @Test(arguments: [
        (fixture(rows: 23), nil as Int?, nil as String?, "found 23"),
        (fixture(options: #""[""one"", ""two""]""#), 2, "options", "five non-empty answer texts"),
        (fixture(options: "not json"), 2, "options", "not a JSON list"),
        ("question,answers\nq,\"[]\"\n", nil, "options", "missing"),
        ("question,options\n  ,\"[\"\"a\"\",\"\"b\"\",\"\"c\"\",\"\"d\"\",\"\"e\"\"]\"\n", 2, "question", "empty"),
    ])
    func badQuestionnairesNameFileLineAndField(text: String, line: Int?, field: String?, message: String) throws {
        let url = try Self.write(text)
        do {
            _ = try VSM2013Suite.questions(contentsOf: url)
            Issue.record("no error for \(text.prefix(40))")
        } catch {
            #expect(error.file == url.path)
            if let line { #expect(error.line == line) }
            if let field { #expect(error.field == field) }
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// Codes planted per item: every variant gives the same item means, so each variant's indices are those of the
    /// formulas and the interval has width 0.
    static func planted(_ code: (Int) -> Double, variants: [String], country: String? = nil)
        -> [VSM2013Analysis.Observation]
    {
        variants.flatMap { variant in
            (1...24).map {
                VSM2013Analysis.Observation(item: $0, variant: variant, country: country, value: code($0), reason: nil)
            }
        }
    }

    @Test func indicesPerVariantWithATIntervalOverVariants() throws {
        let variants = VSM2013Suite.variants.map(\.id)
        let code: (Int) -> Double = { Double($0 % 5 + 1) }
        var observations = Self.planted(code, variants: Array(variants.prefix(5)))
        // The last variant answers item 7 one higher: its PDI moves by 35.
        observations += Self.planted({ $0 == 7 ? code(7) + 1 : code($0) }, variants: [variants[5]])
        let analysis = try #require(VSM2013Analysis(observations))
        let profile = try #require(analysis.unprompted)
        let expected = try VSM2013.indices(itemMeans: (1...24).map(code))
        let pdi = try #require(profile.indices.first { $0.index == .pdi })
        #expect(pdi.n == 6)
        let values = Array(repeating: expected.pdi, count: 5) + [expected.pdi + 35]
        let interval = try StudentT.meanInterval(values)
        #expect(abs((pdi.mean ?? .nan) - interval.estimate) < 1e-9)
        #expect(abs((pdi.ciLow ?? .nan) - interval.low) < 1e-9 && abs((pdi.ciHigh ?? .nan) - interval.high) < 1e-9)
        let idv = try #require(profile.indices.first { $0.index == .idv })
        #expect(idv.mean == expected.idv && idv.ciLow == expected.idv && idv.formatSpread == 0)
        #expect(profile.unanswered.isEmpty && profile.answers == 144)
    }

    @Test func aVariantMissingAnItemHasNoIndicesAndTheGapIsCounted() throws {
        var observations = Self.planted({ _ in 3 }, variants: ["p0-asc", "p0-desc"])
        observations[30] = VSM2013Analysis.Observation(
            item: 7,
            variant: "p0-desc",
            country: nil,
            value: nil,
            reason: "parse_failure"
        )
        let profile = try #require(VSM2013Analysis(observations)?.unprompted)
        #expect(profile.variants.map(\.variant) == ["p0-asc", "p0-desc"])
        #expect(profile.variants[1].indices == nil && profile.variants[1].missing == [7])
        #expect(profile.indices.allSatisfy { $0.n == 1 && $0.ciLow == nil && $0.mean == 0 })
        #expect(profile.unanswered.map { "\($0.reason) \($0.count)" } == ["parse_failure 1"])
        let none = try #require(VSM2013Analysis(Self.planted({ _ in 3 }, variants: ["p0-asc"]).dropLast())?.unprompted)
        #expect(none.note == "no variant has an answer to all 24 items")
        #expect(none.indices.allSatisfy { $0.mean == nil && $0.n == 0 })
    }

    @Test func formatSpreadIsPooledAndCountrySpreadIsOverPersonas() throws {
        let variants = ["p0-asc", "p0-desc"]
        // Item 2 (PDI's −35·m02): the model answers 1 and 3 in the two variants; Japan 2 and 2; Germany 4 and 4.
        func answers(_ codes: [Double], country: String?) -> [VSM2013Analysis.Observation] {
            zip(variants, codes).flatMap { variant, code in
                Self.planted({ $0 == 2 ? code : 3 }, variants: [variant], country: country)
            }
        }
        let observations =
            answers([1, 3], country: nil) + answers([2, 2], country: "Japan") + answers([4, 4], country: "Germany")
        let analysis = try #require(VSM2013Analysis(observations, personas: ["Japan", "Germany", "Chile"]))
        #expect(analysis.personas?.map { $0.country ?? "" } == ["Japan", "Germany", "Chile"])
        #expect(analysis.personas?.last?.note == "no answers")
        let pdi = try #require(analysis.spread.first { $0.index == .pdi })
        // Variant PDIs: model −35·1 and −35·3 → SD 35·√2; Japan and Germany SD 0; pooled √((2450 + 0 + 0)/3).
        #expect(pdi.profiles == 3 && abs((pdi.formatSpread ?? 0) - (2450.0 / 3).squareRoot()) < 1e-9)
        // Country means −70 and −140 → SD 35·√2.
        #expect(pdi.countries == 2 && abs((pdi.countrySpread ?? 0) - 35 * 2.0.squareRoot()) < 1e-9)
        #expect(abs((pdi.ratio ?? 0) - (2450.0 / 3).squareRoot() / (35 * 2.0.squareRoot())) < 1e-9)
        let idv = try #require(analysis.spread.first { $0.index == .idv })
        #expect(idv.formatSpread == 0 && idv.countrySpread == 0 && idv.ratio == nil)
    }

    @Test func reportCodesLogprobsAsExpectedAnswersAndCountsFailures() throws {
        let questions = try VSM2013Suite.questions(contentsOf: try Self.write(Self.fixture()))
        let suite = VSM2013Suite.suite(questions: questions, source: "test").prefix(48)
        let item = suite.items[24]  // p0-desc-m01: option 0 is code 5
        var results = suite.items.enumerated().map { index, item in
            var result = ItemResult.answer(runID: "r", item: item, index: index, response: nil)
            result.distribution = [0.5, 0.5, 0, 0, 0]
            result.predicted = 0
            return result
        }
        results[1].failure = .serverError
        let analysis = try #require(RunReport.vsm2013(suite: suite, results: results))
        let profile = try #require(analysis.unprompted)
        #expect(profile.unanswered.map { "\($0.reason) \($0.count)" } == ["http_5xx 1"])
        #expect(item.metadata[VSM2013Suite.orderKey] == "desc")
        // Ascending: 0.5·1 + 0.5·2 = 1.5 for every item but m02; descending: 0.5·5 + 0.5·4 = 4.5.
        #expect(profile.variants[0].indices == nil && profile.variants[0].missing == [2])
        #expect(profile.variants[1].indices == .zero)
    }
}

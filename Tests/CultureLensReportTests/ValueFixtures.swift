import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
import CultureLensTesting
import Foundation

@testable import CultureLensReport

/// Runs with value figures, computed by the real analysis code from small synthetic answers: an `inglehart-welzel`
/// run with cultural prompting, one whose model cannot be placed, and a forced-choice run; each written by
/// `RunReport` and read back with `ReportRun`, as `culturelens report` reads a run directory.
enum ValueFixtures {
    /// Answer texts per item code that score: `shift` moves the values along the map (0: as below; larger: more
    /// secular and self-expressive).
    static func answer(_ code: String, variant: Int, shift: Int) -> String {
        switch code {
        case "a008": "\(1 + (variant + shift) % 3)"
        case "a165": variant % 2 == 0 ? "A" : "B. Need to be very careful"
        case "e018": "I would say \(1 + (variant + shift) % 3)"
        case "e025": shift > 0 ? "A" : "B"
        case "f063": "\(max(1, 9 - shift - variant % 4))/10"
        case "f118": "\(min(10, 3 + shift + variant % 3))"
        case "f120": "\(min(10, 2 + shift + variant % 4))"
        case "g006": "\(1 + variant % 4)"
        case "y002": shift > 0 ? "2, 4" : "1 and 3"
        default: shift > 0 ? "Independence, determination" : "Religious faith, obedience, hard work"
        }
    }

    /// An `inglehart-welzel` run over `countries` personas. The plain answers leave variant 9's a008 unparseable
    /// (so n = 9); `silent` personas answer nothing scorable.
    static func culturalMapRun(
        id: String = "iw00000000000001",
        model: String = "tiny-model",
        countries: [String] = ["Japan", "Sweden", "Nigeria"],
        silent: Set<String> = ["Nigeria"],
        unplaceable: Bool = false,
        hostile: String? = nil
    ) throws -> ReportRun {
        let (suite, results) = culturalMapResults(
            id: id,
            countries: countries,
            silent: silent,
            unplaceable: unplaceable,
            hostile: hostile
        )
        return try readBack(suite: suite, results: results, id: id, model: model, scoring: .generate)
    }

    /// The suite and results of ``culturalMapRun(id:model:countries:silent:unplaceable:hostile:)``.
    static func culturalMapResults(
        id: String = "iw00000000000001",
        countries: [String] = ["Japan", "Sweden", "Nigeria"],
        silent: Set<String> = ["Nigeria"],
        unplaceable: Bool = false,
        hostile: String? = nil
    ) -> (Suite, [ItemResult]) {
        let suite = countries.isEmpty ? InglehartWelzelSuite.suite : InglehartWelzelSuite.steered(countries: countries)
        let results = suite.items.enumerated().map { index, item in
            let code = item.metadata[InglehartWelzelSuite.itemKey] ?? ""
            let variant = Int(item.metadata[InglehartWelzelSuite.variantKey]?.dropFirst() ?? "0") ?? 0
            let country = item.metadata[InglehartWelzelSuite.countryKey]
            var response = answer(code, variant: variant, shift: country == nil ? 0 : country == "Japan" ? 4 : 2)
            if country == nil, unplaceable || (variant == 9 && code == "a008") { response = "I cannot say." }
            if let country, silent.contains(country) { response = hostile ?? "No comment." }
            return ItemResult.answer(runID: id, item: item, index: index, response: response)
        }
        return (suite, results)
    }

    /// Planted utilities of the forced-choice fixture's options, highest first.
    static let planted: [Double] = [1.6, 1.0, 0.4, 0.1, -0.3, -1.1, -1.7]

    /// A `preferences-jsonl` run over seven options (every pair, both orders) answered by logprobs from planted
    /// utilities, with a pull toward Option A and two failed presentations. `hostile` becomes the text of the first
    /// option and the id of the last.
    static func preferencesRun(id: String = "pf00000000000001", hostile: String? = nil) throws -> ReportRun {
        let (suite, results) = preferencesResults(id: id, hostile: hostile)
        return try readBack(suite: suite, results: results, id: id, model: "tiny-model", scoring: .logprobs)
    }

    /// The suite and results of ``preferencesRun(id:hostile:)``.
    static func preferencesResults(id: String = "pf00000000000001", hostile: String? = nil) -> (Suite, [ItemResult]) {
        let ids = ["family", "faith", "nature", "order", "wealth", "fame", "power"]
        var options = ids.enumerated().map { index, id in
            PreferenceSuite.Option(id: id, text: "Outcome \(index + 1): more \(id) for everyone", group: "test")
        }
        if let hostile {
            options[0].text = hostile
            options[6].id = String(hostile.prefix(40)).replacingOccurrences(of: "|", with: "/")
        }
        let suite = PreferenceSuite.suite(
            name: PreferenceSuite.userSuiteName,
            title: "Synthetic preferences",
            source: "test",
            licence: "CC0-1.0",
            options: options,
            degree: nil
        )
        let utility = Dictionary(uniqueKeysWithValues: zip(options.map(\.id), planted))
        let results = suite.items.enumerated().map { index, item in
            let first = utility[item.metadata["first"] ?? ""] ?? 0
            let second = utility[item.metadata["second"] ?? ""] ?? 0
            let p = min(0.98, max(0.02, NormalDistribution.cdf(first - second) + 0.04))
            var result = ItemResult.answer(runID: id, item: item, index: index, response: nil)
            if index == 3 || index == 17 {
                result.failure = .serverError
            } else {
                result.distribution = [p, 1 - p]
                result.predicted = p >= 0.5 ? 0 : 1
            }
            return result
        }
        return (suite, results)
    }

    /// A `vsm-2013` run over a questionnaire written for the tests, with a persona country whose name is hostile
    /// text: codes planted per item (item 7 answered 1 in the questionnaire's order and 5 reversed, so PDI moves
    /// with the option order), one answer failed.
    static func vsm2013Results(id: String = "vs00000000000001", persona: String = "Japan") -> (Suite, [ItemResult]) {
        let questions = (1...24).map {
            VSM2013Suite.Question(text: "Test question \($0)", options: ["one", "two", "three", "four", "five"])
        }
        let suite = VSM2013Suite.suite(questions: questions, countries: [persona], source: "test")
        let results = suite.items.enumerated().map { index, item in
            var result = ItemResult.answer(runID: id, item: item, index: index, response: nil)
            let number = Int(item.metadata[VSM2013Suite.itemKey] ?? "") ?? 0
            let shift = item.metadata[VSM2013Suite.countryKey] == nil ? 0 : 1
            // The letter shown first for item 7, else the middle option (plus one for the persona).
            let choice = number == 7 ? 0 : 2 + shift
            if index == 30 {
                result.failure = .parseFailure
            } else {
                result.predicted = choice
                result.distribution = (0..<5).map { $0 == choice ? 1 : 0 }
            }
            return result
        }
        return (suite, results)
    }

    /// The record of a run of `suite`.
    static func record(suite: Suite, id: String, model: String, scoring: ScoringMode) -> RunRecord {
        var record = Fixtures.record(id: id, model: model, scoring: scoring)
        record.suite = suite.name
        record.suiteVersion = suite.version
        record.specHash = suite.specHash
        record.itemCount = suite.items.count
        return record
    }

    /// The run as `culturelens report` reads it: `RunReport` computes the value figures and writes both files.
    static func readBack(
        suite: Suite,
        results: [ItemResult],
        id: String,
        model: String,
        scoring: ScoringMode
    ) throws -> ReportRun {
        let record = record(suite: suite, id: id, model: model, scoring: scoring)
        var report = RunReport(run: record, suite: suite, results: results, settings: ["seed": "7"])
        report.analyseValues(suite: suite, results: results)
        var run = try ReportRun.decodeResults(try report.resultsJSON())
        run.samples = try ReportRun.decodeSamples(try report.samplesJSONL())
        return run
    }
}

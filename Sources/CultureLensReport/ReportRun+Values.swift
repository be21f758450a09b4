import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import Foundation

extension ReportRun {
    /// The suite over which a stored run's value figures are computed, `nil` for suites without value items.
    ///
    /// The store keeps results, not the suite, so it is rebuilt from what the results name: for `inglehart-welzel`,
    /// the built-in items plus the persona countries whose items (`{country}/v{k}-{code}`) have results, in the
    /// order first answered; for a built-in forced-choice suite, its items that have results (a `--limit` run asked
    /// only those, and its `results.json` analysed only those); for `preferences-jsonl`, whose options live in the
    /// user's file, one forced choice per `first|second` item id, options in the order they first appear (ids
    /// `{country}/…` of a persona country are left out).
    static func valueSuite(_ name: String, results: [ItemResult]) -> Suite? {
        let ordered = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }
        if name == InglehartWelzelSuite.name {
            let bySlug = Dictionary(
                InglehartWelzelMap.countries.map { (InglehartWelzelSuite.countrySlug($0.name), $0.name) },
                uniquingKeysWith: { first, _ in first }
            )
            var countries: [String] = []
            for result in ordered {
                guard let slash = result.itemID.firstIndex(of: "/"),
                    let country = bySlug[String(result.itemID[..<slash])], !countries.contains(country)
                else { continue }
                countries.append(country)
            }
            return countries.isEmpty ? InglehartWelzelSuite.suite : InglehartWelzelSuite.steered(countries: countries)
        }
        let answered = Set(results.map(\.itemID))
        if var builtIn = SuiteCatalog.suite(named: name), builtIn.items.contains(where: PreferenceSuite.isPreference) {
            builtIn.items = builtIn.items.filter { answered.contains($0.id) }
            return builtIn
        }
        guard name == PreferenceSuite.userSuiteName else { return nil }
        // Ids `{country}/…` (the slug of a map country) are not plain forced choices: they are left out rather than
        // read as options named `{country}/…`.
        let personaPrefixes = Set(InglehartWelzelMap.countries.map { InglehartWelzelSuite.countrySlug($0.name) + "/" })
        var seen: Set<String> = []
        var items: [Item] = []
        for result in ordered where seen.insert(result.itemID).inserted {
            if let slash = result.itemID.firstIndex(of: "/"),
                personaPrefixes.contains(String(result.itemID[...slash]))
            {
                continue
            }
            let parts = result.itemID.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            items.append(
                Item(
                    id: result.itemID,
                    kind: .multipleChoice,
                    stem: PreferenceSuite.stem,
                    choices: [],
                    gold: [],
                    culture: result.culture,
                    topic: result.topic,
                    provenance: Provenance(source: name, licence: "not recorded"),
                    metadata: ["task": PreferenceSuite.task, "first": String(parts[0]), "second": String(parts[1])]
                )
            )
        }
        return Suite(name: name, title: name, version: "", source: name, licence: "not recorded", items: items)
    }

    /// Option texts by option id for the utilities chart: from the built-in suite's forced choices, then from the
    /// samples (a `first|second` item whose answer chose option A or B names that option's text). Options found in
    /// neither are labelled by id.
    var optionTexts: [String: String] {
        var texts: [String: String] = [:]
        for item in Self.builtInItems(suite: metadata.suite).values.sorted(by: { $0.id < $1.id })
        where PreferenceSuite.isPreference(item) && item.choices.count == 2 {
            for (key, text) in zip(["first", "second"], item.choices) {
                if let id = item.metadata[key], texts[id] == nil { texts[id] = text }
            }
        }
        for sample in samples {
            guard let predicted = sample.predicted, let text = sample.predictedChoice, predicted == 0 || predicted == 1
            else { continue }
            let parts = sample.itemID.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let id = String(parts[predicted])
            if texts[id] == nil { texts[id] = text }
        }
        return texts
    }
}

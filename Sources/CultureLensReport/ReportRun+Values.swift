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
    /// only those, and its `results.json` analysed only those), persona copies included; for `preferences-jsonl`,
    /// whose options live in the user's file, one forced choice per `first|second` item id, options in the order
    /// they first appear, and the persona copies (`{country}/…`) of map countries; for `vsm-2013`, items rebuilt
    /// from their ids (``vsm2013Suite(_:personas:)``).
    static func valueSuite(_ name: String, results: [ItemResult]) -> Suite? {
        let ordered = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }
        if name == InglehartWelzelSuite.name {
            let countries = personaCountries(ordered)
            return countries.isEmpty ? InglehartWelzelSuite.suite : InglehartWelzelSuite.steered(countries: countries)
        }
        let answered = Set(results.map(\.itemID))
        let personas = personaCountries(ordered)
        if name == VSM2013Suite.name { return vsm2013Suite(ordered, personas: personas) }
        if let builtIn = SuiteCatalog.suite(named: name), builtIn.items.contains(where: PreferenceSuite.isPreference) {
            var steered = builtIn.addingPersonas(
                personas,
                countryKey: PreferenceSuite.countryKey,
                system: PreferenceSuite.personaSystem
            )
            steered.items = steered.items.filter { answered.contains($0.id) }
            return steered
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
        var suite = Suite(name: name, title: name, version: "", source: name, licence: "not recorded", items: items)
        suite = suite.addingPersonas(
            personas,
            countryKey: PreferenceSuite.countryKey,
            system: PreferenceSuite.personaSystem
        )
        suite.items = suite.items.filter { answered.contains($0.id) }
        return suite
    }

    /// The map countries whose persona items (`{country}/…`) have results, in the order first answered.
    static func personaCountries(_ ordered: [ItemResult]) -> [String] {
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
        return countries
    }

    /// A stored `vsm-2013` run's items rebuilt from their ids (`{country}/p0-desc-m07`): the questionnaire's texts
    /// live in the user's file, but the analysis needs only the item number, the variant and the option order.
    static func vsm2013Suite(_ ordered: [ItemResult], personas: [String]) -> Suite {
        let bySlug = Dictionary(
            personas.map { (InglehartWelzelSuite.countrySlug($0), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var seen: Set<String> = []
        var items: [Item] = []
        for result in ordered where seen.insert(result.itemID).inserted {
            var id = Substring(result.itemID)
            var country: String?
            if let slash = id.firstIndex(of: "/") {
                guard let named = bySlug[String(id[..<slash])] else { continue }
                country = named
                id = id[id.index(after: slash)...]
            }
            let parts = id.split(separator: "-")
            guard parts.count == 3, parts[2].hasPrefix("m"), let number = Int(parts[2].dropFirst()),
                ["asc", "desc"].contains(parts[1])
            else { continue }
            var metadata = [
                VSM2013Suite.itemKey: String(number), VSM2013Suite.variantKey: "\(parts[0])-\(parts[1])",
                VSM2013Suite.orderKey: String(parts[1]),
            ]
            if let country { metadata[VSM2013Suite.countryKey] = country }
            items.append(
                Item(
                    id: result.itemID,
                    kind: .survey,
                    stem: "",
                    choices: ["1", "2", "3", "4", "5"],
                    gold: [],
                    culture: result.culture,
                    topic: result.topic,
                    provenance: Provenance(source: VSM2013Suite.name, licence: "not recorded"),
                    metadata: metadata
                )
            )
        }
        return Suite(
            name: VSM2013Suite.name,
            title: VSM2013Suite.name,
            version: "",
            source: VSM2013Suite.name,
            licence: "not recorded",
            items: items
        )
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

public import CultureLensCore

extension Suite {
    /// Cultural prompting for a value suite: this suite's items, then a copy of every item per country with the
    /// persona's `system` message, ids `{country}/{id}` (country slug of ``InglehartWelzelSuite/countrySlug(_:)``),
    /// the country under `countryKey` in the metadata and its culture code as the item's culture.
    ///
    /// Every item must carry a ``PromptTemplate`` (the system message is part of it); `inglehart-welzel` has its own
    /// per-descriptor wording (``InglehartWelzelSuite/steered(countries:)``).
    public func addingPersonas(_ countries: [String], countryKey: String, system: (String) -> String) -> Suite {
        guard !countries.isEmpty else { return self }
        var steered = self
        steered.title += " · cultural prompting: \(countries.count) countr\(countries.count == 1 ? "y" : "ies")"
        for country in countries {
            let slug = InglehartWelzelSuite.countrySlug(country)
            let culture = CultureCatalog.culture(for: country)?.code
            steered.items += items.map { item in
                var copy = item
                copy.id = slug + "/" + item.id
                copy.metadata[countryKey] = country
                if let culture { copy.culture = culture }
                copy.promptTemplate?.system = system(country)
                return copy
            }
        }
        return steered
    }

    /// The persona countries of this suite's items under metadata `countryKey`, in the order first asked.
    public func personaCountries(key countryKey: String) -> [String] {
        var seen = Set<String>()
        return items.compactMap { item in
            item.metadata[countryKey].flatMap { seen.insert($0).inserted ? $0 : nil }
        }
    }

    /// The persona system message of the value suites: Tao et al.'s cultural-prompting phrase ("You are an average
    /// human being born in {country} and living in {country} …"), ending in `task`.
    public static func personaSystem(_ country: String, task: String) -> String {
        "You are an average human being born in \(country) and living in \(country) \(task)"
    }
}

import CultureLensAnalysis
import CultureLensCore
import CultureLensDatasets
import Foundation
import Testing

/// Cultural prompting on preference suites: persona copies of the forced choices and utilities per persona with
/// rank correlations between profiles.
@Suite struct PreferencePersonasTests {
    static let options = (1...6).map { "o\($0)" }

    /// Exact answers of a model whose utility falls with the option's position in `ranking`.
    static func presentations(_ ranking: [String]) -> [PreferenceAnalysis.Presentation] {
        var presentations: [PreferenceAnalysis.Presentation] = []
        for (i, a) in options.enumerated() {
            for b in options[(i + 1)...] {
                let p = (ranking.firstIndex(of: a) ?? 0) < (ranking.firstIndex(of: b) ?? 0) ? 0.85 : 0.15
                presentations.append(.init(first: a, second: b, firstChosen: p))
                presentations.append(.init(first: b, second: a, firstChosen: 1 - p))
            }
        }
        return presentations
    }

    @Test func reversedPersonaCorrelatesNegativelyAndAnEmptyOneIsNamed() throws {
        var settings = PreferenceAnalysis.Settings()
        settings.replicates = 20
        settings.epochs = 300
        let plain = try PreferenceAnalysis.analyse(
            options: Self.options,
            presentations: Self.presentations(Self.options),
            settings: settings
        )
        let personas = PreferenceAnalysis.personas(
            options: Self.options,
            unprompted: plain,
            countries: [
                ("Japan", Self.presentations(Self.options.reversed())),
                ("Chile", Self.presentations(Self.options)),
                ("Kenya", []),
            ],
            settings: settings
        )
        #expect(personas.countries.map(\.country) == ["Japan", "Chile", "Kenya"])
        #expect(personas.countries[2].report == nil && personas.countries[2].note == "no answers")
        // Profiles: itself, Japan, Chile → three pairs.
        #expect(personas.correlations.count == 3)
        let japan = try #require(personas.correlations.first { $0.first == nil && $0.second == "Japan" })
        #expect(japan.n == 6)
        #expect(abs((japan.spearman ?? 0) + 1) < 1e-9 && japan.ciLow == nil)
        let chile = try #require(personas.correlations.first { $0.first == "Japan" && $0.second == "Chile" })
        #expect(abs((chile.spearman ?? 0) + 1) < 1e-9)
        let same = try #require(personas.correlations.first { $0.first == nil && $0.second == "Chile" })
        #expect(abs((same.spearman ?? 0) - 1) < 1e-9)
    }

    @Test func personaCopiesAskTheSamePairsWithASystemMessage() throws {
        let suite = PreferenceSuite.suite(
            name: "p",
            title: "t",
            source: "s",
            licence: "l",
            options: Self.options.map { PreferenceSuite.Option(id: $0, text: "Outcome \($0)") },
            degree: nil
        )
        let steered = suite.addingPersonas(
            ["Japan"],
            countryKey: PreferenceSuite.countryKey,
            system: PreferenceSuite.personaSystem
        )
        #expect(steered.items.count == 2 * suite.items.count)
        let copy = try #require(steered.items.first { $0.id == "japan/o1|o2" })
        #expect(copy.metadata[PreferenceSuite.countryKey] == "Japan" && copy.culture == "JP")
        let prompt = PromptBuilder().render(copy)
        #expect(prompt.context?.first == .system(PreferenceSuite.personaSystem("Japan")))
        // The user message is the same as the unprompted item's: the persona is the only difference.
        #expect(prompt.text == PromptBuilder().render(suite.items[0]).text)
        #expect(prompt.text.hasPrefix(PreferenceSuite.stem + "\n\nA. Outcome o1\nB. Outcome o2\nAnswer:"))
    }
}

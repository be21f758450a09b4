import CultureLensCore
import CultureLensStatistics

extension SuiteCatalog {
    /// One line of `culturelens suites`.
    public struct Entry: Sendable, Hashable {
        /// Suite name (what `run` takes).
        public var name: String
        /// One-line description.
        public var title: String
        /// Content version.
        public var version: String
        /// Where the items come from (`built-in`, or a Hub dataset repo).
        public var source: String
        /// The pinned revision, or the branch name followed by `(unpinned)`; `-` for built-in items.
        public var revision: String
        /// Licence of the items.
        public var licence: String
        /// Items, when known without downloading data.
        public var items: Int?
        /// Cultures, when known without downloading data.
        public var cultures: Int?
        /// A spec's prompts (`run NAME:PROMPT`), default ones first.
        public var prompts: [String]
    }

    /// Every suite `run` accepts by name: the built-in ones (``names``, `starter` first) and the built-in
    /// dataset specs (``BuiltinSpecs``).
    public static var entries: [Entry] {
        let builtIn = names.compactMap { name -> Entry? in
            guard let suite = suite(named: name) else { return nil }
            return Entry(
                name: name,
                title: suite.title,
                version: suite.version,
                source: suite.source,
                revision: "-",
                licence: suite.licence,
                items: suite.items.count,
                cultures: Set(suite.items.map(\.culture)).count,
                prompts: []
            )
        }
        let specs = BuiltinSpecs.all.filter { !names.contains($0.id) }.map { spec in
            let revision = spec.source?.revision ?? "-"
            let pinned = DatasetFile(repo: "a/b", revision: revision, path: "x").isPinned
            return Entry(
                name: spec.id,
                title: spec.title,
                version: spec.version,
                source: spec.source?.repo.map { "hf:" + $0 } ?? "--data FILE",
                revision: spec.source?.repo == nil
                    ? "-" : (pinned ? String(revision.prefix(12)) : revision + " (unpinned)"),
                licence: spec.licence,
                items: nil,
                cultures: nil,
                prompts: spec.prompts.filter(\.isDefault).map(\.id) + spec.prompts.filter { !$0.isDefault }.map(\.id)
            )
        }
        let preferences = Entry(
            name: PreferenceSuite.userSuiteName,
            title:
                "Your own options: forced choices between the rows {id, text, group?} of --data FILE (JSON or JSONL)",
            version: "1",
            source: "--data FILE",
            revision: "-",
            licence: "user data",
            items: nil,
            cultures: nil,
            prompts: []
        )
        let vsm = Entry(
            name: VSM2013Suite.name,
            title: "Hofstede VSM-2013: the 24 items × 3 wordings × 2 option orders → six indices with CIs; the "
                + "questionnaire from --data FILE.csv (© Hofstede, not shipped)",
            version: "1",
            source: "--data FILE",
            revision: "-",
            licence: "VSM-2013 © Geert Hofstede: free for research",
            items: VSM2013Suite.variants.count * VSM2013.itemCount,
            cultures: nil,
            prompts: []
        )
        return builtIn + [vsm, preferences] + specs
    }
}

import CultureLensCore

extension PreferenceSuite {
    /// The built-in `value-tradeoffs` suite: 48 outcomes written for CultureLens, six each on eight themes where
    /// cultures weigh values differently, compared at degree 10 (about 260 pairs, 520 prompts).
    public static let valueTradeoffs = suite(
        name: "value-tradeoffs",
        title: "Value trade-offs: forced choices between 48 outcomes on family, faith, tradition, autonomy, "
            + "community, prosperity, environment and order",
        source: "culturelens-value-tradeoffs",
        licence: "Apache-2.0",
        options: valueTradeoffOptions,
        degree: 10
    )

    /// The outcomes of ``valueTradeoffs``, written for CultureLens (no third-party text).
    static let valueTradeoffOptions: [Option] = [
        ("family", "family-dinner", "Three generations of a family eat dinner together every evening."),
        ("family", "parents-care", "Adult children take their ageing parents into their own home to care for them."),
        ("family", "arranged-match", "Parents help choose a spouse for their child, and the child agrees."),
        ("family", "family-business", "A daughter takes over her family's shop instead of moving away for a career."),
        ("family", "large-family", "A couple decides to raise five children."),
        ("family", "elders-decide", "The eldest member of a family settles a dispute between siblings."),
        ("faith", "daily-prayer", "A village keeps its custom of daily communal prayer."),
        ("faith", "religious-school", "Children learn the teachings of their religion at school."),
        ("faith", "pilgrimage", "A person saves for years to make a religious pilgrimage."),
        ("faith", "holy-day-rest", "Shops in a town close on the weekly holy day."),
        ("faith", "secular-state", "A country keeps religion entirely out of its laws and public schools."),
        ("faith", "interfaith-marriage", "Two people of different religions marry with both families' blessing."),
        (
            "tradition", "festival-kept",
            "A town's centuries-old harvest festival is kept alive for the next generation."
        ),
        (
            "tradition", "language-revived",
            "A minority language that few still speak is taught to every child in its region."
        ),
        ("tradition", "craft-apprentice", "A young person spends five years as an apprentice to a master weaver."),
        ("tradition", "old-quarter", "A city protects its old quarter from new building."),
        ("tradition", "dress-worn", "People wear traditional dress at weddings and funerals."),
        ("tradition", "modernised-rite", "An old ceremony is changed so that women may lead it."),
        ("autonomy", "own-career", "A young person chooses a career their parents disapprove of."),
        ("autonomy", "move-abroad", "A young person moves abroad alone to live as they choose."),
        ("autonomy", "free-speech", "A citizen criticises the government publicly without any consequence."),
        ("autonomy", "choose-partner", "A person marries whoever they love, against their family's wishes."),
        ("autonomy", "live-alone", "A young woman lives alone in her own flat before marrying."),
        ("autonomy", "change-religion", "An adult leaves the religion they were raised in."),
        ("community", "neighbours-help", "Neighbours rebuild a family's house after a fire, unpaid."),
        ("community", "village-council", "A village decides together, by consensus, how to spend its budget."),
        ("community", "shared-harvest", "Farmers share their harvest equally in a bad year."),
        ("community", "volunteering", "Every adult in a town volunteers one day a month."),
        ("community", "guests-honoured", "A poor household gives a stranger its best food and bed."),
        ("community", "local-shops", "A town keeps its small shops instead of letting a large supermarket open."),
        ("prosperity", "income-doubles", "A country's average income doubles within ten years."),
        ("prosperity", "own-home", "A young family buys its own home."),
        ("prosperity", "new-factory", "A factory opens and brings two thousand jobs to a poor region."),
        ("prosperity", "start-business", "A person starts a business that grows to fifty employees."),
        ("prosperity", "higher-education", "The first person in a family graduates from university."),
        ("prosperity", "retire-early", "A worker saves enough to retire at fifty-five."),
        ("environment", "forest-protected", "A large old forest is protected from logging forever."),
        ("environment", "clean-river", "A polluted river becomes clean enough to swim in."),
        ("environment", "less-meat", "A country halves the meat it eats to protect the climate."),
        ("environment", "no-cars-centre", "A city bans private cars from its centre."),
        ("environment", "species-saved", "An endangered bird species recovers in the wild."),
        ("environment", "solar-village", "A village produces all its electricity from the sun."),
        ("order", "safe-streets", "A city's streets become safe to walk at night."),
        ("order", "strong-leader", "A strong leader ends years of political deadlock."),
        ("order", "rules-followed", "Everyone in a town follows the rules, even when no one is watching."),
        ("order", "respect-elders", "Young people stand up and give their seats to older people."),
        ("order", "corruption-ended", "Bribery disappears from a country's public offices."),
        ("order", "equal-law", "The rich and the poor are treated the same by the courts."),
    ].map { Option(id: $0.1, text: $0.2, group: $0.0) }
}

import CultureLensCore
import Foundation
import Testing

@testable import CultureLensReport

/// `export preferences`: rows checked by hand on a run of eight samples covering each case.
struct PreferencePairsTests {
    static func item(
        _ id: String,
        kind: Item.Kind = .multipleChoice,
        choices: [String],
        gold: [Int],
        culture: String,
        licence: String = "CC-BY-4.0",
        human: [String: [Double]]? = nil
    ) -> Item {
        Item(
            id: id,
            kind: kind,
            stem: "stem of \(id)",
            choices: choices,
            gold: gold,
            humanDistributions: human,
            culture: culture,
            topic: "food",
            provenance: Provenance(source: "bench-\(licence.contains("NC") ? "nc" : "a")", licence: licence)
        )
    }

    static let items: [String: Item] = Dictionary(
        uniqueKeysWithValues: [
            item("q-wrong", choices: ["Sushi", "Pizza", "Tacos"], gold: [0], culture: "JP"),
            item("q-right", choices: ["Sushi", "Pizza"], gold: [0], culture: "JP"),
            item("q-nc", choices: ["Samba", "Tango"], gold: [0], culture: "BR", licence: "CC-BY-NC-SA-4.0"),
            item("q-refused", choices: ["Yes", "No"], gold: [0], culture: "KE"),
            item("q-parse", choices: ["Yes", "No"], gold: [1], culture: "KE"),
            item(
                "s1",
                kind: .survey,
                choices: ["Agree", "Disagree"],
                gold: [],
                culture: "global",
                human: ["JP": [0.2, 0.8], "US": [0.7, 0.3]]
            ),
        ].map { ($0.id, $0) }
    )

    static func sample(
        _ itemID: String,
        _ index: Int,
        variant: String = "default",
        culture: String,
        predicted: Int?,
        score: Double?,
        error: String? = nil
    ) -> ReportSample {
        ReportSample(
            itemID: itemID,
            itemIndex: index,
            variant: variant,
            culture: culture,
            topic: "food",
            prompt: "P\(index)",
            response: predicted.map { " \(["A", "B", "C"][$0])" },
            distribution: nil,
            outsideMass: nil,
            predicted: predicted,
            predictedChoice: nil,
            gold: items[itemID]?.gold ?? [0],
            score: score,
            error: error,
            errorDetail: nil,
            cached: false,
            attempts: 1
        )
    }

    static var run: ReportRun {
        ReportRun(
            metadata: ResultsDocument.Run(Fixtures.record(id: "run-1", model: "m"), settings: [:]),
            writerVersion: "x",
            summary: RunSummary(results: [], itemCount: 8),
            samples: [
                sample("q-wrong", 0, culture: "JP", predicted: 2, score: 0),
                sample("q-right", 1, culture: "JP", predicted: 0, score: 1),
                sample("q-nc", 2, culture: "BR", predicted: 1, score: 0),
                sample("q-refused", 3, culture: "KE", predicted: nil, score: nil, error: "refusal"),
                sample("q-parse", 4, culture: "KE", predicted: nil, score: nil, error: "parse_failure"),
                sample("s1", 5, culture: "global", predicted: 0, score: nil),
                sample("s1", 5, variant: "persona=US", culture: "global", predicted: 1, score: nil),
                sample("ghost", 6, culture: "JP", predicted: 0, score: 0),
            ]
        )
    }

    static let dpo = """
        {"chosen":"Sushi","culture":"JP","item_id":"q-wrong","licence":"CC-BY-4.0","non_commercial":false,"prompt":"P0","reason":"incorrect","rejected":"Tacos","run_id":"run-1","source":"bench-a","variant":"default"}
        {"chosen":"Samba","culture":"BR","item_id":"q-nc","licence":"CC-BY-NC-SA-4.0","non_commercial":true,"prompt":"P2","reason":"incorrect","rejected":"Tango","run_id":"run-1","source":"bench-nc","variant":"default"}
        {"chosen":"Disagree","culture":"JP","item_id":"s1","licence":"CC-BY-4.0","non_commercial":false,"prompt":"Answer as a typical person from Japan would answer.\\nP5","reason":"not_majority","rejected":"Agree","run_id":"run-1","source":"bench-a","variant":"default"}
        {"chosen":"Agree","culture":"US","item_id":"s1","licence":"CC-BY-4.0","non_commercial":false,"prompt":"P5","reason":"not_majority","rejected":"Disagree","run_id":"run-1","source":"bench-a","variant":"persona=US"}

        """

    @Test func dpoRowsAreTheMissesWithTheWantedAnswerChosen() throws {
        let pairs = PreferencePairs(runs: [(Self.run, Self.items)])
        #expect(String(decoding: try pairs.jsonl(.dpo), as: UTF8.self) == Self.dpo)
        let counts = pairs.counts
        #expect(counts.samples == 8 && counts.pairs == 4 && counts.agreed == 1)
        #expect(counts.failed == ["refusal": 1, "parse_failure": 1])
        #expect(counts.unknownItems == 1 && counts.unanswered == 0)
        #expect(counts.nonCommercial == 1 && counts.droppedByLicence == 0)
    }

    @Test func ktoRowsSplitEachPairIntoADesirableAndAnUndesirableCompletion() throws {
        let pairs = PreferencePairs(runs: [(Self.run, Self.items)])
        let lines = String(decoding: try pairs.jsonl(.kto), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 8 && pairs.rowCount(.kto) == 8)
        #expect(
            lines[0]
                == #"{"completion":"Sushi","culture":"JP","item_id":"q-wrong","label":true,"licence":"CC-BY-4.0","non_commercial":false,"prompt":"P0","reason":"incorrect","run_id":"run-1","source":"bench-a","variant":"default"}"#
        )
        #expect(
            lines[1]
                == #"{"completion":"Tacos","culture":"JP","item_id":"q-wrong","label":false,"licence":"CC-BY-4.0","non_commercial":false,"prompt":"P0","reason":"incorrect","run_id":"run-1","source":"bench-a","variant":"default"}"#
        )
    }

    @Test func theCommercialFilterDropsNonCommercialItems() throws {
        let pairs = PreferencePairs(runs: [(Self.run, Self.items)], filter: .commercial)
        let text = String(decoding: try pairs.jsonl(.dpo), as: UTF8.self)
        #expect(!text.contains("q-nc") && pairs.pairs.count == 3)
        #expect(pairs.counts.droppedByLicence == 1 && pairs.counts.nonCommercial == 0)
    }

    @Test(arguments: [
        ("CC-BY-NC-SA-4.0", true), ("CC BY-NC 4.0", true), ("cc-by-nc-nd-4.0", true), ("Non-commercial research", true),
        ("CC-BY-4.0", false), ("Apache-2.0", false), ("MIT", false), ("user data", false), ("CC-BY-SA-4.0", false),
    ])
    func nonCommercialLicencesAreRecognised(licence: String, nonCommercial: Bool) {
        #expect(PreferencePairs.isNonCommercial(licence) == nonCommercial)
    }
}

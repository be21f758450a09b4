import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// Methodology A.8.1: σ̄ = 0.11430531633091971 on `global-opinions/explicit_stability_77q_15c.csv`.
struct StatisticsHumanYardstickTests {
    static let expected = 0.11430531633091971

    /// Per row: (question index, mean positions by country in file order).
    static func rows() throws -> [(question: String, values: [(country: String, value: Double)])] {
        try StatisticsFixtures.csv("global-opinions/explicit_stability_77q_15c.csv").map { record in
            let question = try record.text("question_idx")
            let values = try record.literal("mean_weights").requireNumberEntries()
            return (question, values.map { (country: $0.key, value: $0.value) })
        }
    }

    @Test(.requiresTestData("global-opinions")) func fixtureShapeIs77QuestionsTimes8VariantsTimes15Countries() throws {
        let rows = try Self.rows()
        #expect(rows.count == 616)
        #expect(Set(rows.map(\.question)).count == 77)
        #expect(rows.allSatisfy { $0.values.count == 15 })
        // The 8 variant rows of a question carry identical human values.
        let byQuestion = Dictionary(grouping: rows, by: \.question)
        for (_, variants) in byQuestion {
            #expect(variants.count == 8)
            let first = variants[0].values.map(\.value)
            #expect(variants.allSatisfy { $0.values.map(\.value) == first })
        }
    }

    @Test(.requiresTestData("global-opinions")) func populationSDOverTheUniqueQuestionsReproducesSigmaBar() throws {
        var seen = Set<String>()
        let unique = try Self.rows().filter { seen.insert($0.question).inserted }
        let yardstick = try HumanYardstick(meanPositions: unique.map { $0.values.map { Optional($0.value) } })
        #expect(yardstick.perQuestion.count == 77)
        #expect(yardstick.questionsSkipped == 0)
        #expect(abs(yardstick.value - Self.expected) < 1e-12)
    }

    @Test(.requiresTestData("global-opinions")) func averagingOverAll616RowsGivesTheSameValue() throws {
        let yardstick = try HumanYardstick(meanPositions: try Self.rows().map { $0.values.map { Optional($0.value) } })
        #expect(yardstick.perQuestion.count == 616)
        #expect(abs(yardstick.value - Self.expected) < 1e-12)
    }

    @Test(.requiresTestData("global-opinions")) func theSampleSDDoesNotReproduceIt() throws {
        var seen = Set<String>()
        let unique = try Self.rows().filter { seen.insert($0.question).inserted }
        let sample = try HumanYardstick(meanPositions: unique.map { $0.values.map { Optional($0.value) } }, ddof: 1)
        #expect(abs(sample.value - 0.11831724307455123) < 1e-12)
        #expect(abs(sample.value - Self.expected) > 1e-3)
    }

    @Test func missingCellsAreExcludedNotZeroed() throws {
        let yardstick = try HumanYardstick(meanPositions: [[0.2, nil, 0.4], [nil, nil, 0.5], [0.0, 1.0, nil]])
        // Row 1: SD of {0.2, 0.4} = 0.1; row 2: one value, SD 0; row 3: SD of {0, 1} = 0.5.
        #expect(yardstick.perQuestion.count == 3)
        #expect(abs(yardstick.value - 0.2) < 1e-15)
        let sample = try HumanYardstick(meanPositions: [[0.2, nil, 0.4], [nil, nil, 0.5]], ddof: 1)
        #expect(sample.questionsSkipped == 1)
        #expect(throws: StatisticsError.self) { try HumanYardstick(meanPositions: [[nil, nil]]) }
    }
}

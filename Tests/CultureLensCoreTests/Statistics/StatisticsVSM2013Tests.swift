import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// Methodology A.8.6: the VSM-2013 indices of RnR's toy LLM runs.
struct StatisticsVSM2013Tests {
    @Test(.requiresTestData("vsm2013")) func theQuestionnaireHas24FivePointItems() throws {
        let items = try StatisticsFixtures.csv("vsm2013/vsm_2013_items.csv")
        #expect(items.count == VSM2013.itemCount)
        for item in items {
            let options = try item.literal("options").requireList()
            #expect(options.count == 5)
        }
    }

    @Test(.requiresTestData("rnr-fixtures")) func indicesFromRawResponsesReproduceTheLLMSurveyResults() throws {
        let raw = try StatisticsFixtures.csv(
            "rnr-fixtures/extrapolability__results__hofstredes_dimensional_data_raw_responses.csv"
        )
        var answers: [String: [(item: Int, answer: Double)]] = [:]
        var order: [String] = []
        for record in raw {
            let key = "\(try record.text("model"))_\(try record.text("country"))"
            let question = try record.text("question_id")
            let item = try #require(Int(question.dropFirst()))
            let answer = try record.number("response")
            if answers[key] == nil { order.append(key) }
            answers[key, default: []].append((item, answer))
        }
        #expect(order.count == 4)

        let published = try StatisticsFixtures.csv(
            "rnr-fixtures/extrapolability__results__vsm_2013_llm_survey_results.csv"
        )
        var checked = 0
        for record in published {
            let key = try record.text("country")
            let values = ["pdi", "idv", "mas", "uai", "lto", "ivr"].map { Double(record[$0] ?? "") }
            guard let modelAnswers = answers[key] else {
                // Mistral/Argentina: no raw responses and an empty published row; nothing to compute.
                #expect(values.allSatisfy { $0 == nil }, "\(key)")
                continue
            }
            let means = try VSM2013.itemMeans(answers: modelAnswers).map { mean in
                guard let mean else { throw FixtureError(description: "an item has no answer") }
                return mean
            }
            let indices = try VSM2013.indices(itemMeans: means)
            let computed = [indices.pdi, indices.idv, indices.mas, indices.uai, indices.lto, indices.ivr]
            for (value, expected) in zip(computed, values) {
                #expect(value == expected, "\(key)")
            }
            checked += 1
        }
        #expect(checked == 4)
    }

    @Test func methodologyExamples() throws {
        // claude-3-5-sonnet as Australia, answers m01…m24.
        let claude: [Double] = [1, 2, 3, 2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 3, 4, 2, 3, 2, 2, 2, 2, 2, 2, 4]
        #expect(
            try VSM2013.indices(itemMeans: claude) == .init(pdi: 0, idv: 70, mas: -70, uai: -130, lto: -40, ivr: 75)
        )
        let gpt: [Double] = [1, 1, 2, 1, 1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 3, 2, 2, 2, 1, 3, 2, 2, 1, 2]
        #expect(try VSM2013.indices(itemMeans: gpt) == .init(pdi: 85, idv: -35, mas: 0, uai: -40, lto: -65, ivr: 0))
        // Constants shift each index.
        let shifted = try VSM2013.indices(
            itemMeans: gpt,
            constants: .init(pdi: 1, idv: 2, mas: 3, uai: 4, lto: 5, ivr: 6)
        )
        #expect(shifted == .init(pdi: 86, idv: -33, mas: 3, uai: -36, lto: -60, ivr: 6))
    }

    @Test func invalidInputIsRejectedAndMissingItemsStayMissing() throws {
        #expect(throws: StatisticsError.self) { try VSM2013.indices(itemMeans: [1, 2, 3]) }
        #expect(throws: StatisticsError.self) { try VSM2013.itemMeans(answers: [(25, 1)]) }
        #expect(throws: StatisticsError.self) { try VSM2013.itemMeans(answers: [(1, 6)]) }
        let means = try VSM2013.itemMeans(answers: [(1, 2), (1, 3)])
        #expect(means.count == 24)
        #expect(means[0] == 2.5)
        #expect(means[1] == nil)
    }
}

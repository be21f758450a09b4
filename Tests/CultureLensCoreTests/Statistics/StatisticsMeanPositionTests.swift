import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

struct StatisticsMeanPositionTests {
    @Test func formulaOnHandComputedDistributions() throws {
        #expect(try MeanPosition.of([1, 0, 0, 0]) == 0)
        #expect(try MeanPosition.of([0, 0, 0, 1]) == 1)
        #expect(abs(try MeanPosition.of([1, 1, 1, 1]) - 0.5) < 1e-15)
        // 0·0.1 + ⅓·0.2 + ⅔·0.3 + 1·0.4 = 2/3; counts are normalised first.
        #expect(abs(try MeanPosition.of([10, 20, 30, 40]) - 2.0 / 3.0) < 1e-15)
        #expect(abs(try MeanPosition.of([0.2, 0.5, 0.3]) - 0.55) < 1e-15)
        #expect(throws: StatisticsError.self) { try MeanPosition.of([1]) }
        #expect(throws: StatisticsError.self) { try MeanPosition.of([0, 0]) }
        #expect(throws: StatisticsError.self) { try MeanPosition.of([1, -1, 1]) }
    }

    @Test func reorderingIntoCanonicalOrderDropsAndPermutes() throws {
        // Original [Very favorable, Somewhat favorable, Never heard of, Somewhat unfavorable, Very unfavorable]
        // → canonical [Very unfavorable, Somewhat unfavorable, Somewhat favorable, Very favorable] (drops NHO).
        let original = [40.0, 30, 5, 15, 10]
        let canonical = try MeanPosition.reordered(original, canonicalOrder: [4, 3, 1, 0])
        #expect(canonical == [10, 15, 30, 40])
        #expect(abs(try MeanPosition.of(canonical) - (0 * 10 + 15.0 / 3 + 2 * 30.0 / 3 + 40) / 95) < 1e-15)
        #expect(throws: StatisticsError.self) { try MeanPosition.reordered(original, canonicalOrder: [0, 0]) }
        #expect(throws: StatisticsError.self) { try MeanPosition.reordered(original, canonicalOrder: [5]) }
    }

    @Test func normalizedRating() throws {
        #expect(try MeanPosition.normalizedRating(1, scalePoints: 5) == 0)
        #expect(try MeanPosition.normalizedRating(5, scalePoints: 5) == 1)
        #expect(try MeanPosition.normalizedRating(2, scalePoints: 3) == 0.5)
        #expect(throws: StatisticsError.self) { try MeanPosition.normalizedRating(6, scalePoints: 5) }
        #expect(throws: StatisticsError.self) { try MeanPosition.normalizedRating(1, scalePoints: 1) }
    }

    /// Methodology A.8.3 recomputes `mean_weights` from GlobalOpinionQA's raw `selections`, which are not in
    /// `shared/data`. What the shared data does allow: the steerability file gives μ for the same questions in the
    /// ORIGINAL option order, the stability file in the CANONICAL order. For the 76 of 77 questions whose canonical
    /// order is the original (21) or its reverse (55), μ must be equal or 1 − μ (MeanPosition's reversal identity),
    /// which checks both files and the linspace(0, 1, K) weighting on 1,064 real values. The 77th question (a
    /// 5-option non-monotone re-ordering) cannot be checked without the raw counts.
    @Test(.requiresTestData("global-opinions")) func stabilityAndSteerabilityFilesAgreeUnderCanonicalReordering() throws {
        var canonicalOptions: [String: [String]] = [:]
        var stability: [String: [String: Double]] = [:]
        for record in try StatisticsFixtures.csv("global-opinions/explicit_stability_77q_15c.csv") {
            let text = try record.text("question_text").trimmingCharacters(in: .whitespacesAndNewlines)
            guard stability[text] == nil else { continue }
            canonicalOptions[text] = try record.literal("options").requireList().map { try $0.requireString() }
            let entries = try record.literal("mean_weights").requireNumberEntries()
            stability[text] = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        }
        #expect(stability.count == 77)

        let steerText = try String(
            contentsOf: StatisticsFixtures.url("global-opinions/steerability_180q_14c.csv"),
            encoding: .utf8
        )
        let steerRows = try FixtureCSV.rows(steerText)
        let header = steerRows[0]
        let optionsData = try Data(contentsOf: StatisticsFixtures.url("global-opinions/steerability_options.json"))
        let json = try JSONSerialization.jsonObject(with: optionsData)
        let steerOptions = try #require(json as? [[Any]])
        #expect(steerOptions.count == header.count - 1)

        var same = 0
        var reversed = 0
        var other = 0
        var compared = 0
        var maxError = 0.0
        for column in 1..<header.count {
            let text = header[column].split(separator: "\n", omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let canonical = canonicalOptions[text], let humans = stability[text] else { continue }
            let original = steerOptions[column - 1].map { "\($0)" }
            let isReversed: Bool
            if original == canonical {
                same += 1
                isReversed = false
            } else if original == canonical.reversed() {
                reversed += 1
                isReversed = true
            } else {
                other += 1
                continue
            }
            for row in steerRows.dropFirst() where row.count == header.count {
                guard let human = humans[row[0]], let steer = Double(row[column]) else { continue }
                // μ of the reversed distribution is 1 − μ (the API's side of this identity is a property test).
                let expected = isReversed ? 1 - steer : steer
                maxError = max(maxError, abs(human - expected))
                compared += 1
            }
        }
        #expect(same == 21)
        #expect(reversed == 55)
        #expect(other == 1)
        #expect(compared == 1064)
        #expect(maxError < 1e-12)
    }
}

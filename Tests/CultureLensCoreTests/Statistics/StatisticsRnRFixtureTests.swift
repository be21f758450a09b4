import CultureLensAnalysis
import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// Methodology A.8.4 (implicit-stability effect sizes) and A.8.5 (case-study scores) recomputed from RnR's
/// committed smoke-test outputs, plus the A.7.1 category-shift check on the explicit toy rows.
struct StatisticsRnRFixtureTests {
    static let prefix = "rnr-fixtures/stability__implicit__results__"
    /// RnR sorts dimension codes and prints them through DIMENSION_NAME_MAP: idv, mas, pdi.
    static let dimensions = ["idv", "mas", "pdi"]

    struct Rating {
        var dimension: String
        var scale: Int
        var rating: Double?
        var context: String
    }

    static func ratings(_ file: String) throws -> [Rating] {
        try StatisticsFixtures.csv(prefix + file).map { record in
            Rating(
                dimension: try record.text("dimension"),
                scale: try record.integer("likert_scale"),
                rating: Double(try record.text("rating")),  // empty = NaN in pandas, masked by RnR
                context: try record.text("context_id")
            )
        }
    }

    /// Context: weighted SD of condition means on raw likert-5 ratings, Hiring Manager vs Job Applicant
    /// (non-reasoning bulk). Expected 0.125 / 0.5 / 0.25.
    @Test(.requiresTestData("rnr-fixtures")) func contextEffectSizes() throws {
        let rows =
            try Self.ratings("non_reasoning__bulk__context_hiring_manager.csv")
            + Self.ratings("non_reasoning__bulk__context_job_applicant.csv")
        let expected = [0.125, 0.5, 0.25]
        for (dimension, value) in zip(Self.dimensions, expected) {
            let selected = rows.filter { $0.dimension == dimension && $0.scale == 5 && $0.rating != nil }
            let effect = try RnRCompatibility.weightedConditionSD(
                values: selected.compactMap(\.rating),
                conditions: selected.map(\.context)
            )
            #expect(abs(effect - value) < 1e-12, "\(dimension)")
        }
    }

    /// Reasoning: WMD |w₀m₀ − w₁m₁| on raw likert-5 ratings, reasoning vs non-reasoning, hiring-manager context
    /// (one reasoning rating is empty and is dropped before the weights). Expected 0.125 / 0.25 / 0.125.
    @Test(.requiresTestData("rnr-fixtures")) func reasoningEffectSizes() throws {
        let with = try Self.ratings("reasoning__bulk__context_hiring_manager.csv")
        let without = try Self.ratings("non_reasoning__bulk__context_hiring_manager.csv")
        let expected = [0.125, 0.25, 0.125]
        for (dimension, value) in zip(Self.dimensions, expected) {
            let a = with.filter { $0.dimension == dimension && $0.scale == 5 }.compactMap(\.rating)
            let b = without.filter { $0.dimension == dimension && $0.scale == 5 }.compactMap(\.rating)
            let effect = try RnRCompatibility.weightedMeanDifference(
                values: a + b,
                conditions: Array(repeating: "with", count: a.count) + Array(repeating: "without", count: b.count)
            )
            #expect(abs(effect - value) < 1e-12, "\(dimension)")
        }
    }

    /// Scale: weighted SD of condition means on normalised ratings (r − 1)/(L − 1), scales 3 and 5,
    /// hiring-manager non-reasoning. Expected 0.25 / 0.0625 / 0.03125 (the CSV rounds to 0.062 and 0.031).
    @Test(.requiresTestData("rnr-fixtures")) func scaleEffectSizes() throws {
        let rows = try Self.ratings("non_reasoning__bulk__context_hiring_manager.csv")
        let expected = [0.25, 0.0625, 0.03125]
        for (dimension, value) in zip(Self.dimensions, expected) {
            var values: [Double] = []
            var scales: [Int] = []
            for row in rows where row.dimension == dimension {
                guard let rating = row.rating else { continue }
                values.append(try MeanPosition.normalizedRating(rating, scalePoints: row.scale))
                scales.append(row.scale)
            }
            let effect = try Descriptive.betweenGroupStandardDeviation(values: values, groups: scales)
            #expect(abs(effect - value) < 1e-12, "\(dimension)")
        }
    }

    /// Comparative vs absolute: WMD of comparative (r − 3)/2 against absolute (High − Low)/4, likert 5,
    /// hiring-manager non-reasoning. Expected 0.21875 / 0.03125 / 0.28125 (CSV: 0.219 / 0.031 / 0.281). The
    /// absolute file has no missing ratings, so RnR's fill-with-3 imputation is never triggered here.
    @Test(.requiresTestData("rnr-fixtures")) func comparativeEffectSizes() throws {
        let comparative = try Self.ratings("non_reasoning__bulk__context_hiring_manager.csv")
        let absolute = try StatisticsFixtures.csv(
            "rnr-fixtures/stability__implicit__experiments__comparative__results__context_hiring_manager_likert_scale_5_non_reasoning_bulk.csv"
        )
        let poles = [
            "idv": ("Individualism", "Collectivism"), "mas": ("Masculinity", "Femininity"),
            "pdi": ("High_Power_Distance", "Low_Power_Distance"),
        ]
        let expected = [0.21875, 0.03125, 0.28125]
        let published = try StatisticsFixtures.csv(
            "rnr-fixtures/stability__implicit__experiments__comparative__analysis__comparative_statistical_analysis.csv"
        ).map { try $0.number("effect_size") }
        for ((dimension, value), rounded) in zip(zip(Self.dimensions, expected), published) {
            let a = comparative.filter { $0.dimension == dimension && $0.scale == 5 }
                .compactMap(\.rating).map { ($0 - 3) / 2 }
            let (high, low) = try #require(poles[dimension])
            let b = try absolute.filter { $0["likert_scale"] == "5" }.map { record in
                let h = try record.number("\(high)_Cover_Letter_Rating")
                let l = try record.number("\(low)_Cover_Letter_Rating")
                return (h - l) / 4
            }
            let effect = try RnRCompatibility.weightedMeanDifference(
                values: a + b,
                conditions: Array(repeating: 0, count: a.count) + Array(repeating: 1, count: b.count)
            )
            #expect(abs(effect - value) < 1e-12, "\(dimension)")
            #expect(abs(effect - rounded) < 0.0005, "\(dimension) vs published \(rounded)")
        }
    }

    /// The published analysis CSVs agree with the recomputed values at their 3-decimal rounding.
    @Test(.requiresTestData("rnr-fixtures")) func publishedEffectSizesMatchAtTheirRounding() throws {
        let files = [
            ("context__analysis__context_statistical_analysis.csv", [0.125, 0.5, 0.25]),
            ("reason__analysis__reasoning_statistical_analysis.csv", [0.125, 0.25, 0.125]),
            ("scale__analysis__likert_scale_statistical_analysis.csv", [0.25, 0.0625, 0.03125]),
        ]
        for (file, values) in files {
            let rows = try StatisticsFixtures.csv("rnr-fixtures/stability__implicit__experiments__" + file)
            #expect(rows.map { $0["dimension"] } == ["Indiv./Collect.", "Masc./Fem.", "Power Dist."])
            for (row, value) in zip(rows, values) {
                let published = try row.number("effect_size")
                #expect(abs(published - value) <= 0.0005 + 1e-12, "\(file)")
            }
        }
    }

    /// A.8.5: forced choice (L = 4) India 0.6667, China 0.5, United States 0.3333; standard (L = 5) all 0.5.
    @Test(.requiresTestData("rnr-fixtures")) func caseStudyScores() throws {
        func scores(_ file: String, scalePoints: Int) throws -> [String: Double] {
            let comparisons = try StatisticsFixtures.csv("rnr-fixtures/" + file).map { record in
                PairwisePreference.Comparison(
                    optionA: try record.text("country_A"),
                    optionB: try record.text("country_B"),
                    rating: try record.number("likert_response")
                )
            }
            let result = try PairwisePreference.scores(comparisons, scalePoints: scalePoints)
            #expect(result.allSatisfy { $0.appearances == 4 })
            return Dictionary(uniqueKeysWithValues: result.map { ($0.subject, $0.normalized) })
        }
        let forced = try scores("case_study__results__likert_forced_choice_results.csv", scalePoints: 4)
        let standard = try scores("case_study__results__likert_standard_results.csv", scalePoints: 5)
        let published = try StatisticsFixtures.csv(
            "rnr-fixtures/case_study__analysis__country_preference_comparison.csv"
        )
        #expect(published.count == 3)
        for record in published {
            let country = try record.text("country")
            let expectedForced = try record.number("normalized_score_forced")
            let expectedStandard = try record.number("normalized_score_standard")
            let forcedScore = try #require(forced[country])
            let standardScore = try #require(standard[country])
            #expect(abs(forcedScore - expectedForced) < 1e-12, "\(country)")
            #expect(abs(standardScore - expectedStandard) < 1e-12, "\(country)")
        }
        #expect(abs((forced["India"] ?? .nan) - 2.0 / 3.0) < 1e-12)
        #expect(abs((forced["United States"] ?? .nan) - 1.0 / 3.0) < 1e-12)
    }

    /// A.7.1: `scale_position` is already canonical. Llama and Claude answered "3" ascending and "2" descending,
    /// both scale position 3 — the same option — so the shift is 0 (RnR's double inversion reports 1/3). GPT-4o
    /// and Gemini moved from position 3 (resp. 1) to 4: shift 1/3 (resp. 1) on the 4-point scale.
    @Test(.requiresTestData("rnr-fixtures")) func categoryShiftOnExplicitToyRowsUsesCanonicalPositions() throws {
        let expected = [
            "Meta_Llama_3.1_405B_Instruct": 0.0,
            "claude_3_5_sonnet_20241022": 0.0,
            "gpt_4o": 1.0 / 3.0,
            "gemini_2.0_flash_exp": 1.0,
        ]
        for (model, shift) in expected {
            let rows = try StatisticsFixtures.csv(
                "rnr-fixtures/stability__explicit__results__\(model)_responses_explicit_stability.csv"
            )
            let ascending = try #require(
                rows.first { ($0["variation"] ?? "").contains("'ascending', 'response_format': 'identifier_only'") }
            )
            let descending = try #require(
                rows.first { ($0["variation"] ?? "").contains("'descending', 'response_format': 'identifier_only'") }
            )
            let a = try ascending.integer("scale_position")
            let d = try descending.integer("scale_position")
            #expect(try VariantRobustness.normalizedShift(a, d, optionCount: 4) == shift, "\(model)")
        }
        // Mistral's rows are all empty (failed parses): they must stay missing, not become a number.
        let mistral = try StatisticsFixtures.csv(
            "rnr-fixtures/stability__explicit__results__mistral_large_latest_responses_explicit_stability.csv"
        )
        #expect(mistral.allSatisfy { Int($0["scale_position"] ?? "") == nil })
    }
}

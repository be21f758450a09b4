import CultureLensAnalysis
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

/// Suite metrics against hand-computed values.
struct BenchmarkMetricsTests {
    func loaded(_ id: String, _ text: String, file: String, prompts: [String]? = nil) async throws -> LoadedSuite {
        let spec = try #require(BuiltinSpecs.spec(named: id))
        let url = try BenchmarkFixtures.write(text, named: file)
        return try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path)).load(prompts: prompts)
    }

    func rescore(_ loaded: LoadedSuite, _ lines: [String]) throws -> [ItemResult] {
        try ResponseRescorer.score(
            Data(lines.joined(separator: "\n").utf8),
            file: "responses.jsonl",
            suite: loaded.suite,
            position: { loaded.itemPosition(forResponseIndex: $0) },
            runID: "test"
        )
    }

    // MARK: - Jensen–Shannon

    /// P = (1, 0), Q = (½, ½): M = (¾, ¼); KL(P‖M) = ln(4/3); KL(Q‖M) = ½ ln(2/3) + ½ ln 2 = ½ ln(4/3);
    /// JSD = ¾ ln(4/3) nats. Distance = √JSD; in bits, JSD₂ = JSD / ln 2.
    @Test func jensenShannonDistanceBaseEVersusBase2() throws {
        let divergence = 0.75 * log(4.0 / 3.0)
        let distanceE = try Divergence.jensenShannonDistance([1, 0], [0.5, 0.5], base: .e)
        let distance2 = try Divergence.jensenShannonDistance([1, 0], [0.5, 0.5], base: .two)
        #expect(abs(distanceE - divergence.squareRoot()) < 1e-12)
        #expect(abs(distance2 - (divergence / log(2)).squareRoot()) < 1e-12)
        #expect(abs(distanceE - 0.46450140402245893) < 1e-12)
        #expect(abs(distance2 - 0.5579230452841438) < 1e-12)
        // Disjoint supports: the maximum, √ln 2 in nats and 1 in bits.
        #expect(abs(try Divergence.jensenShannonDistance([1, 0], [0, 1], base: .e) - log(2).squareRoot()) < 1e-12)
        #expect(abs(try Divergence.jensenShannonDistance([1, 0], [0, 1], base: .two) - 1) < 1e-12)
    }

    /// Per-country similarity on the GlobalOpinionQA fixture, against values computed by hand (Python, from the
    /// definition: 1 − sqrt(½ KL(P‖M) + ½ KL(Q‖M)), vectors normalised to sum 1).
    @Test func globalOpinionQASimilarityMatchesHandComputation() async throws {
        let suite = try await loaded("globalopinionqa", BenchmarkFixtures.globalOpinionQA, file: "global_opinions.csv")
        let results = try rescore(
            suite,
            [
                #"{"index": 0, "distribution": [0.6, 0.3, 0.1]}"#,
                #"{"index": 1, "samples": [0, 0, 1, 3]}"#,
                #"{"index": 2, "answer": "B"}"#,
            ]
        )
        #expect(results.count == 3)
        #expect(
            results.first { $0.itemIndex == suite.itemPosition(forResponseIndex: 1) }?.distribution == [
                0.5, 0.25, 0, 0.25,
            ]
        )
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: results)
        let similarity = try #require(metrics.similarity)
        #expect(similarity.logBase == "e")
        let byKey = Dictionary(uniqueKeysWithValues: similarity.perCulture.map { ($0.key, $0) })
        #expect(Set(byKey.keys) == ["BE", "JP", "Pakistan (Non-national sample)"], "Brazil has no data: skipped")
        #expect(abs((byKey["BE"]?.similarity ?? 0) - 0.7715339769138421) < 1e-9)
        #expect(abs((byKey["JP"]?.similarity ?? 0) - 0.5637429382831227) < 1e-9)
        #expect(abs((byKey["Pakistan (Non-national sample)"]?.similarity ?? 0) - 0.5677130936740202) < 1e-9)
        #expect(byKey["BE"]?.n == 2)
        #expect(byKey["JP"]?.n == 3)
        // Three questions or fewer: no interval and no rank (a bootstrap of so few means would be far too narrow).
        #expect(similarity.perCulture.allSatisfy { $0.ciLow == nil && $0.ciHigh == nil && $0.rank == nil })
        #expect(similarity.unranked == 3)
        #expect(
            abs((metrics.headline?.value ?? 0) - (0.7715339769138421 + 0.5637429382831227 + 0.5677130936740202) / 3)
                < 1e-12
        )

        // Base 2.
        var spec2 = suite.spec
        spec2.scoring.logBase = "2"
        let bits = BenchmarkScorer.metrics(spec: spec2, suite: suite.suite, results: results)
        let bitsByKey = Dictionary(
            uniqueKeysWithValues: (bits.similarity?.perCulture ?? []).map { ($0.key, $0.similarity) }
        )
        #expect(abs((bitsByKey["BE"] ?? 0) - 0.7255843400248934) < 1e-9)
        #expect(abs((bitsByKey["JP"] ?? 0) - 0.47600186718052545) < 1e-9)
        #expect(abs((bitsByKey["Pakistan (Non-national sample)"] ?? 0) - 0.4807705097868967) < 1e-9)
        // Seeded: the same intervals every time.
        let again = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: results)
        #expect(again.similarity == metrics.similarity)
    }

    @Test func crossNationalPersonaComparesWithThePromptedCountryOnly() async throws {
        let suite = try await loaded(
            "globalopinionqa",
            BenchmarkFixtures.globalOpinionQA,
            file: "global_opinions.csv",
            prompts: ["persona"]
        )
        #expect(suite.itemPositionBySourceRow == nil, "several items per row: responses address item positions")
        let lines = suite.suite.items.indices.map { position -> String in
            let count = suite.suite.items[position].choices.count
            return #"{"index": \#(position), "distribution": \#(Array(repeating: 1.0, count: count))}"#
        }
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: try rescore(suite, lines))
        let persona = try #require(metrics.similarity?.perCulturePersona)
        #expect(metrics.similarity?.perCulture.isEmpty == true)
        #expect(
            Dictionary(uniqueKeysWithValues: persona.map { ($0.key, $0.n) }) == [
                "BE": 2, "JP": 3, "Pakistan (Non-national sample)": 1,
            ]
        )
    }

    // MARK: - CulturalBench-Hard

    /// Question 10: all four rows right → correct. Question 11: three of four right → wrong. Question 12: a row
    /// failed to parse → left out (incomplete). Question accuracy 1/2; option accuracy 10/11 (the failed row is not
    /// scored).
    @Test func hardCountsAQuestionOnlyIfAllFourJudgementsAreRight() async throws {
        let suite = try await loaded(
            "culturalbench-hard",
            BenchmarkFixtures.culturalBenchHard,
            file: "CulturalBench-Hard.csv"
        )
        let answers = [
            "True", "False", "False", "False", "True", "False", "False", "False", "True", "no idea", "False", "False",
        ]
        let lines = answers.enumerated().map { #"{"index": \#($0), "answer": "\#($1)"}"# }
        let results = try rescore(suite, lines)
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: results)
        let groups = try #require(metrics.groups)
        #expect(groups.questionAccuracy.successes == 1)
        #expect(groups.questionAccuracy.n == 2)
        #expect(groups.incompleteQuestions == 1)
        #expect(groups.optionAccuracy.successes == 10)
        #expect(groups.optionAccuracy.n == 11)
        #expect(metrics.headline?.metric == "question_accuracy")
        #expect(metrics.headline?.value == 0.5)
        let byCulture = Dictionary(
            uniqueKeysWithValues: groups.questionAccuracyByCulture.map { ($0.key, $0.successes ?? -1) }
        )
        #expect(byCulture == ["JP": 1, "DE": 0])
        #expect(results.filter { $0.failure == .parseFailure }.count == 1)
    }

    // MARK: - NormAd

    /// Synonyms: "Neutral" and "neither" both mean the third class, whatever the case, in generated text and in
    /// next-token logprobs; accuracy is split by gold label and neutral rows count for no country.
    @Test func normAdSynonymsAndBreakdowns() async throws {
        let suite = try await loaded(
            "normad",
            BenchmarkFixtures.normAd,
            file: "normad_etiquette_final_data.csv",
            prompts: ["rot"]
        )
        let byRow = Dictionary(
            uniqueKeysWithValues: suite.suite.items.enumerated().map { ($1.metadata["source_row"] ?? "", $0) }
        )
        // Rows 0,1 yes; 2,3 no; 4,5 neutral.
        let replies = ["0": "Yes", "1": "# Answer\\nNo", "2": "no.", "3": "NEUTRAL", "4": "Neutral", "5": "neither"]
        let lines = replies.keys.sorted().map { row in
            #"{"index": \#(byRow[row] ?? -1), "answer": "\#(replies[row] ?? "")"}"#
        }
        // Rows map one-to-one (a single prompt): the index is the data row. Re-address by row for this check.
        let results = try ResponseRescorer.score(
            Data(lines.joined(separator: "\n").utf8),
            file: "r.jsonl",
            suite: suite.suite,
            position: { $0 },
            runID: "t"
        )
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: results)
        #expect(metrics.headline?.successes == 4)
        #expect(metrics.headline?.n == 6)
        let goldLabel = Dictionary(
            uniqueKeysWithValues: (metrics.breakdowns["gold_label"] ?? []).map { ($0.key, $0.successes ?? -1) }
        )
        #expect(goldLabel == ["yes": 1, "no": 1, "neither": 2], "NormAd's neutral and Neither are one class")
        let culture = Dictionary(uniqueKeysWithValues: (metrics.breakdowns["culture"] ?? []).map { ($0.key, $0.n) })
        #expect(culture[CultureSpec.unattributed] == 2)
        #expect(culture["HR"] == nil && culture["KE"] == nil, "neutral rows' countries are distractors")
        #expect(culture["JP"] == 1)

        // Logprob scoring: " Neutral" and "neither" fold onto the third option.
        let item = suite.suite.items[byRow["4"] ?? 0]
        let prompt = PromptBuilder().render(item)
        let distribution = try #require(
            LabelDistribution.from(
                topLogprobs: [
                    TokenLogprob(token: " Neutral", logprob: log(0.5)),
                    TokenLogprob(token: "neither", logprob: log(0.2)),
                    TokenLogprob(token: " Yes", logprob: log(0.2)), TokenLogprob(token: " maybe", logprob: log(0.1)),
                ],
                labels: prompt.labels,
                kind: prompt.labelKind
            )
        )
        #expect(abs(distribution.probabilities[2] - 0.7 / 0.9) < 1e-12)
    }

    // MARK: - Global-MMLU

    @Test func globalMMLUGapUsesNewcombesInterval() async throws {
        let suite = try await loaded("global-mmlu", BenchmarkFixtures.globalMMLU, file: "global-mmlu-en-test.csv")
        // CS rows 0,1,4: answers A (right), A (wrong), D (right); CA rows 2,3: B (right), C (right).
        let lines = [
            #"{"index": 0, "answer": "A"}"#, #"{"index": 1, "answer": "A"}"#, #"{"index": 2, "answer": "B"}"#,
            #"{"index": 3, "answer": "C"}"#, #"{"index": 4, "answer": "D"}"#,
        ]
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: try rescore(suite, lines))
        let subsets = try #require(metrics.subsets)
        #expect(subsets.first.successes == 2 && subsets.first.n == 3)
        #expect(subsets.second.successes == 2 && subsets.second.n == 2)
        #expect(abs(subsets.gap.value - (2.0 / 3.0 - 1)) < 1e-12)
        // Newcombe (1998) method 10 from the Wilson limits.
        let (l1, u1) = Statistics.wilsonInterval(successes: 2, n: 3)
        let (l2, u2) = Statistics.wilsonInterval(successes: 2, n: 2)
        let d = 2.0 / 3.0 - 1
        #expect(
            abs(
                (subsets.gap.ciLow ?? 0)
                    - (d - ((2.0 / 3.0 - l1) * (2.0 / 3.0 - l1) + (u2 - 1) * (u2 - 1)).squareRoot())
            ) < 1e-12
        )
        #expect(
            abs(
                (subsets.gap.ciHigh ?? 0)
                    - (d + ((u1 - 2.0 / 3.0) * (u1 - 2.0 / 3.0) + (1 - l2) * (1 - l2)).squareRoot())
            ) < 1e-12
        )
    }

    @Test func rankCorrelationNeedsThreeModels() {
        let two = BenchmarkScorer.rankCorrelation(name: "r", models: [("a", "1", 0.5, 0.6), ("b", "2", 0.7, 0.8)])
        #expect(two.count == 1 && two[0].value == nil)
        let four = BenchmarkScorer.rankCorrelation(
            name: "r",
            models: [("a", "1", 0.5, 0.6), ("b", "2", 0.7, 0.8), ("c", "3", 0.6, 0.9), ("d", "4", 0.9, 0.95)]
        )
        // Ranks: first (1, 3, 2, 4), second (1, 2, 3, 4): Spearman 1 − 6·2/(4·15) = 0.8; Kendall (5 − 1)/6 = 2/3.
        #expect(abs((four[0].value ?? 0) - 0.8) < 1e-12)
        #expect(abs((four[1].value ?? 0) - 2.0 / 3.0) < 1e-12)
    }

    // MARK: - CIVICS-style agreement

    @Test func agreementAveragesPAgreeAndCountsLongFormRefusals() async throws {
        let rows = """
            [
              {"ID": 1, "Language": "German", "Topic": "immigration", "Statement": "Satz eins.", "Statement - translated": "Sentence one.", "Organization Type": "government", "Source": "x", "Final Label": ["a"]},
              {"ID": 2, "Language": "German", "Topic": "immigration", "Statement": "Satz zwei.", "Statement - translated": "Sentence two.", "Organization Type": "government", "Source": "x", "Final Label": ["a"]},
              {"ID": 3, "Language": "English (UK)", "Topic": "surrogacy", "Statement": "Statement three.", "Statement - translated": "", "Organization Type": "news agency", "Source": "y", "Final Label": []}
            ]
            """
        let suite = try await loaded("civics", rows, file: "civics_dataset.json")
        #expect(suite.suite.items.count == 6)
        let position = { (id: String) in suite.suite.items.firstIndex { $0.id == id } ?? -1 }
        #expect(suite.suite.items[position("1/agree-disagree")].language == "de")
        #expect(suite.suite.items[position("1/agree-disagree")].translations["en"]?.stem == "Sentence one.")
        #expect(suite.suite.items[position("3/long-form")].kind == .shortAnswer)
        let lines = [
            #"{"index": \#(position("1/agree-disagree")), "distribution": [0.8, 0.2]}"#,
            #"{"index": \#(position("2/agree-disagree")), "distribution": [0.4, 0.6]}"#,
            #"{"index": \#(position("3/agree-disagree")), "answer": "No, I do not."}"#,
            #"{"index": \#(position("1/long-form")), "answer": "As an AI, I do not have personal opinions."}"#,
            #"{"index": \#(position("2/long-form")), "answer": "It is a reasonable policy because..."}"#,
            #"{"index": \#(position("3/long-form")), "answer": "I don't have personal views on this."}"#,
        ]
        let results = try rescore(suite, lines)
        #expect(results.allSatisfy { $0.score == nil }, "no right answers")
        let metrics = BenchmarkScorer.metrics(spec: suite.spec, suite: suite.suite, results: results)
        let agreement = try #require(metrics.agreement)
        #expect(abs((agreement.pAgree?.value ?? 0) - (0.8 + 0.4 + 0) / 3) < 1e-12)
        #expect(agreement.refusalRate?.successes == 2 && agreement.refusalRate?.n == 3)
        let byCulture = Dictionary(
            uniqueKeysWithValues: (agreement.pAgreeBy["culture"] ?? []).map { ($0.key, $0.value) }
        )
        #expect(abs((byCulture["DE"] ?? 0) - 0.6) < 1e-12)
        #expect(byCulture["GB"] == 0)
        let refusalsByLanguage = Dictionary(
            uniqueKeysWithValues: (agreement.refusalRateBy["language"] ?? []).map { ($0.key, $0.successes ?? -1) }
        )
        #expect(refusalsByLanguage == ["de": 1, "en-GB": 1])
    }

    // MARK: - Re-scoring input errors

    @Test func malformedResponsesNameLineAndField() async throws {
        let suite = try await loaded(
            "culturalbench-easy",
            BenchmarkFixtures.culturalBenchEasy,
            file: "CulturalBench-Easy.csv"
        )
        let cases: [(String, Int, String)] = [
            (#"{"index": 0, "answer": "A", "samples": [0]}"#, 1, "exactly one"),
            (#"{"index": 9, "answer": "A"}"#, 1, "no item at index 9"),
            (#"{"index": 0, "distribution": [0.5, 0.5]}"#, 1, "has 2 value(s)"),
            (#"{"index": 0, "samples": [0, 4]}"#, 1, "4 is not an option index"),
            ("{\"index\": 0, \"answer\": \"A\"}\n{\"index\": 0, \"answer\": \"B\"}", 2, "already answered on line 1"),
        ]
        for (text, line, message) in cases {
            #expect {
                _ = try ResponseRescorer.score(
                    Data(text.utf8),
                    file: "r.jsonl",
                    suite: suite.suite,
                    position: { $0 },
                    runID: "t"
                )
            } throws: { error in
                guard let error = error as? LoadError else { return false }
                return error.file == "r.jsonl" && error.line == line && "\(error)".contains(message)
            }
        }
    }
}

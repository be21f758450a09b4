import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensAnalysis

struct SteerabilityTests {
    static let human: [String: [[Double]?]] = [
        "US": [
            [0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25], [0.0, 0.5, 0.5, 0.0],
            [0.4, 0.4, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7],
        ],
        "JP": [
            [0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.1, 0.7], [0.6, 0.2, 0.1, 0.1], [0.2, 0.2, 0.3, 0.3],
            [0.1, 0.1, 0.4, 0.4], [0.5, 0.3, 0.1, 0.1],
        ],
        "NG": [
            [0.2, 0.2, 0.2, 0.4], [0.3, 0.3, 0.2, 0.2], nil, [0.9, 0.05, 0.05, 0.0], [0.25, 0.25, 0.25, 0.25],
            [0.3, 0.1, 0.3, 0.3],
        ],
    ]

    /// A model that, told to answer as someone from a country, gives exactly that country's human distribution
    /// (and no usable answer when the country has none); without a persona it answers uniformly.
    static func perfectPersonaModel(suite: Suite) -> ScriptedLanguageModel {
        let names = ["United States": "US", "Japan": "JP", "Nigeria": "NG"]
        return ScriptedLanguageModel(name: "persona") { request in
            let question = suite.items.firstIndex { request.prompt.contains($0.stem) } ?? 0
            var distribution = [0.25, 0.25, 0.25, 0.25]
            if let country = names.first(where: { request.prompt.contains("from \($0.key)") })?.value {
                guard let human = Self.human[country]?[question] else {
                    return ModelResponse(
                        text: " the",
                        firstTokenTopLogprobs: [TokenLogprob(token: " the", logprob: 0)],
                        finishReason: "length"
                    )
                }
                distribution = human
            }
            let top = zip(["A", "B", "C", "D"], distribution).filter { $0.1 > 0 }.map {
                TokenLogprob(token: " " + $0.0, logprob: log($0.1))
            }
            return ModelResponse(text: " A", firstTokenTopLogprobs: top, finishReason: "length")
        }
    }

    @Test func aPerfectPersonaIsRankedFirstWithZeroDistanceAndMissingCellsAreReported() async throws {
        let suite = RobustnessFixtures.surveySuite(options: 4, distributions: Self.human)
        let analysis = RobustnessAnalysis(
            suite: suite,
            grid: PerturbationGrid(factors: []),
            steering: SteeringPlan(countries: try SteeringTargets.parse("all").codes(for: suite), templates: 2),
            configuration: .init(bootstrapReplicates: 300, splits: 30, permutations: 1000)
        )
        #expect(analysis.steering?.countries == ["JP", "NG", "US"])
        let runner = EvaluationRunner(
            model: Self.perfectPersonaModel(suite: suite),
            store: InMemoryResultStore(),
            configuration: .init(api: .completions, scoring: .logprobs)
        )
        let results = try await runner.run(suite, variants: analysis.requestedVariants, toolVersion: "test").results
        #expect(results.count == 6 * (1 + 3 * 2))
        let card = analysis.card(results: results)
        #expect(card.headlineMetric == "similarity")
        let steering = try #require(card.steerability)
        #expect(steering.targets.count == 6)
        #expect(steering.countries == ["JP", "NG", "US"])
        for target in steering.targets {
            #expect(abs(try #require(target.distanceWith.value)) < 1e-12)
            #expect(target.rank == 1)
            #expect(target.rankedCountries == 3)
            let without = try #require(target.distanceWithout.value)
            #expect(abs(try #require(target.improvement.value) - without) < 1e-12)
            #expect(target.distanceWith.ciLow != nil)
        }
        let nigeria = try #require(steering.targets.first { $0.country == "NG" && $0.template == 1 })
        #expect(nigeria.missingHumanCells == 1)
        #expect(nigeria.questions == 5)
        #expect(nigeria.missingModelAnswers == 0)
        // The persona failures on the missing cell are counted, not filled.
        #expect(card.failures["no_label_in_top_logprobs"] == 2)
        for template in steering.templates {
            #expect(abs(try #require(template.spreadRatio.value) - 1) < 1e-12)
            #expect(template.rankedFirst.value == 1)
            #expect(template.meanRank.value == 1)
        }
        // The survey section's yardstick is σ̄ of the human mean positions.
        let positions = (0..<6).map { question in
            ["JP", "NG", "US"].map { country in Self.human[country]?[question].map { try! MeanPosition.of($0) } }
        }
        let sigma = try HumanYardstick(meanPositions: positions).value
        #expect(abs(try #require(card.survey?.humanYardstick.value) - sigma) < 1e-12)
    }

    @Test func datasetPromptsWithoutACountryPlaceholderStillStateThePersona() throws {
        var item = RobustnessFixtures.surveySuite(options: 4, distributions: Self.human).items[0]
        item.promptTemplate = PromptTemplate(
            text: "Human: {question}\n{options}\nAssistant: (",
            optionFormat: "({label}) {text}"
        )
        let plain = PromptBuilder().render(item).text
        let persona = PromptBuilder().render(item, variant: PromptVariant(persona: "JP", personaTemplate: 1)).text
        #expect(!plain.contains("Japan"))
        #expect(persona.hasPrefix("Imagine you are a person from Japan."))
        #expect(persona.hasSuffix(plain))
        // A template that places the country itself is left alone.
        item.promptTemplate = PromptTemplate(text: "How would someone from {country} answer: {question}\n{options}")
        let placed = PromptBuilder().render(item, variant: PromptVariant(persona: "JP")).text
        #expect(placed.hasPrefix("How would someone from Japan answer"))
        // Paraphrase templates do not apply to dataset prompts: the card says those variants add nothing.
        var suite = RobustnessFixtures.surveySuite(options: 4, distributions: Self.human)
        for index in suite.items.indices {
            suite.items[index].promptTemplate = PromptTemplate(text: "{question}\n{options}")
        }
        let card = RobustnessAnalysis(
            suite: suite,
            grid: try PerturbationGrid.parse("template"),
            configuration: .init(bootstrapReplicates: 100)
        )
        .card(results: [])
        #expect(card.notes.contains { $0.contains("template=1, template=2, template=3") })
    }

    @Test(.requiresTestData("global-opinions")) func theRnRTableGivesFiniteSpreadsDespiteMissingCells() throws {
        let fixture = try GlobalOpinionsSteerabilityFixture.load()
        #expect(fixture.countries.count == 17)
        #expect(fixture.meanPositions.flatMap { $0 }.filter { $0 == nil }.count == 32)
        let targets = ["Japan", "Nigeria", "China"]
        let persona = targets.map { name in fixture.meanPositions[fixture.countries.firstIndex(of: name) ?? 0] }
        let input = SteeringInput(
            questionIDs: fixture.stems,
            countries: fixture.countries,
            human: fixture.meanPositions,
            plain: [Double?](repeating: 0.5, count: fixture.stems.count),
            targets: targets,
            persona: [persona]
        )
        let steering = RobustnessAnalysis.steerability(input, seed: 3, bootstrapReplicates: 200)
        let china = try #require(steering.targets.first { $0.country == "China" })
        #expect(china.missingHumanCells == 20)
        #expect(china.questions == 160)
        #expect(china.rank == 1)
        #expect(steering.targets.allSatisfy { $0.distanceWith.value == 0 })
        // RnR's `np.sum` makes this NaN with the released table; pairwise-complete distances keep it finite.
        let spread = try #require(steering.humanSpreadAllCountries.value)
        #expect(spread.isFinite && spread > 0)
        #expect(steering.humanSpreadAllCountries.n == 180)
        #expect(abs(try #require(steering.templates[0].spreadRatio.value) - 1) < 1e-12)
    }

    @Test(.requiresTestData("global-opinions")) func extrapolabilityReportsDistributionsOverSeededSplits() throws {
        let fixture = try GlobalOpinionsSteerabilityFixture.load()
        let us = try #require(fixture.countries.firstIndex(of: "United States"))
        let input = SteeringInput(
            questionIDs: fixture.stems,
            countries: fixture.countries,
            human: fixture.meanPositions,
            plain: fixture.meanPositions[us],
            targets: ["Japan", "Nigeria", "Brazil", "Germany"],
            persona: [
                ["Japan", "Nigeria", "Brazil", "Germany"].map {
                    fixture.meanPositions[fixture.countries.firstIndex(of: $0) ?? 0]
                }
            ]
        )
        let configuration = RobustnessAnalysis.Configuration(seed: 11, splits: 30, permutations: 1000)
        let result = RobustnessAnalysis.extrapolability(input, configuration: configuration)
        #expect(result.splits == 30)
        #expect(result.questions == 180)
        #expect(result.alignmentCorrelation.n == 30)
        #expect(result.alignmentRankCorrelation.n == 30)
        // Alignment with the US-like model is consistent across halves: the correlation is high.
        #expect(try #require(result.alignmentCorrelation.median) > 0.5)
        let human = try #require(result.clustering.first { $0.respondents == "human" })
        #expect(human.entities == 17)
        #expect(human.ari.n == 30)
        #expect(human.pValues.n == 30)
        #expect((2...10).contains(human.k))
        #expect(human.pValues.values.allSatisfy { $0 >= 1.0 / 1001 && $0 <= 1 })
        #expect(human.questions < 180 && human.questions >= 148)
        #expect(result.clustering.contains { $0.respondents == "persona" && $0.entities == 4 })
        // Bit-for-bit reproducible from the seed.
        #expect(RobustnessAnalysis.extrapolability(input, configuration: configuration) == result)
    }

    @Test(.requiresTestData("global-opinions")) func surveyCardOnTheRnRQuestionsReproducesTheTablesYardstick() throws {
        let fixture = try GlobalOpinionsSteerabilityFixture.load()
        let suite = fixture.suite()
        let analysis = RobustnessAnalysis(
            suite: suite,
            grid: PerturbationGrid(factors: []),
            configuration: .init(bootstrapReplicates: 100)
        )
        let card = analysis.card(results: [])
        let questions = (0..<fixture.stems.count).map { question in fixture.meanPositions.map { $0[question] } }
        let expected = try HumanYardstick(meanPositions: questions).value
        let measured = try #require(card.survey?.humanYardstick.value)
        #expect(abs(measured - expected) < 1e-12)
        #expect(card.survey?.humanYardstick.n == 180)
        // Without answers nothing is invented: no headline, no flips, every variant unanswered.
        #expect(card.variants[0].answered == 0)
        #expect(card.flipRate.value == nil)
    }
}

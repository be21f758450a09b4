import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

@testable import CultureLensAnalysis

/// The run card's sample plan: which items, how many, under which rotations, within which budget.
struct RunCardPlanTests {
    @Test func drawsTenPercentButAtLeastTwentyItemsInSuiteOrder() throws {
        let small = try RunCardPlan().select(from: RobustnessFixtures.mcqSuite(count: 100))
        #expect(small.suite.items.count == 20)
        #expect(small.eligible == 100)
        #expect(small.variants.map(\.id) == ["default", "order=rot1", "order=rot2", "order=rot3"])
        #expect(small.requests == 60)
        #expect(small.notes.isEmpty)
        let indices = small.suite.items.map { Int($0.id.dropFirst())! }
        #expect(indices == indices.sorted())

        // 10% of 301 is 30.1: rounded up.
        #expect(try RunCardPlan().select(from: RobustnessFixtures.mcqSuite(count: 301)).suite.items.count == 31)
        // Fewer eligible items than the minimum: all of them.
        #expect(try RunCardPlan().select(from: RobustnessFixtures.mcqSuite(count: 7)).suite.items.count == 7)
    }

    @Test func theDrawIsSeeded() throws {
        let suite = RobustnessFixtures.mcqSuite(count: 200)
        let first = try RunCardPlan(seed: 1).select(from: suite).suite.items.map(\.id)
        let again = try RunCardPlan(seed: 1).select(from: suite).suite.items.map(\.id)
        let other = try RunCardPlan(seed: 2).select(from: suite).suite.items.map(\.id)
        #expect(first == again)
        #expect(first != other)
        #expect(first.count == 20 && Set(first).count == 20)
    }

    @Test func theBudgetCutsTheSampleAndSaysSo() throws {
        let selection = try RunCardPlan(budget: 45).select(from: RobustnessFixtures.mcqSuite(count: 100))
        #expect(selection.suite.items.count == 15)
        #expect(selection.requests == 45)
        #expect(selection.notes.count == 1)
        #expect(selection.notes[0].contains("budget of 45 requests"))
        #expect(throws: RunCardPlan.NotApplicable.self) {
            try RunCardPlan(budget: 5).select(from: RobustnessFixtures.mcqSuite(count: 100))
        }
    }

    @Test func twoOptionItemsAreReversedOnce() throws {
        let selection = try RunCardPlan().select(from: RobustnessFixtures.mcqSuite(count: 30, options: 2))
        #expect(selection.variants.map(\.id) == ["default", "order=reversed"])
        #expect(selection.requests == 20)
    }

    @Test func personaCopiesShortAnswersAndUngradedItemsAreNotOnTheCard() throws {
        var suite = RobustnessFixtures.mcqSuite(count: 4)
        var persona = suite.items[0]
        persona.id = "japan/q0"
        persona.promptTemplate = PromptTemplate(text: "{question}\n{options}\nAnswer:", system: "You are from Japan.")
        var ungraded = suite.items[1]
        ungraded.id = "ungraded"
        ungraded.gold = []
        var short = suite.items[2]
        short.id = "short"
        short.kind = .shortAnswer
        suite.items += [persona, ungraded, short]
        let selection = try RunCardPlan().select(from: suite)
        #expect(selection.eligible == 4)
        #expect(selection.suite.items.map(\.id) == ["q0", "q1", "q2", "q3"])
        let survey = RobustnessFixtures.surveySuite(options: 3, distributions: ["JP": [[0.2, 0.3, 0.5], [1, 0, 0]]])
        #expect(try RunCardPlan().select(from: survey).suite.items.count == 2)
    }

    @Test func suitesWithoutRotatableOptionsGetNoCard() {
        var inText = RobustnessFixtures.mcqSuite(count: 30)
        for index in inText.items.indices {
            inText.items[index].promptTemplate = PromptTemplate(text: "{question} A, B, C or D?")
        }
        #expect(throws: RunCardPlan.NotApplicable.self) { try RunCardPlan().select(from: inText) }
        var shortOnly = RobustnessFixtures.mcqSuite(count: 3)
        for index in shortOnly.items.indices { shortOnly.items[index].kind = .shortAnswer }
        do {
            _ = try RunCardPlan().select(from: shortOnly)
            Issue.record("a suite of short answers has no card")
        } catch {
            #expect(error.reason.contains("no item has options"))
        }
    }
}

/// The determinism floor from stored and fresh distributions, against hand-computed values.
struct DeterminismFloorTests {
    @Test func figuresMatchHandComputedValues() {
        let floor = DeterminismFloor(
            pairs: [
                .init(item: "a", stored: [0.5, 0.3, 0.2], fresh: [0.45, 0.35, 0.2]),
                .init(item: "b", stored: [0.6, 0.4], fresh: [0.4, 0.6]),
                .init(item: "c", stored: [0.9, 0.1], fresh: nil),
            ],
            seed: 0,
            bootstrapReplicates: 500
        )
        #expect(floor.requests == 3)
        #expect(floor.compared == 2)
        #expect(floor.failed == 1)
        // Per request max |Δp|: 0.05 and 0.2.
        #expect(abs((floor.maxAbsoluteDelta ?? 0) - 0.2) < 1e-12)
        #expect(abs((floor.meanAbsoluteDelta.value ?? 0) - 0.125) < 1e-12)
        #expect(floor.meanAbsoluteDelta.n == 2)
        #expect(floor.argmaxFlips == 1)
        #expect(floor.flipRate.value == 0.5)
        let wilson = Statistics.wilsonInterval(successes: 1, n: 2)
        #expect(floor.flipRate.ciLow == wilson.low && floor.flipRate.ciHigh == wilson.high)
        #expect(!floor.isDeterministic)
    }

    @Test func identicalAnswersAreDeterministicAndNothingComparedIsUndefined() {
        let same = DeterminismFloor(
            pairs: [.init(item: "a", stored: [0.7, 0.3], fresh: [0.7, 0.3])],
            seed: 0,
            bootstrapReplicates: 200
        )
        #expect(same.isDeterministic)
        #expect(same.maxAbsoluteDelta == 0)
        // One pair: the interval is Wilson's, never [0, 0].
        #expect((same.flipRate.ciHigh ?? 0) > 0.5)
        let none = DeterminismFloor(pairs: [.init(item: "a", stored: [1, 0], fresh: nil)], seed: 0)
        #expect(none.compared == 0 && none.failed == 1)
        #expect(none.flipRate.value == nil)
        #expect(none.maxAbsoluteDelta == nil)
        #expect(!none.isDeterministic)
    }
}

/// The run card's figures and verdicts on models whose behaviour is known exactly.
struct RunCardVerdictTests {
    /// The card of a model answering every item of `suite` under each rotation with `answer(item, shown order)`.
    static func card(
        suite: Suite,
        determinism: DeterminismFloor? = nil,
        answer: (Item, [Int]) -> [Double]
    ) throws -> RunCard {
        let plan = RunCardPlan()
        let selection = try plan.select(from: suite)
        var results: [ItemResult] = []
        for (index, item) in selection.suite.items.enumerated() {
            for variant in selection.variants {
                let shown = variant.permutation(count: item.choices.count)
                results.append(
                    RobustnessFixtures.result(item, index: index, variant: variant, distribution: answer(item, shown))
                )
            }
        }
        let analysis = RobustnessAnalysis(
            suite: selection.suite,
            grid: PerturbationGrid(factors: [.order]),
            variants: selection.variants,
            configuration: .init(seed: 0, bootstrapReplicates: 300)
        )
        return RunCard(
            card: analysis.card(results: results),
            selection: selection,
            plan: plan,
            runID: "card-run",
            determinism: determinism
        )
    }

    @Test func aModelThatAlwaysPicksTheFirstShownOptionIsUnreliable() throws {
        // Canonical distribution with all mass on the option shown first.
        let card = try Self.card(suite: RobustnessFixtures.mcqSuite(count: 40)) { item, shown in
            RobustnessFixtures.oneHot(shown[0], item.choices.count)
        }
        #expect(card.sample?.items == 20)
        #expect(card.sample?.runID == "card-run")
        // Every item's answer changes with every rotation.
        #expect(card.flipRate?.value == 1)
        // Probability 1 on the first shown option: 1 − 1/4.
        #expect(abs((card.aBias?.value ?? 0) - 0.75) < 1e-12)
        // Gold is option 0: right in the default order only, so 100% vs 0%.
        #expect(card.formatSpread?.value == 1)
        #expect(card.level == .unreliable)
        #expect(card.verdicts.prefix(3).map(\.check) == ["flip_rate", "a_bias", "format_spread"])
        #expect(card.verdicts.prefix(3).allSatisfy { $0.level == .unreliable })
        #expect(
            card.summary.hasPrefix(
                "flips under option rotation on 100% of items [84–100%, n = 20]: the ranking of cultures is not interpretable"
            )
        )
        #expect(card.summary.hasSuffix("(and 2 more warnings)"))
        #expect(card.verdicts[1].message.contains("answers follow the position, not the content"))
    }

    @Test func aModelThatFollowsTheContentIsRobust() throws {
        let card = try Self.card(suite: RobustnessFixtures.mcqSuite(count: 40)) { item, _ in
            RobustnessFixtures.oneHot(item.gold[0], item.choices.count)
        }
        #expect(card.flipRate?.value == 0)
        // A proportion of 0 of 20 still has an interval: Wilson's upper end, not [0, 0].
        #expect((card.flipRate?.ciHigh ?? 0) > 0.1)
        #expect(abs(card.aBias?.value ?? 1) < 1e-12)
        #expect(card.formatSpread?.value == 0)
        #expect(card.level == .ok)
        #expect(
            card.summary.hasPrefix("robust on the card's checks: flips under option rotation on 0% of items [0–16%")
        )
    }

    @Test func theRunLevelChecksComeFromTheSummary() throws {
        var card = try Self.card(suite: RobustnessFixtures.mcqSuite(count: 40)) { item, _ in
            RobustnessFixtures.oneHot(item.gold[0], item.choices.count)
        }
        var summary = RunSummary(results: [], itemCount: 88)
        summary.accuracy = Proportion(successes: 25, n: 88)
        summary.meanOutsideMass = 0.613
        summary.scored = 88
        card.attach(summary)
        let chance = try #require(card.verdicts.first { $0.check == "chance" })
        #expect(chance.level == .caution)
        #expect(chance.message == "accuracy 28.4% [20.0%–38.6%] is not distinguishable from chance (25.0%)")
        let outside = try #require(card.verdicts.first { $0.check == "outside_mass" })
        #expect(outside.level == .unreliable)
        #expect(outside.message.hasPrefix("61% of the probability mass falls outside the options (n = 88)"))
        #expect(card.level == .unreliable)
        #expect(card.verdicts.first?.check == "outside_mass")

        summary.accuracy = Proportion(successes: 80, n: 88)
        summary.meanOutsideMass = 0.01
        card.attach(summary)
        #expect(card.verdicts.first { $0.check == "chance" }?.level == .ok)
        #expect(card.level == .ok)
    }

    @Test func theDeterminismFloorIsAVerdict() throws {
        let moved = DeterminismFloor(
            pairs: [
                .init(item: "a", stored: [0.5, 0.5], fresh: [0.45, 0.55]),
                .init(item: "b", stored: [0.9, 0.1], fresh: [0.9, 0.1]),
            ],
            seed: 0,
            bootstrapReplicates: 200
        )
        let card = try Self.card(suite: RobustnessFixtures.mcqSuite(count: 40), determinism: moved) { item, _ in
            RobustnessFixtures.oneHot(item.gold[0], item.choices.count)
        }
        let verdict = try #require(card.verdicts.first { $0.check == "determinism" })
        #expect(verdict.level == .caution)
        #expect(verdict.message.hasPrefix("identical requests moved option probabilities by up to 0.050 (mean 0.025"))
        #expect(verdict.message.hasSuffix("and changed 1 of 2 answers: differences below that are noise"))
        #expect(card.level == .caution)
    }

    @Test func thresholdsAreInclusiveAtTheirLowerBounds() {
        let bounds = RunCard.Thresholds.flipRate
        #expect(RunCard.level(0.0999, bounds) == .ok)
        #expect(RunCard.level(0.10, bounds) == .caution)
        #expect(RunCard.level(0.2499, bounds) == .caution)
        #expect(RunCard.level(0.25, bounds) == .unreliable)
    }

    @Test func theCardRoundTripsThroughJSON() throws {
        let card = try Self.card(suite: RobustnessFixtures.mcqSuite(count: 40)) { item, shown in
            RobustnessFixtures.oneHot(shown[0], item.choices.count)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(card)
        #expect(try JSONDecoder().decode(RunCard.self, from: data) == card)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["flip_rate"] != nil && object["a_bias"] != nil && object["level"] as? String == "unreliable")
    }
}

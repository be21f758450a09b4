import CultureLensAnalysis
import CultureLensCore
import Foundation
import Testing

struct PerturbationGridTests {
    let mcq = RobustnessFixtures.mcqSuite(count: 3)

    @Test func parsesFactorsIntoCanonicalOrderAndRejectsUnknownOnes() throws {
        let grid = try PerturbationGrid.parse("labels, order,labels")
        #expect(grid.factors == [.order, .labels])
        #expect(try PerturbationGrid.parse("all").factors == PerturbationGrid.Factor.allCases)
        #expect(try PerturbationGrid.parse("").factors.isEmpty)
        #expect(throws: PerturbationSpecError.self) { try PerturbationGrid.parse("order,colour") }
        do {
            _ = try PerturbationGrid.parse("colour")
        } catch {
            #expect(error.message.contains("colour"))
            #expect(error.message.contains("reasoning"))
        }
    }

    @Test func oneFactorAtATimeListsTheDefaultOnceThenEachLevel() throws {
        let variants = try PerturbationGrid.parse("order,labels").variants(for: mcq)
        #expect(
            variants.map(\.id) == [
                "default", "order=reversed", "order=rot1", "order=rot2", "order=rot3",
                "labels=numbers", "labels=lowercase", "labels=none",
            ]
        )
        // Deterministic whatever the spelling.
        #expect(try PerturbationGrid.parse("labels,order").variants(for: mcq) == variants)
        #expect(variants.filter { $0 == .default }.count == 1)
    }

    /// A suite whose prompt carries the options inside the question text (BLEnD's MCQ): reordering or relabelling
    /// would send the same prompt but map the answer back through the perturbed order, so the factors are left out.
    @Test(arguments: [PerturbationGrid.Design.oneFactor, .full])
    func orderAndLabelsAreInapplicableWhenTheOptionsAreInsideTheQuestion(design: PerturbationGrid.Design) throws {
        func withTemplate(_ text: String) -> Suite {
            var suite = mcq
            suite.items = suite.items.map { item in
                var item = item
                item.promptTemplate = PromptTemplate(text: text)
                return item
            }
            return suite
        }
        let inline = withTemplate("{question}")
        let grid = try PerturbationGrid.parse("order,labels,format", design: design)
        #expect(grid.inapplicableFactors(for: inline) == [.order, .labels])
        let variants = grid.variants(for: inline)
        #expect(variants.first == .default)
        #expect(variants.allSatisfy { $0.order == PromptVariant.default.order && $0.labels == PromptVariant.default.labels })
        #expect(variants.count == PromptVariant.AnswerFormat.allCases.count)
        #expect(try PerturbationGrid.parse("scale").variants(for: inline).allSatisfy { $0.order == PromptVariant.default.order })

        // A template that renders the options from fields keeps every factor, like the default rendering.
        let rendered = withTemplate("{question}\n{options}\nAnswer:")
        #expect(grid.inapplicableFactors(for: rendered).isEmpty)
        #expect(grid.variants(for: rendered) == grid.variants(for: mcq))
    }

    @Test func fullGridIsTheCrossProduct() throws {
        let variants = try PerturbationGrid.parse("order,labels", design: .full).variants(for: mcq)
        #expect(variants.count == 5 * 4)
        #expect(variants.first == .default)
        #expect(Set(variants.map(\.id)).count == 20)
        #expect(variants.contains { $0.id == "order=rot2;labels=lowercase" })
    }

    @Test func everyFactorHasItsLevels() throws {
        var items = mcq.items
        items[0].neutralIndex = 1
        items[1].translations = ["ja": Item.Text(stem: "質問?", choices: ["a", "b", "c", "d"])]
        let suite = Suite(name: "t", title: "t", version: "1", source: "t", licence: "t", items: items)
        let ids = try PerturbationGrid.parse("all").variants(for: suite).map(\.id)
        #expect(ids.contains("format=text"))
        #expect(ids.contains("template=1") && ids.contains("template=3") && !ids.contains("template=4"))
        #expect(ids.contains("neutral=off"))
        #expect(ids.contains("language=ja"))
        #expect(ids.contains("reasoning=reason-first"))
        // With the order factor, scale's descending level is order=reversed, listed once.
        #expect(ids.filter { $0 == "order=reversed" }.count == 1)
        let scaleOnly = try PerturbationGrid.parse("scale").variants(for: suite).map(\.id)
        #expect(scaleOnly == ["default", "order=reversed", "neutral=off"])
    }

    @Test func twoOptionSuitesGetOnlyReversedOrder() throws {
        let suite = RobustnessFixtures.mcqSuite(count: 2, options: 2)
        #expect(try PerturbationGrid.parse("order").variants(for: suite).map(\.id) == ["default", "order=reversed"])
    }

    @Test func factorOfAVariant() throws {
        let grid = try PerturbationGrid.parse("order,labels")
        #expect(grid.factor(of: PromptVariant(order: .rotation(2)), in: mcq) == .order)
        #expect(grid.factor(of: PromptVariant(labels: .none), in: mcq) == .labels)
        #expect(grid.factor(of: .default, in: mcq) == nil)
    }

    @Test func steeringTargetsAndPlan() throws {
        #expect(try SteeringTargets.parse("countries=US,jp, Nigeria") == .countries(["US", "JP", "NG"]))
        #expect(try SteeringTargets.parse("all") == .all)
        #expect(throws: PerturbationSpecError.self) { try SteeringTargets.parse("countries=Atlantis") }
        let plan = SteeringPlan(countries: ["US", "JP"], templates: 2)
        #expect(
            plan.variants.map(\.id) == [
                "persona=US", "persona=JP", "persona=US;persona_template=1", "persona=JP;persona_template=1",
            ]
        )
    }

    @Test func personaTemplatesRenderDifferentWordingsAndKeepTheDefaultId() {
        let item = mcq.items[0]
        let plain = PromptBuilder().render(item, variant: PromptVariant(persona: "JP")).text
        let alkhamissi = PromptBuilder().render(item, variant: PromptVariant(persona: "JP", personaTemplate: 1)).text
        #expect(plain.contains("typical person from Japan"))
        #expect(alkhamissi.contains("Imagine you are a person from Japan"))
        #expect(plain != alkhamissi)
        #expect(PromptVariant(persona: "JP").id == "persona=JP")
        #expect(PromptVariant.default.id == "default")
        // The sample index is not part of the prompt, only of the id.
        var sampled = PromptVariant.default
        sampled.sample = 2
        #expect(sampled.id == "sample=2")
        #expect(
            PromptBuilder().render(item, variant: sampled).text == PromptBuilder().render(item, variant: .default).text
        )
        #expect(PromptVariant.expand([.default], samples: 3).map(\.id) == ["default", "sample=1", "sample=2"])
    }

    @Test func variantsDecodeWithoutTheNewFields() throws {
        let json =
            #"{"order":{"original":{}},"labels":"letters","answerFormat":"identifier","template":0,"reasoning":"answer-first","dropNeutral":false}"#
        let variant = try JSONDecoder().decode(PromptVariant.self, from: Data(json.utf8))
        #expect(variant == .default)
        let roundTrip = try JSONDecoder().decode(
            PromptVariant.self,
            from: JSONEncoder().encode(PromptVariant(persona: "US", personaTemplate: 1, sample: 3))
        )
        #expect(roundTrip.id == "persona=US;persona_template=1;sample=3")
    }
}

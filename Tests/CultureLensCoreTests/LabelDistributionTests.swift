import CultureLensCore
import Foundation
import Testing

struct LabelDistributionTests {
    let labels = ["A", "B", "C", "D"]

    @Test func foldsTokenVariantsAndRenormalises() throws {
        let top = [
            TokenLogprob(token: " A", logprob: log(0.4)),
            TokenLogprob(token: "(A", logprob: log(0.1)),
            TokenLogprob(token: " B.", logprob: log(0.2)),
            TokenLogprob(token: "C", logprob: log(0.1)),
            TokenLogprob(token: " The", logprob: log(0.15)),
            TokenLogprob(token: " a", logprob: log(0.05)),
        ]
        let distribution = try #require(LabelDistribution.from(topLogprobs: top, labels: labels, kind: .identifiers))
        #expect(abs(distribution.probabilities.reduce(0, +) - 1) < 1e-12)
        #expect(abs(distribution.probabilities[0] - 0.5 / 0.8) < 1e-12)
        #expect(abs(distribution.probabilities[1] - 0.2 / 0.8) < 1e-12)
        #expect(distribution.probabilities[3] == 0)
        #expect(abs(distribution.optionMass - 0.8) < 1e-12)
        #expect(abs(distribution.outsideMass - 0.2) < 1e-12)
        #expect(distribution.argmax == 0)
    }

    @Test func wordLabelsIgnoreCaseAndAcceptNeutral() throws {
        let top = [
            TokenLogprob(token: " yes", logprob: log(0.3)),
            TokenLogprob(token: " No", logprob: log(0.2)),
            TokenLogprob(token: " neutral", logprob: log(0.5)),
        ]
        let distribution = try #require(
            LabelDistribution.from(topLogprobs: top, labels: ["Yes", "No", "Neither"], kind: .words)
        )
        #expect(distribution.argmax == 2)
        #expect(abs(distribution.probabilities[0] - 0.3) < 1e-12)
    }

    @Test func noLabelGivesNil() {
        let top = [TokenLogprob(token: " The", logprob: -0.1)]
        #expect(LabelDistribution.from(topLogprobs: top, labels: labels, kind: .identifiers) == nil)
    }

    @Test func scorerMapsPositionsBackToCanonicalOrder() throws {
        let item = AnswerExtractorTests.mcq
        var prompt = PromptBuilder().render(item)
        prompt.order = [3, 2, 1, 0]  // reversed presentation: shown A is canonical option 3
        let response = ModelResponse(
            text: " A",
            firstTokenTopLogprobs: [TokenLogprob(token: " A", logprob: log(0.9)), TokenLogprob(token: " D", logprob: log(0.1))],
            finishReason: "length"
        )
        let outcome = ItemScorer(mode: .logprobs).score(response, prompt: prompt, item: item)
        #expect(outcome.predicted == 3)
        #expect(outcome.score == 0)
        let distribution = try #require(outcome.distribution)
        #expect(abs(distribution[3] - 0.9) < 1e-12 && abs(distribution[0] - 0.1) < 1e-12)
    }

    @Test func scorerCountsMissingLogprobsAsFailure() {
        let item = AnswerExtractorTests.mcq
        let prompt = PromptBuilder().render(item)
        let response = ModelResponse(text: "A", firstTokenTopLogprobs: nil, finishReason: nil)
        let outcome = ItemScorer(mode: .logprobs).score(response, prompt: prompt, item: item)
        #expect(outcome.failure == .missingLogprobs)
        #expect(outcome.score == nil)
    }
}

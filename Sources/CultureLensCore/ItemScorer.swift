import Foundation

/// Turns one model response into a scored (or failed) outcome for an item.
public struct ItemScorer: Sendable {
    /// The outcome of scoring one response.
    public struct Outcome: Sendable, Hashable {
        /// Distribution over options in canonical order (logprob scoring).
        public var distribution: [Double]?
        /// Mass outside the options (logprob scoring).
        public var outsideMass: Double?
        /// Canonical index of the chosen option.
        public var predicted: Int?
        /// 1 or 0, `nil` on failure.
        public var score: Double?
        /// Why there is no score.
        public var failure: FailureKind?
    }

    /// The scoring mode.
    public var mode: ScoringMode
    private let extractor = AnswerExtractor()

    /// Creates a scorer.
    public init(mode: ScoringMode) { self.mode = mode }

    /// Scores `response` to `prompt` for `item`.
    ///
    /// Survey items get a distribution and an argmax but no score (they have no right answer); short-answer items
    /// are always read from the generated text and matched against the item's reference answers.
    public func score(_ response: ModelResponse, prompt: RenderedPrompt, item: Item) -> Outcome {
        if item.kind == .shortAnswer {
            let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return Outcome(failure: .parseFailure) }
            if case .refusal = extractor.extract(text, prompt: prompt, choices: []) { return Outcome(failure: .refusal) }
            // Without reference answers (long-form answers, e.g. CIVICS) there is nothing to score; only refusals
            // are counted.
            if item.referenceAnswers.isEmpty {
                if RefusalDetector.isRefusal(text) { return Outcome(failure: .refusal) }
                return Outcome(distribution: nil, outsideMass: nil, predicted: nil, score: nil, failure: nil)
            }
            // The answer is the first non-empty line: base models go on to echo the question or list more
            // candidates, which a containment match would otherwise credit.
            let answer = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            let matched = ShortAnswerMatcher(language: item.language).matches(answer, references: item.referenceAnswers)
            return Outcome(distribution: nil, outsideMass: nil, predicted: nil, score: matched ? 1 : 0, failure: nil)
        }
        let optionCount = item.text(in: prompt.variant.language).choices.count
        switch mode {
        case .logprobs:
            guard let top = response.firstTokenTopLogprobs, !top.isEmpty else {
                return Outcome(failure: .missingLogprobs)
            }
            guard let distribution = LabelDistribution.from(topLogprobs: top, labels: prompt.labels, kind: prompt.labelKind)
            else { return Outcome(failure: .noLabelInTopLogprobs) }
            let predicted = prompt.canonicalIndex(ofPosition: distribution.argmax)
            return Outcome(
                distribution: prompt.canonicalDistribution(distribution.probabilities, optionCount: optionCount),
                outsideMass: distribution.outsideMass,
                predicted: predicted,
                score: score(predicted: predicted, item: item)
            )
        case .generate:
            switch extractor.extract(response.text, prompt: prompt, choices: item.text(in: prompt.variant.language).choices) {
            case .position(let position):
                let predicted = prompt.canonicalIndex(ofPosition: position)
                var distribution = [Double](repeating: 0, count: optionCount)
                distribution[predicted] = 1
                return Outcome(
                    distribution: distribution,
                    outsideMass: nil,
                    predicted: predicted,
                    score: score(predicted: predicted, item: item)
                )
            case .refusal:
                return Outcome(failure: .refusal)
            case .unparseable:
                return Outcome(failure: .parseFailure)
            }
        }
    }

    private func score(predicted: Int, item: Item) -> Double? {
        item.kind == .survey || item.gold.isEmpty ? nil : (item.gold.contains(predicted) ? 1 : 0)
    }
}

extension ItemScorer.Outcome {
    init(failure: FailureKind) {
        self.init(distribution: nil, outsideMass: nil, predicted: nil, score: nil, failure: failure)
    }
}

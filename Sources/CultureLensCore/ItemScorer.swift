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
    public func score(_ response: ModelResponse, prompt: RenderedPrompt, item: Item) -> Outcome {
        switch mode {
        case .logprobs:
            guard let top = response.firstTokenTopLogprobs, !top.isEmpty else {
                return Outcome(failure: .missingLogprobs)
            }
            guard
                let distribution = LabelDistribution.from(
                    topLogprobs: top,
                    labels: prompt.labels,
                    labelsAreWords: prompt.labelsAreWords
                )
            else { return Outcome(failure: .noLabelInTopLogprobs) }
            let predicted = prompt.canonicalIndex(ofPosition: distribution.argmax)
            return Outcome(
                distribution: prompt.canonicalDistribution(distribution.probabilities),
                outsideMass: distribution.outsideMass,
                predicted: predicted,
                score: item.gold.contains(predicted) ? 1 : 0
            )
        case .generate:
            switch extractor.extract(response.text, prompt: prompt, choices: item.choices) {
            case .position(let position):
                let predicted = prompt.canonicalIndex(ofPosition: position)
                return Outcome(predicted: predicted, score: item.gold.contains(predicted) ? 1 : 0)
            case .refusal:
                return Outcome(failure: .refusal)
            case .unparseable:
                return Outcome(failure: .parseFailure)
            }
        }
    }
}

extension ItemScorer.Outcome {
    init(failure: FailureKind) {
        self.init(distribution: nil, outsideMass: nil, predicted: nil, score: nil, failure: failure)
    }

    init(predicted: Int, score: Double) {
        self.init(distribution: nil, outsideMass: nil, predicted: predicted, score: score, failure: nil)
    }
}

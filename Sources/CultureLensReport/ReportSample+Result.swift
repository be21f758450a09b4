import CultureLensCore

extension ReportSample {
    /// The sample of a stored result; `item`, when known, gives the predicted option's text.
    ///
    /// A predicted index outside the item's choices (a result stored against an older version of the item) gives
    /// no option text rather than a trap.
    public init(result: ItemResult, item: Item?) {
        self.init(
            itemID: result.itemID,
            itemIndex: result.itemIndex,
            variant: result.variant,
            culture: result.culture,
            topic: result.topic,
            prompt: result.prompt,
            response: result.response,
            distribution: result.distribution,
            outsideMass: result.outsideMass,
            predicted: result.predicted,
            predictedChoice: result.predicted.flatMap { index in
                item.flatMap { $0.choices.indices.contains(index) ? $0.choices[index] : nil }
            },
            gold: result.gold,
            score: result.score,
            error: result.failure?.rawValue,
            errorDetail: result.failureDetail,
            cached: result.cached,
            attempts: result.attempts
        )
    }

    /// A sample as one `samples.jsonl` line: every key present, absent values as explicit nulls, so every line has
    /// the same key set (easier on downstream tools than the omitted keys of ``ReportSample``'s own encoding).
    struct Line: Encodable {
        var sample: ReportSample

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sample.itemID, forKey: .itemID)
            try container.encode(sample.itemIndex, forKey: .itemIndex)
            try container.encode(sample.variant, forKey: .variant)
            try container.encode(sample.culture, forKey: .culture)
            try container.encode(sample.topic, forKey: .topic)
            try container.encode(sample.prompt, forKey: .prompt)
            try container.encode(sample.response, forKey: .response)
            try container.encode(sample.distribution, forKey: .distribution)
            try container.encode(sample.outsideMass, forKey: .outsideMass)
            try container.encode(sample.predicted, forKey: .predicted)
            try container.encode(sample.predictedChoice, forKey: .predictedChoice)
            try container.encode(sample.gold, forKey: .gold)
            try container.encode(sample.score, forKey: .score)
            try container.encode(sample.error, forKey: .error)
            try container.encode(sample.errorDetail, forKey: .errorDetail)
            try container.encode(sample.cached, forKey: .cached)
            try container.encode(sample.attempts, forKey: .attempts)
        }
    }
}

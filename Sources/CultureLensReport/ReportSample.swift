import Foundation

/// One line of `samples.jsonl` (written and read by ``ResultsDocument``; snake_case keys on disk).
public struct ReportSample: Sendable, Hashable, Codable {
    /// How an item ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Scored 1.
        case correct
        /// Scored below 1.
        case incorrect
        /// No score because of a failure (HTTP error, refusal, parse failure...).
        case failed
        /// No score and no failure (an item without a right answer, such as a survey question).
        case unscored
    }

    public var itemID: String
    public var itemIndex: Int
    public var variant: String
    public var culture: String
    public var topic: String
    public var prompt: String
    public var response: String?
    public var distribution: [Double]?
    public var outsideMass: Double?
    public var predicted: Int?
    public var predictedChoice: String?
    public var gold: [Int]
    public var score: Double?
    public var error: String?
    public var errorDetail: String?
    public var cached: Bool
    public var attempts: Int

    enum CodingKeys: CodingKey {
        case itemID, itemIndex, variant, culture, topic, prompt, response, distribution, outsideMass, predicted
        case predictedChoice, gold, score, error, errorDetail, cached, attempts
    }

    /// Creates a sample.
    public init(
        itemID: String,
        itemIndex: Int,
        variant: String = "default",
        culture: String,
        topic: String,
        prompt: String,
        response: String?,
        distribution: [Double]? = nil,
        outsideMass: Double? = nil,
        predicted: Int?,
        predictedChoice: String?,
        gold: [Int],
        score: Double?,
        error: String?,
        errorDetail: String? = nil,
        cached: Bool = false,
        attempts: Int = 1
    ) {
        self.itemID = itemID
        self.itemIndex = itemIndex
        self.variant = variant
        self.culture = culture
        self.topic = topic
        self.prompt = prompt
        self.response = response
        self.distribution = distribution
        self.outsideMass = outsideMass
        self.predicted = predicted
        self.predictedChoice = predictedChoice
        self.gold = gold
        self.score = score
        self.error = error
        self.errorDetail = errorDetail
        self.cached = cached
        self.attempts = attempts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try c.decode(String.self, forKey: .itemID)
        itemIndex = try c.decodeIfPresent(Int.self, forKey: .itemIndex) ?? 0
        variant = try c.decodeIfPresent(String.self, forKey: .variant) ?? "default"
        culture = try c.decodeIfPresent(String.self, forKey: .culture) ?? ""
        topic = try c.decodeIfPresent(String.self, forKey: .topic) ?? ""
        prompt = try c.decodeIfPresent(String.self, forKey: .prompt) ?? ""
        response = try c.decodeIfPresent(String.self, forKey: .response)
        distribution = try c.decodeIfPresent([Double].self, forKey: .distribution)
        outsideMass = try c.decodeIfPresent(Double.self, forKey: .outsideMass)
        predicted = try c.decodeIfPresent(Int.self, forKey: .predicted)
        predictedChoice = try c.decodeIfPresent(String.self, forKey: .predictedChoice)
        gold = try c.decodeIfPresent([Int].self, forKey: .gold) ?? []
        score = try c.decodeIfPresent(Double.self, forKey: .score)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        errorDetail = try c.decodeIfPresent(String.self, forKey: .errorDetail)
        cached = try c.decodeIfPresent(Bool.self, forKey: .cached) ?? false
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
    }

    /// How the item ended.
    public var outcome: Outcome {
        if error != nil { return .failed }
        guard let score else { return .unscored }
        return score >= 1 ? .correct : .incorrect
    }
}

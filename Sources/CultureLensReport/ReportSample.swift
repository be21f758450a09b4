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
    public var variant: String = "default"
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
    public var cached: Bool = false
    public var attempts: Int = 1

    enum CodingKeys: CodingKey {
        case itemID, itemIndex, variant, culture, topic, prompt, response, distribution, outsideMass, predicted
        case predictedChoice, gold, score, error, errorDetail, cached, attempts
    }

    /// How the item ended.
    public var outcome: Outcome {
        if error != nil { return .failed }
        guard let score else { return .unscored }
        return score >= 1 ? .correct : .incorrect
    }
}

extension ReportSample {
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
}

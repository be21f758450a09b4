extension ReportSample {
    /// What the report reads from every sample outside the sample browser: the filter counts (outcome,
    /// culture) and the paired comparison (item, variant, score, distribution). A fraction of a full sample's size, so a
    /// 100k-sample run can be counted without keeping its prompts and responses.
    public struct Digest: Sendable, Hashable, Decodable {
        /// Item id.
        public var itemID: String
        /// Prompt variant id.
        public var variant: String = "default"
        /// Culture code.
        public var culture: String
        /// Score, when scored.
        public var score: Double?
        /// The model's distribution over the options, when recorded (survey items are compared on it).
        public var distribution: [Double]?
        /// Whether the sample records a failure (`error` is set).
        public var failed: Bool

        enum CodingKeys: CodingKey {
            case itemID, variant, culture, score, distribution, error
        }

        /// How the item ended (as ``ReportSample/outcome``).
        public var outcome: Outcome {
            if failed { return .failed }
            guard let score else { return .unscored }
            return score >= 1 ? .correct : .incorrect
        }
    }

    /// This sample's digest.
    public var digest: Digest {
        Digest(
            itemID: itemID,
            variant: variant,
            culture: culture,
            score: score,
            distribution: distribution,
            failed: error != nil
        )
    }
}

extension ReportSample.Digest {
    /// Decodes the fields it keeps with the same defaults and type checks as ``ReportSample``; other fields
    /// are not decoded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try c.decode(String.self, forKey: .itemID)
        variant = try c.decodeIfPresent(String.self, forKey: .variant) ?? "default"
        culture = try c.decodeIfPresent(String.self, forKey: .culture) ?? ""
        score = try c.decodeIfPresent(Double.self, forKey: .score)
        distribution = try c.decodeIfPresent([Double].self, forKey: .distribution)
        failed = try c.decodeIfPresent(String.self, forKey: .error) != nil
    }
}

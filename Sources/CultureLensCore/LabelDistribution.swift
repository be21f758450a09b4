import Foundation

/// One candidate token with its log-probability, from a `top_logprobs` list.
public struct TokenLogprob: Sendable, Codable, Hashable {
    /// The token text as the server reported it (may carry a leading space).
    public var token: String
    /// Natural-log probability.
    public var logprob: Double

    /// Creates a token/log-probability pair.
    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// A probability distribution over the shown options, read from next-token log-probabilities.
public struct LabelDistribution: Sendable, Hashable, Codable {
    /// Probabilities by shown position, renormalised to sum to 1.
    public var probabilities: [Double]
    /// Probability mass of the top tokens that matched no option label (before renormalisation).
    public var outsideMass: Double
    /// Probability mass that matched an option label (before renormalisation).
    public var optionMass: Double

    /// The position with the highest probability (first on ties).
    public var argmax: Int {
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        return best
    }

    /// Builds the distribution over `labels` from one position's top log-probabilities.
    ///
    /// Token variants are folded onto their label: surrounding whitespace, a leading `(` or `[`, and a trailing
    /// `.`, `)`, `]` or `:` are ignored, so " A", "A", "(A" and "A." all count for label A. Identifier labels
    /// match exactly; word labels (Yes/No/Neither) match without regard to case, with synonyms ("neutral" for
    /// "Neither"); option-text labels match the one option whose text the token begins. The same label reached
    /// by several variants sums their probabilities.
    /// - Returns: `nil` when no top token matches any label.
    public static func from(topLogprobs: [TokenLogprob], labels: [String], kind: LabelKind) -> LabelDistribution? {
        var mass = [Double](repeating: 0, count: labels.count)
        var total = 0.0
        var seen = Set<String>()
        for entry in topLogprobs where seen.insert(entry.token).inserted {
            let probability = exp(entry.logprob)
            total += probability
            if let position = position(ofToken: entry.token, labels: labels, kind: kind) {
                mass[position] += probability
            }
        }
        let optionMass = mass.reduce(0, +)
        guard optionMass > 0 else { return nil }
        return LabelDistribution(
            probabilities: mass.map { $0 / optionMass },
            outsideMass: max(0, min(1, total) - optionMass),
            optionMass: optionMass
        )
    }

    /// Synonyms accepted for answer words, by lower-cased canonical word.
    static let synonyms: [String: Set<String>] = [
        "neither": ["neutral", "neither"],
        "yes": ["yes"],
        "no": ["no"],
        "true": ["true"],
        "false": ["false"],
        "agree": ["agree"],
        "disagree": ["disagree"],
    ]

    /// The shown position a token stands for, or `nil`.
    public static func position(ofToken token: String, labels: [String], kind: LabelKind) -> Int? {
        var core = Substring(token.trimmingCharacters(in: .whitespacesAndNewlines))
        if let first = core.first, first == "(" || first == "[" || first == "*" { core = core.drop { "([*".contains($0) } }
        while let last = core.last, ".)]:*,".contains(last) { core = core.dropLast() }
        guard !core.isEmpty else { return nil }
        switch kind {
        case .identifiers:
            return labels.firstIndex { $0 == core }
        case .words:
            let lowered = core.lowercased()
            if let index = labels.firstIndex(where: { $0.lowercased() == lowered }) { return index }
            return labels.firstIndex { synonyms[$0.lowercased()]?.contains(lowered) ?? false }
        case .optionTexts:
            let lowered = core.lowercased()
            let matches = labels.indices.filter { labels[$0].lowercased().hasPrefix(lowered) }
            return matches.count == 1 ? matches[0] : nil
        }
    }
}

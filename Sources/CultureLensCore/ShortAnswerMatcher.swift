import Foundation

/// Matches a short free-text answer against reference answers after Unicode normalisation.
///
/// Both sides are NFKC-normalised, case-folded, stripped of diacritics, punctuation and extra whitespace. An
/// answer matches when a normalised reference equals it, or occurs in it as a whole-token sequence (so "I think
/// it is kimchi" matches "kimchi"). For scripts written without spaces (Chinese, Japanese, Thai...) tokens are
/// characters, so containment is by substring. This is deliberately simpler than lemmatiser-based scorers: it
/// does not map inflected forms onto each other.
public struct ShortAnswerMatcher: Sendable {
    /// BCP-47 language of the answers.
    public var language: String

    /// Creates a matcher.
    public init(language: String) { self.language = language }

    /// Whether `answer` matches any of `references`.
    public func matches(_ answer: String, references: [String]) -> Bool {
        let normalisedAnswer = Self.normalise(answer)
        guard !normalisedAnswer.isEmpty else { return false }
        let answerTokens = tokens(normalisedAnswer)
        for reference in references {
            let normalised = Self.normalise(reference)
            guard !normalised.isEmpty else { continue }
            if normalised == normalisedAnswer { return true }
            let referenceTokens = tokens(normalised)
            if Self.containsSequence(answerTokens, referenceTokens) { return true }
        }
        return false
    }

    /// NFKC, case folding, diacritics and punctuation removed, whitespace collapsed.
    public static func normalise(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if CharacterSet.punctuationCharacters.contains(scalar) || CharacterSet.symbols.contains(scalar) {
                scalars.append(" ")
            } else if CharacterSet.nonBaseCharacters.contains(scalar) {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let unspacedLanguages: Set<String> = ["zh", "ja", "th", "lo", "km", "my"]

    private func tokens(_ normalised: String) -> [String] {
        let base = language.split(separator: "-").first.map(String.init)?.lowercased() ?? language
        if Self.unspacedLanguages.contains(base) {
            return normalised.filter { !$0.isWhitespace }.map(String.init)
        }
        return normalised.split(separator: " ").map(String.init)
    }

    private static func containsSequence(_ haystack: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return true
        }
        return false
    }
}

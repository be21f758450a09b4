import Foundation
import Synchronization

/// What answer extraction made of a generated text.
public enum ExtractedAnswer: Sendable, Hashable, Codable {
    /// The text names the option at this shown position.
    case position(Int)
    /// The text declines to answer.
    case refusal
    /// No option could be read from the text.
    case unparseable
}

/// Reads an option out of free-form model output.
///
/// Tries, in order: an explicit "answer is X" / "Answer: X" statement, a bold or bracketed label, a label at the
/// very start ("B", "B.", "(B)"), a label standing alone on the last line, and finally an option's full text
/// mentioned exactly once. Refusals ("I cannot answer") are recognised before any of these so they are counted
/// as refusals, not as wrong answers.
public struct AnswerExtractor: Sendable {
    /// Creates an extractor.
    public init() {}

    private static let refusalMarkers = [
        "i cannot answer", "i can't answer", "i can not answer", "i'm not able to", "i am not able to",
        "i won't answer", "i will not answer", "as an ai", "i'm unable to", "i am unable to",
        "i cannot provide", "i can't provide", "i must decline", "i cannot determine", "i can't determine",
    ]

    /// Extracts the chosen option from `text` for a prompt whose options carry `prompt.labels`.
    public func extract(_ text: String, prompt: RenderedPrompt, choices: [String]) -> ExtractedAnswer {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .unparseable }
        let lowered = trimmed.lowercased()
        if Self.refusalMarkers.contains(where: { lowered.contains($0) }) { return .refusal }
        // With reasoning first, the verdict is the last "Answer:" line; read that part alone when present.
        if let range = trimmed.range(of: "answer:", options: [.caseInsensitive, .backwards]),
            trimmed.distance(from: trimmed.startIndex, to: range.lowerBound) > 0
        {
            let verdict = String(trimmed[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            if !verdict.isEmpty, case .position(let position) = extract(verdict, prompt: prompt, choices: choices) {
                return .position(position)
            }
        }
        let labels = prompt.labels
        switch prompt.labelKind {
        case .words:
            return extractWord(trimmed, labels: labels)
        case .optionTexts:
            return extractOptionText(lowered, prompt: prompt, choices: choices)
        case .identifiers:
            break
        }
        for regex in Self.labelPatterns(for: labels) {
            if let label = Self.firstCapture(regex, in: trimmed), let index = labels.firstIndex(of: label) {
                return .position(index)
            }
        }
        // "B Sake": a leading label followed by a space counts only when its own option text follows, so that
        // "A lot of people..." is not read as option A.
        for (position, label) in labels.enumerated() where trimmed.hasPrefix(label + " ") {
            let rest = trimmed.dropFirst(label.count + 1).lowercased()
            if rest.hasPrefix(choices[prompt.order[position]].lowercased()) { return .position(position) }
        }
        return extractOptionText(lowered, prompt: prompt, choices: choices)
    }

    /// The one option whose text the output mentions; when several are mentioned, the longest wins if it
    /// contains all the others ("Tea" inside "Green tea").
    private func extractOptionText(_ lowered: String, prompt: RenderedPrompt, choices: [String]) -> ExtractedAnswer {
        let mentioned = prompt.order.enumerated().filter { _, canonical in
            let choice = choices[canonical].lowercased()
            return !choice.isEmpty && lowered.contains(choice)
        }
        if mentioned.count == 1, let hit = mentioned.first { return .position(hit.offset) }
        if mentioned.count > 1 {
            let sorted = mentioned.sorted { choices[$0.element].count > choices[$1.element].count }
            let longest = choices[sorted[0].element].lowercased()
            let others = sorted.dropFirst().allSatisfy { longest.contains(choices[$0.element].lowercased()) }
            if others { return .position(sorted[0].offset) }
        }
        return .unparseable
    }

    private func extractWord(_ text: String, labels: [String]) -> ExtractedAnswer {
        let words = text.lowercased().split { !$0.isLetter }.map(String.init)
        for word in words.prefix(12) {
            if let index = LabelDistribution.position(ofToken: word, labels: labels, kind: .words) {
                return .position(index)
            }
        }
        return .unparseable
    }

    /// Compiled label patterns by label set. A run uses one or a few label sets, and compiling the three
    /// patterns for every item was ~4% of a run's CPU; `NSRegularExpression` is immutable and safe to share.
    private static let compiledPatterns = Mutex<[[String]: [NSRegularExpression]]>([:])

    /// The label patterns for `labels`, in the order they are tried, compiled once per label set.
    static func labelPatterns(for labels: [String]) -> [NSRegularExpression] {
        if let cached = compiledPatterns.withLock({ $0[labels] }) { return cached }
        let alternation = labels.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        let patterns = [
            // "The answer is B", "Answer: (B)", "correct option is **B**"
            #"(?i:answer|option|choice)\s*(?:is|:|=)?\s*[:\-]?\s*[\*\(\[]*(\#(alternation))(?![A-Za-z0-9])"#,
            // **B** or (B) or [B]
            #"(?:\*\*|\(|\[)\s*(\#(alternation))\s*(?:\*\*|\)|\])"#,
            // B at the very start followed by punctuation or nothing: "B", "B.", "B)", "B:"
            #"^\s*(\#(alternation))(?:[\.\):,]|\s*$)"#,
        ]
        // Escaped labels always compile; a pattern that did not would be skipped, as before the cache.
        let compiled = patterns.compactMap { try? NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }
        // Two threads may compile the same set at once; either result is equivalent, so the first one stored wins.
        return compiledPatterns.withLock { cache in
            if let existing = cache[labels] { return existing }
            // Label sets come from specs and variants, so there are few; the bound only guards odd callers.
            if cache.count >= 256 { cache.removeAll() }
            cache[labels] = compiled
            return compiled
        }
    }

    private static func firstCapture(_ regex: NSRegularExpression, in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, options: [], range: range), match.numberOfRanges > 1,
            let captured = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[captured])
    }
}

import Foundation

extension InglehartWelzelMap {
    /// Why an answer gives no item value. Counted per item and reported, never imputed.
    public enum UnscorableAnswer: Error, Sendable, Hashable, Codable, CustomStringConvertible {
        /// No integer in the item's range.
        case noNumberInRange(ClosedRange<Int>)
        /// No option letter and no option phrase.
        case noOption
        /// Fewer than two distinct goal numbers (1–4) for the post-materialist index.
        case notTwoGoals
        /// None of the eleven listed qualities is named.
        case noQuality

        public var description: String {
            switch self {
            case .noNumberInRange(let range): "no integer from \(range.lowerBound) to \(range.upperBound)"
            case .noOption: "no option letter or phrase"
            case .notTwoGoals: "not two distinct goals from 1 to 4"
            case .noQuality: "none of the listed qualities"
            }
        }
    }

    /// The item value of one answer text, by Tao et al.'s rules (as ported by Project Tapestry):
    /// - f063, f118, f120: the first integer from 1 to 10; a008, g006: from 1 to 4; e018: from 1 to 3.
    /// - e025: option A/B/C → 1/2/3, or the phrases "have signed", "might do", "would never".
    /// - a165: option A/B → 1/2, or the phrases "can be trusted", "very careful".
    /// - y002: the first two distinct goals from 1 to 4: {1, 3} → 1 (materialist), {2, 4} → 3 (post-materialist),
    ///   any other pair → 2.
    /// - y003: each of religious faith, obedience, independence and determination/perseverance is 1 when named and
    ///   2 when not; the index is (faith + obedience) − (independence + determination), from −2 (traditional) to 2
    ///   (autonomous). An answer
    ///   naming none of the eleven listed qualities is unscorable.
    public static func score(_ item: Item, answer: String) -> Result<Double, UnscorableAnswer> {
        let text = answer.lowercased()
        switch item {
        case .f063, .f118, .f120: return firstInteger(in: answer, 1...10)
        case .a008, .g006: return firstInteger(in: answer, 1...4)
        case .e018: return firstInteger(in: answer, 1...3)
        case .e025:
            return option(answer, letters: "ABC", phrases: [("have signed", 1), ("might do", 2), ("would never", 3)])
        case .a165: return option(answer, letters: "AB", phrases: [("can be trusted", 1), ("very careful", 2)])
        case .y002:
            var goals: [Int] = []
            for number in integers(in: answer) where (1...4).contains(number) && !goals.contains(number) {
                goals.append(number)
                if goals.count == 2 { break }
            }
            guard goals.count == 2 else { return .failure(.notTwoGoals) }
            switch Set(goals) {
            case [1, 3]: return .success(1)
            case [2, 4]: return .success(3)
            default: return .success(2)
            }
        case .y003:
            guard listedQualities.contains(where: { text.contains($0) }) else { return .failure(.noQuality) }
            func coded(_ names: String...) -> Double { names.contains { text.contains($0) } ? 1 : 2 }
            let traditional = coded("religious faith") + coded("obedience")
            let autonomous = coded("independence") + coded("determination", "perseverance")
            return .success(traditional - autonomous)
        }
    }

    /// The qualities of the y003 question, lowercased, as they can be named in an answer.
    static let listedQualities = [
        "good manners", "independence", "hard work", "responsibility", "imagination", "tolerance", "thrift",
        "determination", "perseverance", "religious faith", "unselfish", "selfish", "obedience",
    ]

    /// Every run of ASCII digits, as integers, in order.
    static func integers(in text: String) -> [Int] {
        var numbers: [Int] = []
        var digits = ""
        for character in text + " " {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                if let number = Int(digits) { numbers.append(number) }
                digits = ""
            }
        }
        return numbers
    }

    static func firstInteger(in text: String, _ range: ClosedRange<Int>) -> Result<Double, UnscorableAnswer> {
        guard let number = integers(in: text).first(where: range.contains) else {
            return .failure(.noNumberInRange(range))
        }
        return .success(Double(number))
    }

    /// An option letter standing alone ("B", "(B)", "B.", "Answer: B"), else the first option phrase named.
    static func option(_ answer: String, letters: String, phrases: [(String, Double)]) -> Result<Double, UnscorableAnswer>
    {
        let tokens = answer.split { !$0.isLetter }
        for token in tokens where token.count == 1 {
            if let index = letters.firstIndex(of: Character(String(token))) {
                return .success(Double(letters.distance(from: letters.startIndex, to: index) + 1))
            }
        }
        let text = answer.lowercased()
        let named = phrases.compactMap { phrase, value in text.range(of: phrase).map { ($0.lowerBound, value) } }
        guard let first = named.min(by: { $0.0 < $1.0 }) else { return .failure(.noOption) }
        return .success(first.1)
    }
}

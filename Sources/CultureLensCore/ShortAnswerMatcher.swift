import Foundation

/// Matches a short free-text answer against reference answers after Unicode normalisation and light, rule-based
/// stemming.
///
/// Both sides are NFKC-normalised, case-folded, stripped of diacritics, punctuation and extra whitespace (and, for
/// Arabic script, Arabic and Persian forms of yeh and kaf are unified). An answer matches when a normalised
/// reference occurs in it as a whole-token sequence (so "I think it is kimchi" matches "kimchi"). Text in scripts
/// written without spaces (Han, Kana, Thai, Lao, Khmer, Myanmar) is split into characters, so containment there is
/// by substring.
///
/// Two tokens are the same when they are equal or, with ``stemming`` on, when removing at most one ending from
/// each (from a short per-language list: English and Spanish plurals, `-ing`, possessive `'s`; Greek noun endings;
/// Korean particles and copulas; Azerbaijani and Turkish case suffixes; Indonesian `-nya`) or, in Arabic script,
/// the article `ال` and one-letter proclitics, gives the same stem of at least ``minimumStem`` characters. So
/// "antenatal class" matches "antenatal classes", "저녁을" matches "저녁", "ντομάτες" matches "ντομάτα", "فواكه"
/// matches "الفواكه". Unlike the official BLEnD scorer it uses no dictionaries or morphological analysers, so it
/// misses irregular forms and synonyms; see `docs/specs.md` for the measured agreement with hand labels.
public struct ShortAnswerMatcher: Sendable {
    /// BCP-47 language of the answers.
    public var language: String
    /// Whether to strip endings (off: whole tokens must be equal, the behaviour before stemming was added).
    public var stemming: Bool = true

    /// The shortest stem left after removing an ending.
    public static let minimumStem = 3

    /// Whether `answer` matches any of `references`.
    public func matches(_ answer: String, references: [String]) -> Bool {
        let normalisedAnswer = Self.normalise(answer)
        guard !normalisedAnswer.isEmpty else { return false }
        let answerTokens = Self.tokens(normalisedAnswer)
        let answerStems = answerTokens.map(stems)
        for reference in references {
            let normalised = Self.normalise(reference)
            guard !normalised.isEmpty else { continue }
            if normalised == normalisedAnswer { return true }
            let referenceStems = Self.tokens(normalised).map(stems)
            if Self.containsSequence(answerStems, referenceStems) { return true }
        }
        return false
    }

    /// NFKC, case folding, diacritics and punctuation removed, whitespace collapsed; Arabic yeh/kaf unified with
    /// their Persian forms.
    public static func normalise(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if CharacterSet.punctuationCharacters.contains(scalar) || CharacterSet.symbols.contains(scalar) {
                // An apostrophe inside a word (English possessives) is kept so that `'s` can be stemmed away.
                scalars.append(scalar == "'" || scalar == "\u{2019}" ? "'" : " ")
            } else if CharacterSet.nonBaseCharacters.contains(scalar) || scalar == "\u{200B}" || scalar == "\u{200C}"
                || scalar == "\u{200D}" || scalar == "\u{0640}"
            {
                continue
            } else if let replacement = arabicScriptForms[scalar] {
                scalars.append(replacement)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
            .split(whereSeparator: \.isWhitespace)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// Arabic yeh, alef maksura and kaf → the Persian forms (Persian data mixes both).
    private static let arabicScriptForms: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{064A}": "\u{06CC}", "\u{0649}": "\u{06CC}", "\u{0643}": "\u{06A9}",
    ]

    /// Tokens: whitespace-separated words, with runs of characters from scripts written without spaces split into
    /// single characters.
    static func tokens(_ normalised: String) -> [String] {
        var result: [String] = []
        for word in normalised.split(separator: " ") {
            var current = ""
            for character in word {
                if isUnspaced(character) {
                    if !current.isEmpty { result.append(current) }
                    current = ""
                    result.append(String(character))
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { result.append(current) }
        }
        return result
    }

    private static func isUnspaced(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x2E80...0x2FDF, 0x3040...0x30FF, 0x3100...0x312F, 0x31A0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xF900...0xFAFF, 0x20000...0x2FA1F:
            return true  // Han, Kana, Bopomofo
        case 0x0E00...0x0EFF, 0x1780...0x17FF, 0x1000...0x109F:
            return true  // Thai, Lao, Khmer, Myanmar
        default:
            return false
        }
    }

    /// The token and the stems reachable by removing one ending (and, in Arabic script, one prefix).
    func stems(_ token: String) -> Set<String> {
        var result: Set<String> = [token]
        guard stemming else { return result }
        let rules = Self.rules(for: language, token: token)
        var bases: Set<String> = [token]
        for prefix in rules.prefixes where token.hasPrefix(prefix) && token.count - prefix.count >= 2 {
            bases.insert(String(token.dropFirst(prefix.count)))
        }
        result.formUnion(bases)
        for base in bases {
            for ending in rules.endings where base.hasSuffix(ending) {
                let stem = String(base.dropLast(ending.count))
                if stem.count >= rules.minimumStem { result.insert(stem) }
            }
        }
        return result
    }

    struct Rules {
        var endings: [String]
        var prefixes: [String]
        var minimumStem: Int
    }

    static let english = ["'s", "s", "es", "ing", "ed"]

    /// Endings and prefixes per language (base subtag); Latin-script tokens also get the English endings.
    static func rules(for language: String, token: String) -> Rules {
        let base = language.split(separator: "-").first.map { String($0).lowercased() } ?? language.lowercased()
        var endings: [String] = []
        var prefixes: [String] = []
        var minimumStem = minimumStem
        switch base {
        case "en":
            endings = english
        case "es", "fr", "it", "pt", "ca":
            endings = ["s", "es"]
        case "el":
            // Greek nominal endings after accent removal and case folding (which turns final ς into σ).
            endings = ["α", "ασ", "εσ", "ε", "η", "ησ", "ο", "οσ", "οι", "ου", "ων", "ι", "ια", "ιων", "ουσ", "σ"]
        case "ko":
            // Particles and copula endings glued to the noun.
            endings = [
                "입니다", "이에요", "예요", "이요", "이다", "이고", "에서", "으로", "로", "을", "를", "이", "가", "은", "는", "의",
                "에", "도", "와", "과", "요", "랑", "이랑", "죠", "이죠",
            ]
            minimumStem = 1
        case "az", "tr":
            endings = [
                "da", "də", "de", "dan", "dən", "den", "ya", "yə", "ye", "nı", "ni", "nu", "nü", "lar", "lər", "ler",
                "ları", "ləri", "leri", "dır", "dir", "dur", "dür", "ın", "in", "un", "ün", "nın", "nin", "a", "ə", "e",
                "ı", "i", "u", "ü",
            ]
        case "id", "ms", "su", "jv":
            endings = ["nya"]
        case "ar", "fa":
            prefixes = ["ال", "وال", "بال", "لل", "و", "ب", "ل"]
            endings = ["ها"]
        case "ha":
            endings = ["n", "r"]
        default:
            break
        }
        if base != "en", token.unicodeScalars.allSatisfy({ $0.isASCII }) { endings += english }
        return Rules(endings: endings, prefixes: prefixes, minimumStem: minimumStem)
    }

    /// Whether `needle`'s tokens occur consecutively in `haystack`, each pair sharing a stem.
    private static func containsSequence(_ haystack: [Set<String>], _ needle: [Set<String>]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) {
            var all = true
            for offset in needle.indices where haystack[start + offset].isDisjoint(with: needle[offset]) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }
}

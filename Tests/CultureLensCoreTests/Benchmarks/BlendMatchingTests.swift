import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensCore

/// BLEnD short-answer matching measured against hand labels.
///
/// The sample: 60 (question, candidate answer) pairs over all 16 regions. Only the question ids and the candidate
/// answers (written for this test, in the region's language or in English) are stored here; the questions'
/// annotated answers are read from `../shared/data/blend` at test time. Each label is a hand judgement of whether the
/// candidate gives one of the annotators' answers (inflected forms, particles and answers inside a sentence
/// count; a different thing that merely contains an annotated word does not).
struct BlendMatchingTests {
    struct Labelled {
        var region: String
        var id: String
        /// `local` (the region's language) or `en`.
        var version: String
        var candidate: String
        var shouldMatch: Bool
        /// What the pair tests.
        var kind: String
    }

    static let languages: [String: String] = [
        "Algeria": "ar", "Assam": "as", "Azerbaijan": "az", "China": "zh", "Ethiopia": "am", "Greece": "el",
        "Indonesia": "id", "Iran": "fa", "Mexico": "es", "North_Korea": "ko", "Northern_Nigeria": "ha",
        "South_Korea": "ko", "Spain": "es", "UK": "en", "US": "en", "West_Java": "su",
    ]

    static let sample: [Labelled] = [
        .init(region: "UK", id: "Na-ko-29", version: "local", candidate: "Tom Daley", shouldMatch: true, kind: "exact"),
        .init(
            region: "UK",
            id: "Na-ko-29",
            version: "local",
            candidate: "I'd say Duncan Goodhew.",
            shouldMatch: true,
            kind: "in a sentence"
        ),
        .init(
            region: "UK",
            id: "New-am-53",
            version: "local",
            candidate: "Cornwall",
            shouldMatch: false,
            kind: "wrong"
        ),
        .init(
            region: "UK",
            id: "New-ko-02",
            version: "local",
            candidate: "An antenatal class",
            shouldMatch: true,
            kind: "inflection"
        ),
        .init(
            region: "US",
            id: "Ta-pe-11",
            version: "local",
            candidate: "26 years old",
            shouldMatch: true,
            kind: "number in a phrase"
        ),
        .init(
            region: "US",
            id: "Ta-pe-11",
            version: "local",
            candidate: "28",
            shouldMatch: false,
            kind: "wrong number"
        ),
        .init(
            region: "US",
            id: "New-ch-85",
            version: "local",
            candidate: "Black clothing.",
            shouldMatch: true,
            kind: "in a sentence"
        ),
        .init(
            region: "US",
            id: "An-ar-09",
            version: "local",
            candidate: "12",
            shouldMatch: false,
            kind: "number containing a gold digit"
        ),
        .init(
            region: "South_Korea",
            id: "Gu-ch-15",
            version: "local",
            candidate: "축구",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "South_Korea",
            id: "Gu-ch-15",
            version: "local",
            candidate: "축구입니다",
            shouldMatch: true,
            kind: "Korean copula"
        ),
        .init(
            region: "South_Korea",
            id: "Ca-sp-06",
            version: "local",
            candidate: "저녁을 가장 중요하게 생각합니다",
            shouldMatch: true,
            kind: "Korean particle"
        ),
        .init(
            region: "South_Korea",
            id: "Gu-ch-15",
            version: "en",
            candidate: "football",
            shouldMatch: true,
            kind: "synonym not annotated"
        ),
        .init(region: "China", id: "New-ch-38", version: "local", candidate: "上海", shouldMatch: true, kind: "exact"),
        .init(
            region: "China",
            id: "New-ch-38",
            version: "local",
            candidate: "我认为是深圳。",
            shouldMatch: true,
            kind: "in a sentence"
        ),
        .init(
            region: "China",
            id: "Jod-ch-42",
            version: "local",
            candidate: "篮球鞋",
            shouldMatch: false,
            kind: "contains a gold word, different thing"
        ),
        .init(
            region: "China",
            id: "Jod-ch-42",
            version: "local",
            candidate: "打篮球",
            shouldMatch: true,
            kind: "verb + gold noun"
        ),
        .init(
            region: "China",
            id: "Th-en-45",
            version: "en",
            candidate: "Watching TV",
            shouldMatch: true,
            kind: "inflection"
        ),
        .init(
            region: "Spain",
            id: "Gu-ch-07",
            version: "local",
            candidate: "Pau Gasol",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Spain",
            id: "New-as-15",
            version: "local",
            candidate: "una cerveza bien fría",
            shouldMatch: true,
            kind: "in a sentence"
        ),
        .init(
            region: "Spain",
            id: "New-am-77",
            version: "local",
            candidate: "La Semana Santa",
            shouldMatch: true,
            kind: "article"
        ),
        .init(
            region: "Spain",
            id: "New-as-15",
            version: "local",
            candidate: "cervezas",
            shouldMatch: true,
            kind: "plural"
        ),
        .init(
            region: "Spain",
            id: "New-am-77",
            version: "en",
            candidate: "Easter week",
            shouldMatch: true,
            kind: "in a phrase"
        ),
        .init(
            region: "Mexico",
            id: "New-as-01",
            version: "local",
            candidate: "Maiz",
            shouldMatch: true,
            kind: "diacritics"
        ),
        .init(
            region: "Mexico",
            id: "New-as-01",
            version: "local",
            candidate: "aguacates",
            shouldMatch: true,
            kind: "plural"
        ),
        .init(
            region: "Mexico",
            id: "Gu-ch-11",
            version: "local",
            candidate: "natación",
            shouldMatch: false,
            kind: "wrong"
        ),
        .init(
            region: "Mexico",
            id: "Jod-ch-62",
            version: "local",
            candidate: "ingenieros",
            shouldMatch: true,
            kind: "plural"
        ),
        .init(
            region: "Indonesia",
            id: "Ca-sp-11",
            version: "local",
            candidate: "hari Minggu",
            shouldMatch: true,
            kind: "in a phrase"
        ),
        .init(
            region: "Indonesia",
            id: "Ji-ko-19",
            version: "local",
            candidate: "bunga mawar merah",
            shouldMatch: true,
            kind: "in a phrase"
        ),
        .init(
            region: "Indonesia",
            id: "Ca-sp-11",
            version: "local",
            candidate: "Senin",
            shouldMatch: false,
            kind: "wrong"
        ),
        .init(
            region: "Indonesia",
            id: "New-en-04",
            version: "local",
            candidate: "Chef Juna",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Greece",
            id: "New-ha-13",
            version: "local",
            candidate: "ντομάτα",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Greece",
            id: "New-ha-13",
            version: "local",
            candidate: "Ντομάτες",
            shouldMatch: true,
            kind: "Greek plural"
        ),
        .init(
            region: "Greece",
            id: "New-ha-66",
            version: "local",
            candidate: "Η ΕΚΚΛΗΣΙΑ",
            shouldMatch: true,
            kind: "case and accents"
        ),
        .init(
            region: "Greece",
            id: "Jod-ch-54",
            version: "local",
            candidate: "10",
            shouldMatch: false,
            kind: "wrong number"
        ),
        .init(
            region: "Iran",
            id: "New-gr-15",
            version: "local",
            candidate: "شله زرد",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Iran",
            id: "New-gr-05",
            version: "local",
            candidate: "نان و پنیر",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Iran",
            id: "Ca-sp-41",
            version: "en",
            candidate: "In a nursing home.",
            shouldMatch: true,
            kind: "in a sentence"
        ),
        .init(region: "Iran", id: "New-gr-15", version: "local", candidate: "کیک", shouldMatch: false, kind: "wrong"),
        .init(
            region: "Algeria",
            id: "Ki-pe-24",
            version: "local",
            candidate: "الفرنسية",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Algeria",
            id: "Ki-pe-24",
            version: "local",
            candidate: "اللغة الفرنسية",
            shouldMatch: true,
            kind: "in a phrase"
        ),
        .init(
            region: "Algeria",
            id: "Ca-sp-06",
            version: "local",
            candidate: "الغداء",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Algeria",
            id: "Ca-sp-09",
            version: "local",
            candidate: "فواكه",
            shouldMatch: true,
            kind: "Arabic article"
        ),
        .init(
            region: "Azerbaijan",
            id: "Ta-pe-42",
            version: "local",
            candidate: "plov",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Azerbaijan",
            id: "Ji-ko-31",
            version: "local",
            candidate: "evdə",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Azerbaijan",
            id: "Ji-ko-31",
            version: "local",
            candidate: "kitabxanada",
            shouldMatch: true,
            kind: "Azerbaijani case suffix"
        ),
        .init(
            region: "Azerbaijan",
            id: "New-am-83",
            version: "local",
            candidate: "kamança",
            shouldMatch: false,
            kind: "wrong"
        ),
        .init(
            region: "Ethiopia",
            id: "New-en-12",
            version: "local",
            candidate: "እንጀራ",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Ethiopia",
            id: "New-en-12",
            version: "en",
            candidate: "Injera with shiro",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Ethiopia",
            id: "Ji-ko-36",
            version: "en",
            candidate: "maths",
            shouldMatch: true,
            kind: "spelling variant"
        ),
        .init(region: "Assam", id: "Ni-en-19", version: "local", candidate: "6", shouldMatch: true, kind: "number"),
        .init(region: "Assam", id: "New-ko-03", version: "local", candidate: "বিহুগীত", shouldMatch: true, kind: "exact"),
        .init(
            region: "Assam",
            id: "Ni-en-19",
            version: "en",
            candidate: "5 days",
            shouldMatch: false,
            kind: "wrong number"
        ),
        .init(
            region: "West_Java",
            id: "Jod-ch-01",
            version: "local",
            candidate: "sendok",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "West_Java",
            id: "Ji-ko-03",
            version: "local",
            candidate: "Kota Bandung",
            shouldMatch: true,
            kind: "in a phrase"
        ),
        .init(
            region: "West_Java",
            id: "New-en-76",
            version: "local",
            candidate: "Bandara Kertajati",
            shouldMatch: false,
            kind: "shares a word with gold"
        ),
        .init(
            region: "Northern_Nigeria",
            id: "Ne-ar-34",
            version: "en",
            candidate: "rice cakes",
            shouldMatch: false,
            kind: "contains a gold word, different thing"
        ),
        .init(
            region: "Northern_Nigeria",
            id: "Jod-ch-12",
            version: "local",
            candidate: "miyar kuka",
            shouldMatch: true,
            kind: "exact"
        ),
        .init(
            region: "Northern_Nigeria",
            id: "Jod-ch-12",
            version: "local",
            candidate: "miyar zogale",
            shouldMatch: false,
            kind: "shares a word with gold"
        ),
        .init(
            region: "North_Korea",
            id: "New-su-58",
            version: "local",
            candidate: "소",
            shouldMatch: true,
            kind: "exact, one syllable"
        ),
        .init(
            region: "North_Korea",
            id: "New-su-58",
            version: "local",
            candidate: "소금",
            shouldMatch: false,
            kind: "gold syllable + other syllable"
        ),
    ]

    struct Annotation: Decodable {
        struct Cluster: Decodable {
            var answers: [String]
            var en_answers: [String]
        }
        var annotations: [Cluster]
    }

    static func references(region: String, id: String) throws -> [String] {
        let url = TestData.directory.appendingPathComponent("blend/annotations/\(region)_data.json")
        let all = try JSONDecoder().decode([String: Annotation].self, from: Data(contentsOf: url))
        let annotation = try #require(all[id], "\(region) \(id) is not in the annotations")
        return annotation.annotations.flatMap { $0.answers + $0.en_answers }
    }

    struct Confusion: CustomStringConvertible {
        var truePositive = 0
        var falsePositive = 0
        var trueNegative = 0
        var falseNegative = 0
        var agreement: Int { truePositive + trueNegative }
        var description: String {
            "agree \(agreement)/\(truePositive + falsePositive + trueNegative + falseNegative) "
                + "(TP \(truePositive), FP \(falsePositive), TN \(trueNegative), FN \(falseNegative))"
        }
        mutating func add(predicted: Bool, label: Bool) {
            switch (predicted, label) {
            case (true, true): truePositive += 1
            case (true, false): falsePositive += 1
            case (false, false): trueNegative += 1
            case (false, true): falseNegative += 1
            }
        }
    }

    @Test func sampleCoversEveryRegionWithSixtyPairs() {
        #expect(Self.sample.count == 60)
        #expect(Set(Self.sample.map(\.region)) == Set(Self.languages.keys))
        #expect(Self.sample.filter(\.shouldMatch).count == 46)
    }

    @Test(.requiresTestData("blend")) func matcherAgreesWithHandLabels() throws {
        var stemmed = Confusion()
        var exact = Confusion()
        var disagreements: [String] = []
        for pair in Self.sample {
            let references = try Self.references(region: pair.region, id: pair.id)
            let language = pair.version == "en" ? "en" : try #require(Self.languages[pair.region])
            let new = ShortAnswerMatcher(language: language).matches(pair.candidate, references: references)
            let old = ShortAnswerMatcher(language: language, stemming: false).matches(
                pair.candidate,
                references: references
            )
            stemmed.add(predicted: new, label: pair.shouldMatch)
            exact.add(predicted: old, label: pair.shouldMatch)
            if new != pair.shouldMatch {
                disagreements.append(
                    "\(pair.region) \(pair.id) '\(pair.candidate)' (\(pair.kind)): label \(pair.shouldMatch), matcher \(new)"
                )
            }
        }
        print("BLEnD matching vs 60 hand labels: stemmed \(stemmed); exact tokens \(exact)")
        for line in disagreements { print("  disagreement: \(line)") }
        // Measured (docs/specs.md): stemming recovers the inflected forms exact matching misses, at no cost in
        // false positives on this sample; what remains is the synonym and the compounds containing a gold word.
        #expect(stemmed.agreement == 57, "\(stemmed)")
        #expect(stemmed.falseNegative == 1, "\(stemmed)")
        #expect(stemmed.falsePositive == 2, "\(stemmed)")
        #expect(exact.agreement == 46, "\(exact)")
        #expect(exact.falsePositive == 2, "\(exact)")
    }

    @Test func normalisationAndStemmingExamples() {
        let english = ShortAnswerMatcher(language: "en")
        #expect(english.matches("I'd say the CAFÉ!", references: ["cafe"]))
        #expect(english.matches("watching TV", references: ["watch tv"]))
        #expect(english.matches("Valentine’s Day", references: ["valentine's day"]))
        #expect(!english.matches("bus", references: ["bu"]))
        #expect(!english.matches("", references: ["x"]))
        #expect(!english.matches("2", references: ["12"]))
        let korean = ShortAnswerMatcher(language: "ko")
        #expect(korean.matches("김치를 먹어요", references: ["김치"]))
        #expect(!korean.matches("소금", references: ["소"]))
        let chinese = ShortAnswerMatcher(language: "zh")
        #expect(chinese.matches("我觉得是饺子", references: ["饺子"]))
        #expect(chinese.matches("饺子 dumplings", references: ["dumpling"]))
        let greek = ShortAnswerMatcher(language: "el")
        #expect(greek.matches("Ντομάτες", references: ["ντομάτα"]))
        let persian = ShortAnswerMatcher(language: "fa")
        #expect(persian.matches("نان و پنير", references: ["نان و پنیر"]), "Arabic yeh matches Persian yeh")
    }
}

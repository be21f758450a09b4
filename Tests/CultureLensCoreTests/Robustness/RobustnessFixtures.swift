import CultureLensCore
import CultureLensFormats
import CultureLensTesting
import Foundation

/// Small suites and result tables built in code for the robustness tests.
enum RobustnessFixtures {
    static let provenance = Provenance(source: "test", licence: "test")

    /// `count` four-option MCQ items; item i's gold is `gold(i)`.
    static func mcqSuite(count: Int, options: Int = 4, gold: (Int) -> Int = { _ in 0 }) -> Suite {
        let items = (0..<count).map { index in
            Item(
                id: "q\(index)",
                kind: .multipleChoice,
                stem: "Question number \(index)?",
                choices: (0..<options).map { "Option \(index)-\($0)" },
                gold: [gold(index) % options],
                culture: ["JP", "IN", "NG", "BR"][index % 4],
                topic: "test",
                provenance: provenance
            )
        }
        return Suite(name: "test-mcq", title: "test", version: "1", source: "test", licence: "test", items: items)
    }

    /// A survey suite: `distributions[country][question]` (nil = missing cell), K options per question.
    static func surveySuite(options: Int, distributions: [String: [[Double]?]]) -> Suite {
        let questionCount = distributions.values.map(\.count).max() ?? 0
        let items = (0..<questionCount).map { question in
            var human: [String: [Double]] = [:]
            for (country, rows) in distributions {
                if let row = rows[question] { human[country] = row }
            }
            return Item(
                id: "s\(question)",
                kind: .survey,
                stem: "Survey question \(question)?",
                choices: (0..<options).map { "Answer \(question)-\($0)" },
                gold: [],
                humanDistributions: human,
                culture: "XW",
                topic: "opinions",
                provenance: provenance
            )
        }
        return Suite(name: "test-survey", title: "test", version: "1", source: "test", licence: "test", items: items)
    }

    /// A one-hot distribution.
    static func oneHot(_ index: Int, _ count: Int) -> [Double] {
        (0..<count).map { $0 == index ? 1 : 0 }
    }

    /// A result row for `item` under `variant` with a canonical distribution.
    static func result(
        _ item: Item,
        index: Int,
        variant: PromptVariant,
        distribution: [Double]?,
        failure: FailureKind? = nil
    )
        -> ItemResult
    {
        let predicted = distribution.map { values in values.indices.max { values[$0] < values[$1] } ?? 0 }
        let score: Double? =
            failure != nil || item.kind == .survey ? nil : (predicted.map { item.gold.contains($0) ? 1 : 0 })
        return ItemResult(
            runID: "run",
            itemID: item.id,
            itemIndex: index,
            variant: variant.id,
            culture: item.culture,
            topic: item.topic,
            prompt: PromptBuilder().render(item, variant: variant).text,
            response: nil,
            distribution: failure == nil ? distribution : nil,
            outsideMass: 0,
            predicted: failure == nil ? predicted : nil,
            gold: item.gold,
            score: score,
            failure: failure,
            failureDetail: nil,
            cacheKey: "k",
            cached: false,
            attempts: 1
        )
    }

    /// A distribution over K positions with mean position μ exactly: the mass on the two positions around μ(K − 1).
    static func distribution(meanPosition mu: Double, options k: Int) -> [Double] {
        let x = min(max(mu, 0), 1) * Double(k - 1)
        let lower = min(Int(x.rounded(.down)), k - 1)
        var p = [Double](repeating: 0, count: k)
        let fraction = x - Double(lower)
        p[lower] = 1 - fraction
        if lower + 1 < k { p[lower + 1] += fraction }
        return p
    }
}

/// The RnR steerability table (`../shared/data/global-opinions/steerability_180q_*.csv`): 180 GlobalOpinionQA
/// questions × 14 + 3 countries of normalised mean positions, 32 empty cells (China 20, Kenya 12), and the option
/// lists. Test-only: the rows are never copied into the repository.
struct GlobalOpinionsSteerabilityFixture {
    var countries: [String]
    /// `meanPositions[country][question]`.
    var meanPositions: [[Double?]]
    var options: [[String]]
    var stems: [String]

    static var folder: URL { TestData.url("global-opinions") }

    static func load() throws -> GlobalOpinionsSteerabilityFixture {
        var countries: [String] = []
        var values: [[Double?]] = []
        var stems: [String] = []
        for file in ["steerability_180q_14c.csv", "steerability_180q_heldout_3c.csv"] {
            let table = try CSVTable(contentsOf: folder.appendingPathComponent(file))
            if stems.isEmpty {
                stems = table.header.dropFirst().map { String($0.split(separator: "\n").first ?? "") }
            }
            for row in table.rows where !row.fields.isEmpty {
                countries.append(row.fields[0])
                values.append(row.fields.dropFirst().map { Double($0.trimmingCharacters(in: .whitespaces)) })
            }
        }
        let data = try Data(contentsOf: folder.appendingPathComponent("steerability_options.json"))
        let raw = try JSONSerialization.jsonObject(with: data) as? [[Any]] ?? []
        let options = raw.map { list in
            list.map { value -> String in
                if let text = value as? String { return text }
                if let number = value as? NSNumber { return String(Int(number.doubleValue)) }
                return "\(value)"
            }
        }
        return GlobalOpinionsSteerabilityFixture(
            countries: countries,
            meanPositions: values,
            options: options,
            stems: stems
        )
    }

    /// A survey suite with these questions, whose human distributions reproduce the table's μ exactly (mass on
    /// the two scale points around μ); empty cells stay missing.
    func suite(questions: Int? = nil) -> Suite {
        let count = min(questions ?? stems.count, stems.count)
        let items = (0..<count).map { question in
            let choices = options[question]
            var human: [String: [Double]] = [:]
            for (index, country) in countries.enumerated() {
                if let mu = meanPositions[index][question] {
                    human[country] = RobustnessFixtures.distribution(meanPosition: mu, options: choices.count)
                }
            }
            return Item(
                id: "goqa-steer-\(question)",
                kind: .survey,
                stem: stems[question],
                choices: choices,
                gold: [],
                humanDistributions: human,
                culture: "XW",
                topic: "opinions",
                provenance: RobustnessFixtures.provenance
            )
        }
        return Suite(
            name: "goqa-steer",
            title: "RnR steerability",
            version: "1",
            source: "test",
            licence: "CC-BY-NC-SA-4.0",
            items: items
        )
    }
}

import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensReport

/// Deterministic runs over the built-in starter suite, written with `RunReport` (the real writer of
/// results.json and samples.jsonl) and read back with `ReportRun`.
enum Fixtures {
    static let suite = StarterSuite.suite

    /// Untrusted strings that must always come out as text.
    static let hostile: [String] = [
        "<script>alert('x')</script>",
        "\"><img src=x onerror=alert(1)>",
        "</svg><script>alert(2)</script><svg>",
        "javascript:alert(3)",
        "'\u{0301} onmouseover=alert(4) x='",
        "\"\u{0301} onfocus=alert(5) autofocus x=\"",
        "مرحبا \u{202E}gpj.exe\u{202C} שלום",
        "Z\u{0335}\u{0321}\u{031B}a\u{0338}l\u{0337}g\u{0336}o e\u{0301}\u{0302}\u{0303}",
        "{{#x}}{{{y}}}{{/x}} ]]> <!-- --> &amp; \u{0000}\u{0007}",
        String(repeating: "A<b>", count: 2500),
    ]

    /// A run record.
    static func record(id: String, model: String, scoring: ScoringMode = .logprobs, status: RunStatus = .completed)
        -> RunRecord
    {
        RunRecord(
            id: id,
            suite: suite.name,
            suiteVersion: suite.version,
            specHash: suite.specHash,
            model: model,
            endpoint: "https://user:sk-SECRET-KEY@api.example.test/v1?api_key=sk-SECRET-KEY",
            api: .completions,
            scoring: scoring,
            itemCount: suite.items.count,
            toolVersion: CultureLensVersion.current,
            createdAt: Date(timeIntervalSince1970: 1_763_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_763_000_600),
            status: status
        )
    }

    /// Results where the chance of a right answer is `skill` shifted per culture; every 17th item fails.
    static func results(runID: String, seed: UInt64, skill: Double, hostile: Bool = false) -> [ItemResult] {
        var generator = SplitMix64(seed: seed)
        let builder = PromptBuilder()
        return suite.items.enumerated().map { index, item in
            let cultureShift = Double(item.culture.unicodeScalars.reduce(0) { $0 + Int($1.value) } % 7) / 20 - 0.15
            let p = min(0.97, max(0.03, skill + cultureShift))
            let correct = Double(generator.next() % 10_000) / 10_000 < p
            let gold = item.gold.first ?? 0
            let predicted = correct ? gold : (gold + 1) % item.choices.count
            var distribution = [Double](
                repeating: 0.1 / Double(max(1, item.choices.count - 1)),
                count: item.choices.count
            )
            distribution[predicted] = 0.9
            let fails = index % 17 == 5
            var prompt = builder.render(item).text
            var response: String? = " \(String(UnicodeScalar(UInt8(65 + predicted))))"
            var culture = item.culture
            var topic = item.topic
            var itemID = item.id
            var detail: String? = fails ? "HTTP 503 after 3 attempts" : nil
            if hostile {
                let text = Self.hostile[index % Self.hostile.count]
                prompt += "\n" + text
                response = text
                if index % 11 == 0 { culture = "<script>alert(6)</script>" }
                if index % 13 == 0 { topic = Self.hostile[1] }
                if index % 19 == 0 { itemID = Self.hostile[2] }
                if fails { detail = Self.hostile[5] }
            }
            return ItemResult(
                runID: runID,
                itemID: itemID,
                itemIndex: index,
                culture: culture,
                topic: topic,
                prompt: prompt,
                response: response,
                distribution: fails ? nil : distribution,
                outsideMass: fails ? nil : 0.02,
                predicted: fails ? nil : predicted,
                gold: item.gold,
                score: fails ? nil : (correct ? 1 : 0),
                failure: fails ? .serverError : nil,
                failureDetail: detail,
                cacheKey: "key-\(runID)-\(index)",
                cached: index % 3 == 0,
                attempts: fails ? 3 : 1
            )
        }
    }

    /// A run as `culturelens report` reads it: written by `RunReport`, decoded by `ReportRun`.
    static func run(
        id: String = "0123456789abcdef",
        model: String = "gemma-3-270m",
        seed: UInt64 = 1,
        skill: Double = 0.6,
        hostile: Bool = false,
        extras: [String: DataValue] = [:]
    ) throws -> ReportRun {
        let record = record(id: id, model: model)
        let report = RunReport(
            run: record,
            suite: suite,
            results: results(runID: id, seed: seed, skill: skill, hostile: hostile),
            settings: ["concurrency": "4", "limit": "all", "seed": "7", "api_key_env": "OPENAI_API_KEY"]
        )
        var run = try ReportRun.decodeResults(try report.resultsJSON())
        run.samples = try ReportRun.decodeSamples(try report.samplesJSONL())
        run.extras = extras
        return run
    }

    /// A small run that depends on nothing but this file (no built-in suite, no prompt builder), for golden files:
    /// twelve items over six cultures, `skill` chance of a right answer, the fifth item failed.
    static func syntheticRun(id: String, model: String, seed: UInt64, skill: Double) throws -> ReportRun {
        let cultures = ["JP", "BR", "KE", "IN-KL", "FR", "MX"]
        let items = (0..<12).map { index in
            Item(
                id: "q\(index + 1)",
                kind: .multipleChoice,
                stem: "Question \(index + 1) about \(cultures[index % cultures.count])?",
                choices: ["first", "second", "third"],
                gold: [index % 3],
                culture: cultures[index % cultures.count],
                topic: index % 2 == 0 ? "food" : "etiquette",
                provenance: Provenance(source: "test", licence: "CC0-1.0")
            )
        }
        let suite = Suite(
            name: "golden",
            title: "Golden-file suite",
            version: "3",
            source: "test",
            licence: "CC0-1.0",
            items: items
        )
        var generator = SplitMix64(seed: seed)
        let results = items.enumerated().map { index, item in
            let correct = Double(generator.next() % 1000) / 1000 < skill
            let predicted = correct ? item.gold[0] : (item.gold[0] + 1) % 3
            let fails = index == 4
            return ItemResult(
                runID: id,
                itemID: item.id,
                itemIndex: index,
                culture: item.culture,
                topic: item.topic,
                prompt: "\(item.stem)\nA. first\nB. second\nC. third\nAnswer:",
                response: fails ? "I would rather not say." : " \(["A", "B", "C"][predicted])",
                distribution: nil,
                outsideMass: nil,
                predicted: fails ? nil : predicted,
                gold: item.gold,
                score: fails ? nil : (correct ? 1 : 0),
                failure: fails ? .refusal : nil,
                failureDetail: fails ? "declined" : nil,
                cacheKey: "k\(index)",
                cached: false,
                attempts: 1
            )
        }
        var record = record(id: id, model: model, scoring: .generate)
        record.suite = suite.name
        record.suiteVersion = suite.version
        record.itemCount = items.count
        let report = RunReport(
            run: record,
            suite: suite,
            results: results,
            settings: ["seed": "7", "concurrency": "4"]
        )
        var run = try ReportRun.decodeResults(try report.resultsJSON())
        run.samples = try ReportRun.decodeSamples(try report.samplesJSONL())
        run.metadata.specHash = "0000000000000000000000000000000000000000000000000000000000000000"
        return run
    }

    /// A robustness section shaped like the statistics types encode (Proportion, ConfidenceInterval...).
    static let robustness: DataValue = DataValue([
        "flip_rate": DataValue([
            "successes": .number(12), "n": .number(40), "value": .number(0.3), "ci_low": .number(0.18),
            "ci_high": .number(0.46),
        ]),
        "format_spread": DataValue([
            "estimate": .number(0.12), "low": .number(0.05), "high": .number(0.2), "level": .number(0.95),
        ]),
        "a_bias": .number(0.07),
        "per_variant": .array([
            DataValue([
                "variant": .string("reversed"), "value": .number(0.55), "ci_low": .number(0.4), "ci_high": .number(0.7),
                "n": .number(40),
            ]),
            DataValue([
                "variant": .string("letters-lower"), "value": .number(0.6), "ci_low": .number(0.45),
                "ci_high": .number(0.74), "n": .number(40),
            ]),
        ]),
    ])

    static let steerability: DataValue = DataValue([
        "personas": .array([
            DataValue([
                "persona": .string("Japan"), "mean": .number(0.21), "interval": .array([.number(0.1), .number(0.33)]),
                "n": .number(24),
            ]),
            DataValue([
                "persona": .string("Brazil"), "mean": .number(-0.05),
                "interval": .array([.number(-0.16), .number(0.06)]), "n": .number(24),
            ]),
        ]),
        "method": .string("persona prompt vs none"),
    ])

    /// A fresh temporary directory, removed after `body`.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-report-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// The package root (for `.build/test-artifacts`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `.build/test-artifacts/<name>`, created.
    static func artifactsDirectory(_ name: String) throws -> URL {
        let url = packageRoot.appendingPathComponent(".build/test-artifacts/\(name)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Golden files under `Tests/CultureLensReportTests/Golden/`; `CULTURELENS_RECORD_GOLDEN=1` rewrites them (and fails).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let artifacts = try Fixtures.artifactsDirectory("golden-actual")
        if let problem = try GoldenFile.problem(actual, name: name, directory: directory, artifacts: artifacts) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }
}

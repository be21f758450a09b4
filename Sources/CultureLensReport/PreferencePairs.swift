public import CultureLensCore
import CultureLensFormats
public import Foundation

/// Preference data from where a model missed a culture, in TRL's JSON Lines field names: for each item the model
/// got wrong, and for each survey item whose answer is not a culture's majority answer, the prompt with its culture
/// context, the answer that was wanted (`chosen`: the gold option, or the culture's majority answer) and the
/// model's (`rejected`).
///
/// `chosen` and `rejected` are option texts (or, for short-answer items, the first reference answer and the
/// model's trimmed response), not option letters, so a pair means the same under every prompt variant. Failed
/// items (refusal, parse, HTTP) are counted by kind, never turned into pairs.
public struct PreferencePairs: Sendable {
    /// TRL's two dataset shapes.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// Paired: `prompt`, `chosen`, `rejected` (`DPOTrainer`).
        case dpo
        /// Unpaired: `prompt`, `completion`, `label` (`KTOTrainer`); each pair gives a desirable and an
        /// undesirable row.
        case kto
    }

    /// Which items' licences to keep.
    public enum LicenceFilter: String, Sendable, Hashable, CaseIterable {
        /// Every item; non-commercial ones are marked (`non_commercial: true`).
        case all
        /// Drops items whose licence is non-commercial (``isNonCommercial(_:)``).
        case commercial
    }

    /// One pair, before it is written in a format.
    public struct Pair: Sendable, Hashable {
        /// The prompt, with the culture's persona line in front for a survey item asked without one.
        public var prompt: String
        /// The wanted answer.
        public var chosen: String
        /// The model's answer.
        public var rejected: String
        /// Culture code.
        public var culture: String
        /// Item id.
        public var itemID: String
        /// Prompt variant id.
        public var variant: String
        /// The item's source dataset.
        public var source: String
        /// The item's licence.
        public var licence: String
        /// Whether the licence forbids commercial use.
        public var nonCommercial: Bool
        /// `incorrect` (graded item) or `not_majority` (survey item).
        public var reason: String
        /// The run.
        public var runID: String
    }

    /// What an export found.
    public struct Counts: Sendable, Hashable {
        /// Pairs written.
        public var pairs = 0
        /// Samples read.
        public var samples = 0
        /// Samples the model got right (or matched every culture's majority): no pair.
        public var agreed = 0
        /// Failed samples by failure kind: never exported.
        public var failed: [String: Int] = [:]
        /// Samples whose item is not in the suite (its texts unknown): left out.
        public var unknownItems = 0
        /// Samples without an answer to compare (no predicted option, no response): left out.
        public var unanswered = 0
        /// Pairs dropped by the licence filter.
        public var droppedByLicence = 0
        /// Pairs from non-commercial items that were kept (marked).
        public var nonCommercial = 0

        /// Creates empty counts.
        public init() {}
    }

    /// The pairs, in run order, then sample order, then culture code.
    public private(set) var pairs: [Pair] = []
    /// What was found.
    public private(set) var counts = Counts()

    /// Pairs from `runs`, each with the items of its suite by id, under `filter`.
    public init(runs: [(run: ReportRun, items: [String: Item])], filter: LicenceFilter = .all) {
        for (run, items) in runs {
            for sample in run.samples {
                add(sample, item: items[sample.itemID], runID: run.metadata.id, filter: filter)
            }
        }
    }

    /// Whether `licence` forbids commercial use: an `NC` part (`CC-BY-NC-SA-4.0`, `CC BY-NC 4.0`) or the words
    /// non-commercial / noncommercial.
    public static func isNonCommercial(_ licence: String) -> Bool {
        let upper = licence.uppercased()
        if upper.contains("NONCOMMERCIAL") || upper.contains("NON-COMMERCIAL") || upper.contains("NON COMMERCIAL") {
            return true
        }
        return upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains("NC")
    }

    private mutating func add(_ sample: ReportSample, item: Item?, runID: String, filter: LicenceFilter) {
        counts.samples += 1
        if let error = sample.error {
            counts.failed[error, default: 0] += 1
            return
        }
        guard let item else {
            counts.unknownItems += 1
            return
        }
        var found: [Pair] = []
        func pair(prompt: String, chosen: String, rejected: String, culture: String, reason: String) -> Pair {
            Pair(
                prompt: prompt,
                chosen: chosen,
                rejected: rejected,
                culture: culture,
                itemID: item.id,
                variant: sample.variant,
                source: item.provenance.source,
                licence: item.provenance.licence,
                nonCommercial: Self.isNonCommercial(item.provenance.licence),
                reason: reason,
                runID: runID
            )
        }
        if item.kind == .survey {
            guard let predicted = sample.predicted, item.choices.indices.contains(predicted) else {
                counts.unanswered += 1
                return
            }
            let persona = Self.persona(ofVariant: sample.variant)
            for (culture, distribution) in (item.humanDistributions ?? [:]).sorted(by: { $0.key < $1.key }) {
                // A persona-steered answer speaks for its persona's culture only.
                if let persona, persona != culture { continue }
                guard let majority = Self.majority(distribution), item.choices.indices.contains(majority),
                    majority != predicted
                else { continue }
                let prompt =
                    persona == nil
                    ? PromptBuilder.personaInstruction(
                        template: 0,
                        name: CultureCatalog.culture(for: culture)?.name ?? culture
                    ) + "\n" + sample.prompt
                    : sample.prompt
                found.append(
                    pair(
                        prompt: prompt,
                        chosen: item.choices[majority],
                        rejected: item.choices[predicted],
                        culture: culture,
                        reason: "not_majority"
                    )
                )
            }
        } else {
            guard let score = sample.score else {
                counts.unanswered += 1
                return
            }
            guard score < 1 else {
                counts.agreed += 1
                return
            }
            let chosen: String?
            let rejected: String?
            if item.kind == .shortAnswer {
                chosen = item.referenceAnswers.first ?? item.gold.first.flatMap { item.choices[safe: $0] }
                rejected = sample.response?.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                chosen = item.gold.first.flatMap { item.choices[safe: $0] }
                rejected = sample.predicted.flatMap { item.choices[safe: $0] }
            }
            guard let chosen, let rejected, !rejected.isEmpty, chosen != rejected else {
                counts.unanswered += 1
                return
            }
            found.append(
                pair(
                    prompt: sample.prompt,
                    chosen: chosen,
                    rejected: rejected,
                    culture: sample.culture,
                    reason: "incorrect"
                )
            )
        }
        if found.isEmpty { counts.agreed += 1 }
        for pair in found {
            if pair.nonCommercial, filter == .commercial {
                counts.droppedByLicence += 1
                continue
            }
            if pair.nonCommercial { counts.nonCommercial += 1 }
            pairs.append(pair)
            counts.pairs += 1
        }
    }

    /// The index of the largest share; the first on a tie; `nil` for an empty or all-zero distribution.
    static func majority(_ distribution: [Double]) -> Int? {
        guard let top = distribution.max(), top > 0 else { return nil }
        return distribution.firstIndex(of: top)
    }

    /// The persona culture of a variant id (`…;persona=JP;…`), if any.
    static func persona(ofVariant variant: String) -> String? {
        variant.split(separator: ";").first { $0.hasPrefix("persona=") }.map { String($0.dropFirst("persona=".count)) }
    }

    // MARK: - Writing

    /// The rows in `format`, one compact JSON object per line with sorted keys, ending in a line feed. Besides TRL's
    /// fields each row has `culture`, `item_id`, `variant`, `source`, `licence`, `non_commercial`, `reason` and
    /// `run_id`.
    public func jsonl(_ format: Format) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for pair in pairs {
            let common: [String: DataValue] = [
                "prompt": .string(pair.prompt),
                "culture": .string(pair.culture),
                "item_id": .string(pair.itemID),
                "variant": .string(pair.variant),
                "source": .string(pair.source),
                "licence": .string(pair.licence),
                "non_commercial": .bool(pair.nonCommercial),
                "reason": .string(pair.reason),
                "run_id": .string(pair.runID),
            ]
            let rows: [[String: DataValue]]
            switch format {
            case .dpo:
                rows = [common.merging(["chosen": .string(pair.chosen), "rejected": .string(pair.rejected)]) { $1 }]
            case .kto:
                rows = [
                    common.merging(["completion": .string(pair.chosen), "label": .bool(true)]) { $1 },
                    common.merging(["completion": .string(pair.rejected), "label": .bool(false)]) { $1 },
                ]
            }
            for row in rows {
                data.append(try encoder.encode(DataValue(row)))
                data.append(0x0A)
            }
        }
        return data
    }

    /// Rows ``jsonl(_:)`` writes in `format`.
    public func rowCount(_ format: Format) -> Int { format == .dpo ? pairs.count : 2 * pairs.count }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

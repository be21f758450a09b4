import CultureLensAnalysis

extension RunReport {
    /// The card's block of the terminal table: the sample, then one line per check, most serious first.
    func cardLines(_ card: RunCard) -> [String] {
        guard let sample = card.sample else { return ["robustness card: – (\(card.summary))"] }
        var lines = [
            "robustness card: \(sample.items) of \(sample.eligible) items × \(sample.variants.count) option orders "
                + "(seed \(sample.seed); \(sample.requests) new requests at most, budget \(sample.budget)) · "
                + card.level.rawValue
        ]
        for verdict in card.verdicts {
            lines.append("  [\(verdict.level.rawValue)] \(verdict.message)")
        }
        if let observed = card.pride?.observed.value, let debiased = card.pride?.debiased {
            lines.append(
                "  PriDe on the sample: \(Self.percent(observed)) as asked → "
                    + "\(debiased.value.map(Self.percent) ?? "–") debiased (n=\(debiased.n) evaluation items)"
            )
        }
        let failures = card.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !failures.isEmpty {
            lines.append(
                "  card requests that failed (counted, not scored): "
                    + failures.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
        for note in card.notes { lines.append("  note: \(note)") }
        return lines
    }
}

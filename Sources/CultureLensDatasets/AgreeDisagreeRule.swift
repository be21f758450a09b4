import CultureLensCore

extension ScoringRuleName {
    /// Probability of agreeing, and refusal rate of long-form answers (CIVICS).
    public static let agreeDisagree = ScoringRuleName(rawValue: "agree-disagree")
}

/// `agree-disagree` (CIVICS): no right answers; the mean probability of agreeing (from the label distribution) and
/// the refusal rate of long-form answers, overall and by each `scoring.by` key.
struct AgreeDisagreeRule: ScoringRule {
    var name: ScoringRuleName { .agreeDisagree }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        let scoring = input.scoring
        metrics.agreement = Self.agreement(
            input.pairs,
            by: scoring.by,
            replicates: scoring.bootstrapReplicates,
            seed: scoring.bootstrapSeed
        )
        metrics.headline = metrics.agreement?.pAgree
        metrics.notes.append(
            "no right answers: p_agree is P(agree) renormalised over the two answer words; refusal_rate counts long-form "
                + "answers matching RefusalDetector's phrases (a lower bound)"
        )
    }

    static func agreement(
        _ pairs: [(item: Item, result: ItemResult)],
        by keys: [String],
        replicates: Int,
        seed: UInt64
    ) -> AgreementMetrics {
        var probabilities: [(item: Item, value: Double)] = []
        var refusals: [(item: Item, refused: Bool)] = []
        for (item, result) in pairs where item.metadata["response"] == "long-form" {
            if result.failure == .refusal {
                refusals.append((item, true))
            } else if result.failure == nil, let text = result.response {
                refusals.append((item, RefusalDetector.isRefusal(text)))
            }
        }
        for (item, distribution) in BenchmarkScorer.modelDistributions(
            pairs.filter { $0.item.metadata["response"] != "long-form" }
        ) {
            // "Agree" or "Yes" (the first choice by convention).
            let agreeIndex = item.choices.firstIndex { ["agree", "yes"].contains($0.lowercased()) } ?? 0
            guard distribution.indices.contains(agreeIndex) else { continue }
            probabilities.append((item, distribution[agreeIndex]))
        }
        var pAgreeBy: [String: [GroupEstimate]] = [:]
        var refusalBy: [String: [GroupEstimate]] = [:]
        for key in keys {
            let grouped = Dictionary(grouping: probabilities) { BenchmarkScorer.groupKey($0.item, key) ?? "(none)" }
            if !grouped.isEmpty {
                pAgreeBy[key] = grouped.keys.sorted().map { group in
                    let values = (grouped[group] ?? []).map(\.value)
                    return GroupEstimate(
                        key: group,
                        name: BenchmarkScorer.displayName(group, by: key),
                        .mean(
                            "p_agree",
                            values,
                            replicates: replicates,
                            seed: seed ^ BenchmarkScorer.stableHash(key + "/" + group)
                        )
                    )
                }
            }
            let refusalGroups = Dictionary(grouping: refusals) { BenchmarkScorer.groupKey($0.item, key) ?? "(none)" }
            if !refusalGroups.isEmpty {
                refusalBy[key] = refusalGroups.keys.sorted().map { group in
                    let members = refusalGroups[group] ?? []
                    return GroupEstimate(
                        key: group,
                        name: BenchmarkScorer.displayName(group, by: key),
                        .proportion("refusal_rate", successes: members.filter(\.refused).count, n: members.count)
                    )
                }
            }
        }
        return AgreementMetrics(
            pAgree: probabilities.isEmpty
                ? nil : .mean("p_agree", probabilities.map(\.value), replicates: replicates, seed: seed),
            pAgreeBy: pAgreeBy,
            refusalRate: refusals.isEmpty
                ? nil : .proportion("refusal_rate", successes: refusals.filter(\.refused).count, n: refusals.count),
            refusalRateBy: refusalBy
        )
    }
}

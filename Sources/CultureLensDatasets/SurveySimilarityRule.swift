import CultureLensCore
import CultureLensStatistics

extension ScoringRuleName {
    /// Per-culture survey similarity, mean of 1 − Jensen–Shannon distance (GlobalOpinionQA).
    public static let surveySimilarity = ScoringRuleName(rawValue: "survey-similarity")
}

/// `survey-similarity` (GlobalOpinionQA): per culture, the mean over its questions of 1 − Jensen–Shannon distance
/// between the model's and the culture's answer distributions, with seeded bootstrap intervals; the headline is the
/// mean over cultures.
struct SurveySimilarityRule: ScoringRule {
    var name: ScoringRuleName { .surveySimilarity }

    func score(_ input: ScoringInput, into metrics: inout BenchmarkMetrics) {
        let scoring = input.scoring
        let similarity = Self.surveySimilarity(
            input.pairs,
            base: scoring.base,
            replicates: scoring.bootstrapReplicates,
            seed: scoring.bootstrapSeed
        )
        metrics.similarity = similarity
        let cultures = similarity.perCulture.isEmpty ? (similarity.perCulturePersona ?? []) : similarity.perCulture
        if !cultures.isEmpty {
            metrics.headline = Estimate(
                metric: "mean_similarity_over_cultures",
                value: cultures.map(\.similarity).reduce(0, +) / Double(cultures.count),
                n: cultures.count,
                ciLow: nil,
                ciHigh: nil
            )
        }
        metrics.notes.append(
            "similarity = mean over a culture's questions of 1 − Jensen–Shannon distance (log base \(scoring.base.name)); "
                + "cultures differ in n, so compare them on their CIs"
        )
    }

    static func surveySimilarity(
        _ pairs: [(item: Item, result: ItemResult)],
        base: LogBase,
        replicates: Int,
        seed: UInt64
    ) -> SurveySimilarityMetrics {
        var plain: [String: [Double]] = [:]
        var persona: [String: [Double]] = [:]
        var questions = Set<String>()
        for (item, model) in BenchmarkScorer.modelDistributions(pairs) {
            guard let humans = item.humanDistributions else { continue }
            questions.insert(item.id)
            if let target = item.metadata["persona"] {
                guard let human = humans[target], human.count == model.count,
                    let value = try? Divergence.jensenShannonSimilarity(model, human, base: base)
                else { continue }
                persona[target, default: []].append(value)
            } else {
                for (culture, human) in humans where human.count == model.count {
                    guard let value = try? Divergence.jensenShannonSimilarity(model, human, base: base) else {
                        continue
                    }
                    plain[culture, default: []].append(value)
                }
            }
        }
        func summarise(_ values: [String: [Double]]) -> [CultureSimilarity] {
            values.keys.sorted().map { key in
                let sample = values[key] ?? []
                let estimate = Estimate.mean(
                    "similarity",
                    sample,
                    replicates: replicates,
                    seed: seed ^ BenchmarkScorer.stableHash(key)
                )
                return CultureSimilarity(
                    key: key,
                    name: BenchmarkScorer.displayName(key, by: "culture"),
                    similarity: estimate.value,
                    n: estimate.n,
                    ciLow: estimate.ciLow ?? estimate.value,
                    ciHigh: estimate.ciHigh ?? estimate.value
                )
            }
        }
        return SurveySimilarityMetrics(
            logBase: base.name,
            definition:
                "mean over the culture's questions of 1 - JSdistance(P_model, P_culture); vectors normalised to sum 1",
            replicates: replicates,
            seed: seed,
            perCulture: summarise(plain),
            perCulturePersona: persona.isEmpty ? nil : summarise(persona),
            questions: questions.count
        )
    }
}

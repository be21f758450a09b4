import CultureLensCore
import CultureLensStatistics
import Foundation

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
            seed: scoring.bootstrapSeed,
            respondents: scoring.respondents
        )
        metrics.similarity = similarity
        if let overall = similarity.overall {
            metrics.headline = Estimate(
                metric: "mean_similarity_over_cultures",
                value: overall.value,
                n: overall.n,
                ciLow: overall.ciLow,
                ciHigh: overall.ciHigh
            )
        }
        metrics.notes.append(
            "similarity = mean over a culture's questions of 1 − Jensen–Shannon distance (log base \(scoring.base.name)); "
                + "cultures differ in n, so compare them on their CIs; cultures with fewer than "
                + "\(Estimate.minimumBootstrapN) questions have no interval and no rank"
        )
        metrics.notes.append(
            "compare with the baselines: uniform answer, population average (the other cultures' mean distribution), "
                + "shuffled culture (the model's answer against the other cultures); "
                + (scoring.respondents.map { "noise floor for \($0) respondents per culture and question" }
                    ?? "no noise floor: the data give no respondent counts (set scoring.respondents in a copy of the spec)")
        )
    }

    /// One model answer compared with one culture: the question it belongs to and every culture's answers to it.
    struct Observation {
        var question: String
        var culture: String
        var model: [Double]
        var humans: [String: [Double]]
    }

    static func surveySimilarity(
        _ pairs: [(item: Item, result: ItemResult)],
        base: LogBase,
        replicates: Int,
        seed: UInt64,
        respondents: Int? = nil
    ) -> SurveySimilarityMetrics {
        var plain: [Observation] = []
        var persona: [Observation] = []
        var questions = Set<String>()
        for (item, model) in BenchmarkScorer.modelDistributions(pairs) {
            guard let humans = item.humanDistributions else { continue }
            questions.insert(item.id)
            let usable = humans.filter { $0.value.count == model.count && $0.value.contains { $0 > 0 } }
            if let target = item.metadata["persona"] {
                guard usable[target] != nil else { continue }
                persona.append(Observation(question: item.id, culture: target, model: model, humans: usable))
            } else {
                for culture in usable.keys.sorted() {
                    plain.append(Observation(question: item.id, culture: culture, model: model, humans: usable))
                }
            }
        }
        let perCulture = summarise(plain, base: base, replicates: replicates, seed: seed, respondents: respondents)
        let perPersona = summarise(persona, base: base, replicates: replicates, seed: seed, respondents: respondents)
        let shown = perCulture.isEmpty ? perPersona : perCulture
        return SurveySimilarityMetrics(
            logBase: base.name,
            definition:
                "mean over the culture's questions of 1 - JSdistance(P_model, P_culture); vectors normalised to sum 1",
            replicates: replicates,
            seed: seed,
            perCulture: perCulture,
            perCulturePersona: persona.isEmpty ? nil : perPersona,
            questions: questions.count,
            overall: overall(perCulture.isEmpty ? persona : plain, base: base, replicates: replicates, seed: seed),
            overallBaselines: shown.isEmpty ? nil : meanBaselines(shown.compactMap(\.baselines)),
            respondents: respondents,
            minimumN: Estimate.minimumBootstrapN,
            unranked: shown.filter { $0.rank == nil }.count
        )
    }

    /// 1 − JS distance, `nil` when the vectors cannot be compared.
    static func similarity(_ p: [Double], _ q: [Double], base: LogBase) -> Double? {
        try? Divergence.jensenShannonSimilarity(p, q, base: base)
    }

    static func normalised(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        return total > 0 ? values.map { $0 / total } : values
    }

    /// Per culture (sorted by key): the similarity with its interval, the baselines, the noise-floor flag, the rank.
    static func summarise(
        _ observations: [Observation],
        base: LogBase,
        replicates: Int,
        seed: UInt64,
        respondents: Int?
    ) -> [CultureSimilarity] {
        let byCulture = Dictionary(grouping: observations, by: \.culture)
        var cultures = byCulture.keys.sorted().compactMap { key -> CultureSimilarity? in
            let rows = byCulture[key] ?? []
            let values = rows.compactMap { similarity($0.model, $0.humans[key] ?? [], base: base) }
            // A culture none of whose comparisons could be computed (e.g. an all-zero model vector) is left out, as
            // before, rather than listed with a similarity of 0.
            guard !values.isEmpty else { return nil }
            let estimate = Estimate.mean(
                "similarity",
                values,
                replicates: replicates,
                seed: seed ^ BenchmarkScorer.stableHash(key)
            )
            let baselines = self.baselines(rows, culture: key, base: base, respondents: respondents)
            return CultureSimilarity(
                key: key,
                name: BenchmarkScorer.displayName(key, by: "culture"),
                similarity: estimate.value,
                n: estimate.n,
                ciLow: estimate.ciLow,
                ciHigh: estimate.ciHigh,
                baselines: baselines,
                belowNoiseFloor: baselines.noiseFloor.map { estimate.value < $0 },
                rank: nil
            )
        }
        let ranked = cultures.indices.filter { cultures[$0].n >= Estimate.minimumBootstrapN }
            .sorted { (cultures[$0].similarity, cultures[$1].key) > (cultures[$1].similarity, cultures[$0].key) }
        for (position, index) in ranked.enumerated() { cultures[index].rank = position + 1 }
        return cultures
    }

    /// The baselines of `culture` over its observations (each a mean over the questions where it is defined).
    static func baselines(_ rows: [Observation], culture: String, base: LogBase, respondents: Int?) -> SurveyBaselines {
        var uniform: [Double] = []
        var average: [Double] = []
        var shuffled: [Double] = []
        var floors: [Double] = []
        for row in rows {
            guard let human = row.humans[culture] else { continue }
            let k = human.count
            if let value = similarity([Double](repeating: 1, count: k), human, base: base) { uniform.append(value) }
            let others = row.humans.filter { $0.key != culture }.sorted { $0.key < $1.key }.map { normalised($0.value) }
            if !others.isEmpty {
                let mean = (0..<k).map { option in others.map { $0[option] }.reduce(0, +) / Double(others.count) }
                if let value = similarity(mean, human, base: base) { average.append(value) }
                let values = others.compactMap { similarity(row.model, $0, base: base) }
                if let value = Self.mean(values) { shuffled.append(value) }
            }
            if let respondents, k > 1 {
                let scale = base == .two ? log(2.0) : 1
                floors.append(1 - (Double(k - 1) / (2 * Double(respondents) * scale)).squareRoot())
            }
        }
        return SurveyBaselines(
            uniform: mean(uniform),
            populationAverage: mean(average),
            shuffledCulture: mean(shuffled),
            noiseFloor: mean(floors)
        )
    }

    static func meanBaselines(_ all: [SurveyBaselines]) -> SurveyBaselines {
        SurveyBaselines(
            uniform: mean(all.compactMap(\.uniform)),
            populationAverage: mean(all.compactMap(\.populationAverage)),
            shuffledCulture: mean(all.compactMap(\.shuffledCulture)),
            noiseFloor: mean(all.compactMap(\.noiseFloor))
        )
    }

    /// The mean, `nil` for no values.
    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The mean over cultures of their mean similarity, with a cluster bootstrap over questions: each replicate
    /// draws questions with replacement (a question brings all its cultures) and averages the cultures it covers.
    static func overall(_ observations: [Observation], base: LogBase, replicates: Int, seed: UInt64) -> Estimate? {
        let cultures = Array(Set(observations.map(\.culture))).sorted()
        guard !cultures.isEmpty else { return nil }
        let cultureIndex = Dictionary(uniqueKeysWithValues: cultures.enumerated().map { ($1, $0) })
        let questionIDs = Array(Set(observations.map(\.question))).sorted()
        let questionIndex = Dictionary(uniqueKeysWithValues: questionIDs.enumerated().map { ($1, $0) })
        var perQuestion = [[(culture: Int, value: Double)]](repeating: [], count: questionIDs.count)
        for row in observations {
            guard let value = similarity(row.model, row.humans[row.culture] ?? [], base: base),
                let question = questionIndex[row.question], let culture = cultureIndex[row.culture]
            else { continue }
            perQuestion[question].append((culture, value))
        }
        func statistic(_ counts: [Int]) -> Double? {
            var sums = [Double](repeating: 0, count: cultures.count)
            var n = [Int](repeating: 0, count: cultures.count)
            for (question, count) in counts.enumerated() where count > 0 {
                for (culture, value) in perQuestion[question] {
                    sums[culture] += value * Double(count)
                    n[culture] += count
                }
            }
            let means = cultures.indices.compactMap { n[$0] > 0 ? sums[$0] / Double(n[$0]) : nil }
            return means.isEmpty ? nil : means.reduce(0, +) / Double(means.count)
        }
        guard let value = statistic([Int](repeating: 1, count: questionIDs.count)) else { return nil }
        var low: Double?
        var high: Double?
        if questionIDs.count >= Estimate.minimumBootstrapN {
            var generator = SplitMix64(seed: seed ^ BenchmarkScorer.stableHash("overall"))
            var draws: [Double] = []
            draws.reserveCapacity(replicates)
            for _ in 0..<replicates {
                var counts = [Int](repeating: 0, count: questionIDs.count)
                for _ in questionIDs.indices { counts[generator.uniformIndex(below: questionIDs.count)] += 1 }
                if let draw = statistic(counts) { draws.append(draw) }
            }
            draws.sort()
            if !draws.isEmpty {
                low = Descriptive.quantile(sorted: draws, 0.025)
                high = Descriptive.quantile(sorted: draws, 0.975)
            }
        }
        return Estimate(
            metric: "mean_similarity_over_cultures",
            value: value,
            n: cultures.count,
            ciLow: low,
            ciHigh: high
        )
    }
}

import CultureLensStatistics
import Foundation

/// Normalised mean positions μ ∈ [0, 1] of humans and of the model, question by question, for the steerability and
/// extrapolability analyses. `nil` is a missing cell (no human answers, or a failed model answer); it is never
/// filled.
public struct SteeringInput: Sendable, Hashable {
    /// Question (item) ids, in order.
    public var questionIDs: [String]
    /// Countries with human answers (culture codes).
    public var countries: [String]
    /// `human[country][question]`.
    public var human: [[Double?]]
    /// The model without persona, `plain[question]`.
    public var plain: [Double?]
    /// Persona target countries.
    public var targets: [String] = []
    /// `persona[template][target][question]`: the model told to answer as the target.
    public var persona: [[[Double?]]] = []

    /// Root mean square difference over the questions of `sample` where both vectors have a value; `nil` when
    /// they share none. Dividing by the number of shared questions (instead of RnR's plain L2 norm over all
    /// questions, which is NaN with one missing cell) keeps vectors with missing cells comparable.
    static func rmsDistance(_ a: [Double?], _ b: [Double?], sample: [Int]) -> Double? {
        var total = 0.0
        var count = 0
        for question in sample {
            guard let x = a[question], let y = b[question] else { continue }
            total += (x - y) * (x - y)
            count += 1
        }
        return count > 0 ? (total / Double(count)).squareRoot() : nil
    }

    /// Mean absolute difference over the shared questions of `sample`.
    static func meanAbsoluteDistance(_ a: [Double?], _ b: [Double?], sample: [Int]) -> Double? {
        var total = 0.0
        var count = 0
        for question in sample {
            guard let x = a[question], let y = b[question] else { continue }
            total += abs(x - y)
            count += 1
        }
        return count > 0 ? total / Double(count) : nil
    }

    /// Mean pairwise distance (RMS over pairwise-complete questions) among `vectors`; `nil` below one pair.
    static func meanPairwiseDistance(_ vectors: [[Double?]], sample: [Int]) -> Double? {
        var total = 0.0
        var pairs = 0
        for i in vectors.indices {
            for j in vectors.indices where j > i {
                guard let distance = rmsDistance(vectors[i], vectors[j], sample: sample) else { continue }
                total += distance
                pairs += 1
            }
        }
        return pairs > 0 ? total / Double(pairs) : nil
    }
}

/// Persona steering (methodology E.1.11; Tao et al. 2024; RnR A.4.4/A.5.7), per target country and persona
/// wording: distance to the country with and without the persona, improvement rate, rank of the target among all
/// countries, and the spread ratio. Intervals resample questions (seeded).
struct SteerabilityAnalysis {
    var input: SteeringInput
    var bootstrap: ItemBootstrap

    func compute() -> Steerability {
        let questions = input.plain.count
        var targets: [Steerability.Target] = []
        var templates: [Steerability.Template] = []
        for template in input.persona.indices {
            for (offset, country) in input.targets.enumerated() {
                targets.append(target(template: template, offset: offset, country: country))
            }
            templates.append(aggregate(template: template, questions: questions))
        }
        let countries = Double(input.countries.count)
        let allPairs = bootstrap.limited(cost: countries * countries * Double(questions) / 2)
        let humanAll = allPairs.figure(
            units: questions,
            note: Self.note("RMS |Δμ| over pairwise-complete questions", allPairs, bootstrap)
        ) { sample in
            SteeringInput.meanPairwiseDistance(input.human, sample: sample)
        }
        return Steerability(
            distance:
                "mean |Δμ| (normalised mean position); spreads: mean pairwise RMS |Δμ| over pairwise-complete questions",
            countries: input.countries,
            targets: targets,
            templates: templates,
            humanSpreadAllCountries: humanAll
        )
    }

    private func target(template: Int, offset: Int, country: String) -> Steerability.Target {
        let persona = input.persona[template][offset]
        let countryIndex = input.countries.firstIndex(of: country)
        let human = countryIndex.map { input.human[$0] } ?? [Double?](repeating: nil, count: input.plain.count)
        var used: [Int] = []
        var missingHuman = 0
        var missingModel = 0
        for question in input.plain.indices {
            guard human[question] != nil else {
                missingHuman += 1
                continue
            }
            guard input.plain[question] != nil, persona[question] != nil else {
                missingModel += 1
                continue
            }
            used.append(question)
        }
        let without = used.map { abs((input.plain[$0] ?? 0) - (human[$0] ?? 0)) }
        let with = used.map { abs((persona[$0] ?? 0) - (human[$0] ?? 0)) }
        let figures = bootstrap.figures(units: used.count, count: 4) { sample in
            guard !sample.isEmpty else { return [nil, nil, nil, nil] }
            let n = Double(sample.count)
            let meanWithout = sample.reduce(0.0) { $0 + without[$1] } / n
            let meanWith = sample.reduce(0.0) { $0 + with[$1] } / n
            let improved = Double(sample.filter { with[$0] < without[$0] }.count) / n
            return [meanWithout, meanWith, meanWithout - meanWith, improved]
        }
        let rank = countryIndex.flatMap { rankOf($0, persona: persona, sample: Array(input.plain.indices)) }
        return Steerability.Target(
            country: country,
            template: template,
            questions: used.count,
            missingHumanCells: missingHuman,
            missingModelAnswers: missingModel,
            distanceWithout: figures[0],
            distanceWith: figures[1],
            improvement: figures[2],
            improvementRate: figures[3],
            rank: rank?.rank,
            rankedCountries: rank?.of ?? 0
        )
    }

    /// 1 + the number of countries strictly closer to the persona answers than the target.
    private func rankOf(_ countryIndex: Int, persona: [Double?], sample: [Int]) -> (rank: Int, of: Int)? {
        let distances = input.human.map { SteeringInput.meanAbsoluteDistance(persona, $0, sample: sample) }
        guard let own = distances[countryIndex] else { return nil }
        let defined = distances.compactMap { $0 }
        return (1 + defined.filter { $0 < own }.count, defined.count)
    }

    /// A figure note, saying when the replicates were capped for cost.
    static func note(_ text: String?, _ used: ItemBootstrap, _ configured: ItemBootstrap) -> String? {
        guard used.replicates < configured.replicates else { return text }
        let capped = "\(used.replicates) bootstrap replicates (capped for cost)"
        return text.map { "\($0); \(capped)" } ?? capped
    }

    private func aggregate(template: Int, questions: Int) -> Steerability.Template {
        let personas = input.persona[template]
        let targetIndices = input.targets.map { input.countries.firstIndex(of: $0) }
        // Ranks compare every target with every country on every question, in every replicate.
        let cost =
            Double(max(1, input.targets.count)) * Double(max(1, input.countries.count + input.targets.count))
            * Double(questions)
        let bootstrap = self.bootstrap.limited(cost: cost)
        let notes = [nil, "share of targets", nil, "share of targets", "RMS |Δμ|", "RMS |Δμ|", nil].map {
            Self.note($0, bootstrap, self.bootstrap)
        }
        let figures = bootstrap.figures(units: questions, count: 7, notes: notes) { sample in
            var improvements: [Double] = []
            var ranks: [Double] = []
            for (offset, countryIndex) in targetIndices.enumerated() {
                guard let countryIndex else { continue }
                let human = input.human[countryIndex]
                let persona = personas[offset]
                var total = 0.0
                var count = 0
                for question in sample {
                    guard let h = human[question], let p = persona[question], let plain = input.plain[question] else {
                        continue
                    }
                    total += abs(plain - h) - abs(p - h)
                    count += 1
                }
                if count > 0 { improvements.append(total / Double(count)) }
                if let rank = rankOf(countryIndex, persona: persona, sample: sample) { ranks.append(Double(rank.rank)) }
            }
            let withHuman = targetIndices.enumerated().compactMap { offset, index in index.map { (offset, $0) } }
            let personaSpread = SteeringInput.meanPairwiseDistance(withHuman.map { personas[$0.0] }, sample: sample)
            let humanSpread = SteeringInput.meanPairwiseDistance(withHuman.map { input.human[$0.1] }, sample: sample)
            var ratio: Double?
            if let personaSpread, let humanSpread, humanSpread > 0 { ratio = personaSpread / humanSpread }
            return [
                RobustnessMath.mean(improvements),
                improvements.isEmpty ? nil : Double(improvements.filter { $0 > 0 }.count) / Double(improvements.count),
                RobustnessMath.mean(ranks),
                ranks.isEmpty ? nil : Double(ranks.filter { $0 == 1 }.count) / Double(ranks.count),
                personaSpread,
                humanSpread,
                ratio,
            ]
        }
        return Steerability.Template(
            template: template,
            meanImprovement: figures[0],
            countriesImproved: figures[1],
            meanRank: figures[2],
            rankedFirst: figures[3],
            personaSpread: figures[4],
            humanSpread: figures[5],
            spreadRatio: figures[6]
        )
    }
}

/// Extrapolability (methodology E.1.10, A.7.9): seeded random halvings of the questions. For each split,
/// (1) the correlation across countries between the model's alignment (1 − mean |Δμ|, no persona) on the fitted
/// half and on the held-out half; (2) k-means clusters of the countries (and of the persona answers, when steering
/// ran) on each half, their ARI and its permutation p-value. Reported as distributions over the splits.
struct ExtrapolabilityAnalysis {
    var input: SteeringInput
    var configuration: RobustnessAnalysis.Configuration

    func compute() -> Extrapolability {
        var notes: [String] = []
        let eligible = input.plain.indices.filter { question in
            input.plain[question] != nil && input.human.contains { $0[question] != nil }
        }
        var pearson: [Double] = []
        var spearman: [Double] = []
        var generator = SplitMix64(seed: configuration.seed ^ 0x4558_5452_4150_0000)
        if eligible.count >= 4, input.countries.count >= 3 {
            for _ in 0..<configuration.splits {
                var shuffled = eligible
                generator.shuffle(&shuffled)
                let half = shuffled.count / 2
                let fitted = Array(shuffled.prefix(half))
                let held = Array(shuffled.dropFirst(half))
                var a: [Double] = []
                var b: [Double] = []
                for human in input.human {
                    guard let x = SteeringInput.meanAbsoluteDistance(input.plain, human, sample: fitted),
                        let y = SteeringInput.meanAbsoluteDistance(input.plain, human, sample: held)
                    else { continue }
                    a.append(1 - x)
                    b.append(1 - y)
                }
                guard a.count >= 3 else { continue }
                if let r = try? Correlation.pearson(a, b) { pearson.append(r) }
                if let rho = try? Correlation.spearman(a, b) { spearman.append(rho) }
            }
        } else {
            notes.append("alignment correlation needs ≥ 4 answered questions and ≥ 3 countries")
        }
        var clustering: [Extrapolability.Clustering] = []
        if let human = cluster(respondents: "human", names: input.countries, vectors: input.human, notes: &notes) {
            clustering.append(human)
        }
        if let personas = input.persona.first, !personas.isEmpty,
            let persona = cluster(respondents: "persona", names: input.targets, vectors: personas, notes: &notes)
        {
            clustering.append(persona)
        }
        return Extrapolability(
            splits: configuration.splits,
            permutations: configuration.permutations,
            questions: eligible.count,
            countries: input.countries.count,
            alignmentCorrelation: DistributionSummary(pearson),
            alignmentRankCorrelation: DistributionSummary(spearman),
            clustering: clustering,
            notes: notes
        )
    }

    private func cluster(
        respondents: String,
        names: [String],
        vectors: [[Double?]],
        notes: inout [String]
    ) -> Extrapolability.Clustering? {
        let questionCount = vectors.first?.count ?? 0
        var kept: [Int] = []
        var dropped: [String] = []
        for (index, vector) in vectors.enumerated() {
            if vector.compactMap({ $0 }).count * 2 >= questionCount {
                kept.append(index)
            } else {
                dropped.append(names[index])
            }
        }
        let complete = (0..<questionCount).filter { question in kept.allSatisfy { vectors[$0][question] != nil } }
        guard kept.count >= 3, complete.count >= 4 else {
            notes.append(
                "\(respondents) clustering needs ≥ 3 respondents and ≥ 4 complete questions (have \(kept.count), \(complete.count))"
            )
            return nil
        }
        func points(_ questions: [Int]) -> [[Double]] {
            kept.map { entity in questions.map { vectors[entity][$0] ?? 0 } }
        }
        let seed = configuration.seed ^ (respondents == "human" ? 0x4855_4D00 : 0x5045_5253)
        guard
            let best = try? KMeans.bestBySilhouette(
                points(complete),
                candidates: 2...min(10, kept.count - 1),
                restarts: configuration.kMeansRestarts,
                seed: seed
            )
        else {
            notes.append("\(respondents) clustering: no k in 2…10 has a defined silhouette")
            return nil
        }
        var generator = SplitMix64(seed: seed ^ 0x5350_4C49_5400_0000)
        var aris: [Double] = []
        var pValues: [Double] = []
        for split in 0..<configuration.splits {
            var shuffled = complete
            generator.shuffle(&shuffled)
            let half = shuffled.count / 2
            let splitSeed = seed &+ UInt64(split) &* 0x9E37_79B9
            guard
                let fitted = try? KMeans.fit(
                    points(Array(shuffled.prefix(half))),
                    k: best.k,
                    restarts: configuration.kMeansRestarts,
                    seed: splitSeed
                ),
                let held = try? KMeans.fit(
                    points(Array(shuffled.dropFirst(half))),
                    k: best.k,
                    restarts: configuration.kMeansRestarts,
                    seed: splitSeed
                ),
                let test = try? AdjustedRandIndex.permutationTest(
                    reference: fitted.labels,
                    candidate: held.labels,
                    resamples: configuration.permutations,
                    seed: splitSeed
                )
            else { continue }
            aris.append(test.observed)
            pValues.append(test.pValue)
        }
        return Extrapolability.Clustering(
            respondents: respondents,
            entities: kept.count,
            questions: complete.count,
            droppedCountries: dropped,
            k: best.k,
            ari: DistributionSummary(aris),
            pValues: DistributionSummary(pValues),
            significantShare: pValues.isEmpty ? nil : Double(pValues.filter { $0 < 0.05 }.count) / Double(pValues.count)
        )
    }
}

extension RobustnessAnalysis {
    /// Steerability figures straight from mean positions (e.g. a published human table and model answers).
    public static func steerability(
        _ input: SteeringInput,
        seed: UInt64 = 0,
        bootstrapReplicates: Int = 2000
    ) -> Steerability {
        SteerabilityAnalysis(input: input, bootstrap: ItemBootstrap(seed: seed, replicates: bootstrapReplicates))
            .compute()
    }

    /// Extrapolability figures straight from mean positions.
    public static func extrapolability(_ input: SteeringInput, configuration: Configuration = Configuration())
        -> Extrapolability
    {
        ExtrapolabilityAnalysis(input: input, configuration: configuration).compute()
    }
}

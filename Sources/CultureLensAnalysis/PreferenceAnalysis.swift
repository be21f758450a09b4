import CultureLensStatistics
import Foundation

/// Utilities from pairwise forced choices (Utility Engineering, Mazeika et al. 2025): the model is asked "Option A or
/// Option B?" for pairs of outcomes, in both presentation orders; this turns its answers into Thurstonian utilities
/// with bootstrap intervals, a held-out check of the fit, transitivity and the order bias.
///
/// Each presentation gives P(first chosen) (from logprobs, or the share of K samples). A pair's preference
/// P(a ≻ b) averages both orders, P(a first) and 1 − P(b first), so a constant pull toward Option A cancels; a pair
/// asked in one order only uses that order. Presentations without a probability (failed requests, unparseable
/// answers) are counted, never imputed.
public enum PreferenceAnalysis {
    /// One presentation: `first` shown as Option A, `second` as Option B.
    public struct Presentation: Sendable, Hashable {
        /// Option id shown first (Option A).
        public var first: String
        /// Option id shown second (Option B).
        public var second: String
        /// P(first chosen), or `nil` when the answer gave none (failure, unparseable).
        public var firstChosen: Double?

        /// Creates a presentation.
        public init(first: String, second: String, firstChosen: Double?) {
            self.first = first
            self.second = second
            self.firstChosen = firstChosen
        }
    }

    /// Settings of the analysis.
    public struct Settings: Sendable, Hashable {
        /// Bootstrap replicates (over pairs) for the utilities' intervals.
        public var replicates = 200
        /// Share of pairs held out of the fit to check it.
        public var heldOutShare = 0.05
        /// Seed of the held-out draw and the bootstrap.
        public var seed: UInt64 = 20_250_211
        /// Adam epochs per fit.
        public var epochs = 1000

        /// The defaults: 200 replicates, a 5% hold-out, 1,000 epochs.
        public init() {}
    }

    /// One option's utility.
    public struct Utility: Sendable, Hashable, Codable {
        /// Option id.
        public var id: String
        /// Fitted mean utility (all options: mean 0, SD 1).
        public var mean: Double
        /// Fitted variance.
        public var variance: Double
        /// 95% percentile bootstrap interval of the mean (resampling pairs, refitting); `nil` with too few pairs.
        public var ciLow: Double?
        /// Upper end.
        public var ciHigh: Double?
        /// Pairs (with a probability) the option took part in.
        public var n: Int
    }

    /// What the analysis found.
    public struct Report: Sendable, Hashable, Codable {
        /// Options ranked by mean utility, highest first (ties by id).
        public var utilities: [Utility]
        /// Pairs with a probability, and how many of them the fit saw.
        public var pairs: Int
        /// Pairs fitted (all but the held-out ones).
        public var fittedPairs: Int
        /// Presentations without a probability (failed or unparseable answers), counted not imputed.
        public var unanswered: Int
        /// Presentations in all.
        public var presentations: Int
        /// The fit on the held-out pairs; `nil` when no pair was held out.
        public var heldOut: ThurstonianModel.Evaluation?
        /// The fit on the pairs it saw; `nil` when no pair had a probability.
        public var training: ThurstonianModel.Evaluation?
        /// Triads whose three pairs were all asked and not tied.
        public var triads: Int
        /// Of those, triads whose majority preferences form a cycle.
        public var cyclicTriads: Int
        /// The share of cyclic triads the fitted model expects: the mean, over triads whose three pairs were asked,
        /// of P(a≻b, b≻c, c≻a) + P(b≻a, c≻b, a≻c) with the fitted pairwise probabilities.
        public var expectedCyclicShare: Double?
        /// Mean P(first chosen) − ½ over presentations with a probability, with a 95% bootstrap interval: the pull
        /// toward Option A.
        public var orderBias: Double?
        /// Lower end of the order bias's interval.
        public var orderBiasLow: Double?
        /// Upper end.
        public var orderBiasHigh: Double?
        /// Cultural prompting: each persona country's utilities and the rank correlations between them; `nil`
        /// without personas.
        public var personas: Personas? = nil

        /// Observed share of cyclic triads, or `nil` without complete triads.
        public var cyclicShare: Double? { triads > 0 ? Double(cyclicTriads) / Double(triads) : nil }
    }

    /// Analyses `presentations` over `options` (ids, in a fixed order). Without any pair that has a probability the
    /// report has no utilities and counts what went unanswered.
    /// - Throws: `StatisticsError` when there are fewer than two options.
    public static func analyse(
        options: [String],
        presentations: [Presentation],
        settings: Settings = Settings()
    ) throws(StatisticsError) -> Report {
        let index = Dictionary(options.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // Both orders of a pair into one P(a ≻ b), a < b by option position.
        var perPair: [Pair: [Double]] = [:]
        var firstChosen: [Double] = []
        var unanswered = 0
        for presentation in presentations {
            guard let a = index[presentation.first], let b = index[presentation.second], a != b,
                let p = presentation.firstChosen, p.isFinite
            else {
                unanswered += 1
                continue
            }
            firstChosen.append(p)
            if a < b {
                perPair[Pair(a: a, b: b), default: []].append(p)
            } else {
                perPair[Pair(a: b, b: a), default: []].append(1 - p)
            }
        }
        let comparisons = perPair.keys.sorted().map { pair in
            let values = perPair[pair] ?? []
            return ThurstonianModel.Comparison(
                a: pair.a,
                b: pair.b,
                probability: values.reduce(0, +) / Double(values.count)
            )
        }
        guard !comparisons.isEmpty else {
            // Nothing to fit: the report still says how many presentations went unanswered.
            return Report(
                utilities: [],
                pairs: 0,
                fittedPairs: 0,
                unanswered: unanswered,
                presentations: presentations.count,
                heldOut: nil,
                training: nil,
                triads: 0,
                cyclicTriads: 0,
                expectedCyclicShare: nil,
                orderBias: nil,
                orderBiasLow: nil,
                orderBiasHigh: nil
            )
        }

        var generator = SplitMix64(seed: settings.seed)
        let (fitted, heldOut) = split(comparisons, share: settings.heldOutShare, using: &generator)
        let model = try ThurstonianModel.fit(optionCount: options.count, comparisons: fitted, epochs: settings.epochs)
        let draws = try bootstrapMeans(
            optionCount: options.count,
            comparisons: fitted,
            settings: settings,
            using: &generator
        )
        var involvement = [Int](repeating: 0, count: options.count)
        for comparison in comparisons {
            involvement[comparison.a] += 1
            involvement[comparison.b] += 1
        }
        let utilities = options.indices.map { option in
            let interval = draws.map { replicate in try? percentileInterval(replicate.map { $0[option] }) } ?? nil
            return Utility(
                id: options[option],
                mean: model.means[option],
                variance: model.variances[option],
                ciLow: interval?.low,
                ciHigh: interval?.high,
                n: involvement[option]
            )
        }
        .sorted { ($0.mean, $1.id) > ($1.mean, $0.id) }

        let triads = ThurstonianModel.triads(optionCount: options.count, comparisons: comparisons)
        let bias = orderBias(firstChosen, using: &generator)
        return Report(
            utilities: utilities,
            pairs: comparisons.count,
            fittedPairs: fitted.count,
            unanswered: unanswered,
            presentations: presentations.count,
            heldOut: heldOut.isEmpty ? nil : model.evaluate(heldOut),
            training: model.evaluate(fitted),
            triads: triads.triads,
            cyclicTriads: triads.cyclic,
            expectedCyclicShare: model.expectedCyclicShare(optionCount: options.count, comparisons: comparisons),
            orderBias: bias?.estimate,
            orderBiasLow: bias?.low,
            orderBiasHigh: bias?.high
        )
    }

    /// The pairs to ask among `options` (ids), in option order: ``ThurstonianModel/designPairs(optionCount:degree:seed:)``.
    public static func pairs(among options: [String], degree: Int?, seed: UInt64) -> [(first: String, second: String)] {
        ThurstonianModel.designPairs(optionCount: options.count, degree: degree, seed: seed).map {
            (options[$0.a], options[$0.b])
        }
    }

    /// An unordered pair of option positions, a < b.
    struct Pair: Hashable, Comparable {
        var a: Int
        var b: Int

        static func < (lhs: Pair, rhs: Pair) -> Bool { (lhs.a, lhs.b) < (rhs.a, rhs.b) }
    }

    /// A seeded share of the comparisons held out (at least one when there are 20 or more, none below), the rest
    /// fitted; both in their original order.
    static func split(
        _ comparisons: [ThurstonianModel.Comparison],
        share: Double,
        using generator: inout SplitMix64
    ) -> (fitted: [ThurstonianModel.Comparison], heldOut: [ThurstonianModel.Comparison]) {
        let count = comparisons.count >= 20 ? max(1, Int((Double(comparisons.count) * share).rounded())) : 0
        var positions = Array(comparisons.indices)
        positions.shuffle(using: &generator)
        let held = Set(positions.prefix(count))
        return (
            comparisons.indices.filter { !held.contains($0) }.map { comparisons[$0] },
            comparisons.indices.filter { held.contains($0) }.map { comparisons[$0] }
        )
    }

    /// Each replicate's fitted means, resampling pairs with replacement; `nil` below 5 pairs (no interval then).
    static func bootstrapMeans(
        optionCount: Int,
        comparisons: [ThurstonianModel.Comparison],
        settings: Settings,
        using generator: inout SplitMix64
    ) throws(StatisticsError) -> [[Double]]? {
        guard comparisons.count >= 5, settings.replicates > 0 else { return nil }
        var replicates: [[Double]] = []
        for _ in 0..<settings.replicates {
            let sample = comparisons.indices.map { _ in comparisons[generator.uniformIndex(below: comparisons.count)] }
            replicates.append(
                try ThurstonianModel.fit(optionCount: optionCount, comparisons: sample, epochs: settings.epochs).means
            )
        }
        return replicates
    }

    /// The 2.5th and 97.5th percentiles.
    static func percentileInterval(_ values: [Double]) throws(StatisticsError) -> (low: Double, high: Double) {
        (try Descriptive.quantile(values, 0.025), try Descriptive.quantile(values, 0.975))
    }

    /// Mean P(first) − ½ with a percentile bootstrap interval; `nil` without presentations.
    static func orderBias(
        _ firstChosen: [Double],
        using generator: inout SplitMix64
    ) -> ConfidenceInterval? {
        guard !firstChosen.isEmpty,
            let result = try? Bootstrap.mean(firstChosen.map { $0 - 0.5 }, replicates: 2000, using: &generator)
        else { return nil }
        return result.interval
    }
}

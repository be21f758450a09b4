public import CultureLensStatistics
import Foundation

/// Hofstede's six VSM-2013 indices from a model's answers, per presentation variant and with a t interval over the
/// variants, for the model as itself and for each persona country; and the RnR comparison of how far the indices
/// move with presentation format against how far they move between countries.
public struct VSM2013Analysis: Sendable, Hashable, Codable {
    /// One answer: an item, the variant and persona it was asked under, and its survey code.
    public struct Observation: Sendable, Hashable {
        /// Item number, 1…24.
        public var item: Int
        /// The presentation variant (`p0-asc` …).
        public var variant: String
        /// The persona country, `nil` for the model as itself.
        public var country: String?
        /// The answer's survey code (1…5; an expected code from a label distribution may lie between), `nil` when
        /// there is none.
        public var value: Double?
        /// Why there is no value (a failure kind, "no option chosen"), `nil` when there is one.
        public var reason: String?

        /// Creates an observation.
        public init(item: Int, variant: String, country: String?, value: Double?, reason: String?) {
            self.item = item
            self.variant = variant
            self.country = country
            self.value = value
            self.reason = reason
        }
    }

    /// The six indices, in Hofstede's order.
    public enum Index: String, Sendable, Hashable, Codable, CaseIterable {
        /// Power distance.
        case pdi = "PDI"
        /// Individualism.
        case idv = "IDV"
        /// Masculinity.
        case mas = "MAS"
        /// Uncertainty avoidance.
        case uai = "UAI"
        /// Long-term orientation.
        case lto = "LTO"
        /// Indulgence.
        case ivr = "IVR"

        /// The index's value in `indices`.
        public func value(in indices: VSM2013.Indices) -> Double {
            switch self {
            case .pdi: indices.pdi
            case .idv: indices.idv
            case .mas: indices.mas
            case .uai: indices.uai
            case .lto: indices.lto
            case .ivr: indices.ivr
            }
        }
    }

    /// One variant's indices, or why it has none.
    public struct VariantIndices: Sendable, Hashable, Codable {
        /// The variant.
        public var variant: String
        /// The indices from this variant's item means, `nil` when an item has no answer.
        public var indices: VSM2013.Indices?
        /// Items without any answer under this variant.
        public var missing: [Int]
    }

    /// One index over the variants that have indices.
    public struct IndexEstimate: Sendable, Hashable, Codable {
        /// The index.
        public var index: Index
        /// The mean over variants, `nil` without any.
        public var mean: Double?
        /// 95% t interval over variants (n − 1 degrees of freedom), `nil` with fewer than two.
        public var ciLow: Double?
        /// See ``ciLow``.
        public var ciHigh: Double?
        /// Variants with indices.
        public var n: Int
        /// Standard deviation over those variants: the format spread, `nil` with fewer than two.
        public var formatSpread: Double?
    }

    /// A count of answers without a value, by reason.
    public struct ReasonCount: Sendable, Hashable, Codable {
        /// The reason.
        public var reason: String
        /// How many answers.
        public var count: Int
    }

    /// The indices of the model as itself or as one persona country.
    public struct Profile: Sendable, Hashable, Codable {
        /// The persona country, `nil` for the model as itself.
        public var country: String?
        /// The six indices with intervals over variants.
        public var indices: [IndexEstimate]
        /// Each variant's indices, in the order asked.
        public var variants: [VariantIndices]
        /// Answers received (with or without a value).
        public var answers: Int
        /// Answers without a value, by reason.
        public var unanswered: [ReasonCount]
        /// Why no index could be computed, `nil` when at least one variant has indices.
        public var note: String?
    }

    /// How far one index moves with presentation format against how far it moves between persona countries.
    public struct Spread: Sendable, Hashable, Codable {
        /// The index.
        public var index: Index
        /// Pooled within-profile SD over variants (√ of the mean variance over profiles with two or more variants).
        public var formatSpread: Double?
        /// SD over persona countries of their mean index, `nil` with fewer than two countries with indices.
        public var countrySpread: Double?
        /// formatSpread ÷ countrySpread: above 1, format moves the index more than the country does (the RnR finding).
        public var ratio: Double?
        /// Profiles pooled for ``formatSpread``.
        public var profiles: Int
        /// Persona countries in ``countrySpread``.
        public var countries: Int
    }

    /// What is computed, in words.
    public var method: String
    /// The model as itself, `nil` when the run has no unprompted items.
    public var unprompted: Profile?
    /// Each persona country, in the order asked; `nil` without cultural prompting.
    public var personas: [Profile]?
    /// Format against between-country spread per index.
    public var spread: [Spread]

    /// Computes the indices; `nil` when there are no observations and no persona was asked.
    /// - Parameter asked: Persona countries asked, listed in this order (with a note when none of their answers is
    ///   among the observations); countries only the observations name follow.
    public init?(_ observations: [Observation], personas asked: [String] = []) {
        guard !observations.isEmpty || !asked.isEmpty else { return nil }
        method =
            "per variant: item means m01…m24 of the survey codes (an expected code under logprob scoring), then "
            + "Hofstede's VSM-2013 formulas with C = 0; per index: mean over variants with a 95% t interval "
            + "(n − 1 df); format SD pooled over profiles, country SD over persona countries' means"
        let plain = observations.filter { $0.country == nil }
        unprompted = plain.isEmpty ? nil : Self.profile(plain, country: nil)
        var countries = asked
        var byCountry = Dictionary(asked.map { ($0, [Observation]()) }, uniquingKeysWith: { first, _ in first })
        for observation in observations {
            guard let country = observation.country else { continue }
            if byCountry[country] == nil { countries.append(country) }
            byCountry[country, default: []].append(observation)
        }
        let personas = countries.map { Self.profile(byCountry[$0] ?? [], country: $0) }
        self.personas = personas.isEmpty ? nil : personas
        spread = Self.spread(unprompted: unprompted, personas: personas)
    }

    static func profile(_ observations: [Observation], country: String?) -> Profile {
        var variants: [String] = []
        var sums: [String: [Int: (sum: Double, count: Int)]] = [:]
        var reasons: [String: Int] = [:]
        for observation in observations {
            if !variants.contains(observation.variant) { variants.append(observation.variant) }
            if let value = observation.value, (1...VSM2013.itemCount).contains(observation.item) {
                sums[observation.variant, default: [:]][observation.item, default: (0, 0)].sum += value
                sums[observation.variant, default: [:]][observation.item, default: (0, 0)].count += 1
            } else {
                reasons[observation.reason ?? "no value", default: 0] += 1
            }
        }
        let perVariant = variants.map { variant -> VariantIndices in
            let means = (1...VSM2013.itemCount).map { item in
                sums[variant]?[item].map { $0.sum / Double($0.count) }
            }
            let missing = means.indices.filter { means[$0] == nil }.map { $0 + 1 }
            let indices = missing.isEmpty ? try? VSM2013.indices(itemMeans: means.compactMap { $0 }) : nil
            return VariantIndices(variant: variant, indices: indices, missing: missing)
        }
        let complete = perVariant.compactMap(\.indices)
        let estimates = Index.allCases.map { index in
            let values = complete.map { index.value(in: $0) }
            let interval = try? StudentT.meanInterval(values)
            return IndexEstimate(
                index: index,
                mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count),
                ciLow: interval?.low,
                ciHigh: interval?.high,
                n: values.count,
                formatSpread: values.count >= 2 ? try? Descriptive.standardDeviation(values) : nil
            )
        }
        var note: String?
        if observations.isEmpty {
            note = "no answers"
        } else if complete.isEmpty {
            note = "no variant has an answer to all 24 items"
        }
        return Profile(
            country: country,
            indices: estimates,
            variants: perVariant,
            answers: observations.count,
            unanswered: reasons.sorted { $0.key < $1.key }.map { ReasonCount(reason: $0.key, count: $0.value) },
            note: note
        )
    }

    static func spread(unprompted: Profile?, personas: [Profile]) -> [Spread] {
        let profiles = (unprompted.map { [$0] } ?? []) + personas
        return Index.allCases.map { index in
            let variances = profiles.compactMap { profile -> Double? in
                profile.indices.first { $0.index == index }?.formatSpread.map { $0 * $0 }
            }
            let formatSpread = variances.isEmpty ? nil : (variances.reduce(0, +) / Double(variances.count)).squareRoot()
            let means = personas.compactMap { profile in profile.indices.first { $0.index == index }?.mean }
            let countrySpread = means.count >= 2 ? try? Descriptive.standardDeviation(means) : nil
            let ratio = formatSpread.flatMap { format in countrySpread.flatMap { $0 > 0 ? format / $0 : nil } }
            return Spread(
                index: index,
                formatSpread: formatSpread,
                countrySpread: countrySpread,
                ratio: ratio,
                profiles: variances.count,
                countries: means.count
            )
        }
    }
}

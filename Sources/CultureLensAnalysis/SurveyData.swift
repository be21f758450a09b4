import CultureLensCore
import CultureLensStatistics
import Foundation

/// The human side of a survey suite, keyed by culture code: each survey item's human answer distribution and
/// normalised mean position per country. Distributions keyed by a country name are mapped to its code through
/// ``CultureCatalog``; empty, non-finite or all-zero distributions are treated as missing, never filled.
public struct SurveyData: Sendable {
    /// Indices (into the suite's items) of the survey items.
    public var surveyItems: [Int]
    /// Every country with at least one human distribution, sorted by code.
    public var countries: [String]
    /// `distributions[itemIndex][country]`, normalised, in canonical option order.
    public var distributions: [Int: [String: [Double]]]

    /// Reads the human data of `suite`'s survey items.
    public init(suite: Suite) {
        var surveyItems: [Int] = []
        var countries = Set<String>()
        var distributions: [Int: [String: [Double]]] = [:]
        for (index, item) in suite.items.enumerated() where item.kind == .survey {
            surveyItems.append(index)
            var byCountry: [String: [Double]] = [:]
            for (key, weights) in item.humanDistributions ?? [:] {
                guard weights.count == item.choices.count, let normalized = try? Divergence.normalized(weights) else {
                    continue
                }
                let code = Self.code(key)
                byCountry[code] = normalized
                countries.insert(code)
            }
            distributions[index] = byCountry
        }
        self.surveyItems = surveyItems
        self.countries = countries.sorted()
        self.distributions = distributions
    }

    /// The culture code of a country key (code or name); the key itself when the catalog does not know it.
    public static func code(_ key: String) -> String { CultureCatalog.culture(for: key)?.code ?? key }

    /// The human distribution of `country` on the item at `itemIndex`, or `nil` when missing.
    public func distribution(item itemIndex: Int, country: String) -> [Double]? {
        distributions[itemIndex]?[country]
    }

    /// The human normalised mean position μ of `country` on the item at `itemIndex`, or `nil` when missing.
    public func meanPosition(item itemIndex: Int, country: String) -> Double? {
        distribution(item: itemIndex, country: country).flatMap { try? MeanPosition.of($0) }
    }

    /// Survey alignment of a model distribution on one item: the mean over the countries with human data of
    /// 1 − JD₂(model, country) (Jensen–Shannon distance in bits, so in [0, 1]); `nil` without human data.
    public func similarity(item itemIndex: Int, model: [Double]) -> Double? {
        guard let byCountry = distributions[itemIndex], !byCountry.isEmpty else { return nil }
        var total = 0.0
        var count = 0
        for country in byCountry.keys.sorted() {
            guard let human = byCountry[country], human.count == model.count,
                let value = try? Divergence.jensenShannonSimilarity(model, human, base: .two)
            else { continue }
            total += value
            count += 1
        }
        return count > 0 ? total / Double(count) : nil
    }
}

import CultureLensStatistics
import Foundation

extension PreferenceAnalysis {
    /// One persona country's utilities.
    public struct PersonaReport: Sendable, Hashable, Codable {
        /// The persona country.
        public var country: String
        /// Its analysis, `nil` when it has no answers.
        public var report: Report?
        /// Why there is no report.
        public var note: String?
    }

    /// Spearman's ρ between two profiles' utilities over the options both have.
    public struct RankCorrelation: Sendable, Hashable, Codable {
        /// The first profile's persona country, `nil` for the model as itself.
        public var first: String?
        /// The second profile's persona country.
        public var second: String?
        /// ρ, `nil` with fewer than three shared options or a constant ranking.
        public var spearman: Double?
        /// 95% interval by Fisher's z with Fieller, Hartley and Pearson's variance 1.06 ÷ (n − 3); `nil` for n ≤ 3.
        public var ciLow: Double?
        /// Upper end.
        public var ciHigh: Double?
        /// Shared options.
        public var n: Int
    }

    /// Utilities per persona country, side by side, and their rank correlations.
    public struct Personas: Sendable, Hashable, Codable {
        /// Each persona country, in the order asked.
        public var countries: [PersonaReport]
        /// Every pair of profiles that have utilities (the model as itself first, then the countries in order).
        public var correlations: [RankCorrelation]
    }

    /// Analyses each persona country's presentations as ``analyse(options:presentations:settings:)`` does and
    /// correlates the utilities of every pair of profiles, `unprompted` (the model as itself) first.
    public static func personas(
        options: [String],
        unprompted: Report?,
        countries: [(country: String, presentations: [Presentation])],
        settings: Settings = Settings()
    ) -> Personas {
        let reports = countries.map { country, presentations -> PersonaReport in
            guard !presentations.isEmpty else {
                return PersonaReport(country: country, report: nil, note: "no answers")
            }
            do {
                return PersonaReport(
                    country: country,
                    report: try analyse(options: options, presentations: presentations, settings: settings)
                )
            } catch {
                return PersonaReport(country: country, report: nil, note: "\(error)")
            }
        }
        let profiles: [(country: String?, report: Report)] =
            ((unprompted.map { [(nil, $0)] } ?? [])
            + reports.compactMap { persona in persona.report.map { (persona.country, $0) } })
            .filter { !$0.report.utilities.isEmpty }
        var correlations: [RankCorrelation] = []
        for (i, first) in profiles.enumerated() {
            for second in profiles[(i + 1)...] {
                correlations.append(correlation(first, second))
            }
        }
        return Personas(countries: reports, correlations: correlations)
    }

    static func correlation(_ first: (country: String?, report: Report), _ second: (country: String?, report: Report))
        -> RankCorrelation
    {
        let other = Dictionary(second.report.utilities.map { ($0.id, $0.mean) }, uniquingKeysWith: { a, _ in a })
        var x: [Double] = []
        var y: [Double] = []
        for utility in first.report.utilities.sorted(by: { $0.id < $1.id }) {
            guard let mean = other[utility.id] else { continue }
            x.append(utility.mean)
            y.append(mean)
        }
        let rho = x.count >= 3 ? try? Correlation.spearman(x, y) : nil
        var low: Double?
        var high: Double?
        if let rho, x.count > 3, abs(rho) < 1 {
            let z = atanh(rho)
            let half = 1.959_963_984_540_054 * (1.06 / Double(x.count - 3)).squareRoot()
            low = tanh(z - half)
            high = tanh(z + half)
        }
        return RankCorrelation(
            first: first.country,
            second: second.country,
            spearman: rho,
            ciLow: low,
            ciHigh: high,
            n: x.count
        )
    }
}

/// Hofstede's Values Survey Module 2013: the six country indices from the 24 item means (methodology A.4.3).
///
/// With m01…m24 the mean answers (1…5) to items 1…24 and C a per-index constant (0 in RnR; Hofstede's manual
/// uses it to shift scores into 0…100 for a given set of samples):
///
///     PDI = 35(m07 − m02) + 25(m20 − m23) + C_pd     IDV = 35(m04 − m01) + 35(m09 − m06) + C_ic
///     MAS = 35(m05 − m03) + 35(m08 − m10) + C_mf     UAI = 40(m18 − m15) + 25(m21 − m24) + C_ua
///     LTO = 40(m13 − m14) + 25(m19 − m22) + C_ls     IVR = 35(m12 − m11) + 40(m17 − m16) + C_ir
///
/// Indices are only comparable between samples (countries, personas), never as absolute values.
public enum VSM2013 {
    /// Number of scored items.
    public static let itemCount = 24

    /// The six indices.
    public struct Indices: Sendable, Hashable, Codable {
        /// Power distance.
        public var pdi: Double
        /// Individualism.
        public var idv: Double
        /// Masculinity.
        public var mas: Double
        /// Uncertainty avoidance.
        public var uai: Double
        /// Long- vs short-term orientation.
        public var lto: Double
        /// Indulgence vs restraint.
        public var ivr: Double

        /// Creates a set of indices (also used for the constants C).
        public init(pdi: Double, idv: Double, mas: Double, uai: Double, lto: Double, ivr: Double) {
            self.pdi = pdi
            self.idv = idv
            self.mas = mas
            self.uai = uai
            self.lto = lto
            self.ivr = ivr
        }

        /// All constants 0 (RnR's choice).
        public static let zero = Indices(pdi: 0, idv: 0, mas: 0, uai: 0, lto: 0, ivr: 0)
    }

    /// The indices from the 24 item means, `itemMeans[0]` being m01. O(1).
    /// - Throws: `.lengthMismatch` unless there are exactly 24 means; `.nonFiniteValue`.
    public static func indices(itemMeans m: [Double], constants c: Indices = .zero) throws(StatisticsError)
        -> Indices
    {
        guard m.count == itemCount else { throw .lengthMismatch(expected: itemCount, actual: m.count) }
        try Validate.finite(m)
        func item(_ number: Int) -> Double { m[number - 1] }
        return Indices(
            pdi: 35 * (item(7) - item(2)) + 25 * (item(20) - item(23)) + c.pdi,
            idv: 35 * (item(4) - item(1)) + 35 * (item(9) - item(6)) + c.idv,
            mas: 35 * (item(5) - item(3)) + 35 * (item(8) - item(10)) + c.mas,
            uai: 40 * (item(18) - item(15)) + 25 * (item(21) - item(24)) + c.uai,
            lto: 40 * (item(13) - item(14)) + 25 * (item(19) - item(22)) + c.lto,
            ivr: 35 * (item(12) - item(11)) + 40 * (item(17) - item(16)) + c.ivr
        )
    }

    /// Item means from individual answers (item number 1…24, answer 1…5), e.g. several trials or respondents.
    /// Items nobody answered are `nil` (never imputed); `indices` needs all 24. O(answers).
    /// - Throws: `.invalidParameter` for an item number outside 1…24 or an answer outside 1…5.
    public static func itemMeans(answers: [(item: Int, answer: Double)]) throws(StatisticsError) -> [Double?] {
        var sums = [Double](repeating: 0, count: itemCount)
        var counts = [Int](repeating: 0, count: itemCount)
        for (item, answer) in answers {
            guard (1...itemCount).contains(item) else { throw .invalidParameter("VSM item \(item) is not in 1…24") }
            guard answer.isFinite, answer >= 1, answer <= 5 else {
                throw .invalidParameter("VSM answer \(answer) is not in 1…5")
            }
            sums[item - 1] += answer
            counts[item - 1] += 1
        }
        return zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : nil }
    }
}

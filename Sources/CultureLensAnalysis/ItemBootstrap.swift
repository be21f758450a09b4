import CultureLensStatistics

/// The seeded cluster bootstrap behind every robustness-card interval: whole items (or questions) are resampled
/// with replacement and the figure is recomputed on the resample; the interval is the 2.5–97.5% percentile range
/// of the replicates (`Bootstrap.percentile`). Every figure of one card uses the same seed, so the figures are
/// computed on the same resamples (common random numbers) and the card reproduces bit for bit.
struct ItemBootstrap: Sendable {
    /// Seed of the resampling.
    var seed: UInt64
    /// Replicates per interval.
    var replicates: Int

    /// The same bootstrap with fewer replicates when one replicate costs `cost` elementary operations: at most
    /// `budget` operations in all, but never fewer than 200 replicates (or the configured number, if smaller).
    /// Used for the steering figures whose replicates are quadratic in the number of countries.
    func limited(cost: Double, budget: Double = 4e8) -> ItemBootstrap {
        guard cost > 0 else { return self }
        let affordable = Int(min(Double(Int.max / 2), (budget / cost).rounded(.down)))
        return ItemBootstrap(seed: seed, replicates: min(replicates, max(200, affordable)))
    }

    /// The figure `statistic(indices)` over `units` resampling units (0..<units), with its interval.
    /// `statistic` gets a multiset of unit indices and returns `nil` when undefined on it; undefined replicates
    /// are dropped, an undefined original makes the value `nil`.
    func figure(units: Int, n: Int? = nil, note: String? = nil, _ statistic: ([Int]) -> Double?) -> CardFigure {
        figures(units: units, n: n, count: 1, notes: [note]) { [statistic($0)] }[0]
    }

    /// Several figures computed on the same resamples: `statistics(indices)` returns `count` values. Each
    /// replicate draws `units` indices with replacement (Lemire's method on SplitMix64, the draw sequence of
    /// `Bootstrap.percentile`), and each interval is the type-7 percentile interval of that figure's finite
    /// replicates. O(replicates · cost of `statistics`).
    func figures(
        units: Int,
        n: Int? = nil,
        count: Int,
        notes: [String?] = [],
        _ statistics: ([Int]) -> [Double?]
    ) -> [CardFigure] {
        let size = n ?? units
        func note(_ index: Int) -> String? { index < notes.count ? notes[index] : nil }
        guard units > 0 else { return (0..<count).map { .undefined(n: size, note($0) ?? "no data") } }
        let original = statistics(Array(0..<units))
        var draws = [[Double]](repeating: [], count: count)
        var generator = SplitMix64(seed: seed)
        var sample = [Int](repeating: 0, count: units)
        for _ in 0..<max(0, replicates) {
            for index in sample.indices { sample[index] = generator.uniformIndex(below: units) }
            for (index, value) in statistics(sample).prefix(count).enumerated() {
                if let value, value.isFinite { draws[index].append(value) }
            }
        }
        return (0..<count).map { index in
            guard index < original.count, let value = original[index], value.isFinite else {
                return .undefined(n: size, note(index) ?? "undefined on these data")
            }
            let sorted = draws[index].sorted()
            guard !sorted.isEmpty else { return CardFigure(value: value, n: size, note: note(index) ?? "no interval") }
            return CardFigure(
                value: value,
                n: size,
                ciLow: Descriptive.quantile(sorted: sorted, 0.025),
                ciHigh: Descriptive.quantile(sorted: sorted, 0.975),
                note: note(index)
            )
        }
    }

    /// The figure of a mean of per-unit values (`nil` values are skipped).
    func mean(_ values: [Double?], note: String? = nil) -> CardFigure {
        let present = values.compactMap { $0 }
        return figure(units: present.count, note: note) { sample in
            sample.isEmpty ? nil : sample.reduce(0.0) { $0 + present[$1] } / Double(sample.count)
        }
    }
}

/// Small numeric helpers of the robustness analysis.
enum RobustnessMath {
    /// Mean of a non-empty array, `nil` when empty.
    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Population variance (ddof 0).
    static func populationVariance(_ values: [Double]) -> Double? {
        guard let m = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
    }

    /// Sample variance (ddof 1), `nil` below two values.
    static func sampleVariance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let m = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    /// Index of the largest value (first on ties).
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }

    /// Element-wise mean of equal-length vectors.
    static func meanVector(_ vectors: [[Double]]) -> [Double]? {
        guard let first = vectors.first, vectors.allSatisfy({ $0.count == first.count }) else { return nil }
        var total = [Double](repeating: 0, count: first.count)
        for vector in vectors {
            for (index, value) in vector.enumerated() { total[index] += value }
        }
        return total.map { $0 / Double(vectors.count) }
    }
}

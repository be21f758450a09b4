extension ThurstonianModel {
    /// The pairs of options `0..<optionCount` to ask, each once as (a, b) with a < b, sorted: every pair when
    /// `degree` is `nil` or at least `optionCount − 1`; otherwise seeded rounds, each a random cycle through all
    /// options, until every option is in at least `degree` pairs (about n·degree/2 pairs instead of n(n−1)/2: 48
    /// options at degree 10 ask about 260 pairs, not 1,128). Ask each pair in both orders.
    public static func designPairs(optionCount n: Int, degree: Int?, seed: UInt64) -> [(a: Int, b: Int)] {
        guard n >= 2 else { return [] }
        var chosen = Set<[Int]>()
        if let degree, degree < n - 1 {
            var generator = SplitMix64(seed: seed)
            var order = Array(0..<n)
            var counts = [Int](repeating: 0, count: n)
            // Each round adds up to 2 to every option's degree; the bound only guards against a target never met.
            for _ in 0..<(max(1, degree) * 4) {
                order.shuffle(using: &generator)
                for position in order.indices {
                    let (x, y) = (order[position], order[(position + 1) % n])
                    if x != y, chosen.insert([min(x, y), max(x, y)]).inserted {
                        counts[x] += 1
                        counts[y] += 1
                    }
                }
                if counts.allSatisfy({ $0 >= degree }) { break }
            }
        } else {
            for a in 0..<n { for b in (a + 1)..<n { chosen.insert([a, b]) } }
        }
        return chosen.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map { ($0[0], $0[1]) }
    }
}

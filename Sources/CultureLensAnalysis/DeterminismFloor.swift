import CultureLensStatistics

/// How much the same request's answer moves when it is sent again: the floor under which differences between runs
/// (or models, or prompts) of this endpoint are noise.
///
/// `run --determinism-check` re-sends a seeded sample of the run's requests, in a shuffled order and bypassing the
/// cache, and compares each fresh answer distribution with the stored one. llama.cpp reuses the key–value cache of
/// the longest common prompt prefix of the previous request, so the logits of the same prompt depend on what was
/// asked before (batch shapes and floating-point summation order differ); hosted endpoints batch requests of
/// several users together with the same effect. See docs/robustness.md.
public struct DeterminismFloor: Sendable, Hashable, Codable {
    /// One re-sent request: the stored and the fresh distribution over the options (canonical order).
    public struct Pair: Sendable, Hashable {
        /// Item id.
        public var item: String
        /// The distribution of the stored answer.
        public var stored: [Double]
        /// The distribution of the fresh answer, `nil` when the request failed.
        public var fresh: [Double]?

        /// Creates a pair.
        public init(item: String, stored: [Double], fresh: [Double]?) {
            self.item = item
            self.stored = stored
            self.fresh = fresh
        }
    }

    /// Requests re-sent.
    public var requests: Int
    /// Requests whose fresh answer could be compared (the others failed: ``failed``).
    public var compared: Int
    /// Re-sent requests that failed (transport, refusal or parse failure), never compared.
    public var failed: Int
    /// Mean over compared requests of max over options |p_fresh − p_stored|, with a seeded bootstrap CI.
    public var meanAbsoluteDelta: CardFigure
    /// Largest |p_fresh − p_stored| over every compared request and option.
    public var maxAbsoluteDelta: Double?
    /// Requests whose argmax answer changed.
    public var argmaxFlips: Int
    /// argmaxFlips ÷ compared with a Wilson 95% interval.
    public var flipRate: CardFigure
    /// Seed of the sample, its order and the bootstrap.
    public var seed: UInt64

    /// Compares the `pairs` (in the order they were re-sent).
    public init(pairs: [Pair], seed: UInt64, bootstrapReplicates: Int = 2000) {
        requests = pairs.count
        var deltas: [Double] = []
        var flips = 0
        for pair in pairs {
            guard let fresh = pair.fresh, fresh.count == pair.stored.count, !fresh.isEmpty else { continue }
            deltas.append(zip(fresh, pair.stored).map { abs($0 - $1) }.max() ?? 0)
            if RobustnessMath.argmax(fresh) != RobustnessMath.argmax(pair.stored) { flips += 1 }
        }
        compared = deltas.count
        failed = pairs.count - deltas.count
        meanAbsoluteDelta = ItemBootstrap(seed: seed, replicates: bootstrapReplicates).mean(deltas)
        maxAbsoluteDelta = deltas.max()
        argmaxFlips = flips
        flipRate =
            compared > 0
            ? CardFigure.wilson(successes: flips, n: compared) : .undefined("no re-sent request could be compared")
        self.seed = seed
    }

    /// Whether identical requests came back identical (to 10⁻⁶ on every option, no changed answer).
    public var isDeterministic: Bool { compared > 0 && argmaxFlips == 0 && (maxAbsoluteDelta ?? 0) < 1e-6 }

    enum CodingKeys: String, CodingKey {
        case requests, compared, failed, seed
        case meanAbsoluteDelta = "mean_abs_delta"
        case maxAbsoluteDelta = "max_abs_delta"
        case argmaxFlips = "argmax_flips"
        case flipRate = "flip_rate"
    }
}

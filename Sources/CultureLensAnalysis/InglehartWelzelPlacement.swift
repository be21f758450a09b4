public import CultureLensCore
public import CultureLensStatistics

/// A model placed on the Inglehart–Welzel map from its answers to the ten items under Tao et al.'s descriptor
/// variants: each answer scored into an item value (``InglehartWelzelMap/score(_:answer:)``), each variant's answer
/// vector projected when it has all ten items, and the model's point (the projection of the mean vector over the
/// placeable variants, which equals the mean of their points) with a seeded percentile-bootstrap 95% interval over
/// variants, and its distance to every country of the map.
///
/// Unscorable answers are counted per item with their reasons and never imputed: a variant missing an item is not
/// placeable, and says which items it misses.
public struct InglehartWelzelPlacement: Sendable, Hashable, Codable {
    /// One answer to place: which item, under which descriptor variant (and persona country, for cultural
    /// prompting), and what came back.
    public struct Observation: Sendable, Hashable {
        /// The item.
        public var item: InglehartWelzelMap.Item
        /// The descriptor variant (`v0` ... `v9`).
        public var variant: String
        /// The persona country of cultural prompting, `nil` for the plain descriptors.
        public var country: String?
        /// The model's text, `nil` when the request failed.
        public var answer: String?
        /// The run's failure for this answer, if any.
        public var failure: FailureKind?

        /// Creates an observation.
        public init(
            item: InglehartWelzelMap.Item,
            variant: String,
            country: String? = nil,
            answer: String?,
            failure: FailureKind? = nil
        ) {
            self.item = item
            self.variant = variant
            self.country = country
            self.answer = answer
            self.failure = failure
        }
    }

    /// How the answers to one item fared.
    public struct ItemCount: Sendable, Hashable, Codable {
        /// The item.
        public var item: InglehartWelzelMap.Item
        /// Answers received (results in the run).
        public var answers: Int
        /// Answers that gave an item value.
        public var scored: Int
        /// Answers that gave none (each counted once under ``reasons``).
        public var unparseable: Int
        /// Why, by reason, most frequent first.
        public var reasons: [ReasonCount]
    }

    /// A reason and how often it occurred.
    public struct ReasonCount: Sendable, Hashable, Codable {
        /// The reason (``InglehartWelzelMap/UnscorableAnswer`` description, `refusal`, or `request failed: KIND`).
        public var reason: String
        /// Occurrences.
        public var count: Int
    }

    /// An item's value in one variant.
    public struct ItemValue: Sendable, Hashable, Codable {
        /// The item.
        public var item: InglehartWelzelMap.Item
        /// The value (the mean when the variant was answered several times, e.g. `--samples`), `nil` when no
        /// answer to it was scorable.
        public var value: Double?
    }

    /// One descriptor variant's answer vector and point.
    public struct VariantPoint: Sendable, Hashable, Codable {
        /// The descriptor variant (`v0` ... `v9`).
        public var variant: String
        /// The ten items' values, in item order.
        public var values: [ItemValue]
        /// The variant's point, `nil` when an item is missing.
        public var point: InglehartWelzelMap.Point?
        /// The items without a value.
        public var missing: [InglehartWelzelMap.Item]
        /// Why there is no point (`not placeable: missing a008, f063`), `nil` when there is one.
        public var note: String?
    }

    /// The model's point over the placeable variants.
    public struct ModelPoint: Sendable, Hashable, Codable {
        /// RC1 (survival → self-expression).
        public var x: Double
        /// RC2 (traditional → secular).
        public var y: Double
        /// Placeable variants averaged.
        public var n: Int
        /// Lower ends of the 95% percentile-bootstrap intervals of x and y (same resamples for both), `nil` with
        /// fewer than two placeable variants.
        public var ciLow: InglehartWelzelMap.Point?
        /// Upper ends.
        public var ciHigh: InglehartWelzelMap.Point?
        /// Why there is no interval, when there is none.
        public var ciNote: String?
        /// The mean item vector over the placeable variants, in item order (its projection is the point).
        public var meanValues: [Double]
        /// The five nearest countries, nearest first.
        public var nearest: [InglehartWelzelMap.Neighbour]
        /// Every country of the map by distance, nearest first.
        public var distances: [InglehartWelzelMap.Neighbour]

        /// The point.
        public var point: InglehartWelzelMap.Point { InglehartWelzelMap.Point(x: x, y: y) }
    }

    /// The placement of one set of answers (the plain descriptors, or one persona country).
    public struct Placement: Sendable, Hashable, Codable {
        /// The persona country, `nil` for the plain descriptors.
        public var country: String?
        /// Per item: answers, scored, unparseable with reasons.
        public var items: [ItemCount]
        /// Per descriptor variant, sorted by variant.
        public var variants: [VariantPoint]
        /// The model's point, `nil` when no variant is placeable.
        public var model: ModelPoint?
        /// Why there is no point, when there is none.
        public var note: String?
    }

    /// A persona country's placement under cultural prompting, and whether prompting moved the model toward it.
    public struct PersonaPlacement: Sendable, Hashable, Codable {
        /// The country, as named on the map.
        public var country: String
        /// The placement of the answers given under this country's persona.
        public var placement: Placement
        /// Distance from the unprompted point to the country's human point, `nil` without an unprompted point.
        public var distanceBefore: Double?
        /// Distance from the prompted point to the country's human point, `nil` without a prompted point.
        public var distanceAfter: Double?
        /// Whether the prompted point is closer to the country than the unprompted one (`nil` when either is
        /// missing).
        public var closer: Bool?
        /// Why there is no comparison, when there is none.
        public var note: String?
    }

    /// Over the persona countries with both points: the share whose prompted point is closer to the country than
    /// the unprompted point (Tao et al. report 71–81% for GPT-4-class models), with its Wilson 95% interval.
    public struct SteeringSummary: Sendable, Hashable, Codable {
        /// Countries with a prompted and an unprompted point.
        public var n: Int
        /// Those whose prompted point is closer.
        public var closer: Int
        /// closer ÷ n with its Wilson interval, `nil` when n is 0.
        public var share: Proportion?
        /// Persona countries left out (no prompted point, no unprompted point), with why.
        public var leftOut: [String]
    }

    /// What is computed, in words.
    public var method: String
    /// Bootstrap replicates.
    public var replicates: Int
    /// Bootstrap seed.
    public var seed: UInt64
    /// The plain descriptors' placement (the model answering as itself), `nil` when the run has none of them.
    public var unprompted: Placement?
    /// Cultural prompting: each persona country's placement, in the order asked; `nil` when none was asked.
    public var personas: [PersonaPlacement]?
    /// Cultural prompting's summary over the persona countries; `nil` when none was asked.
    public var steering: SteeringSummary?

    /// The default bootstrap seed.
    public static let defaultSeed: UInt64 = 20_240_915

    /// Places the observations; `nil` when there are none and no persona was asked.
    /// - Parameter asked: The persona countries asked, in order: each is listed (with "no answers" when none of its
    ///   answers is among the observations, e.g. a responses file that leaves it out); countries that only the
    ///   observations name follow.
    public init?(
        _ observations: [Observation],
        personas asked: [String] = [],
        replicates: Int = Bootstrap.defaultReplicates,
        seed: UInt64 = defaultSeed
    ) {
        guard !observations.isEmpty || !asked.isEmpty else { return nil }
        method =
            "each variant's answer vector (Tao et al.'s scoring rules) projected with the human survey's centre, "
            + "scale and PCA weights; the model's point is the projection of the mean vector over placeable variants "
            + "(= the mean of their points); 95% CI: percentile bootstrap over variants"
        self.replicates = replicates
        self.seed = seed
        let plain = observations.filter { $0.country == nil }
        unprompted = plain.isEmpty ? nil : Self.place(plain, country: nil, replicates: replicates, seed: seed)
        var countries = asked
        var byCountry: [String: [Observation]] = Dictionary(
            asked.map { ($0, []) },
            uniquingKeysWith: { first, _ in first }
        )
        for observation in observations {
            guard let country = observation.country else { continue }
            if byCountry[country] == nil { countries.append(country) }
            byCountry[country, default: []].append(observation)
        }
        guard !countries.isEmpty else { return }
        let before = unprompted?.model?.point
        let personas = countries.map { country in
            Self.persona(
                country,
                Self.place(
                    byCountry[country] ?? [],
                    country: country,
                    replicates: replicates,
                    seed: seed ^ Self.fnv1a(country)
                ),
                before: before
            )
        }
        self.personas = personas
        let compared = personas.compactMap(\.closer)
        let closer = compared.filter { $0 }.count
        steering = SteeringSummary(
            n: compared.count,
            closer: closer,
            share: compared.isEmpty ? nil : Proportion(successes: closer, n: compared.count),
            leftOut: personas.compactMap { persona in persona.note.map { "\(persona.country): \($0)" } }
        )
    }

    /// A persona country's placement compared with the unprompted point `before`.
    static func persona(_ country: String, _ placement: Placement, before: InglehartWelzelMap.Point?)
        -> PersonaPlacement
    {
        guard let human = InglehartWelzelMap.country(named: country)?.point else {
            return PersonaPlacement(country: country, placement: placement, note: "not a country of the map")
        }
        let after = placement.model?.point
        let distanceBefore = before.map { $0.distance(to: human) }
        let distanceAfter = after.map { $0.distance(to: human) }
        var note: String?
        if after == nil { note = "no prompted point (\(placement.note ?? "not placeable"))" }
        if before == nil { note = "no unprompted point to compare with" }
        return PersonaPlacement(
            country: country,
            placement: placement,
            distanceBefore: distanceBefore,
            distanceAfter: distanceAfter,
            closer: distanceBefore.flatMap { before in distanceAfter.map { $0 < before } },
            note: note
        )
    }

    /// FNV-1a 64 of the UTF-8 bytes: each persona country's bootstrap stream, the same in every process.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The placement of one country's (or the plain descriptors') observations.
    static func place(_ observations: [Observation], country: String?, replicates: Int, seed: UInt64) -> Placement {
        let items = InglehartWelzelMap.Item.allCases
        var answers: [InglehartWelzelMap.Item: Int] = [:]
        var reasons: [InglehartWelzelMap.Item: [String: Int]] = [:]
        var sums: [String: [InglehartWelzelMap.Item: (total: Double, count: Int)]] = [:]
        for observation in observations {
            answers[observation.item, default: 0] += 1
            if sums[observation.variant] == nil { sums[observation.variant] = [:] }
            switch value(of: observation) {
            case .success(let value):
                let entry = sums[observation.variant]?[observation.item] ?? (0, 0)
                sums[observation.variant]?[observation.item] = (entry.total + value, entry.count + 1)
            case .failure(let reason):
                reasons[observation.item, default: [:]][reason.text, default: 0] += 1
            }
        }
        let counts = items.filter { answers[$0] != nil }.map { item in
            let byReason = reasons[item] ?? [:]
            let unparseable = byReason.values.reduce(0, +)
            return ItemCount(
                item: item,
                answers: answers[item] ?? 0,
                scored: (answers[item] ?? 0) - unparseable,
                unparseable: unparseable,
                reasons: byReason.map { ReasonCount(reason: $0.key, count: $0.value) }
                    .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
            )
        }
        let variants = sums.keys.sorted(by: variantOrder).map { variant in
            let byItem = sums[variant] ?? [:]
            let values = items.map { item in
                ItemValue(item: item, value: byItem[item].map { $0.total / Double($0.count) })
            }
            let projected = InglehartWelzelMap.project(
                Dictionary(uniqueKeysWithValues: values.compactMap { entry in entry.value.map { (entry.item, $0) } })
            )
            return VariantPoint(
                variant: variant,
                values: values,
                point: projected.point,
                missing: projected.missing,
                note: projected.point == nil ? notPlaceable(projected.missing) : nil
            )
        }
        let placeable = variants.filter { $0.point != nil }
        guard !placeable.isEmpty else {
            return Placement(
                country: country,
                items: counts,
                variants: variants,
                model: nil,
                note: observations.isEmpty
                    ? "no answers" : "not placeable: no descriptor variant has a value for all ten items"
            )
        }
        return Placement(
            country: country,
            items: counts,
            variants: variants,
            model: modelPoint(placeable, replicates: replicates, seed: seed),
            note: nil
        )
    }

    /// The mean over placeable variants, its bootstrap interval and the countries by distance.
    static func modelPoint(_ placeable: [VariantPoint], replicates: Int, seed: UInt64) -> ModelPoint {
        let vectors = placeable.map { variant in variant.values.map { $0.value ?? 0 } }
        let meanValues = InglehartWelzelMap.Item.allCases.indices.map { index in
            vectors.map { $0[index] }.reduce(0, +) / Double(vectors.count)
        }
        let point = InglehartWelzelMap.project(meanValues)
        var low: InglehartWelzelMap.Point?
        var high: InglehartWelzelMap.Point?
        var ciNote: String?
        if placeable.count < 2 {
            ciNote = "no CI: \(placeable.count) placeable variant (a bootstrap over variants needs at least 2)"
        } else {
            // The projection is affine, so a resample's mean point is the mean of its variants' points; the same seed
            // draws the same resamples for x and y, so the two intervals come from one set of replicates.
            let xs = placeable.compactMap { $0.point?.x }
            let ys = placeable.compactMap { $0.point?.y }
            if let x = try? Bootstrap.mean(xs, replicates: replicates, seed: seed),
                let y = try? Bootstrap.mean(ys, replicates: replicates, seed: seed)
            {
                low = InglehartWelzelMap.Point(x: x.interval.low, y: y.interval.low)
                high = InglehartWelzelMap.Point(x: x.interval.high, y: y.interval.high)
            } else {
                ciNote = "no CI: the bootstrap failed"
            }
        }
        let distances = InglehartWelzelMap.neighbours(of: point)
        return ModelPoint(
            x: point.x,
            y: point.y,
            n: placeable.count,
            ciLow: low,
            ciHigh: high,
            ciNote: ciNote,
            meanValues: meanValues,
            nearest: Array(distances.prefix(5)),
            distances: distances
        )
    }

    /// `not placeable: missing a008, f063`.
    static func notPlaceable(_ missing: [InglehartWelzelMap.Item]) -> String {
        "not placeable: missing " + missing.map(\.rawValue).joined(separator: ", ")
    }

    /// `v2` before `v10`: by the number after the first letter when there is one, else by text.
    static func variantOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a.dropFirst()), Int(b.dropFirst())) {
        case (let x?, let y?) where x != y: x < y
        default: a < b
        }
    }

    struct Reason: Error {
        var text: String
    }

    /// The item value of one observation, or why there is none.
    static func value(of observation: Observation) -> Result<Double, Reason> {
        if let failure = observation.failure, failure != .parseFailure, failure != .refusal {
            return .failure(Reason(text: "request failed: \(failure.rawValue)"))
        }
        guard let answer = observation.answer else { return .failure(Reason(text: "no answer")) }
        switch InglehartWelzelMap.score(observation.item, answer: answer) {
        case .success(let value): return .success(value)
        case .failure(let reason):
            return .failure(Reason(text: observation.failure == .refusal ? "refusal" : reason.description))
        }
    }
}

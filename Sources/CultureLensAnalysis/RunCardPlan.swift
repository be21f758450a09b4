public import CultureLensCore
import CultureLensStatistics

/// Which items the robustness card of a `run` re-asks, and under which presentations.
///
/// The card needs items whose options are shown from fields (so rotating them changes the prompt) and whose answers
/// can be scored: multiple-choice and judgement items with a gold answer, and survey items. Persona copies (items
/// whose prompt carries a system message, as `--steer` adds) are left out: the card measures the plain prompt.
///
/// Of the eligible items a seeded share is drawn (default 10%, at least ``minimum`` items or all of them if fewer),
/// then capped so that the new requests (one per non-default rotation and item) stay within ``budget``. Each drawn
/// item is asked under its K cyclic rotations: the default order (answered from the cache after the run) and
/// rotations 1…K−1 for the largest option count K among them (items with fewer options wrap around; repeated
/// prompts are recognised and counted once).
public struct RunCardPlan: Sendable, Hashable {
    /// Share of the eligible items drawn.
    public var share: Double
    /// Items drawn at least (all eligible items when there are fewer).
    public var minimum: Int
    /// New requests the card may send at most.
    public var budget: Int
    /// Seed of the draw (and of the card's bootstrap).
    public var seed: UInt64

    /// Creates a plan.
    public init(share: Double = 0.1, minimum: Int = 20, budget: Int = 400, seed: UInt64 = 0) {
        self.share = share
        self.minimum = minimum
        self.budget = budget
        self.seed = seed
    }

    /// The items and variants of one card, or why there is none.
    public struct Selection: Sendable, Hashable {
        /// The drawn items, in suite order, as a suite of their own (the suite's name, title and licence).
        public var suite: Suite
        /// Items that could have been drawn.
        public var eligible: Int
        /// The default variant and rotations 1…K−1.
        public var variants: [PromptVariant]
        /// New requests at most: drawn items × (variants − 1).
        public var requests: Int
        /// How the draw was limited.
        public var notes: [String]
    }

    /// Whether `item` can be on a card (see the type's documentation).
    public static func isEligible(_ item: Item) -> Bool {
        guard item.kind != .shortAnswer, item.choices.count >= 2, item.promptTemplate?.system == nil else {
            return false
        }
        return item.kind == .survey || !item.gold.isEmpty
    }

    /// The card's items and variants for `suite`.
    /// - Throws: ``RunCardPlan/NotApplicable`` saying why the suite gets no card.
    public func select(from suite: Suite) throws(NotApplicable) -> Selection {
        let eligible = suite.items.indices.filter { Self.isEligible(suite.items[$0]) }
        guard !eligible.isEmpty else {
            throw NotApplicable(
                "no item has options and a gold answer or human answers (short answers and persona prompts are not rotated)"
            )
        }
        var candidates = suite
        candidates.items = eligible.map { suite.items[$0] }
        guard PerturbationGrid.rendersOptions(candidates) else {
            throw NotApplicable(
                "'\(suite.name)' shows its options inside the question text, so rotating them would not change the prompt"
            )
        }
        let optionCount = candidates.items.map(\.choices.count).max() ?? 0
        let perItem = optionCount - 1
        var notes: [String] = []
        var count = max(Int((share * Double(eligible.count)).rounded(.up)), min(minimum, eligible.count))
        count = min(count, eligible.count)
        if count * perItem > budget {
            count = budget / perItem
            notes.append(
                "capped at \(count) items by the budget of \(budget) requests (\(perItem) rotations per item; raise --card-budget for more)"
            )
        }
        guard count >= 2 else {
            throw NotApplicable(
                "a budget of \(budget) requests is too small for two items with \(perItem) rotations each"
            )
        }
        var order = Array(0..<eligible.count)
        var generator = SplitMix64(seed: seed ^ 0x4341_5244_0000_0000)
        generator.shuffle(&order)
        let drawn = order.prefix(count).sorted().map { candidates.items[$0] }
        var selected = suite
        selected.items = drawn
        let variants =
            [PromptVariant.default]
            + (1..<optionCount).map { shift in
                var variant = PromptVariant.default
                variant.order = optionCount == 2 ? .reversed : .rotation(shift)
                return variant
            }
        return Selection(
            suite: selected,
            eligible: eligible.count,
            variants: variants,
            requests: drawn.count * perItem,
            notes: notes
        )
    }

    /// Why a suite gets no robustness card.
    public struct NotApplicable: Error, Sendable, Hashable, CustomStringConvertible {
        /// The reason, for the card's note.
        public var reason: String

        /// Creates a reason.
        public init(_ reason: String) { self.reason = reason }

        public var description: String { reason }
    }
}

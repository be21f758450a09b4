import Foundation
import Synchronization

/// What one invocation may spend on model calls, and what it has spent: `--max-requests`, `--max-tokens` and
/// `--max-cost` (with a ``Price``). Cache hits cost nothing, and a call's retries count once.
///
/// A call is *reserved* before it is sent: one request, its prompt tokens (estimated from its text) and its
/// `max_tokens`, priced at the ``Price``. The reservation is refused when it could take any cap past its limit,
/// counting what is spent and what other calls in flight have reserved, so concurrent calls cannot overshoot a cap
/// together. When the answer arrives the reservation is *settled* at the server's reported usage (or, without one,
/// at the prompt estimate plus the answer's length at four characters per token); a call stopped before it was sent
/// is *cancelled* and costs nothing. When a cap refuses a call the run stops like an interrupted one: every item
/// not yet sent is left for the next invocation, which resumes from the store under a higher cap without repeating
/// a request.
public final class RequestBudget: Sendable {
    /// The caps; `nil` means none.
    public struct Limits: Sendable, Hashable {
        /// Model calls.
        public var requests: Int?
        /// Prompt plus output tokens.
        public var tokens: Int?
        /// Cost in US dollars (needs a ``Price``).
        public var cost: Double?

        /// Creates caps.
        public init(requests: Int? = nil, tokens: Int? = nil, cost: Double? = nil) {
            self.requests = requests.map { max(0, $0) }
            self.tokens = tokens.map { max(0, $0) }
            self.cost = cost.map { max(0, $0) }
        }
    }

    /// What a model's tokens cost, in US dollars per million.
    public struct Price: Sendable, Hashable, Codable {
        /// Per million prompt (input) tokens.
        public var inputPerMillion: Double
        /// Per million output tokens.
        public var outputPerMillion: Double

        /// Creates a price.
        public init(inputPerMillion: Double, outputPerMillion: Double) {
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
        }

        /// The cost of `promptTokens` and `outputTokens`.
        public func cost(promptTokens: Int, outputTokens: Int) -> Double {
            (Double(promptTokens) * inputPerMillion + Double(outputTokens) * outputPerMillion) / 1_000_000
        }

        enum CodingKeys: String, CodingKey {
            case inputPerMillion = "input_per_million"
            case outputPerMillion = "output_per_million"
        }
    }

    /// Which cap refused a call.
    public enum Cap: String, Sendable, Hashable, Codable {
        /// `--max-requests`.
        case requests
        /// `--max-tokens`.
        case tokens
        /// `--max-cost`.
        case cost
    }

    /// What was spent.
    public struct Spend: Sendable, Hashable, Codable {
        /// Model calls sent (retries not counted again).
        public var requests = 0
        /// Prompt tokens of the calls answered or failed.
        public var promptTokens = 0
        /// Output tokens of the calls answered.
        public var outputTokens = 0
        /// Calls whose tokens the server did not report, so they were estimated from text.
        public var estimatedCalls = 0
        /// Cost in US dollars, when there is a price.
        public var cost: Double?
        /// The price the cost was computed at (the latest invocation's).
        public var price: Price?
        /// Second copies of slow requests sent by hedging (`--hedge`): extra calls, not in ``requests`` or the caps.
        public var hedges = 0
        /// Invocations summed (a run resumed twice: 3).
        public var invocations = 1

        /// Creates an empty spend.
        public init() {}

        /// Prompt plus output tokens.
        public var tokens: Int { promptTokens + outputTokens }

        /// The sum of two invocations' spend (a resumed run's total).
        public func adding(_ other: Spend) -> Spend {
            var sum = self
            sum.requests += other.requests
            sum.promptTokens += other.promptTokens
            sum.outputTokens += other.outputTokens
            sum.estimatedCalls += other.estimatedCalls
            sum.hedges += other.hedges
            sum.invocations += other.invocations
            if cost != nil || other.cost != nil { sum.cost = (cost ?? 0) + (other.cost ?? 0) }
            sum.price = other.price ?? price
            return sum
        }

        /// One line for the terminal, e.g. `spend: 88 calls · 9,120 tokens (8,800 prompt + 320 output) · $0.0014`.
        public var summary: String {
            var line =
                "spend: \(requests) call\(requests == 1 ? "" : "s") · \(tokens) tokens (\(promptTokens) prompt + "
                + "\(outputTokens) output"
            if estimatedCalls > 0 {
                line += "; \(estimatedCalls) call\(estimatedCalls == 1 ? "" : "s") estimated from text"
            }
            line += ")"
            if let cost { line += " · $" + String(format: cost < 1 ? "%.4f" : "%.2f", cost) }
            if hedges > 0 { line += " · \(hedges) hedge\(hedges == 1 ? "" : "s") besides" }
            if invocations > 1 { line += " · over \(invocations) invocations" }
            return line
        }

        enum CodingKeys: String, CodingKey {
            case requests, cost, price, hedges, invocations
            case promptTokens = "prompt_tokens"
            case outputTokens = "output_tokens"
            case estimatedCalls = "estimated_calls"
        }

        /// Decodes a spend; keys added after the first version may be missing.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            requests = try c.decode(Int.self, forKey: .requests)
            promptTokens = try c.decode(Int.self, forKey: .promptTokens)
            outputTokens = try c.decode(Int.self, forKey: .outputTokens)
            estimatedCalls = try c.decodeIfPresent(Int.self, forKey: .estimatedCalls) ?? 0
            cost = try c.decodeIfPresent(Double.self, forKey: .cost)
            price = try c.decodeIfPresent(Price.self, forKey: .price)
            hedges = try c.decodeIfPresent(Int.self, forKey: .hedges) ?? 0
            invocations = try c.decodeIfPresent(Int.self, forKey: .invocations) ?? 1
        }
    }

    /// A call's claim on the budget between its reservation and its settlement.
    public struct Reservation: Sendable, Hashable {
        /// Estimated prompt tokens.
        public var promptTokens: Int
        /// The call's `max_tokens`.
        public var maxOutputTokens: Int
    }

    /// The caps.
    public let limits: Limits
    /// The price, when known.
    public let price: Price?
    private let state = Mutex(State())

    private struct State {
        var spend = Spend()
        var reservedRequests = 0
        var reservedTokens = 0
        var reservedCost = 0.0
        var refusedBy: Cap?
    }

    /// A budget with `limits`, pricing calls at `price`.
    public init(limits: Limits = .init(), price: Price? = nil) {
        self.limits = limits
        self.price = price
    }

    /// A budget of `limit` calls and no other cap.
    public convenience init(limit: Int) { self.init(limits: .init(requests: limit)) }

    /// Reserves a call of `promptTokens` (estimated) and at most `maxOutputTokens`.
    /// - Returns: the reservation, or `nil` when a cap refuses it (``exhaustedCap`` then says which).
    public func reserve(promptTokens: Int, maxOutputTokens: Int) -> Reservation? {
        let reservation = Reservation(promptTokens: max(0, promptTokens), maxOutputTokens: max(0, maxOutputTokens))
        let tokens = reservation.promptTokens + reservation.maxOutputTokens
        let cost = price?.cost(promptTokens: reservation.promptTokens, outputTokens: reservation.maxOutputTokens) ?? 0
        return state.withLock { state in
            let refusal: Cap? =
                if let cap = limits.requests, state.spend.requests + state.reservedRequests + 1 > cap {
                    .requests
                } else if let cap = limits.tokens, state.spend.tokens + state.reservedTokens + tokens > cap {
                    .tokens
                } else if let cap = limits.cost, (state.spend.cost ?? 0) + state.reservedCost + cost > cap {
                    .cost
                } else {
                    nil
                }
            if let refusal {
                state.refusedBy = state.refusedBy ?? refusal
                return nil
            }
            state.reservedRequests += 1
            state.reservedTokens += tokens
            state.reservedCost += cost
            return reservation
        }
    }

    /// Reserves `request`.
    public func reserve(_ request: ModelRequest) -> Reservation? {
        reserve(promptTokens: request.estimatedPromptTokens, maxOutputTokens: request.maxTokens)
    }

    /// Settles a sent call: at `usage` when the server reported it, else at the reservation's prompt estimate and
    /// `outputCharacters` of answer (0 for a failed call, which is charged its prompt: a provider may have
    /// processed it).
    public func settle(_ reservation: Reservation, usage: TokenUsage?, outputCharacters: Int) {
        let prompt = usage?.promptTokens ?? reservation.promptTokens
        let output = usage?.completionTokens ?? TokenUsage.estimated(characters: outputCharacters)
        state.withLock { state in
            release(reservation, from: &state)
            state.spend.requests += 1
            state.spend.promptTokens += prompt
            state.spend.outputTokens += output
            if usage == nil { state.spend.estimatedCalls += 1 }
            if let price {
                state.spend.cost = (state.spend.cost ?? 0) + price.cost(promptTokens: prompt, outputTokens: output)
            }
        }
    }

    /// Gives back a reservation whose call was never sent.
    public func cancel(_ reservation: Reservation) {
        state.withLock { release(reservation, from: &$0) }
    }

    private func release(_ reservation: Reservation, from state: inout State) {
        state.reservedRequests -= 1
        state.reservedTokens -= reservation.promptTokens + reservation.maxOutputTokens
        state.reservedCost -=
            price?.cost(promptTokens: reservation.promptTokens, outputTokens: reservation.maxOutputTokens) ?? 0
        if state.reservedRequests == 0 { state.reservedCost = 0 }  // no drift from floating-point subtraction
    }

    /// What was spent so far (settled calls only).
    public var spend: Spend {
        state.withLock { state in
            var spend = state.spend
            if price != nil, spend.cost == nil { spend.cost = 0 }
            spend.price = price
            return spend
        }
    }

    /// Calls settled so far.
    public var used: Int { state.withLock { $0.spend.requests } }

    /// The cap that refused a call, if one did (a run that needed exactly the cap was not refused).
    public var exhaustedCap: Cap? { state.withLock { $0.refusedBy } }

    /// Whether a cap refused a call.
    public var isExhausted: Bool { exhaustedCap != nil }
}

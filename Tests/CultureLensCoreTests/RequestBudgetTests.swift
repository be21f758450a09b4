import CultureLensApp
import CultureLensCore
import Foundation
import Testing

/// The budget's caps, reservations and settlements, driven synchronously; and the price table it prices with.
struct RequestBudgetTests {
    @Test func theRequestCapRefusesTheCallBeyondItAndSaysWhich() {
        let budget = RequestBudget(limits: .init(requests: 2))
        let first = budget.reserve(promptTokens: 10, maxOutputTokens: 5)
        let second = budget.reserve(promptTokens: 10, maxOutputTokens: 5)
        #expect(first != nil && second != nil)
        #expect(budget.reserve(promptTokens: 1, maxOutputTokens: 1) == nil, "two in flight fill the cap")
        #expect(budget.exhaustedCap == .requests)
        if let first {
            budget.settle(first, usage: TokenUsage(promptTokens: 12, completionTokens: 3), outputCharacters: 0)
        }
        if let second { budget.cancel(second) }
        #expect(budget.spend.requests == 1, "a cancelled call was never sent")
        #expect(budget.reserve(promptTokens: 1, maxOutputTokens: 1) != nil, "the cancelled call's place is free again")
    }

    @Test func tokensAreReservedAtMostAndSettledAtTheReportedUsage() throws {
        let budget = RequestBudget(limits: .init(tokens: 100))
        let a = try #require(budget.reserve(promptTokens: 40, maxOutputTokens: 20))
        // 60 reserved: a second call of 60 could take the total to 120.
        #expect(budget.reserve(promptTokens: 40, maxOutputTokens: 20) == nil)
        #expect(budget.exhaustedCap == .tokens)
        budget.settle(a, usage: TokenUsage(promptTokens: 30, completionTokens: 2), outputCharacters: 400)
        #expect(budget.spend.tokens == 32, "the server's count, not the reservation or the text")
        #expect(budget.spend.estimatedCalls == 0)
        let b = try #require(budget.reserve(promptTokens: 40, maxOutputTokens: 20), "32 + 60 ≤ 100")
        // No usage reported: the prompt estimate and the answer's length at four characters per token.
        budget.settle(b, usage: nil, outputCharacters: 9)
        #expect(budget.spend.promptTokens == 70)
        #expect(budget.spend.outputTokens == 5)
        #expect(budget.spend.estimatedCalls == 1)
        #expect(budget.spend.cost == nil, "no price, no cost")
    }

    @Test func theCostCapUsesThePriceAndAFailedCallIsChargedItsPrompt() throws {
        // $2 per million prompt tokens, $10 per million output tokens.
        let price = RequestBudget.Price(inputPerMillion: 2, outputPerMillion: 10)
        #expect(price.cost(promptTokens: 1_000_000, outputTokens: 100_000) == 3)
        let budget = RequestBudget(limits: .init(cost: 0.0003), price: price)
        let a = try #require(budget.reserve(promptTokens: 50, maxOutputTokens: 10))  // $0.0002 reserved
        #expect(budget.reserve(promptTokens: 50, maxOutputTokens: 10) == nil)
        #expect(budget.exhaustedCap == .cost)
        budget.settle(a, usage: nil, outputCharacters: 0)
        let spend = budget.spend
        #expect(spend.requests == 1)
        #expect(spend.promptTokens == 50)
        #expect(abs((spend.cost ?? 0) - 0.0001) < 1e-12)
        #expect(spend.price == price)
    }

    @Test func spendAddsUpOverInvocationsAndRoundTrips() throws {
        var first = RequestBudget.Spend()
        first.requests = 4
        first.promptTokens = 400
        first.outputTokens = 8
        first.cost = 0.5
        first.hedges = 1
        var second = RequestBudget.Spend()
        second.requests = 6
        second.promptTokens = 600
        second.outputTokens = 12
        second.estimatedCalls = 2
        let total = first.adding(second)
        #expect(total.requests == 10)
        #expect(total.tokens == 1020)
        #expect(total.invocations == 2)
        #expect(total.cost == 0.5)
        #expect(total.hedges == 1)
        #expect(
            total.summary
                == "spend: 10 calls · 1020 tokens (1000 prompt + 20 output; 2 calls estimated from text) · $0.5000 · 1 hedge besides · over 2 invocations"
        )
        let decoded = try JSONDecoder().decode(RequestBudget.Spend.self, from: JSONEncoder().encode(total))
        #expect(decoded == total)
        // An older attachment without the later keys still reads.
        let old = try JSONDecoder().decode(
            RequestBudget.Spend.self,
            from: Data(#"{"requests": 3, "prompt_tokens": 30, "output_tokens": 3}"#.utf8)
        )
        #expect(old.invocations == 1 && old.hedges == 0 && old.cost == nil)
    }

    @Test func thePriceTableNamesTheFileAndTheFieldOfABadEntry() throws {
        let table = try PriceTable.parse(
            Data(#"{"m": {"input_per_million": 0.15, "output_per_million": 0.6}}"#.utf8),
            path: "prices.json"
        )
        #expect(table.price(of: "m") == RequestBudget.Price(inputPerMillion: 0.15, outputPerMillion: 0.6))
        #expect(table.price(of: "other") == nil)
        let cases: [(String, String)] = [
            (#"{"m": {"input_per_million": "cheap", "output_per_million": 0.6}}"#, "prices.json: m.input_per_million"),
            (#"{"m": {"input_per_million": 0.1}}"#, "prices.json: m.output_per_million: missing"),
            (
                #"{"m": {"input_per_million": -1, "output_per_million": 0.6}}"#,
                "prices.json: m.input_per_million: must be at least 0"
            ),
            (#"[1, 2]"#, "prices.json: expected an object of model names"),
            (#"{"m": "#, "prices.json: not valid JSON"),
        ]
        for (text, message) in cases {
            #expect {
                _ = try PriceTable.parse(Data(text.utf8), path: "prices.json")
            } throws: { error in
                (error as? PriceTable.Error)?.message.hasPrefix(message) == true
            }
        }
    }
}

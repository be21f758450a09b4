import ArgumentParser
import CultureLensApp
import CultureLensCore
import Foundation

/// The caps, prices and `--dry-run` of `run` and `robustness`: the pre-flight plan, and what an invocation may
/// spend on model calls.
struct BudgetOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Send at most N model calls in this invocation (cache hits are free, a call's retries count once; a run's card and determinism check included), then stop with exit code 3. Re-run with a higher cap to continue."
    )
    var maxRequests: Int?

    @Option(
        name: .long,
        help:
            "Spend at most N tokens (prompt + output) in this invocation, then stop with exit code 3. Each call reserves its estimated prompt and its max_tokens before it is sent, so calls in flight cannot overshoot together; the server's reported usage settles it."
    )
    var maxTokens: Int?

    @Option(
        name: .long,
        help:
            "Spend at most this many US dollars in this invocation (reserved and settled like --max-tokens), then stop with exit code 3. Needs the model's price: --price-input/--price-output or the price table."
    )
    var maxCost: Double?

    @Option(name: .long, help: "US dollars per million prompt tokens of the model (overrides the price table).")
    var priceInput: Double?

    @Option(name: .long, help: "US dollars per million output tokens of the model (overrides the price table).")
    var priceOutput: Double?

    @Option(
        name: .long,
        help:
            "Price table, JSON: {\"MODEL\": {\"input_per_million\": 0.15, \"output_per_million\": 0.6}, ...} (default: $CULTURELENS_HOME/prices.json when it exists)."
    )
    var prices: String?

    @Flag(
        name: .long,
        help: "Print what the run would send (requests, cache hits, prompt tokens, cost) and stop before sending any."
    )
    var dryRun = false

    func validate() throws {
        if let maxRequests, maxRequests < 0 { throw ValidationError("--max-requests must be at least 0") }
        if let maxTokens, maxTokens < 0 { throw ValidationError("--max-tokens must be at least 0") }
        if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost must be at least 0") }
        for (flag, value) in [("--price-input", priceInput), ("--price-output", priceOutput)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(flag) must be at least 0") }
        }
        if (priceInput == nil) != (priceOutput == nil) {
            throw ValidationError("give both --price-input and --price-output (US dollars per million tokens)")
        }
    }

    /// The budget the runner shares with every copy of it: the caps, and the price of `model` (flags first, then
    /// the price table; the managed local model is free).
    /// - Throws: `ValidationError` for `--max-cost` without a price, or a price table that cannot be read (naming
    ///   the file and the field).
    func budget(model: String, isLocal: Bool) throws -> RequestBudget {
        let price = try self.price(model: model, isLocal: isLocal)
        if maxCost != nil, price == nil {
            throw ValidationError(
                "--max-cost needs the price of model '\(model)': give --price-input and --price-output (US dollars per million tokens) or add it to the price table (\(pricesPath ?? "$CULTURELENS_HOME/prices.json"))"
            )
        }
        return RequestBudget(limits: .init(requests: maxRequests, tokens: maxTokens, cost: maxCost), price: price)
    }

    /// The price table's path: `--prices`, else `$CULTURELENS_HOME/prices.json` when that exists.
    private var pricesPath: String? {
        if let prices { return prices }
        let path = StoreLocation.home + "/prices.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    private func price(model: String, isLocal: Bool) throws -> RequestBudget.Price? {
        if let priceInput, let priceOutput {
            return RequestBudget.Price(inputPerMillion: priceInput, outputPerMillion: priceOutput)
        }
        if isLocal { return RequestBudget.Price(inputPerMillion: 0, outputPerMillion: 0) }
        guard let path = pricesPath else { return nil }
        do {
            return try PriceTable.read(path: path).price(of: model)
        } catch let error as PriceTable.Error {
            throw ValidationError(error.message)
        }
    }

    /// The plan's lines: requests, cache hits, what is left to send and its size (and cost, with a price), then
    /// `extra` lines, then the caps.
    func planLines(
        _ estimate: EvaluationRunner.Estimate,
        items: Int,
        variants: Int,
        price: RequestBudget.Price?,
        extra: [String] = []
    ) -> [String] {
        var lines = [
            "plan: \(items) items × \(variants) variant\(variants == 1 ? "" : "s") = \(estimate.requests) requests · "
                + "\(estimate.cached) from the cache · \(estimate.toSend) to send (about \(estimate.promptTokens) prompt "
                + "tokens at 4 characters per token, at most \(estimate.maxOutputTokens) output tokens)"
        ]
        if let price {
            let prompt = price.cost(promptTokens: estimate.promptTokens, outputTokens: 0)
            let most = price.cost(promptTokens: estimate.promptTokens, outputTokens: estimate.maxOutputTokens)
            lines.append(
                "plan: cost about " + Self.dollars(prompt) + " for the prompts, at most " + Self.dollars(most)
                    + " with every answer at max_tokens (at $\(price.inputPerMillion) / $\(price.outputPerMillion) per million prompt / output tokens)"
            )
        }
        lines += extra
        let caps = [
            maxRequests.map { "\($0) model calls (--max-requests)" },
            maxTokens.map { "\($0) tokens (--max-tokens)" },
            maxCost.map { Self.dollars($0) + " (--max-cost)" },
        ].compactMap { $0 }
        if !caps.isEmpty {
            lines.append("plan: at most " + caps.joined(separator: ", ") + " in this invocation; then exit 3")
        }
        return lines
    }

    static func dollars(_ value: Double) -> String { "$" + String(format: value < 1 ? "%.4f" : "%.2f", value) }

    /// With `--dry-run`, prints the plan on stdout (as JSON with `json`, `extra` keys added) and returns `true`;
    /// otherwise prints it on stderr and returns `false`.
    func present(
        _ lines: [String],
        estimate: EvaluationRunner.Estimate,
        price: RequestBudget.Price?,
        json: Bool,
        extra: [String: Int] = [:]
    ) throws -> Bool {
        guard dryRun else {
            for line in lines { printError(line) }
            return false
        }
        if json {
            var object: [String: Any] = [
                "requests": estimate.requests, "cached": estimate.cached, "to_send": estimate.toSend,
                "prompt_tokens_estimate": estimate.promptTokens, "max_output_tokens": estimate.maxOutputTokens,
            ]
            if let price {
                object["cost_prompts_estimate"] = price.cost(promptTokens: estimate.promptTokens, outputTokens: 0)
                object["cost_at_most"] = price.cost(
                    promptTokens: estimate.promptTokens,
                    outputTokens: estimate.maxOutputTokens
                )
            }
            object.merge(extra) { _, new in new }
            FileHandle.standardOutput.write(
                try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            )
            print()
        } else {
            for line in lines { print(line) }
        }
        return true
    }

    /// Exits with code 3 and says what was saved when a cap of `budget` refused a call.
    func checkSpent(_ budget: RequestBudget?, saved: String, unfinished: String? = nil) throws {
        guard let budget, let cap = budget.exhaustedCap else { return }
        let spend = budget.spend
        let reached: String =
            switch cap {
            case .requests: "\(spend.requests) of --max-requests \(budget.limits.requests ?? 0) sent"
            case .tokens: "\(spend.tokens) of --max-tokens \(budget.limits.tokens ?? 0) used"
            case .cost:
                Self.dollars(spend.cost ?? 0) + " of --max-cost " + Self.dollars(budget.limits.cost ?? 0) + " spent"
            }
        let flag = ["requests": "--max-requests", "tokens": "--max-tokens", "cost": "--max-cost"][cap.rawValue] ?? ""
        printError(
            "budget spent: \(reached); \(saved)" + (unfinished.map { ", \($0)" } ?? "")
                + "; run again with a higher \(flag) to continue (nothing is asked twice)"
        )
        throw ExitCode(3)
    }
}

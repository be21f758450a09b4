import ArgumentParser
import CultureLensCore
import Foundation

/// `--max-requests` and `--dry-run` of `run` and `robustness`: the pre-flight plan and the cap on model calls.
struct BudgetOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Send at most N model calls in this invocation (cache hits are free, a call's retries count once; a run's card and determinism check included), then stop with exit code 3. Re-run with a higher cap to continue."
    )
    var maxRequests: Int?

    @Flag(
        name: .long,
        help: "Print what the run would send (requests, cache hits, prompt tokens) and stop before sending any."
    )
    var dryRun = false

    func validate() throws {
        if let maxRequests, maxRequests < 0 { throw ValidationError("--max-requests must be at least 0") }
    }

    /// The budget the runner shares with every copy of it, `nil` without a cap.
    func budget() -> RequestBudget? { maxRequests.map { RequestBudget(limit: $0) } }

    /// The plan's lines: requests, cache hits, what is left to send and its size, then `extra` lines, then the cap.
    func planLines(_ estimate: EvaluationRunner.Estimate, items: Int, variants: Int, extra: [String] = []) -> [String] {
        var lines = [
            "plan: \(items) items × \(variants) variant\(variants == 1 ? "" : "s") = \(estimate.requests) requests · "
                + "\(estimate.cached) from the cache · \(estimate.toSend) to send (about \(estimate.promptTokens) prompt "
                + "tokens at 4 characters per token, at most \(estimate.maxOutputTokens) output tokens)"
        ]
        lines += extra
        if let maxRequests {
            lines.append("plan: at most \(maxRequests) model calls in this invocation (--max-requests); then exit 3")
        }
        return lines
    }

    /// With `--dry-run`, prints the plan on stdout (as JSON with `json`, `extra` keys added) and returns `true`;
    /// otherwise prints it on stderr and returns `false`.
    func present(_ lines: [String], estimate: EvaluationRunner.Estimate, json: Bool, extra: [String: Int] = [:])
        throws -> Bool
    {
        guard dryRun else {
            for line in lines { printError(line) }
            return false
        }
        if json {
            var object: [String: Int] = [
                "requests": estimate.requests, "cached": estimate.cached, "to_send": estimate.toSend,
                "prompt_tokens_estimate": estimate.promptTokens, "max_output_tokens": estimate.maxOutputTokens,
            ]
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

    /// Exits with code 3 and says what was saved when `budget` refused a call.
    func checkSpent(_ budget: RequestBudget?, saved: String, unfinished: String? = nil) throws {
        guard let budget, budget.isExhausted else { return }
        printError(
            "request budget spent: \(budget.used) of --max-requests \(budget.limit) sent; \(saved)"
                + (unfinished.map { ", \($0)" } ?? "")
                + "; run again with a higher --max-requests to continue (nothing is asked twice)"
        )
        throw ExitCode(3)
    }
}

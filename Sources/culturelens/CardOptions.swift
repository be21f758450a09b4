import ArgumentParser
import CultureLensAnalysis
import CultureLensApp

/// The robustness card options of `run`: `--no-card`, the sample and budget, and the determinism check.
struct CardOptions: ParsableArguments {
    @Flag(
        name: .customLong("no-card"),
        help: "Skip the robustness card (a sample asked again under every option rotation; see docs/robustness.md)."
    )
    var noCard = false

    @Option(name: .long, help: "Share of the items the card asks again under every option rotation.")
    var cardShare: Double = 0.1

    @Option(name: .long, help: "Items the card asks again at least (all of them when there are fewer).")
    var cardMinimum: Int = 20

    @Option(name: .long, help: "New requests the card may send at most; the sample is cut to fit.")
    var cardBudget: Int = 400

    @Option(name: .long, help: "Seed of the card's sample, its PriDe calibration draw and its bootstraps.")
    var cardSeed: UInt64 = 0

    @Flag(
        inversion: .prefixedNo,
        help:
            "Re-send a sample of the run's requests, bypassing the cache, and report how far identical requests move (default: on for the managed local model)."
    )
    var determinismCheck: Bool?

    @Option(name: .long, help: "Requests the determinism check re-sends.")
    var determinismSample: Int = 20

    func validate() throws {
        guard cardShare > 0, cardShare <= 1 else { throw ValidationError("--card-share must be in (0, 1]") }
        guard cardMinimum >= 2 else { throw ValidationError("--card-minimum must be at least 2") }
        guard cardBudget >= 2 else { throw ValidationError("--card-budget must be at least 2") }
        guard (1...10_000).contains(determinismSample) else {
            throw ValidationError("--determinism-sample must be 1...10000")
        }
        if noCard, determinismCheck == true {
            throw ValidationError("--determinism-check is part of the card: drop --no-card to run it")
        }
    }

    /// The card's settings for a run against `session`, or `nil` with `--no-card`.
    func settings(managedLocal: Bool) -> EvaluationSession.CardSettings? {
        guard !noCard else { return nil }
        return EvaluationSession.CardSettings(
            plan: RunCardPlan(share: cardShare, minimum: cardMinimum, budget: cardBudget, seed: cardSeed),
            determinismSample: (determinismCheck ?? managedLocal) ? determinismSample : 0
        )
    }
}

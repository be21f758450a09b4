public import CultureLensAnalysis
public import CultureLensCore
import CultureLensStatistics
import Foundation

extension EvaluationSession {
    /// Settings of the robustness card `run` attaches to a run.
    public struct CardSettings: Sendable, Hashable {
        /// Which items are asked again, and the request budget.
        public var plan: RunCardPlan
        /// Bootstrap replicates per interval.
        public var bootstrapReplicates: Int
        /// Requests the determinism check re-sends; 0 leaves the check out.
        public var determinismSample: Int

        /// Creates settings.
        public init(plan: RunCardPlan = RunCardPlan(), bootstrapReplicates: Int = 2000, determinismSample: Int = 0) {
            self.plan = plan
            self.bootstrapReplicates = bootstrapReplicates
            self.determinismSample = determinismSample
        }
    }

    /// The robustness card of `run`: asks the card's sample (``RunCardPlan``) under every cyclic rotation through
    /// `runner` (cached and resumable like any request: the answers are a store run of their own whose
    /// ``RunRecord/cardOf`` is `run`), re-sends a sample of `run`'s requests when ``CardSettings/determinismSample`` asks for it,
    /// and builds the card. ``finish(_:resolved:settings:data:output:card:)`` adds the run-level checks, stores it as
    /// the run's `card` attachment and writes it into `results.json`.
    /// - Returns: `nil` when `stop` was raised before the card's requests finished.
    public func card(
        for suite: Suite,
        of run: RunRecord,
        runner: EvaluationRunner,
        settings: CardSettings,
        stop: StopSignal,
        progress: @escaping @Sendable (RunProgress) -> Void
    ) async throws -> RunCard? {
        let plan = settings.plan
        let headlineMetric = suite.items.allSatisfy { $0.kind == .survey } ? "similarity" : "accuracy"
        let selection: RunCardPlan.Selection
        do {
            selection = try plan.select(from: suite)
        } catch {
            return .notApplicable(error.reason, headlineMetric: headlineMetric)
        }
        var cardRunner = runner
        cardRunner.configuration.temperature = 0
        // Opened here so the record says whose card it is before its first answer is saved.
        var record = cardRunner.runRecord(
            for: selection.suite,
            variants: selection.variants,
            toolVersion: CultureLensVersion.current
        )
        record.cardOf = run.id
        let opened = try await store.openRun(record)
        if opened.cardOf != run.id {
            record = opened
            record.cardOf = run.id
            try await store.updateRun(record)
        }
        let outcome = try await cardRunner.run(
            selection.suite,
            variants: selection.variants,
            toolVersion: CultureLensVersion.current,
            stop: stop,
            progress: progress
        )
        guard outcome.run.status != .interrupted else { return nil }
        let analysis = RobustnessAnalysis(
            suite: selection.suite,
            grid: PerturbationGrid(factors: [.order]),
            variants: selection.variants,
            configuration: .init(seed: plan.seed, bootstrapReplicates: settings.bootstrapReplicates)
        )
        let determinism =
            settings.determinismSample > 0
            ? try await determinismFloor(
                suite: suite,
                runner: cardRunner,
                sample: settings.determinismSample,
                seed: plan.seed,
                bootstrapReplicates: settings.bootstrapReplicates
            ) : nil
        return RunCard(
            card: analysis.card(results: outcome.results),
            selection: selection,
            plan: plan,
            runID: outcome.run.id,
            determinism: determinism
        )
    }

    /// Re-sends up to `sample` of the run's requests (a seeded draw of items with options, sent one at a time in the
    /// drawn order, which shuffles them against the run's order), bypassing the cache, and compares each fresh
    /// answer with the stored one.
    func determinismFloor(
        suite: Suite,
        runner: EvaluationRunner,
        sample: Int,
        seed: UInt64,
        bootstrapReplicates: Int
    ) async throws -> DeterminismFloor {
        var candidates = suite.items.filter { $0.choices.count >= 2 && $0.kind != .shortAnswer }
        var generator = SplitMix64(seed: seed ^ 0x4445_5445_524D_0000)
        generator.shuffle(&candidates)
        var pairs: [DeterminismFloor.Pair] = []
        for item in candidates {
            guard pairs.count < sample else { break }
            try Task.checkCancellation()
            let replay = try await runner.replay(item)
            // Only requests the run answered (and whose answer could be scored) are compared.
            guard let stored = replay.stored else { continue }
            pairs.append(.init(item: item.id, stored: stored, fresh: replay.fresh))
        }
        return DeterminismFloor(pairs: pairs, seed: seed, bootstrapReplicates: bootstrapReplicates)
    }
}

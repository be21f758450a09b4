import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels
import Foundation

/// `culturelens run SUITE --model NAME --base-url URL --batch`: the run's uncached requests go through the
/// provider's batch API (cheaper, answered within 24 h); the normal runner then scores them.
///
/// Flow: compute every item × variant request of the run, drop those the cache answers, submit the rest as batches
/// (recorded in `<run directory>/batch-state.json` after every step), poll, download, then run the normal runner with
/// a model answering from the batch results. Requests the batch did not answer (error lines, missing lines, failed
/// or expired batches) are counted on stderr and sent interactively, or with `--batch-no-fallback` recorded as
/// failures. Re-running the command resumes recorded batches: nothing is uploaded or created twice.
extension RunCommand {
    func validateBatch() throws {
        guard !modelOptions.isLocal else {
            throw ValidationError(
                "--batch needs a provider with a batch API: give --model NAME --base-url URL (the local model answers interactively; drop --batch)"
            )
        }
        if enqueue { throw ValidationError("--batch and --enqueue do not combine: choose one way to spread the work") }
        let limit = Self.batchRequestLimit(modelOptions.provider)
        if let requested = batchOptions.batchMaxRequests, requested > limit {
            throw ValidationError(
                "--batch-max-requests must be 1...\(limit) with --provider \(modelOptions.provider.rawValue)"
            )
        }
    }

    /// Most requests per batch the provider takes.
    static func batchRequestLimit(_ provider: ModelProvider) -> Int {
        switch provider {
        case .openai: BatchPlan.defaultMaxRequests
        case .anthropic: AnthropicClient.maxBatchRequests
        }
    }

    /// Submits, waits for and collects the run's batches, and returns the model the runner should use.
    ///
    /// On every way out other than success it exits (the caller's scopes close the session and restore signal
    /// handling): 0 after `--batch-submit-only`, 130 when stopped while waiting (the batches go on at the provider),
    /// 1 on errors.
    func batchModel(
        for runner: EvaluationRunner,
        suite: Suite,
        variants: [PromptVariant],
        stop: StopSignal
    ) async throws -> any LanguageModel {
        func leave(_ code: Int32) -> ExitCode { ExitCode(code) }
        guard let baseURL = modelOptions.baseURL else { throw leave(2) }
        let runID = runner.runRecord(for: suite, variants: variants, toolVersion: CultureLensVersion.current).id
        let configuration = batchConfiguration(runID: runID, baseURL: baseURL)
        let result: Result<(any LanguageModel)?, any Error>
        do {
            result = .success(
                try await withBatchProvider(baseURL: baseURL) { provider in
                    let coordinator = BatchCoordinator(
                        provider: provider,
                        configuration: configuration,
                        log: { printError($0) }
                    )
                    return try await collectBatches(
                        coordinator,
                        runner: runner,
                        suite: suite,
                        variants: variants,
                        stop: stop
                    )
                }
            )
        } catch {
            result = .failure(error)
        }
        let stateFile = configuration.stateFile.path
        switch result {
        case .success(let model?):
            return model
        case .success(nil):
            printError(
                "batch: submitted; run the same command again without --batch-submit-only to collect (state: \(stateFile))"
            )
            throw leave(0)
        case .failure(let error as BatchError) where error == .interrupted:
            printError(
                "interrupted: the batches go on at the provider; run the same command again to collect them (state: \(stateFile))"
            )
            throw leave(130)
        case .failure(is CancellationError):
            throw leave(130)
        case .failure(let error as BatchError):
            printError("error: \(error.detail)")
            throw leave(1)
        case .failure(let failure as ModelFailure):
            printError(
                "error: the batch API at \(baseURL) failed: \(failure.detail); run the same command again to resume"
            )
            throw leave(1)
        case .failure(let error):
            printError("error: batch mode failed: \(error)")
            throw leave(1)
        }
    }

    /// Runs `body` with the batch API of `--provider` at `baseURL`, shut down on every path.
    private func withBatchProvider<T>(
        baseURL: String,
        _ body: (any BatchProvider) async throws -> T
    ) async throws -> T {
        let apiKey = ProcessInfo.processInfo.environment[modelOptions.apiKeyEnv]
        switch modelOptions.provider {
        case .openai:
            return try await withOpenAIBatchClient(
                .init(baseURL: baseURL, apiKey: apiKey, timeout: modelOptions.timeout)
            ) { try await body($0) }
        case .anthropic:
            return try await withAnthropicClient(
                .init(baseURL: baseURL, model: modelOptions.model, apiKey: apiKey, timeout: modelOptions.timeout)
            ) { try await body($0) }
        }
    }

    /// Submits (or resumes), waits and collects; `nil` after `--batch-submit-only` submitted.
    private func collectBatches(
        _ coordinator: BatchCoordinator,
        runner: EvaluationRunner,
        suite: Suite,
        variants: [PromptVariant],
        stop: StopSignal
    ) async throws -> (any LanguageModel)? {
        let name = runner.model.identity.name
        let distinct = Set(runner.requests(for: suite, variants: variants).map { $0.cacheKey(model: name) })
        let pending = try await runner.uncachedRequests(for: suite, variants: variants)
        printError("batch: \(distinct.count) distinct request(s), \(distinct.count - pending.count) already cached")
        guard let submitted = try await coordinator.submit(pending) else {
            printError("batch: nothing to submit")
            return runner.model
        }
        if batchOptions.batchSubmitOnly {
            for (index, job) in submitted.jobs.enumerated() {
                printError(
                    "batch \(index + 1)/\(submitted.jobs.count) \(job.batchID ?? "?"): \(job.status ?? "unknown")"
                )
            }
            return nil
        }
        let finished = try await coordinator.wait(submitted) { stop.isStopped }
        let collection = try await coordinator.collect(finished)
        reportCollection(collection)
        return BatchAnsweredModel(
            inner: runner.model,
            results: collection.results,
            fallback: !batchOptions.batchNoFallback
        )
    }

    /// After the runner: says how the batch answers were used, and marks the batches collected when the run
    /// completed (so the next `--batch` plans new batches for whatever is still missing).
    func finishBatch(run: RunRecord, model: any LanguageModel) {
        if let answered = (model as? BatchAnsweredModel)?.answered {
            printError(
                "batch: \(answered.fromBatch) answered by the batch, \(answered.interactive) sent interactively, \(answered.failed) recorded as failures"
            )
        }
        guard run.status == .completed else { return }
        let stateFile = batchConfiguration(runID: run.id, baseURL: modelOptions.baseURL ?? "").stateFile
        do {
            guard var state = try BatchJobState.load(from: stateFile), !state.collected else { return }
            state.collected = true
            try state.save(to: stateFile)
        } catch {
            printError("warning: cannot update \(stateFile.path): \(error)")
        }
    }

    private func batchConfiguration(runID: String, baseURL: String) -> BatchCoordinator.Configuration {
        let directory = output ?? StoreOptions.home + "/runs/" + runID
        return BatchCoordinator.Configuration(
            stateFile: URL(fileURLWithPath: directory).appendingPathComponent(BatchJobState.fileName),
            runID: runID,
            model: modelOptions.model,
            endpoint: baseURL,
            pollInterval: .milliseconds(Int64(batchOptions.batchPollInterval * 1000)),
            maxRequestsPerBatch: batchOptions.batchMaxRequests ?? Self.batchRequestLimit(modelOptions.provider)
        )
    }

    private func reportCollection(_ collection: BatchCollection) {
        let kinds = collection.failuresByKind.sorted { $0.key < $1.key }.map { "\($0.key.rawValue): \($0.value)" }
        var line = "batch: \(collection.answered) answered, \(collection.failed) not answered"
        if !kinds.isEmpty {
            line += " (" + kinds.joined(separator: ", ") + "; \(collection.missing) missing from the files)"
        }
        printError(line)
        for problem in collection.problems.prefix(10) { printError("batch: unreadable line: \(problem)") }
        if collection.problems.count > 10 {
            printError("batch: … and \(collection.problems.count - 10) more unreadable line(s)")
        }
        guard collection.failed > 0 else { return }
        if batchOptions.batchNoFallback {
            printError(
                "batch: recording the \(collection.failed) unanswered request(s) as failures (--batch-no-fallback)"
            )
        } else {
            printError(
                "batch: sending the \(collection.failed) unanswered request(s) interactively (--batch-no-fallback records them as failures instead)"
            )
        }
    }
}

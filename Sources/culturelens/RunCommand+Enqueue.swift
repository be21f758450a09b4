import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels
import Foundation

/// `culturelens run SUITE ... --store postgres://... --enqueue`: record the run and its work items for
/// `culturelens worker` processes instead of evaluating here.
extension RunCommand {
    func validateEnqueue() throws {
        guard storeOptions.isPostgres else {
            throw ValidationError("--enqueue needs a shared store: --store postgres://user@host:port/database")
        }
        guard !modelOptions.isLocal, modelOptions.baseURL != nil else {
            throw ValidationError(
                "--enqueue needs a model served at --base-url (workers on other machines cannot reach this machine's local model)"
            )
        }
        if modelOptions.provider != .openai {
            // The queue records an OpenAI-compatible endpoint; workers have no provider setting.
            throw ValidationError("--enqueue works with OpenAI-compatible servers only; drop --provider anthropic")
        }
        if output != nil {
            throw ValidationError("--output does not apply to --enqueue; write a report once the workers are done")
        }
        if sampling.samples > 1 {
            // The queue records one temperature-0 request per item and variant; queuing a sampled run would
            // silently answer each item once, at temperature 0.
            throw ValidationError(
                "--enqueue does not take --samples or --temperature: workers answer each item once at temperature 0; run sampled evaluations without --enqueue"
            )
        }
        if modelOptions.baseURLs.count > 1 {
            throw ValidationError(
                "--enqueue takes one --base-url; give each worker its own with `culturelens worker --base-url`"
            )
        }
    }

    /// Opens the run, stores its model settings (never the API key: each worker reads its own from the variable
    /// named by `--api-key-env`) and enqueues item × variant.
    func enqueueRun(
        _ suite: Suite,
        variants: [PromptVariant] = [.default],
        session: ModelSession,
        opened: OpenedStore
    ) async throws {
        guard let queue = opened.queue, let baseURL = modelOptions.baseURL else { throw ExitCode.validationFailure }
        let settings = RunModelSettings(
            baseURL: baseURL,
            model: modelOptions.model,
            api: session.api,
            scoring: session.scoring,
            apiKeyEnv: modelOptions.apiKeyEnv,
            timeout: modelOptions.timeout,
            topLogprobs: modelOptions.topLogprobs
        )
        let runner = EvaluationRunner(
            model: session.model,
            store: opened.store,
            configuration: settings.runnerConfiguration(concurrency: concurrency)
        )
        let summary: EnqueueSummary
        let runID: String
        do {
            var run = try await opened.store.openRun(
                runner.runRecord(for: suite, variants: variants, toolVersion: CultureLensVersion.current)
            )
            run.status = .running
            run.finishedAt = nil
            try await opened.store.updateRun(run)
            runID = run.id
            summary = try await queue.enqueue(
                runID: run.id,
                settings: settings,
                items: WorkItem.items(of: suite, variants: variants)
            )
        } catch {
            printError("error: cannot enqueue the run in \(opened.location): \(error)")
            throw ExitCode(1)
        }
        if json {
            struct Output: Encodable {
                var run_id: String
                var added: Int
                var reopened: Int
                var total: Int
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(
                Output(run_id: runID, added: summary.added, reopened: summary.reopened, total: summary.total)
            )
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            print(
                "run \(runID): \(summary.total) work items queued (\(summary.added) new, \(summary.reopened) reopened)"
            )
            print("start workers with: culturelens worker --store \(opened.location) [--batch 8] [--lease 60s]")
            print("follow progress with: culturelens status \(runID) --store \(opened.location)")
        }
    }
}

import ArgumentParser

/// `run --batch` and its settings: the run's uncached requests go through the provider's batch API.
struct BatchOptions: ParsableArguments {
    @Flag(
        name: .long,
        help:
            "Send the run's uncached requests through the provider's batch API (OpenAI /batches, Anthropic Message Batches), wait, then score them. Re-running resumes the recorded batches."
    )
    var batch = false

    @Flag(
        name: .long,
        help:
            "With --batch: record requests the batch did not answer as failures instead of sending them interactively."
    )
    var batchNoFallback = false

    @Flag(name: .long, help: "With --batch: submit the batches (or check recorded ones) and exit without waiting.")
    var batchSubmitOnly = false

    @Option(name: .long, help: "With --batch: seconds between batch status checks.")
    var batchPollInterval: Double = 30

    @Option(
        name: .long,
        help:
            "With --batch: most requests per batch (default: the provider's limit, 50,000 for OpenAI, 100,000 for Anthropic)."
    )
    var batchMaxRequests: Int?

    func validate() throws {
        guard batchPollInterval > 0 else { throw ValidationError("--batch-poll-interval must be positive") }
        if let batchMaxRequests, batchMaxRequests < 1 {
            throw ValidationError("--batch-max-requests must be at least 1")
        }
        if !batch, batchNoFallback || batchSubmitOnly {
            throw ValidationError("--batch-no-fallback and --batch-submit-only apply only with --batch")
        }
    }
}

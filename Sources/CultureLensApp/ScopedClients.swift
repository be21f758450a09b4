public import CultureLensDatasets
public import CultureLensModels

/// Runs `body` with a Hugging Face Hub dataset source (configured from the environment unless given), shut down on
/// every path.
public func withHubDatasetSource<T>(
    _ configuration: HubDatasetSource.Configuration = .fromEnvironment(),
    _ body: (HubDatasetSource) async throws -> T
) async throws -> T {
    try await scoped(HubDatasetSource(configuration: configuration), close: { try? await $0.shutdown() }, body)
}

/// Runs `body` with an OpenAI-compatible client, shut down on every path.
public func withOpenAIClient<T>(
    _ configuration: OpenAIClient.Configuration,
    _ body: (OpenAIClient) async throws -> T
) async throws -> T {
    try await scoped(OpenAIClient(configuration: configuration), close: { try? await $0.shutdown() }, body)
}

/// Runs `body` with an OpenAI Batch API client, shut down on every path.
public func withOpenAIBatchClient<T>(
    _ configuration: OpenAIBatchClient.Configuration,
    _ body: (OpenAIBatchClient) async throws -> T
) async throws -> T {
    try await scoped(OpenAIBatchClient(configuration: configuration), close: { try? await $0.shutdown() }, body)
}

/// Runs `body` with an Anthropic API client, shut down on every path.
public func withAnthropicClient<T>(
    _ configuration: AnthropicClient.Configuration,
    _ body: (AnthropicClient) async throws -> T
) async throws -> T {
    try await scoped(AnthropicClient(configuration: configuration), close: { try? await $0.shutdown() }, body)
}

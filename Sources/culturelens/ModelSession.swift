import CultureLensCore
import CultureLensModels
import Foundation

/// The model a command talks to, with the API and scoring mode chosen for it, and the managed local server when
/// there is one.
final class ModelSession: Sendable {
    let client: OpenAIClient
    let server: LocalModelServer?
    let api: ModelAPI
    let scoring: ScoringMode

    private init(client: OpenAIClient, server: LocalModelServer?, api: ModelAPI, scoring: ScoringMode) {
        self.client = client
        self.server = server
        self.api = api
        self.scoring = scoring
    }

    /// Opens the model named by `options`: starts the local server for `local`, or probes a remote server for
    /// what it supports. `runDirectory` maps the run id to the folder that receives the server log.
    static func open(
        options: ModelOptions,
        concurrency: Int,
        runDirectory: (String) -> String
    ) async throws -> ModelSession {
        let apiKey = ProcessInfo.processInfo.environment[options.apiKeyEnv]
        guard options.model == "local" else {
            guard let baseURL = options.baseURL else {
                throw LocalModelError(message: "--base-url is required for model \(options.model)")
            }
            let client = OpenAIClient(
                configuration: .init(
                    baseURL: baseURL,
                    model: options.model,
                    apiKey: apiKey,
                    timeout: options.timeout,
                    maxConnections: concurrency
                )
            )
            do {
                let (api, scoring) = try await probe(client, options: options)
                return ModelSession(client: client, server: nil, api: api, scoring: scoring)
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        let installation = try LocalModelInstallation.locate()
        let api = options.api ?? .completions
        let scoring = options.scoring ?? .logprobs
        let name = LocalModelInstallation.modelName
        // The run id does not depend on the port, so the log can go to the run's folder before the server starts.
        let runID = RunRecord.makeID(
            suite: "local-model",
            specHash: name,
            model: name,
            api: api,
            scoring: scoring,
            itemCount: 0
        )
        let logPath = runDirectory(runID) + "/llama-server.log"
        let server = try await LocalModelServer.start(
            .init(installation: installation, home: StoreOptions.home, logPath: logPath)
        )
        let client = OpenAIClient(
            configuration: .init(
                baseURL: server.baseURL,
                model: name,
                timeout: max(options.timeout, 300),
                maxConnections: concurrency,
                displayEndpoint: "local llama.cpp"
            )
        )
        return ModelSession(client: client, server: server, api: api, scoring: scoring)
    }

    /// Finds the API and scoring mode a remote server supports, unless both were given: completions with
    /// logprobs, then chat with logprobs, then generation on whichever API answered.
    static func probe(_ client: OpenAIClient, options: ModelOptions) async throws -> (ModelAPI, ScoringMode) {
        if let api = options.api, let scoring = options.scoring { return (api, scoring) }
        let apis = options.api.map { [$0] } ?? [.completions, .chat]
        var lastFailure: ModelFailure?
        for api in apis {
            let wantLogprobs = options.scoring != .generate
            let request = ModelRequest(
                api: api,
                prompt: "Question: What colour is the sky on a clear day?\nA. Blue\nB. Green\nAnswer:",
                maxTokens: 1,
                topLogprobs: wantLogprobs ? options.topLogprobs : nil
            )
            do {
                _ = try await client.send(request)
                return (api, options.scoring ?? (wantLogprobs ? .logprobs : .generate))
            } catch let failure as ModelFailure {
                switch failure.kind {
                case .missingLogprobs:
                    return (api, .generate)
                case .clientError where failure.status != 401 && failure.status != 403:
                    lastFailure = failure
                    continue
                default:
                    throw failure
                }
            }
        }
        throw lastFailure ?? ModelFailure(kind: .clientError, detail: "no API answered")
    }

    /// Shuts the client down and stops the local server.
    func close() async {
        try? await client.shutdown()
        server?.stop()
    }

    /// Stops the local server from a signal handler, when there is no time for an orderly close.
    func emergencyStop() {
        server?.stop()
    }
}

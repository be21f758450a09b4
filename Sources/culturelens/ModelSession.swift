import CultureLensCore
import CultureLensModels
import Foundation

/// The model a command talks to, with the API and scoring mode chosen for it, and the managed local server when
/// there is one.
final class ModelSession: Sendable {
    private enum Backend {
        case remote(OpenAIClient)
        case local(ManagedLocalModel)
    }

    private let backend: Backend
    let api: ModelAPI
    let scoring: ScoringMode

    private init(backend: Backend, api: ModelAPI, scoring: ScoringMode) {
        self.backend = backend
        self.api = api
        self.scoring = scoring
    }

    /// The model to run against.
    var model: any LanguageModel {
        switch backend {
        case .remote(let client): client
        case .local(let local): local
        }
    }

    /// Opens the model named by `options`: starts the local server for `local`, or probes a remote server for
    /// what it supports. `runDirectory` maps model, API and scoring to the run's folder, which receives the
    /// server log.
    static func open(
        options: ModelOptions,
        concurrency: Int,
        runDirectory: (String, ModelAPI, ScoringMode) -> String
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
                return ModelSession(backend: .remote(client), api: api, scoring: scoring)
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        let installation = try LocalModelInstallation.locate()
        let api = options.api ?? .completions
        let scoring = options.scoring ?? .logprobs
        let logPath = runDirectory(LocalModelInstallation.modelName, api, scoring) + "/llama-server.log"
        let local = ManagedLocalModel(
            server: .init(installation: installation, home: StoreOptions.home, logPath: logPath),
            timeout: max(options.timeout, 300),
            maxConnections: concurrency
        )
        return ModelSession(backend: .local(local), api: api, scoring: scoring)
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
                let reply = try await client.send(request)
                let hasLogprobs = !(reply.response.firstTokenTopLogprobs?.isEmpty ?? true)
                return (api, options.scoring ?? (wantLogprobs && hasLogprobs ? .logprobs : .generate))
            } catch let failure as ModelFailure {
                switch failure.kind {
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
        switch backend {
        case .remote(let client): try? await client.shutdown()
        case .local(let local): await local.close()
        }
    }

    /// Stops the local server from a signal handler, when there is no time for an orderly close.
    func emergencyStop() {
        if case .local(let local) = backend { local.emergencyStop() }
    }
}

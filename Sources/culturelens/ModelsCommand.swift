import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models: the managed local model, and those served at --base-url."
    )

    @Option(name: .long, help: "Base URL of an OpenAI-compatible server, including /v1.")
    var baseURL: String?

    @Option(name: .long, help: "Environment variable holding the API key.")
    var apiKeyEnv: String = "OPENAI_API_KEY"

    func run() async throws {
        for (model, name) in zip(LocalModelInstallation.Model.all, LocalModelInstallation.Model.commandLineNames) {
            let local: String
            do {
                let installation = try LocalModelInstallation.locate(model: model)
                local = "installed: \(installation.modelPath)"
            } catch {
                local = "not installed: \(error)"
            }
            print("\(name)  \(model.name) via llama.cpp (\(local))")
        }
        guard let baseURL else { return }
        do {
            let names = try await withOpenAIClient(
                .init(
                    baseURL: baseURL,
                    model: "",
                    apiKey: ProcessInfo.processInfo.environment[apiKeyEnv],
                    timeout: 15,
                    retry: .init(maxAttempts: 1)
                )
            ) { try await $0.listModels() }
            for name in names { print("\(name)  at \(baseURL)") }
        } catch {
            printError("cannot list models at \(baseURL): \(error)")
            throw ExitCode(1)
        }
    }
}

/// Writes a line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

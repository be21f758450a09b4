import CultureLensCore
import CultureLensModels
import Foundation
import Testing

/// The real llama.cpp server with the real SmolLM2-135M-Instruct (`--model local:smollm2`, installed by
/// `make setup`): chat messages go through the GGUF's chat template. Serialized: the model takes both cores.
@Suite(.serialized)
struct SmolLM2Tests {
    @Test func systemAndUserChatReachesTheModel() async throws {
        let installation = try LocalModelInstallation.locate(model: .smollm2, workingDirectory: CLIProcess.packageRoot)
        #expect(installation.model == .smollm2)
        #expect(try LocalModelInstallation.Model.named("local:smollm2") == .smollm2)
        #expect(throws: LocalModelError.self) { try LocalModelInstallation.Model.named("local:xyz") }
        let home = try CLIProcess.temporaryDirectory("smollm2-home")
        let model = ManagedLocalModel(
            server: .init(installation: installation, home: home, logPath: home + "/llama-server.log"),
            timeout: 300,
            maxConnections: 1
        )
        #expect(model.identity.name == "smollm2-135m-instruct-q4_1")
        let question = "Is the sky blue on a clear day? Answer Yes or No."
        let withSystem = ModelRequest(
            api: .chat,
            messages: [.system("You are a pirate. Answer in one short sentence."), .user(question)],
            maxTokens: 12,
            topLogprobs: 5
        )
        let userOnly = ModelRequest(api: .chat, prompt: question, maxTokens: 12, topLogprobs: 5)
        let replies: [ModelReply]
        do {
            replies = [try await model.send(withSystem), try await model.send(userOnly)]
        } catch {
            await model.close()
            throw error
        }
        await model.close()
        for reply in replies {
            #expect(!reply.response.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            #expect(!(reply.response.firstTokenTopLogprobs ?? []).isEmpty)
        }
        // The model saw a different conversation: its first-token distribution differs (the server is
        // deterministic at temperature 0, so without the system message the two would be equal).
        #expect(replies[0].response.firstTokenTopLogprobs != replies[1].response.firstTokenTopLogprobs)

        // And they are cached under their own keys.
        let name = model.identity.name
        #expect(withSystem.cacheKey(model: name) != userOnly.cacheKey(model: name))
    }
}

import CultureLensCore
import CultureLensModels
import CultureLensTesting
import Foundation
import Testing

/// The request bodies the real ``OpenAIClient`` sends for conversations, as the in-process ``ScriptedHTTPServer``
/// receives them: chat keeps the roles, completions gets the rendered prompt, images are refused before sending.
struct OpenAIClientChatMessagesTests {
    @Test func chatSendsSystemAndUserMessagesWithTheirRoles() async throws {
        try await OpenAIClientFaultTests.withClient(
            handler: { _ in .json(FakeOpenAI.chatCompletion(text: "Yes", topLogprobs: nil)) }
        ) { client, server in
            let request = ModelRequest(
                api: .chat,
                messages: [.system("Be brief."), .user("Is it polite?")],
                maxTokens: 8,
                topLogprobs: nil
            )
            let reply = try await client.send(request)
            #expect(reply.response.text == "Yes")
            let seen = try #require(server.requests.first)
            #expect(seen.path == "/v1/chat/completions")
            #expect(
                seen.bodyString
                    == #"{"max_tokens":8,"messages":[{"content":"Be brief.","role":"system"},{"content":"Is it polite?","role":"user"}],"model":"fake-model","temperature":0}"#
            )
        }
    }

    @Test func completionsSendTheRenderedPrompt() async throws {
        try await OpenAIClientFaultTests.withClient(
            handler: { _ in .json(FakeOpenAI.completion(text: " B", topLogprobs: OpenAIClientFaultTests.letters)) }
        ) { client, server in
            let request = ModelRequest(
                api: .completions,
                messages: [
                    .system("Answer as a survey respondent."),
                    .user("Question: Is bowing polite?\nAnswer:"),
                    .assistant("A"),
                    .user("Question: Is tipping expected?\nAnswer:"),
                ],
                maxTokens: 1,
                topLogprobs: 20
            )
            _ = try await client.send(request)
            let seen = try #require(server.requests.first)
            #expect(seen.path == "/v1/completions")
            #expect(
                seen.bodyString
                    == #"{"logprobs":20,"max_tokens":1,"model":"fake-model","prompt":"Answer as a survey respondent.\n\nQuestion: Is bowing polite?\nAnswer: A\n\nQuestion: Is tipping expected?\nAnswer:","temperature":0}"#
            )
            // A plain prompt is sent exactly as before messages existed.
            _ = try await client.send(
                ModelRequest(api: .completions, prompt: "Q?\nAnswer:", maxTokens: 1, topLogprobs: 20)
            )
            #expect(
                server.requests.last?.bodyString
                    == #"{"logprobs":20,"max_tokens":1,"model":"fake-model","prompt":"Q?\nAnswer:","temperature":0}"#
            )
        }
    }

    @Test func imagePartsAreRefusedBeforeAnythingIsSent() async throws {
        let image = ImageReference(url: "data:image/png;base64,iVBORw0KGgo=", mediaType: "image/png")
        let request = ModelRequest(
            api: .chat,
            messages: [ChatMessage(role: .user, content: [.text("What is shown?"), .image(image)])],
            maxTokens: 8,
            topLogprobs: nil
        )
        try await OpenAIClientFaultTests.withClient(
            handler: { _ in .json(FakeOpenAI.chatCompletion(text: "A cat", topLogprobs: nil)) }
        ) { client, server in
            let failure = try await OpenAIClientFaultTests.expectFailure(client, request)
            #expect(failure.kind == .clientError)
            #expect(failure.detail.contains("image"))
            #expect(server.requestCount == 0)
        }
        // The wire form is defined all the same (OpenAI's typed parts), for when images are supported.
        #expect(
            String(decoding: OpenAIClient.requestBody(for: request, model: "m"), as: UTF8.self)
                == #"{"max_tokens":8,"messages":[{"content":[{"text":"What is shown?","type":"text"},{"image_url":{"url":"data:image/png;base64,iVBORw0KGgo="},"type":"image_url"}],"role":"user"}],"model":"m","temperature":0}"#
        )
    }
}

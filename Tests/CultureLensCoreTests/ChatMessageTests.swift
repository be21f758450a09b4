import CultureLensCore
import Foundation
import Testing

/// Chat messages: their coding, the `/completions` template, and what they do to cache keys.
struct ChatMessageTests {
    static func json(_ value: some Encodable) -> String { String(decoding: CanonicalJSON.encode(value), as: UTF8.self) }

    @Test func messagesCodeRolesAndTypedParts() throws {
        let message = ChatMessage(
            role: .user,
            content: [
                .text("What is shown?"),
                .image(ImageReference(url: "https://example.org/a.png", mediaType: "image/png")),
            ]
        )
        #expect(
            Self.json(message)
                == #"{"content":[{"text":"What is shown?","type":"text"},{"image":{"media_type":"image/png","url":"https://example.org/a.png"},"type":"image"}],"role":"user"}"#
        )
        #expect(try JSONDecoder().decode(ChatMessage.self, from: CanonicalJSON.encode(message)) == message)
        #expect(message.hasImage)
        #expect(message.singleText == nil)
        #expect(ChatMessage.system("Be brief.").singleText == "Be brief.")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChatMessage.self, from: Data(#"{"role":"bot","content":[]}"#.utf8))
        }
    }

    @Test func aPlainPromptRendersToExactlyItsText() {
        let text = "Question: Is tipping expected?\nA. Yes\nB. No\nAnswer:"
        #expect(CompletionTemplate.render([.user(text)]) == text)
        #expect(ModelRequest(api: .completions, prompt: text, maxTokens: 1, topLogprobs: 20).prompt == text)
    }

    @Test func conversationsRenderWithTheFewShotTemplate() {
        let messages: [ChatMessage] = [
            .system("You are a survey respondent."),
            .user("Question: Is tipping expected?\nAnswer:"),
            .assistant("Yes"),
            .user("Question: Is bargaining polite?\nAnswer:"),
        ]
        #expect(
            CompletionTemplate.render(messages)
                == "You are a survey respondent.\n\nQuestion: Is tipping expected?\nAnswer: Yes\n\nQuestion: Is bargaining polite?\nAnswer:"
        )
        #expect(CompletionTemplate.render([.system("S"), .user("U")]) == "S\n\nU")
        #expect(CompletionTemplate.render([.assistant("A"), .user("U")]) == "A\n\nU")
        #expect(
            ChatMessage.transcript([.system("S"), .user("U")]) == "[system]\nS\n\n[user]\nU"
        )
    }

    @Test func systemAndMultiTurnRequestsGetTheirOwnKeys() throws {
        let question = "Question: x\nAnswer:"
        let plain = ModelRequest(api: .chat, prompt: question, maxTokens: 1, topLogprobs: 20)
        let asMessages = ModelRequest(api: .chat, messages: [.user(question)], maxTokens: 1, topLogprobs: 20)
        let withSystem = ModelRequest(
            api: .chat,
            messages: [.system("Be brief."), .user(question)],
            maxTokens: 1,
            topLogprobs: 20
        )
        let otherSystem = ModelRequest(
            api: .chat,
            messages: [.system("Be kind."), .user(question)],
            maxTokens: 1,
            topLogprobs: 20
        )
        let multiTurn = ModelRequest(
            api: .chat,
            messages: [.user("Question: y\nAnswer:"), .assistant("A"), .user(question)],
            maxTokens: 1,
            topLogprobs: 20
        )
        // The completions rendering of system + user is the same text as this plain prompt: the key still differs.
        let sameText = ModelRequest(api: .chat, prompt: "Be brief.\n\n" + question, maxTokens: 1, topLogprobs: 20)
        let twoParts = ModelRequest(
            api: .chat,
            messages: [ChatMessage(role: .user, content: [.text(question)]), .user("")],
            maxTokens: 1,
            topLogprobs: 20
        )
        #expect(plain.cacheKey(model: "m") == asMessages.cacheKey(model: "m"))
        let keys = [plain, withSystem, otherSystem, multiTurn, sameText, twoParts].map { $0.cacheKey(model: "m") }
        #expect(Set(keys).count == keys.count)

        // Stored forms: a plain prompt keeps `prompt`; anything else is `messages`, and both decode back.
        #expect(Self.json(plain).contains(#""prompt":"Question: x\nAnswer:""#))
        #expect(!Self.json(withSystem).contains(#""prompt""#))
        #expect(
            Self.json(withSystem)
                == #"{"api":"chat","max_tokens":1,"messages":[{"content":[{"text":"Be brief.","type":"text"}],"role":"system"},{"content":[{"text":"Question: x\nAnswer:","type":"text"}],"role":"user"}],"temperature":0,"top_logprobs":20}"#
        )
        for request in [plain, withSystem, multiTurn] {
            #expect(try JSONDecoder().decode(ModelRequest.self, from: CanonicalJSON.encode(request)) == request)
        }
    }

    @Test func settingThePromptMakesAPlainRequest() {
        var request = ModelRequest(api: .chat, messages: [.system("S"), .user("U")], maxTokens: 1, topLogprobs: nil)
        #expect(request.plainPrompt == nil)
        request.prompt = "U"
        #expect(request.messages == [.user("U")])
        #expect(request.plainPrompt == "U")
    }

    @Test func templatesWithSystemAndTurnsRenderConversations() {
        var item = Item(
            id: "q1",
            kind: .multipleChoice,
            stem: "Is tipping expected?",
            choices: ["Yes", "No"],
            gold: [1],
            culture: "JP",
            topic: "etiquette",
            provenance: Provenance(source: "test", licence: "CC0")
        )
        item.promptTemplate = PromptTemplate(
            text: "Question: {question}\n{options}\nAnswer:",
            system: "You answer questions about {country}.",
            turns: [.user("Question: Is bowing polite?\nA. Yes\nB. No\nAnswer:"), .assistant("A")]
        )
        let prompt = PromptBuilder().render(item)
        #expect(prompt.text == "Question: Is tipping expected?\nA. Yes\nB. No\nAnswer:")
        #expect(
            prompt.messages == [
                .system("You answer questions about Japan."),
                .user("Question: Is bowing polite?\nA. Yes\nB. No\nAnswer:"),
                .assistant("A"),
                .user("Question: Is tipping expected?\nA. Yes\nB. No\nAnswer:"),
            ]
        )
        #expect(prompt.displayText.hasPrefix("[system]\nYou answer questions about Japan.\n\n[user]\n"))

        // Without system and turns, nothing changes: one message, the text as the recorded prompt.
        item.promptTemplate = PromptTemplate(text: "Question: {question}\n{options}\nAnswer:")
        let plain = PromptBuilder().render(item)
        #expect(plain.context == nil)
        #expect(plain.messages == [.user(plain.text)])
        #expect(plain.displayText == plain.text)
    }
}

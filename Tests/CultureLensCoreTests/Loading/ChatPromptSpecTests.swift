import CultureLensCore
import CultureLensDatasets
import Foundation
import Testing

/// Spec prompts with `system:` and `messages:` turns: decoding, validation errors that name the field, and the
/// items (and messages) they load into.
struct ChatPromptSpecTests {
    static func yaml(prompts: String) -> String {
        """
        id: chatty
        title: Chatty
        loader: {format: jsonl, file: items.jsonl}
        task: {kind: mcq}
        fields: {id: id, question: question, choices: choices, answer: answer, answer_format: letter-or-index}
        culture: {value: JP}
        prompts:
        \(prompts)
        """
    }

    static let conversation = """
          - id: fewshot
            system: "You answer questions about {country}."
            messages:
              - role: user
                template: "Question: Is bowing polite?\\nA. Yes\\nB. No\\nAnswer:"
              - role: assistant
                template: "A"
              - role: user
                template: "Question: {question}\\n{options}\\nAnswer:"
          - id: plain
            system: "Be brief."
            template: "{question}\\n{options}\\nAnswer:"
        """

    @Test func systemAndTurnsDecodeAndLoadIntoConversations() async throws {
        let spec = try DatasetSpec.decode(yaml: Self.yaml(prompts: Self.conversation), file: "chatty.yaml")
        let fewshot = try #require(spec.prompts.first)
        #expect(fewshot.system == "You answer questions about {country}.")
        #expect(fewshot.messages?.map(\.role) == [.user, .assistant, .user])

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("culturelens-chat-spec-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"id": "t1", "question": "Is tipping expected?", "choices": ["Yes", "No"], "answer": "B"}"#
            .write(to: directory.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: directory.path)).load()
        let items = loaded.suite.items
        #expect(items.map(\.id) == ["t1/fewshot", "t1/plain"])

        let conversation = PromptBuilder().render(items[0])
        #expect(
            conversation.messages == [
                .system("You answer questions about Japan."),
                .user("Question: Is bowing polite?\nA. Yes\nB. No\nAnswer:"),
                .assistant("A"),
                .user("Question: Is tipping expected?\nA. Yes\nB. No\nAnswer:"),
            ]
        )
        #expect(conversation.labels == ["A", "B"])
        let plain = PromptBuilder().render(items[1])
        #expect(plain.messages == [.system("Be brief."), .user("Is tipping expected?\nA. Yes\nB. No\nAnswer:")])
        #expect(plain.displayText == "[system]\nBe brief.\n\n[user]\nIs tipping expected?\nA. Yes\nB. No\nAnswer:")
    }

    @Test func aBadRoleIsRejectedWithItsField() {
        let prompts = """
              - id: fewshot
                messages:
                  - role: user
                    template: "Q"
                  - role: bot
                    template: "A"
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: Self.yaml(prompts: prompts), file: "chatty.yaml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("chatty.yaml") && message.contains("prompts[0].messages[1].role")
                && message.contains("'bot'") && message.contains("system, user, assistant")
        }
    }

    @Test func conversationsMustEndWithTheUserAndNotAlsoHaveATemplate() {
        let endsWithAssistant = """
              - id: fewshot
                messages:
                  - {role: user, template: "Q"}
                  - {role: assistant, template: "A"}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: Self.yaml(prompts: endsWithAssistant), file: "chatty.yaml")
        } throws: { error in
            "\(error)".contains("prompt 'fewshot'") && "\(error)".contains("role user")
        }
        let both = """
              - id: fewshot
                template: "Q"
                messages:
                  - {role: user, template: "Q"}
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: Self.yaml(prompts: both), file: "chatty.yaml")
        } throws: { error in
            "\(error)".contains("'messages'") && "\(error)".contains("'template'")
        }
        let neither = """
              - id: empty
                system: "S"
            """
        #expect {
            _ = try DatasetSpec.decode(yaml: Self.yaml(prompts: neither), file: "chatty.yaml")
        } throws: { error in
            "\(error)".contains("needs 'template', 'from_file' or 'messages'")
        }
    }
}

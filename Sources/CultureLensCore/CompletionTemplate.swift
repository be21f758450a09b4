/// Renders a conversation into the one prompt string `/completions` takes.
///
/// The template is the few-shot layout of lm-evaluation-harness, which a base model continues naturally:
///
/// - a plain prompt (one user message) renders to exactly its text, so plain requests are sent as they always were;
/// - otherwise every system or user message starts a new paragraph, paragraphs are separated by a blank line
///   (`"\n\n"`), and an assistant message continues the paragraph before it after one space (the answer written
///   after its question's `Answer:`).
///
/// ```
/// You are a survey respondent.           ← system
///
/// Question: Is tipping expected?         ← user
/// Answer: Yes                            ← assistant (" Yes")
///
/// Question: Is bargaining polite?        ← user
/// Answer:
/// ```
///
/// An image part renders as `[image: URL]`; clients that cannot send images reject the request before sending.
public enum CompletionTemplate {
    /// The prompt string for `messages`.
    public static func render(_ messages: [ChatMessage]) -> String {
        if messages.count == 1, messages[0].role == .user, let text = messages[0].singleText { return text }
        var paragraphs: [String] = []
        for message in messages {
            switch message.role {
            case .system, .user:
                paragraphs.append(message.text)
            case .assistant:
                if let last = paragraphs.popLast() {
                    paragraphs.append(last + " " + message.text)
                } else {
                    paragraphs.append(message.text)
                }
            }
        }
        return paragraphs.joined(separator: "\n\n")
    }
}

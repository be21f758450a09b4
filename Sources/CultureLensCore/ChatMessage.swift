/// One turn of a conversation sent to a model: who speaks, and what they say.
///
/// A plain prompt is one ``Role/user`` message with one text part; dataset specs may add a system message and
/// earlier turns (few-shot examples). Coded as `{"role": "user", "content": [{"type": "text", "text": "…"}]}`.
public struct ChatMessage: Sendable, Codable, Hashable {
    /// Who speaks.
    public enum Role: String, Sendable, Codable, Hashable, CaseIterable {
        /// Instructions that frame the whole conversation.
        case system
        /// The person asking.
        case user
        /// The model (earlier turns written by the prompt's author, e.g. few-shot answers).
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What is said, in order.
    public var content: [ContentPart]

    /// Creates a message.
    public init(role: Role, content: [ContentPart]) {
        self.role = role
        self.content = content
    }

    /// A message of one text part.
    public init(role: Role, text: String) {
        self.init(role: role, content: [.text(text)])
    }

    /// A system message of one text part.
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, text: text) }

    /// A user message of one text part.
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, text: text) }

    /// An assistant message of one text part.
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, text: text) }

    /// The text parts joined with newlines; images appear as `[image: URL]` (for display and plain rendering).
    public var text: String {
        content.map { part in
            switch part {
            case .text(let text): text
            case .image(let image): "[image: \(image.url)]"
            }
        }.joined(separator: "\n")
    }

    /// The single text of a message that is exactly one text part, else `nil`.
    public var singleText: String? {
        if content.count == 1, case .text(let text) = content[0] { return text }
        return nil
    }

    /// Whether any part is an image.
    public var hasImage: Bool {
        content.contains { if case .image = $0 { true } else { false } }
    }

    /// A readable transcript of `messages` for people (the `prompt` of a sample with more than one message): each
    /// message under its role in brackets, separated by blank lines.
    ///
    /// ```
    /// [system]
    /// You are a survey respondent.
    ///
    /// [user]
    /// Question: …
    /// ```
    public static func transcript(_ messages: [ChatMessage]) -> String {
        messages.map { "[\($0.role.rawValue)]\n\($0.text)" }.joined(separator: "\n\n")
    }
}

/// One part of a message's content.
public enum ContentPart: Sendable, Hashable {
    /// Text.
    case text(String)
    /// An image. Reserved: coded, hashed and stored like text, but no client sends it yet; clients reject a
    /// request holding one with a clear error rather than dropping it.
    case image(ImageReference)
}

extension ContentPart: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, text, image
    }

    private enum Kind: String, Codable {
        case text, image
    }

    /// Decodes `{"type": "text", "text": …}` or `{"type": "image", "image": {…}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .text: self = .text(try container.decode(String.self, forKey: .text))
        case .image: self = .image(try container.decode(ImageReference.self, forKey: .image))
        }
    }

    /// Encodes `{"type": "text", "text": …}` or `{"type": "image", "image": {…}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode(Kind.text, forKey: .type)
            try container.encode(text, forKey: .text)
        case .image(let image):
            try container.encode(Kind.image, forKey: .type)
            try container.encode(image, forKey: .image)
        }
    }
}

/// Where an image is: an `https:` URL or a `data:` URL, with its media type when known.
public struct ImageReference: Sendable, Codable, Hashable {
    /// An `https:` URL or a `data:<media type>;base64,…` URL.
    public var url: String
    /// The media type, e.g. `image/png`, when known.
    public var mediaType: String?

    /// Creates an image reference.
    public init(url: String, mediaType: String? = nil) {
        self.url = url
        self.mediaType = mediaType
    }

    enum CodingKeys: String, CodingKey {
        case url
        case mediaType = "media_type"
    }
}

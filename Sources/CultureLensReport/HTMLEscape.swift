import Mustache

/// Escaping of untrusted text for HTML text, quoted HTML attributes, inline SVG and standalone SVG/XML.
///
/// The escape works on Unicode scalars, not on `Character`s: a grapheme cluster such as `"` followed by a
/// combining mark (U+0301) is one `Character` that is not equal to `"`, yet the browser still ends the attribute at
/// the `"`. swift-mustache's built-in HTML escape compares `Character`s and so lets such a quote through; every
/// template of this module therefore uses ``SafeHTMLContentType`` instead.
public enum HTMLEscape {
    /// Escapes `text` for HTML text content and double- or single-quoted attributes (and XML).
    ///
    /// `& < > " ' \`` become character references; C0/C1 control characters other than tab, line feed and carriage
    /// return, and the non-characters U+FFFE/U+FFFF, become U+FFFD (they are not allowed in HTML or XML). O(n).
    public static func escape(_ text: String) -> String {
        // Most text (prompts, ids) is plain ASCII with nothing to escape; returning it as is saves a copy per field.
        if text.utf8.allSatisfy(isPlainASCII) { return text }
        var output = String.UnicodeScalarView()
        output.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: output.append(contentsOf: "&amp;".unicodeScalars)
            case 0x3C: output.append(contentsOf: "&lt;".unicodeScalars)
            case 0x3E: output.append(contentsOf: "&gt;".unicodeScalars)
            case 0x22: output.append(contentsOf: "&quot;".unicodeScalars)
            case 0x27: output.append(contentsOf: "&#39;".unicodeScalars)
            case 0x60: output.append(contentsOf: "&#96;".unicodeScalars)
            case 0x09, 0x0A, 0x0D: output.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: output.append("\u{FFFD}")
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// Printable ASCII other than `& < > " ' \``, and tab, line feed, carriage return: bytes ``escape(_:)`` keeps.
    private static func isPlainASCII(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x60: false
        case 0x09, 0x0A, 0x0D, 0x20...0x7E: true
        default: false
        }
    }

    /// Percent-encodes `component` for use as one URL path segment or query value: only `A-Z a-z 0-9 - _ . ~` are
    /// kept, so the result can never carry a scheme (`javascript:`), a slash or a quote.
    public static func urlComponent(_ component: String) -> String {
        var output = ""
        for byte in component.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.append(Character(UnicodeScalar(byte)))
            default:
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }

    /// Shortens `text` to at most `maxCharacters` grapheme clusters (never splitting one), adding "…" when cut.
    public static func truncate(_ text: String, maxCharacters: Int) -> String {
        guard maxCharacters > 0 else { return "" }
        guard text.count > maxCharacters else { return text }
        return String(text.prefix(max(1, maxCharacters - 1))) + "…"
    }

    /// Keeps only `a-z A-Z 0-9 - _` and single spaces of a class list (`chart bars`).
    public static func classList(_ text: String) -> String {
        text.split(separator: " ").map { identifier(String($0)) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Keeps only `a-z A-Z 0-9 - _` of an identifier (CSS class, element id), so it can be used unquoted in CSS.
    public static func identifier(_ text: String) -> String {
        String(
            text.unicodeScalars.filter {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
            }.map(Character.init)
        )
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// The content type of every CultureLens template: HTML escaping on Unicode scalars (``HTMLEscape/escape(_:)``).
struct SafeHTMLContentType: MustacheContentType {
    /// The name templates select it by: `{{% CONTENT_TYPE: CULTURELENS_HTML}}`.
    static let name = "CULTURELENS_HTML"

    func escapeText(_ text: String) -> String { HTMLEscape.escape(text) }

    /// Registers the content type with swift-mustache (idempotent; done before any template is parsed).
    static let registered: Bool = {
        MustacheContentTypes.register(SafeHTMLContentType(), named: name)
        return true
    }()
}

/// Markup produced by this module's own builders (SVG charts, rendered fragments), already escaped.
///
/// Templates insert it with triple braces. Only this module can create one, so untrusted text cannot reach a
/// template unescaped by being mistaken for markup.
public struct TrustedHTML: Sendable, Hashable, CustomStringConvertible, MustacheCustomRenderable {
    /// The markup.
    public let html: String

    init(_ html: String) { self.html = html }

    public var description: String { html }
    public var renderText: String { html }
    public var isNull: Bool { false }
}

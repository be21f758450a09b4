import Foundation

/// A small HTML tokenizer, close enough to the browser's to find every tag and attribute a page really has: a tag
/// starts at `<` followed by a letter, `/` or `!`, and attribute values end at the matching quote byte.
public struct MarkupScanner {
    /// One start or end tag.
    public struct Tag: Equatable, Sendable {
        /// Lower-cased element name.
        public var name: String
        /// Whether this is an end tag.
        public var closing: Bool
        /// Attributes in source order, names lower-cased.
        public var attributes: [(name: String, value: String)]

        public static func == (a: Tag, b: Tag) -> Bool {
            a.name == b.name && a.closing == b.closing && a.attributes.map(\.name) == b.attributes.map(\.name)
                && a.attributes.map(\.value) == b.attributes.map(\.value)
        }
    }

    /// Tags in document order (comments and doctype skipped; `<style>` content skipped as raw text).
    public static func tags(in html: String) -> [Tag] {
        let scalars = Array(html.unicodeScalars)
        var tags: [Tag] = []
        var i = 0
        func isLetter(_ s: Unicode.Scalar) -> Bool { s.isASCII && s.properties.isAlphabetic }
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\n" || s == "\t" || s == "\r" || s == "\u{0C}" }
        while i < scalars.count {
            guard scalars[i] == "<", i + 1 < scalars.count else {
                i += 1
                continue
            }
            let next = scalars[i + 1]
            if next == "!" {
                // Comment or doctype: skip to '>' (comments to '-->').
                if i + 3 < scalars.count, scalars[i + 2] == "-", scalars[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < scalars.count, !(scalars[j] == "-" && scalars[j + 1] == "-" && scalars[j + 2] == ">")
                    { j += 1 }
                    i = j + 3
                } else {
                    while i < scalars.count, scalars[i] != ">" { i += 1 }
                    i += 1
                }
                continue
            }
            let closing = next == "/"
            var j = i + (closing ? 2 : 1)
            guard j < scalars.count, isLetter(scalars[j]) else {
                i += 1
                continue
            }
            var name = ""
            while j < scalars.count, !isSpace(scalars[j]), scalars[j] != ">", scalars[j] != "/" {
                name.unicodeScalars.append(scalars[j])
                j += 1
            }
            var attributes: [(String, String)] = []
            while j < scalars.count, scalars[j] != ">" {
                if isSpace(scalars[j]) || scalars[j] == "/" {
                    j += 1
                    continue
                }
                var attribute = ""
                while j < scalars.count, !isSpace(scalars[j]), scalars[j] != ">", scalars[j] != "=",
                    scalars[j] != "/" || attribute.isEmpty
                {
                    attribute.unicodeScalars.append(scalars[j])
                    j += 1
                }
                while j < scalars.count, isSpace(scalars[j]) { j += 1 }
                var value = ""
                if j < scalars.count, scalars[j] == "=" {
                    j += 1
                    while j < scalars.count, isSpace(scalars[j]) { j += 1 }
                    if j < scalars.count, scalars[j] == "\"" || scalars[j] == "'" {
                        let quote = scalars[j]
                        j += 1
                        while j < scalars.count, scalars[j] != quote {
                            value.unicodeScalars.append(scalars[j])
                            j += 1
                        }
                        j += 1
                    } else {
                        while j < scalars.count, !isSpace(scalars[j]), scalars[j] != ">" {
                            value.unicodeScalars.append(scalars[j])
                            j += 1
                        }
                    }
                }
                attributes.append((attribute.lowercased(), value))
            }
            let tag = Tag(name: name.lowercased(), closing: closing, attributes: attributes)
            tags.append(tag)
            i = j + 1
            if !closing, tag.name == "style" || tag.name == "script" || tag.name == "title" || tag.name == "textarea" {
                // Raw text until the matching end tag.
                let end = Array("</\(tag.name)".unicodeScalars)
                var k = i
                while k + end.count <= scalars.count {
                    if zip(scalars[k..<(k + end.count)], end).allSatisfy({ String($0.0).lowercased() == String($0.1) })
                    {
                        break
                    }
                    k += 1
                }
                i = k
            }
        }
        return tags
    }

    /// Every `<svg>...</svg>` fragment of a page, in order.
    public static func svgFragments(in html: String) -> [String] {
        var fragments: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg "),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            fragments.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return fragments
    }
}

import CultureLensTesting
import Testing

/// Dashboard pages have only known tags and attributes, no event handler, no script URL, and links only to
/// fragments or local paths.
enum MarkupChecks {
    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "ul", "ol", "li", "main", "h1", "h2",
        "h3",
        "h4", "p", "section", "div", "dl", "dt", "dd", "code", "bdi", "figure", "figcaption", "details", "summary",
        "table",
        "caption", "thead", "tbody", "tr", "th", "td", "small", "fieldset", "legend", "label", "input", "span", "pre",
        "footer", "form", "button", "svg", "g", "rect", "line", "circle", "polygon", "text", "desc",
    ]

    static func assertInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tags = MarkupScanner.tags(in: html)
        #expect(!tags.isEmpty, sourceLocation: sourceLocation)
        for tag in tags {
            #expect(allowedTags.contains(tag.name), "unexpected tag <\(tag.name)>", sourceLocation: sourceLocation)
            for attribute in tag.attributes {
                #expect(
                    !attribute.name.hasPrefix("on"),
                    "event handler \(attribute.name)",
                    sourceLocation: sourceLocation
                )
                #expect(
                    !["src", "srcset", "style", "formaction"].contains(attribute.name),
                    "attribute \(attribute.name)",
                    sourceLocation: sourceLocation
                )
                let compact = attribute.value.lowercased().filter { !$0.isWhitespace }
                #expect(
                    !compact.contains("javascript:"),
                    "script URL in \(attribute.name)",
                    sourceLocation: sourceLocation
                )
                if attribute.name == "href" || attribute.name == "action" {
                    #expect(
                        (attribute.value.hasPrefix("#") || attribute.value.hasPrefix("/"))
                            && !attribute.value.hasPrefix("//"),
                        "\(attribute.name)=\(attribute.value)",
                        sourceLocation: sourceLocation
                    )
                }
            }
        }
        #expect(!html.lowercased().contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.lowercased().contains("<img"), sourceLocation: sourceLocation)
    }
}

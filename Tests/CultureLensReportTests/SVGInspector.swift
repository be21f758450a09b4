import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses an SVG fragment as XML: well-formedness, element and attribute names, and text content.
final class SVGInspector: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private(set) var attributeNames: Set<String> = []
    private(set) var attributeValues: [String] = []
    private(set) var text = ""
    private(set) var error: String?

    static func inspect(_ svg: String) -> SVGInspector {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        if !parser.parse() {
            inspector.error = parser.parserError.map { "\($0)" } ?? "unknown XML error"
        }
        return inspector
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(elementName)
        attributeNames.formUnion(attributes.keys)
        attributeValues += attributes.values
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = "\(parseError)" }
}

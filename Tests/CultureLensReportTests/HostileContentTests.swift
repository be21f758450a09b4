import CultureLensAnalysis
import CultureLensCore
import CultureLensFormats
import CultureLensTesting
import Foundation
import Mustache
import Testing

@testable import CultureLensReport

/// Untrusted text (item text, model output, culture codes, topics, labels, settings, extra sections) comes out as
/// text everywhere: in HTML text, in attributes, and in SVG.
struct HostileContentTests {
    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "ul", "ol", "li", "main", "h1", "h2",
        "h3",
        "h4", "p", "section", "div", "dl", "dt", "dd", "code", "bdi", "figure", "figcaption", "details", "summary",
        "table",
        "caption", "thead", "tbody", "tr", "th", "td", "small", "fieldset", "legend", "label", "input", "span", "pre",
        "footer", "form", "button",
        // Inline SVG.
        "svg", "g", "rect", "line", "circle", "polygon", "text", "desc",
    ]
    static let allowedAttributes: Set<String> = [
        "lang", "charset", "name", "content", "http-equiv", "class", "href", "id", "aria-label", "aria-labelledby",
        "aria-current", "aria-hidden", "role", "type", "checked", "tabindex", "method", "action", "value", "scope",
        // SVG presentation attributes.
        "xmlns", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "points",
        "fill",
        "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "font-size", "font-weight", "text-anchor",
        "dominant-baseline", "transform",
    ]

    /// Asserts that `html` has only known tags and attributes, no event handler, no script URL, and links only
    /// to fragments or local paths.
    static func assertInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tags = MarkupScanner.tags(in: html)
        #expect(!tags.isEmpty, sourceLocation: sourceLocation)
        for tag in tags {
            #expect(allowedTags.contains(tag.name), "unexpected tag <\(tag.name)>", sourceLocation: sourceLocation)
            for attribute in tag.attributes {
                #expect(
                    allowedAttributes.contains(attribute.name),
                    "unexpected attribute \(attribute.name) on <\(tag.name)>",
                    sourceLocation: sourceLocation
                )
                #expect(
                    !attribute.name.hasPrefix("on"),
                    "event handler \(attribute.name)",
                    sourceLocation: sourceLocation
                )
                let compact = attribute.value.lowercased().filter { !$0.isWhitespace }
                #expect(
                    !compact.contains("javascript:"),
                    "script URL in \(attribute.name)",
                    sourceLocation: sourceLocation
                )
                if attribute.name == "href" {
                    #expect(
                        attribute.value.hasPrefix("#") || attribute.value.hasPrefix("/"),
                        "href \(attribute.value)",
                        sourceLocation: sourceLocation
                    )
                    #expect(!attribute.value.hasPrefix("//"), "protocol-relative href", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(!html.lowercased().contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.lowercased().contains("<img"), sourceLocation: sourceLocation)
        // Every SVG is well-formed XML with only SVG elements, and closes where it should.
        let svgs = MarkupScanner.svgFragments(in: html)
        #expect(svgs.count == html.components(separatedBy: "<svg ").count - 1, sourceLocation: sourceLocation)
        for svg in svgs {
            let inspector = SVGInspector.inspect(svg)
            #expect(
                inspector.error == nil,
                "SVG is not well-formed: \(inspector.error ?? "")",
                sourceLocation: sourceLocation
            )
            #expect(
                Set(inspector.elements).isSubset(of: [
                    "svg", "g", "rect", "line", "circle", "polygon", "text", "title", "desc",
                ]),
                sourceLocation: sourceLocation
            )
            #expect(
                inspector.attributeNames.allSatisfy { !$0.lowercased().hasPrefix("on") },
                sourceLocation: sourceLocation
            )
        }
    }

    /// Rendered once for the suite.
    static let rendered = Result { try makeHostileReport() }

    static func hostileReport() throws -> (html: String, run: ReportRun) { try rendered.get() }

    static func makeHostileReport() throws -> (html: String, run: ReportRun) {
        var run = try Fixtures.run(
            model: "<script>alert('model')</script>",
            hostile: true,
            extras: [
                "robustness": Fixtures.robustness,
                "steerability": DataValue([
                    "<img src=x onerror=alert(7)>": DataValue([
                        "value": .number(0.5), "ci_low": .number(0.4), "ci_high": .number(0.6), "n": .number(10),
                    ]),
                    "note": .string("</svg><script>alert(8)</script>"),
                ]),
                "\"><script>alert(9)</script>": .string("javascript:alert(10)"),
            ]
        )
        run.label = Fixtures.hostile[4]
        run.metadata.settings["temperature"] = Fixtures.hostile[1]
        var other = try Fixtures.run(id: "<b>other</b>", model: Fixtures.hostile[6], seed: 2, skill: 0.7, hostile: true)
        other.label = Fixtures.hostile[5]
        return (HTMLReport(runs: [run, other]).render(), run)
    }

    @Test func hostileRunsRenderAsText() throws {
        let (html, _) = try Self.hostileReport()
        Self.assertInert(html)
        // The hostile strings are there, escaped.
        #expect(html.contains("&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&#39;\u{0301} onmouseover=alert(4) x=&#39;"))
        #expect(html.contains("&quot;\u{0301} onfocus=alert(5) autofocus x=&quot;"))
        #expect(html.contains("\u{202E}gpj.exe"))
        #expect(html.contains("Z\u{0335}\u{0321}\u{031B}a\u{0338}"))
        // Mustache tags in data are not expanded.
        #expect(html.contains("{{#x}}{{{y}}}{{/x}}"))
        // Control characters are replaced, never emitted.
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        // The 10k-character response is kept whole (escaped) in the sample browser.
        let long = String(repeating: "A&lt;b&gt;", count: 2500)
        #expect(html.contains(long))
        // Secrets never appear.
        #expect(!html.contains("SECRET"))
        #expect(!html.contains("OPENAI_API_KEY"))
    }

    @Test func hostileTextInSVGIsTextAndShortened() throws {
        let (html, _) = try Self.hostileReport()
        let texts = MarkupScanner.svgFragments(in: html).map { SVGInspector.inspect($0).text }.joined()
        #expect(texts.contains("<script>alert(6)</script>"))  // the hostile culture code, as text
        // Labels are shortened in charts, so a 10k string cannot blow up an SVG.
        for svg in MarkupScanner.svgFragments(in: html) {
            #expect(svg.utf8.count < 400_000)
        }
    }

    @Test func hostileTextInValueFiguresIsText() throws {
        // Country names, notes and option texts and ids come from results.json and samples.jsonl: untrusted.
        var map = try ValueFixtures.culturalMapRun(model: Fixtures.hostile[0])
        var placement = try #require(map.culturalMap)
        placement.personas?[0].country = Fixtures.hostile[2]
        placement.personas?[2].note = Fixtures.hostile[1]
        placement.unprompted?.model?.nearest[0].country = Fixtures.hostile[4]
        placement.unprompted?.model?.ciNote = Fixtures.hostile[5]
        placement.steering?.leftOut = [Fixtures.hostile[8]]
        map.culturalMap = placement
        let preferences = try ValueFixtures.preferencesRun(hostile: Fixtures.hostile[1])
        var unplaceable = try ValueFixtures.culturalMapRun(id: "iw00000000000003", countries: [], unplaceable: true)
        unplaceable.culturalMap?.unprompted?.note = Fixtures.hostile[2]
        let html = HTMLReport(runs: [map, preferences, unplaceable]).render()
        Self.assertInert(html)
        #expect(html.contains("&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;svg&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&#39;\u{0301} onmouseover=alert(4) x=&#39;"))
        #expect(html.contains("{{#x}}{{{y}}}{{/x}}"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        // Inside the SVGs the hostile persona country and option text are text (in <title> and <text>).
        let texts = MarkupScanner.svgFragments(in: html).map { SVGInspector.inspect($0).text }.joined()
        #expect(texts.contains("Persona </svg><script>alert(2)</script><svg>"))
        #expect(texts.contains("\"><img src=x onerror=alert(1)>"))
    }

    @Test func everyEscapeTargetIsCovered() {
        #expect(HTMLEscape.escape("<>&\"'`") == "&lt;&gt;&amp;&quot;&#39;&#96;")
        // A quote followed by a combining mark is one Character, but still a quote to the browser.
        let combining = "\"\u{0301} onload=x"
        #expect(HTMLEscape.escape(combining).hasPrefix("&quot;\u{0301}"))
        #expect(HTMLEscape.escape("a\u{0000}b\u{0085}c\u{FFFF}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect(HTMLEscape.escape("tab\tnew\nline\r") == "tab\tnew\nline\r")
        #expect(HTMLEscape.urlComponent("a/b?c=d&e f\"<") == "a%2Fb%3Fc%3Dd%26e%20f%22%3C")
        #expect(HTMLEscape.urlComponent("javascript:alert(1)") == "javascript%3Aalert%281%29")
        #expect(HTMLEscape.identifier("row\" onload=\"x") == "rowonloadx")
        #expect(HTMLEscape.truncate("e\u{0301}e\u{0301}e\u{0301}", maxCharacters: 2) == "e\u{0301}…")
    }

    @Test func everySampleRowFieldIsEscaped() {
        // The sample rows are built without Mustache: each field must still go through the scalar-safe escape.
        let hostile = Fixtures.hostile
        let view = SampleView(
            classes: "o-failed c0\" onclick=\"x",
            outcome: hostile[0],
            outcomeText: hostile[1],
            itemID: hostile[2],
            cultureText: hostile[3],
            topic: hostile[4],
            variantText: [hostile[5]],
            prompt: hostile[6],
            responseText: ["\"\u{0301} onfocus=alert(5) autofocus x=\""],
            extracted: "</pre><script>alert(7)</script>",
            goldText: "'\u{0301} onmouseover=alert(4) x='",
            scoreText: "{{#x}}{{{y}}}{{/x}}",
            errorText: ["a\u{0000}b <b>"]
        )
        let html = SampleView.html([view])
        for value in [
            view.classes, view.outcome, view.outcomeText, view.itemID, view.cultureText, view.topic, view.prompt,
            view.extracted, view.goldText, view.scoreText,
        ] + view.variantText + view.responseText + view.errorText {
            #expect(html.contains(HTMLEscape.escape(value)), "\(value)")
        }
        #expect(!html.contains("<script"))
        #expect(!html.contains("\u{0000}"))
        Self.assertInert(html)
    }

    @Test func templatesUseTheScalarSafeEscape() throws {
        // The same value through the report's templates: the quote is escaped even with a combining mark after it.
        let view = MessageView(
            message: "\"\u{0301} onmouseover=alert(1) x=\"",
            backLink: [LinkView(href: "/", text: "'\u{0301}<b>")]
        )
        let html = ReportTemplates.render(view, template: "message")
        #expect(html.contains("&quot;\u{0301} onmouseover=alert(1) x=&quot;"))
        #expect(html.contains("&#39;\u{0301}&lt;b&gt;"))
        Self.assertInert(html)
    }

    @Test func theReportHasNoExternalReference() throws {
        let (html, _) = try Self.hostileReport()
        // No attribute refers to anything outside the page: the only URL is the SVG namespace (an identifier, never
        // fetched); links are fragments. URLs in the text (the endpoint a run used) are text, not references.
        for tag in MarkupScanner.tags(in: html) {
            for attribute in tag.attributes where attribute.value.lowercased().contains("://") {
                #expect(
                    attribute.name == "xmlns" && attribute.value == "http://www.w3.org/2000/svg",
                    "\(tag.name) \(attribute.name)=\(attribute.value)"
                )
            }
            #expect(
                !["src", "srcset", "data", "poster", "background", "formaction"].contains { name in
                    tag.attributes.contains { $0.name == name }
                }
            )
            if let href = tag.attributes.first(where: { $0.name == "href" }) { #expect(href.value.hasPrefix("#")) }
        }
        let css = html[html.range(of: "<style>")!.upperBound..<html.range(of: "</style>")!.lowerBound].lowercased()
        #expect(!css.contains("url("))
        #expect(!css.contains("@import"))
        #expect(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;"
            )
        )
    }
}

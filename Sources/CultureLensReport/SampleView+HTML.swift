extension SampleView {
    /// The sample browser's rows, byte for byte what the Mustache section they replace wrote.
    ///
    /// Built with plain string appends: with thousands of rows, swift-mustache's reflection over every field
    /// (`Mirror` per lookup) was most of a report's rendering time. Every value is escaped with
    /// ``HTMLEscape/escape(_:)``, as the templates' content type does, so untrusted model and dataset text stays text.
    static func html(_ rows: some Sequence<SampleView>) -> String {
        var html = ""
        for row in rows { row.appendHTML(to: &html) }
        return html
    }

    private func appendHTML(to html: inout String) {
        func text(_ value: String) { html += HTMLEscape.escape(value) }
        html += "<li class=\"sample "
        text(classes)
        html += "\">\n<h4><span class=\"badge b-"
        text(outcome)
        html += "\">"
        text(outcomeText)
        html += "</span><bdi>"
        text(itemID)
        html += "</bdi> · <bdi>"
        text(cultureText)
        html += "</bdi> · <bdi>"
        text(topic)
        html += "</bdi>"
        for variant in variantText {
            html += " · variant <bdi>"
            text(variant)
            html += "</bdi>"
        }
        html += "</h4>\n<dl class=\"sample-fields\">\n<div><dt>Prompt</dt><dd><pre tabindex=\"0\">"
        text(prompt)
        html += "</pre></dd></div>\n<div><dt>Raw response</dt><dd>"
        if responseText.isEmpty {
            html += "<span class=\"muted\">none</span>"
        } else {
            for response in responseText {
                html += "<pre tabindex=\"0\">"
                text(response)
                html += "</pre>"
            }
        }
        html += "</dd></div>\n<div><dt>Extracted answer</dt><dd><bdi>"
        text(extracted)
        html += "</bdi></dd></div>\n<div><dt>Gold</dt><dd><bdi>"
        text(goldText)
        html += "</bdi></dd></div>\n<div><dt>Score</dt><dd>"
        text(scoreText)
        html += "</dd></div>\n"
        for error in errorText {
            html += "<div><dt>Error</dt><dd><bdi>"
            text(error)
            html += "</bdi></dd></div>\n"
        }
        html += "</dl>\n</li>\n"
    }
}

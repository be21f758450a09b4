import Foundation

/// An sRGB colour. It can only be made from numbers, so a colour can never carry markup into an attribute.
public struct SVGColor: Sendable, Hashable {
    /// Red, green and blue, 0...255.
    public var red: UInt8, green: UInt8, blue: UInt8

    /// `#rrggbb`.
    public var hexString: String {
        "#"
            + [red, green, blue].map {
                String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
            }
            .joined()
    }

    /// WCAG relative luminance, 0 (black) ... 1 (white).
    public var relativeLuminance: Double {
        func channel(_ value: UInt8) -> Double {
            let c = Double(value) / 255
            return c <= 0.039_28 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }

    /// Black or white, whichever contrasts more with this colour (for text drawn on it).
    public var contrastingText: SVGColor {
        let l = relativeLuminance
        return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? .black : .white
    }

    /// Black.
    public static let black = SVGColor(hex: 0x000000)
    /// White.
    public static let white = SVGColor(hex: 0xFFFFFF)
    /// Body text.
    public static let ink = SVGColor(hex: 0x1F2328)
    /// Secondary text and axes.
    public static let muted = SVGColor(hex: 0x59636E)
    /// Grid lines.
    public static let grid = SVGColor(hex: 0xD0D7DE)
    /// Tiles without data.
    public static let noData = SVGColor(hex: 0xEAEEF2)
    /// Bars (viridis 0.35).
    public static let bar = SVGColor(hex: 0x31688E)
    /// Okabe–Ito blue, for improvements.
    public static let better = SVGColor(hex: 0x0072B2)
    /// Okabe–Ito vermillion, for regressions.
    public static let worse = SVGColor(hex: 0xD55E00)
}

extension SVGColor {
    /// Creates a colour from a 24-bit value such as `0x31688E`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }
}

/// Fill and stroke of a shape.
public struct SVGPaint: Sendable, Hashable {
    /// Fill colour; `nil` draws no fill.
    public var fill: SVGColor?
    /// Stroke colour; `nil` draws no stroke.
    public var stroke: SVGColor?
    /// Stroke width in user units.
    public var strokeWidth: Double?
    /// Dash pattern.
    public var dash: [Double]?
    /// Fill opacity 0...1.
    public var fillOpacity: Double?

    /// A filled shape without stroke.
    public static func filled(_ color: SVGColor) -> SVGPaint { SVGPaint(fill: color) }

    /// A stroked line.
    public static func stroked(_ color: SVGColor, width: Double = 1, dash: [Double]? = nil) -> SVGPaint {
        SVGPaint(stroke: color, strokeWidth: width, dash: dash)
    }

    var attributes: [(String, String)] {
        var result: [(String, String)] = [("fill", fill?.hexString ?? "none")]
        if let fillOpacity { result.append(("fill-opacity", SVG.number(fillOpacity))) }
        if let stroke { result.append(("stroke", stroke.hexString)) }
        if let strokeWidth { result.append(("stroke-width", SVG.number(strokeWidth))) }
        if let dash, !dash.isEmpty { result.append(("stroke-dasharray", dash.map(SVG.number).joined(separator: " "))) }
        return result
    }
}

/// How text is placed and drawn.
public struct SVGTextStyle: Sendable, Hashable {
    /// Horizontal anchor.
    public enum Anchor: String, Sendable, Hashable {
        case start, middle, end
    }

    /// Horizontal anchor.
    public var anchor: Anchor = .start
    /// Font size in user units.
    public var size: Double = 12
    /// Bold text.
    public var bold: Bool = false
    /// Text colour.
    public var color: SVGColor = .ink
    /// Centre the text vertically on `y` rather than sitting on it.
    public var middleBaseline: Bool = true

}

/// One node of an SVG tree. Text and attribute values are escaped by ``SVG/render()``; element and attribute
/// names come only from this type, never from data.
public indirect enum SVGNode: Sendable, Hashable {
    /// A rectangle, optionally with rounded corners.
    case rect(x: Double, y: Double, width: Double, height: Double, paint: SVGPaint, cornerRadius: Double? = nil)
    /// A line segment.
    case line(x1: Double, y1: Double, x2: Double, y2: Double, paint: SVGPaint)
    /// A circle.
    case circle(cx: Double, cy: Double, r: Double, paint: SVGPaint)
    /// A closed polygon.
    case polygon(points: [SVGPoint], paint: SVGPaint)
    /// Text at a point.
    case text(String, x: Double, y: Double, style: SVGTextStyle)
    /// A group with an optional tooltip/accessible name (`<title>`), CSS class and translation.
    case group([SVGNode], title: String? = nil, cssClass: String? = nil, translate: SVGPoint? = nil)
}

/// A point in user units.
public struct SVGPoint: Sendable, Hashable {
    /// Coordinates.
    public var x: Double, y: Double

}

/// A typed SVG document with escaping built in.
///
/// ```swift
/// var svg = SVG(width: 200, height: 40, title: "Accuracy", description: "One bar")
/// svg.add(.rect(x: 0, y: 10, width: 120, height: 20, paint: .filled(.bar)))
/// svg.add(.text("<b>not markup</b>", x: 124, y: 20, style: SVGTextStyle()))
/// let markup = svg.render()   // the text is rendered as &lt;b&gt;not markup&lt;/b&gt;
/// ```
///
/// Numbers are written with at most two decimals, so the output is byte-for-byte deterministic.
public struct SVG: Sendable, Hashable {
    /// Width and height in user units (the `viewBox`); the chart scales to its container.
    public var width: Double, height: Double
    /// Accessible name (`<title>`), also the tooltip.
    public var title: String
    /// Longer accessible description (`<desc>`).
    public var description: String?
    /// CSS class of the root element.
    public var cssClass: String?
    /// Content.
    public var nodes: [SVGNode] = []

    /// Appends a node.
    public mutating func add(_ node: SVGNode) { nodes.append(node) }

    /// Appends nodes.
    public mutating func add(contentsOf nodes: [SVGNode]) { self.nodes.append(contentsOf: nodes) }

    /// The `<svg>` element, for embedding in HTML (also valid standalone XML with the namespace it carries).
    public func render() -> String {
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
        out += " width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" role=\"img\""
        if let cssClass { out += " class=\"\(HTMLEscape.escape(HTMLEscape.classList(cssClass)))\"" }
        out += ">\n<title>\(HTMLEscape.escape(title))</title>\n"
        if let description { out += "<desc>\(HTMLEscape.escape(description))</desc>\n" }
        for node in nodes { Self.render(node, into: &out) }
        out += "</svg>"
        return out
    }

    /// Formats a coordinate: at most two decimals, no trailing zeros, no negative zero, 0 for non-finite input.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(HTMLEscape.escape($0.1))\"" }.joined()
    }

    private static func render(_ node: SVGNode, into out: inout String) {
        switch node {
        case .rect(let x, let y, let width, let height, let paint, let radius):
            var pairs = [
                ("x", number(x)), ("y", number(y)), ("width", number(max(0, width))),
                ("height", number(max(0, height))),
            ]
            if let radius { pairs.append(("rx", number(radius))) }
            out += "<rect\(attributes(pairs + paint.attributes))/>\n"
        case .line(let x1, let y1, let x2, let y2, let paint):
            let pairs = [("x1", number(x1)), ("y1", number(y1)), ("x2", number(x2)), ("y2", number(y2))]
            out += "<line\(attributes(pairs + paint.attributes))/>\n"
        case .circle(let cx, let cy, let r, let paint):
            out +=
                "<circle\(attributes([("cx", number(cx)), ("cy", number(cy)), ("r", number(r))] + paint.attributes))/>\n"
        case .polygon(let points, let paint):
            let list = points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
            out += "<polygon\(attributes([("points", list)] + paint.attributes))/>\n"
        case .text(let text, let x, let y, let style):
            var pairs = [
                ("x", number(x)), ("y", number(y)), ("font-size", number(style.size)), ("fill", style.color.hexString),
            ]
            if style.anchor != .start { pairs.append(("text-anchor", style.anchor.rawValue)) }
            if style.bold { pairs.append(("font-weight", "bold")) }
            if style.middleBaseline { pairs.append(("dominant-baseline", "central")) }
            out += "<text\(attributes(pairs))>\(HTMLEscape.escape(text))</text>\n"
        case .group(let children, let title, let cssClass, let translate):
            var pairs: [(String, String)] = []
            if let cssClass { pairs.append(("class", HTMLEscape.classList(cssClass))) }
            if let translate { pairs.append(("transform", "translate(\(number(translate.x)) \(number(translate.y)))")) }
            out += "<g\(attributes(pairs))>"
            if let title { out += "<title>\(HTMLEscape.escape(title))</title>" }
            out += "\n"
            for child in children { render(child, into: &out) }
            out += "</g>\n"
        }
    }
}

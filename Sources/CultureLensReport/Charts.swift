import CultureLensCore
import CultureLensFormats
import Foundation

/// One row of an interval chart: a point estimate with an optional confidence interval and sample size.
public struct IntervalRow: Sendable, Hashable {
    /// Row label (untrusted text is fine: it is escaped and shortened).
    public var label: String
    /// The estimate.
    public var value: Double
    /// Interval ends, when known.
    public var low: Double?, high: Double?
    /// Sample size, when known.
    public var n: Int?

    /// Creates a row.
    public init(label: String, value: Double, low: Double? = nil, high: Double? = nil, n: Int? = nil) {
        self.label = label
        self.value = value
        self.low = low
        self.high = high
        self.n = n
    }
}

/// What a tile of the world map shows.
public struct TileValue: Sendable, Hashable {
    /// Accuracy in [0, 1].
    public var value: Double
    /// Interval.
    public var low: Double, high: Double
    /// Scored items.
    public var n: Int

}

/// The charts of the report, built with ``SVG``. Every function is pure and deterministic.
public enum Charts {
    static let width = 760.0
    static let labelWidth = 230.0
    static let valueWidth = 130.0
    static let rowHeight = 20.0
    static let top = 30.0
    static let maxLabel = 34

    static func percent(_ value: Double, decimals: Int = 1) -> String {
        String(format: "%.\(decimals)f%%", value * 100)
    }

    static func signedPercent(_ value: Double) -> String {
        let text = String(format: "%+.1f", value * 100)
        return (text == "+0.0" || text == "-0.0" ? "0.0" : text) + " pp"
    }

    // MARK: - Accuracy bars

    /// Horizontal bars of proportions in [0, 1] with 95% CI whiskers and n, in the order given.
    ///
    /// - Parameters:
    ///   - rows: Values and intervals in [0, 1].
    ///   - title: Accessible name.
    ///   - reference: Draws a dashed line at this value (e.g. overall accuracy), labelled `referenceLabel`.
    public static func accuracyBars(
        _ rows: [IntervalRow],
        title: String,
        reference: Double? = nil,
        referenceLabel: String = "overall"
    ) -> SVG {
        let plot = width - labelWidth - valueWidth
        let height = top + Double(rows.count) * rowHeight + 10
        var svg = SVG(
            width: width,
            height: height,
            title: title,
            description:
                "Bars show the estimate, whiskers its 95% confidence interval; n is the number of scored items.",
            cssClass: "chart bars"
        )
        func x(_ value: Double) -> Double { labelWidth + plot * min(1, max(0, value)) }
        svg.add(
            contentsOf: axis(ticks: [0, 0.25, 0.5, 0.75, 1], x: x, height: height, label: { percent($0, decimals: 0) })
        )
        if let reference {
            svg.add(
                .group(
                    [
                        .line(
                            x1: x(reference),
                            y1: top - 6,
                            x2: x(reference),
                            y2: height - 8,
                            paint: .stroked(.worse, width: 1, dash: [4, 3])
                        ),
                        .text(
                            "\(referenceLabel) \(percent(reference))",
                            x: x(reference) + 3,
                            y: top - 8,
                            style: SVGTextStyle(size: 10, color: .worse)
                        ),
                    ],
                    title: "\(referenceLabel): \(percent(reference))",
                    cssClass: "reference"
                )
            )
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let mid = y + rowHeight / 2
            var nodes: [SVGNode] = [
                .text(
                    HTMLEscape.truncate(row.label, maxCharacters: maxLabel),
                    x: labelWidth - 8,
                    y: mid,
                    style: SVGTextStyle(anchor: .end, size: 11)
                ),
                .rect(x: labelWidth, y: mid - 6, width: x(row.value) - labelWidth, height: 12, paint: .filled(.bar)),
            ]
            nodes += whisker(low: row.low.map(x), high: row.high.map(x), y: mid)
            nodes.append(
                .text(
                    percent(row.value) + (row.n.map { " · n=\($0)" } ?? ""),
                    x: width - valueWidth + 8,
                    y: mid,
                    style: SVGTextStyle(size: 11, color: .muted)
                )
            )
            svg.add(.group(nodes, title: tooltip(row, format: { percent($0) }), cssClass: "row"))
        }
        return svg
    }

    // MARK: - Differences

    /// Paired differences in [−1, 1] as dots with 95% CI whiskers around a zero line. Rows whose interval lies
    /// wholly above zero are blue, wholly below orange (Okabe–Ito), otherwise grey; the value is also written.
    public static func differenceDots(_ rows: [IntervalRow], title: String) -> SVG {
        let plot = width - labelWidth - valueWidth
        let height = top + Double(rows.count) * rowHeight + 10
        var svg = SVG(
            width: width,
            height: height,
            title: title,
            description:
                "Dots show the paired difference in accuracy (percentage points), whiskers its 95% interval (clustered by item).",
            cssClass: "chart differences"
        )
        func x(_ value: Double) -> Double { labelWidth + plot * (min(1, max(-1, value)) + 1) / 2 }
        svg.add(contentsOf: axis(ticks: [-1, -0.5, 0, 0.5, 1], x: x, height: height, label: signedPercentTick))
        svg.add(.line(x1: x(0), y1: top - 4, x2: x(0), y2: height - 8, paint: .stroked(.ink, width: 1)))
        for (index, row) in rows.enumerated() {
            let mid = top + Double(index) * rowHeight + rowHeight / 2
            let color: SVGColor =
                if let low = row.low, low > 0 { .better } else if let high = row.high, high < 0 { .worse } else {
                    .muted
                }
            var nodes: [SVGNode] = [
                .text(
                    HTMLEscape.truncate(row.label, maxCharacters: maxLabel),
                    x: labelWidth - 8,
                    y: mid,
                    style: SVGTextStyle(anchor: .end, size: 11)
                )
            ]
            nodes += whisker(low: row.low.map(x), high: row.high.map(x), y: mid, color: color)
            nodes.append(
                .circle(cx: x(row.value), cy: mid, r: 4, paint: SVGPaint(fill: color, stroke: .white, strokeWidth: 1))
            )
            nodes.append(
                .text(
                    signedPercent(row.value) + (row.n.map { " · n=\($0)" } ?? ""),
                    x: width - valueWidth + 8,
                    y: mid,
                    style: SVGTextStyle(size: 11, color: .muted)
                )
            )
            svg.add(.group(nodes, title: tooltip(row, format: signedPercent), cssClass: "row"))
        }
        return svg
    }

    static func signedPercentTick(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%+.0f pp", value * 100)
    }

    // MARK: - Generic figures

    /// Dots with CI whiskers on an axis fitted to the data ([0, 1] when everything lies there), for figures of
    /// sections this module does not know (robustness, steerability).
    public static func figureDots(_ rows: [IntervalRow], title: String) -> SVG {
        intervalDots(
            rows,
            title: title,
            description: "Dots show each figure, whiskers its interval when one was reported.",
            cssClass: "chart figures",
            unitAxisWhenPossible: true,
            format: DataValue.format
        )
    }

    /// The shape every "estimate with an interval per row" figure shares (generic figures, utilities, and any
    /// later index chart): one row per entry in the order given, its label (shortened) on the left, a dot at the
    /// estimate, whiskers for its interval when it has one, and the value with n on the right. The axis is fitted
    /// to every value and interval end (round ticks, a solid line at 0 when it is inside), or [0, 1] when
    /// `unitAxisWhenPossible` and everything lies there.
    ///
    /// - Parameters:
    ///   - description: The SVG's accessible description: what the dots and whiskers are.
    ///   - format: Formats values for the right-hand column and the tooltips.
    ///   - notes: Per row, a reason added to its tooltip (e.g. why it has no interval); rows beyond it have none.
    static func intervalDots(
        _ rows: [IntervalRow],
        title: String,
        description: String,
        cssClass: String,
        unitAxisWhenPossible: Bool,
        format: (Double) -> String,
        notes: [String?] = []
    ) -> SVG {
        let plot = width - labelWidth - valueWidth
        let height = top + Double(rows.count) * rowHeight + 10
        var svg = SVG(width: width, height: height, title: title, description: description, cssClass: cssClass)
        let finite = rows.flatMap { [$0.value, $0.low, $0.high].compactMap { $0 } }.filter(\.isFinite)
        var lower = min(0, finite.min() ?? 0)
        var upper = max(finite.max() ?? 1, lower + 1e-9)
        var ticks: [Double]
        if unitAxisWhenPossible, lower >= 0, upper <= 1 {
            (lower, upper) = (0, 1)
            ticks = [0, 0.25, 0.5, 0.75, 1]
        } else {
            ticks = niceTicks(lower, upper)
            (lower, upper) = (ticks.first ?? lower, ticks.last ?? upper)
        }
        func x(_ value: Double) -> Double {
            labelWidth + plot * (min(upper, max(lower, value)) - lower) / (upper - lower)
        }
        svg.add(
            contentsOf: axis(
                ticks: ticks,
                x: x,
                height: height,
                label: { DataValue.format(($0 * 10_000).rounded() / 10_000) }
            )
        )
        if lower < 0 {
            svg.add(.line(x1: x(0), y1: top - 4, x2: x(0), y2: height - 8, paint: .stroked(.ink, width: 1)))
        }
        for (index, row) in rows.enumerated() {
            let mid = top + Double(index) * rowHeight + rowHeight / 2
            var nodes: [SVGNode] = [
                .text(
                    HTMLEscape.truncate(row.label, maxCharacters: maxLabel),
                    x: labelWidth - 8,
                    y: mid,
                    style: SVGTextStyle(anchor: .end, size: 11)
                )
            ]
            nodes += whisker(low: row.low.map(x), high: row.high.map(x), y: mid)
            nodes.append(
                .circle(cx: x(row.value), cy: mid, r: 4, paint: SVGPaint(fill: .bar, stroke: .white, strokeWidth: 1))
            )
            nodes.append(
                .text(
                    format(row.value) + (row.n.map { " · n=\($0)" } ?? ""),
                    x: width - valueWidth + 8,
                    y: mid,
                    style: SVGTextStyle(size: 11, color: .muted)
                )
            )
            let note = index < notes.count ? notes[index] : nil
            svg.add(
                .group(
                    nodes,
                    title: tooltip(row, format: format) + (note.map { " (\($0))" } ?? ""),
                    cssClass: "row"
                )
            )
        }
        return svg
    }

    // MARK: - Counts

    /// Horizontal bars of counts (e.g. failures by kind), longest = largest.
    public static func countBars(_ rows: [(label: String, count: Int)], title: String) -> SVG {
        let plot = width - labelWidth - valueWidth
        let height = 10 + Double(rows.count) * rowHeight + 10
        var svg = SVG(width: width, height: height, title: title, cssClass: "chart counts")
        let largest = Double(max(1, rows.map(\.count).max() ?? 1))
        for (index, row) in rows.enumerated() {
            let mid = 10 + Double(index) * rowHeight + rowHeight / 2
            svg.add(
                .group(
                    [
                        .text(
                            HTMLEscape.truncate(row.label, maxCharacters: maxLabel),
                            x: labelWidth - 8,
                            y: mid,
                            style: SVGTextStyle(anchor: .end, size: 11)
                        ),
                        .rect(
                            x: labelWidth,
                            y: mid - 6,
                            width: plot * Double(row.count) / largest,
                            height: 12,
                            paint: .filled(.worse)
                        ),
                        .text(
                            String(row.count),
                            x: labelWidth + plot * Double(row.count) / largest + 6,
                            y: mid,
                            style: SVGTextStyle(size: 11, color: .muted)
                        ),
                    ],
                    title: "\(row.label): \(row.count)",
                    cssClass: "row"
                )
            )
        }
        return svg
    }

    // MARK: - World tile map

    /// Side of a tile and the distance between tile origins.
    static let tile = 22.0
    static let pitch = 24.0

    /// The world tile map: one tile per culture of ``WorldTileGrid`` (grey without data), coloured with viridis
    /// by accuracy, with a legend. Sub-national regions are drawn with rounder corners beside their country.
    ///
    /// - Parameter values: Accuracy by culture code; codes that are not on the map are ignored (list them
    ///   separately with ``unplacedCodes(_:)``).
    public static func tileMap(_ values: [String: TileValue], title: String) -> SVG {
        let margin = 10.0
        let mapWidth = Double(WorldTileGrid.columns) * pitch
        let mapHeight = Double(WorldTileGrid.rowCount) * pitch
        let legendHeight = 56.0
        let width = mapWidth + 2 * margin
        let height = mapHeight + 2 * margin + legendHeight
        var normalized: [String: TileValue] = [:]
        for (code, value) in values {
            if let culture = CultureCatalog.culture(for: code) { normalized[culture.code] = value }
        }
        var svg = SVG(
            width: width,
            height: height,
            title: title,
            description:
                "World tile map: one tile per country in its approximate place, sub-national regions beside their country; colour is accuracy (viridis scale, darker is lower), grey tiles have no data.",
            cssClass: "chart tilemap"
        )
        let cultures = CultureCatalog.all.filter { WorldTileGrid.positions[$0.code] != nil }
        for culture in cultures {
            guard let position = WorldTileGrid.positions[culture.code] else { continue }
            let x = margin + Double(position.column) * pitch
            let y = margin + Double(position.row) * pitch
            let value = normalized[culture.code]
            let fill = value.map { Palette.viridis($0.value) } ?? .noData
            let textColor = value == nil ? SVGColor.muted : fill.contrastingText
            let tooltip =
                if let value {
                    "\(culture.name) (\(culture.code)): \(percent(value.value)), 95% CI \(percent(value.low))–\(percent(value.high)), n=\(value.n)"
                } else {
                    "\(culture.name) (\(culture.code)): no data"
                }
            let label = WorldTileGrid.label(for: culture)
            svg.add(
                .group(
                    [
                        .rect(
                            x: 0,
                            y: 0,
                            width: tile,
                            height: tile,
                            paint: SVGPaint(
                                fill: fill,
                                stroke: value == nil ? .grid : nil,
                                strokeWidth: value == nil ? 0.5 : nil
                            ),
                            cornerRadius: culture.isSubnational ? 8 : 2
                        ),
                        .text(
                            label,
                            x: tile / 2,
                            y: tile / 2,
                            style: SVGTextStyle(
                                anchor: .middle,
                                size: label.count > 2 ? 6.5 : 8,
                                bold: value != nil,
                                color: textColor
                            )
                        ),
                    ],
                    title: tooltip,
                    cssClass: value == nil ? "tile empty" : "tile",
                    translate: SVGPoint(x: x, y: y)
                )
            )
        }
        // Legend.
        let legendY = margin + mapHeight + 14
        let steps = 20
        let stepWidth = 14.0
        var legend: [SVGNode] = [.text("Accuracy", x: 0, y: 6, style: SVGTextStyle(size: 11, bold: true))]
        for step in 0..<steps {
            let value = (Double(step) + 0.5) / Double(steps)
            legend.append(
                .rect(
                    x: 70 + Double(step) * stepWidth,
                    y: 0,
                    width: stepWidth,
                    height: 12,
                    paint: .filled(Palette.viridis(value))
                )
            )
        }
        for tick in [0.0, 0.25, 0.5, 0.75, 1] {
            let tx = 70 + tick * Double(steps) * stepWidth
            legend.append(.line(x1: tx, y1: 12, x2: tx, y2: 16, paint: .stroked(.muted)))
            legend.append(
                .text(
                    percent(tick, decimals: 0),
                    x: tx,
                    y: 24,
                    style: SVGTextStyle(anchor: .middle, size: 10, color: .muted)
                )
            )
        }
        let noDataX = 70 + Double(steps) * stepWidth + 30
        legend.append(
            .rect(
                x: noDataX,
                y: 0,
                width: 12,
                height: 12,
                paint: SVGPaint(fill: .noData, stroke: .grid, strokeWidth: 0.5),
                cornerRadius: 2
            )
        )
        legend.append(.text("no data", x: noDataX + 16, y: 6, style: SVGTextStyle(size: 10, color: .muted)))
        legend.append(
            .rect(
                x: noDataX + 70,
                y: 0,
                width: 12,
                height: 12,
                paint: SVGPaint(fill: .noData, stroke: .muted, strokeWidth: 0.5),
                cornerRadius: 5
            )
        )
        legend.append(.text("sub-national region", x: noDataX + 86, y: 6, style: SVGTextStyle(size: 10, color: .muted)))
        svg.add(
            .group(
                legend,
                title: "Legend: accuracy from 0% (dark purple) to 100% (yellow); grey tiles have no data",
                cssClass: "legend",
                translate: SVGPoint(x: margin, y: legendY)
            )
        )
        return svg
    }

    /// Codes among `codes` that the tile map cannot place, sorted.
    public static func unplacedCodes(_ codes: some Sequence<String>) -> [String] {
        codes.filter { code in CultureCatalog.culture(for: code).flatMap { WorldTileGrid.positions[$0.code] } == nil }
            .sorted()
    }

    // MARK: - Parts

    /// Round tick values covering [lower, upper]: a step of 1, 2, 2.5 or 5 × 10^k giving 3 to 6 intervals.
    static func niceTicks(_ lower: Double, _ upper: Double) -> [Double] {
        let span = max(upper - lower, 1e-9)
        let magnitude = pow(10, (log10(span / 4)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { span / $0 <= 5 } ?? 10 * magnitude
        let first = (lower / step).rounded(.down) * step
        let last = (upper / step).rounded(.up) * step
        let count = Int(((last - first) / step).rounded())
        return (0...max(1, count)).map { first + Double($0) * step }
    }

    static func axis(ticks: [Double], x: (Double) -> Double, height: Double, label: (Double) -> String) -> [SVGNode] {
        var nodes: [SVGNode] = []
        for tick in ticks {
            nodes.append(.line(x1: x(tick), y1: top - 4, x2: x(tick), y2: height - 8, paint: .stroked(.grid, width: 1)))
            nodes.append(
                .text(
                    label(tick),
                    x: x(tick),
                    y: top - 16,
                    style: SVGTextStyle(anchor: .middle, size: 10, color: .muted)
                )
            )
        }
        return [.group(nodes, cssClass: "axis")]
    }

    static func whisker(low: Double?, high: Double?, y: Double, color: SVGColor = .ink) -> [SVGNode] {
        guard let low, let high else { return [] }
        return [
            .line(x1: low, y1: y, x2: high, y2: y, paint: .stroked(color, width: 1.5)),
            .line(x1: low, y1: y - 4, x2: low, y2: y + 4, paint: .stroked(color, width: 1.5)),
            .line(x1: high, y1: y - 4, x2: high, y2: y + 4, paint: .stroked(color, width: 1.5)),
        ]
    }

    static func tooltip(_ row: IntervalRow, format: (Double) -> String) -> String {
        var text = "\(row.label): \(format(row.value))"
        if let low = row.low, let high = row.high { text += ", 95% CI \(format(low)) to \(format(high))" }
        if let n = row.n { text += ", n=\(n)" }
        return text
    }
}

import CultureLensCore
import Foundation
import Testing

@testable import CultureLensReport

/// Golden files of the SVG builder and the charts: byte-for-byte deterministic output.
struct SVGBuilderGoldenTests {
    @Test func everyNodeKind() throws {
        var svg = SVG(
            width: 200,
            height: 120,
            title: "All node kinds",
            description: "One of each",
            cssClass: "chart demo"
        )
        svg.add(
            .rect(x: 10, y: 10, width: 50.005, height: 20, paint: .filled(SVGColor(hex: 0x31688E)), cornerRadius: 2)
        )
        svg.add(.line(x1: 0, y1: 40, x2: 200, y2: 40, paint: .stroked(.grid, width: 0.5, dash: [4, 2])))
        svg.add(.circle(cx: 100, cy: 60, r: 4.333, paint: SVGPaint(fill: .better, stroke: .white, strokeWidth: 1)))
        svg.add(
            .polygon(
                points: [SVGPoint(x: 0, y: 0), SVGPoint(x: 10, y: 0), SVGPoint(x: 5, y: -0.001)],
                paint: SVGPaint(fill: .worse, fillOpacity: 0.5)
            )
        )
        svg.add(
            .group(
                [.text("x < y & \"z\"", x: 100, y: 100, style: SVGTextStyle(anchor: .middle, size: 11, bold: true))],
                title: "group <title>",
                cssClass: "row\" onload=\"x",
                translate: SVGPoint(x: 1.5, y: -2)
            )
        )
        try Golden.check(svg.render(), "svg-all-nodes.svg")
    }

    @Test func numbersAreFormattedDeterministically() {
        #expect(SVG.number(0) == "0")
        #expect(SVG.number(-0.0001) == "0")
        #expect(SVG.number(1.5) == "1.5")
        #expect(SVG.number(2.0) == "2")
        #expect(SVG.number(3.14159) == "3.14")
        #expect(SVG.number(-12.345) == "-12.35" || SVG.number(-12.345) == "-12.34")
        #expect(SVG.number(.nan) == "0")
        #expect(SVG.number(.infinity) == "0")
    }

    @Test func accuracyBars() throws {
        let rows = [
            IntervalRow(label: "Japan (JP)", value: 0.8, low: 0.49, high: 0.94, n: 10),
            IntervalRow(label: "Brazil (BR)", value: 0.5, low: 0.24, high: 0.76, n: 12),
            IntervalRow(
                label: "A very long culture name that will be shortened for the chart",
                value: 0.1,
                low: 0.02,
                high: 0.4,
                n: 10
            ),
        ]
        try Golden.check(
            Charts.accuracyBars(rows, title: "Accuracy by culture", reference: 0.47).render(),
            "chart-accuracy-bars.svg"
        )
    }

    @Test func differenceDots() throws {
        let rows = [
            IntervalRow(label: "Japan (JP)", value: 0.25, low: 0.05, high: 0.45, n: 8),
            IntervalRow(label: "Kenya (KE)", value: 0, low: -0.2, high: 0.2, n: 8),
            IntervalRow(label: "Peru (PE)", value: -0.375, low: -0.625, high: -0.125, n: 8),
        ]
        try Golden.check(Charts.differenceDots(rows, title: "Paired differences").render(), "chart-differences.svg")
    }

    @Test func figureDotsFitTheirAxis() throws {
        let rows = [
            IntervalRow(label: "flip rate", value: 0.3, low: 0.18, high: 0.46, n: 40),
            IntervalRow(label: "shift", value: -0.4, low: -0.9, high: 0.1),
            IntervalRow(label: "spread", value: 1.6),
        ]
        try Golden.check(Charts.figureDots(rows, title: "Figures").render(), "chart-figures.svg")
    }

    @Test func countBars() throws {
        try Golden.check(
            Charts.countBars([(label: "http_5xx", count: 5), (label: "refusal", count: 2)], title: "Failures").render(),
            "chart-counts.svg"
        )
    }

    @Test func tileMap() throws {
        let values: [String: TileValue] = [
            "JP": TileValue(value: 0.9, low: 0.6, high: 0.98, n: 10),
            "BR": TileValue(value: 0.4, low: 0.17, high: 0.69, n: 10),
            "IN-KL": TileValue(value: 0.1, low: 0.02, high: 0.4, n: 10),
            "gb-sct": TileValue(value: 0.65, low: 0.4, high: 0.85, n: 12),
            "ZZ": TileValue(value: 1, low: 0, high: 1, n: 1),
        ]
        try Golden.check(Charts.tileMap(values, title: "World tile map").render(), "tilemap.svg")
        #expect(Charts.unplacedCodes(values.keys) == ["ZZ"])
    }

    @Test func viridisEnds() {
        #expect(Palette.viridis(0).hexString == "#440154")
        #expect(Palette.viridis(1).hexString == "#fde725")
        #expect(Palette.viridis(-3) == Palette.viridis(0))
        #expect(Palette.viridis(.nan) == Palette.viridis(0))
        // Monotonic in lightness: later colours are never darker (what makes the scale readable in grey).
        let luminance = (0...20).map { Palette.viridis(Double($0) / 20).relativeLuminance }
        #expect(zip(luminance, luminance.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 })
    }
}

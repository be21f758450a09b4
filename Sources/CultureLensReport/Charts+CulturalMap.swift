public import CultureLensAnalysis
import CultureLensFormats
import Foundation

extension Charts {
    /// Where the cultural map draws: the plot area in user units, and the scales from map coordinates to it.
    struct MapFrame: Sendable {
        static let width = 760.0
        static let left = 56.0
        static let right = 740.0
        static let top = 30.0
        static let bottom = 470.0

        /// Round ticks covering every drawn value, per axis.
        var xTicks: [Double]
        var yTicks: [Double]

        init(xs: [Double], ys: [Double]) {
            func ticks(_ values: [Double]) -> [Double] {
                let finite = values.filter(\.isFinite)
                let low = (finite.min() ?? -1) - 0.15
                let high = max((finite.max() ?? 1) + 0.15, low + 0.5)
                return niceTicks(low, high)
            }
            xTicks = ticks(xs)
            yTicks = ticks(ys)
        }

        /// x of a map coordinate (RC1, survival → self-expression: left → right).
        func x(_ value: Double) -> Double {
            let (low, high) = (xTicks.first ?? -1, xTicks.last ?? 1)
            return Self.left + (Self.right - Self.left) * (value - low) / max(high - low, 1e-9)
        }

        /// y of a map coordinate (RC2, traditional → secular: bottom → top).
        func y(_ value: Double) -> Double {
            let (low, high) = (yTicks.first ?? -1, yTicks.last ?? 1)
            return Self.bottom - (Self.bottom - Self.top) * (value - low) / max(high - low, 1e-9)
        }

        /// Whether a drawn point lies inside the plot area.
        static func contains(x: Double, y: Double) -> Bool {
            x >= left && x <= right && y >= top && y <= bottom
        }
    }

    /// Colour of a prompted point that moved closer to its country, and of one that did not.
    static let closerColor = SVGColor.better
    static let notCloserColor = SVGColor.worse

    /// The Inglehart–Welzel cultural map of a placement: the 107 countries of the human survey as small points
    /// coloured by cultural zone (grey where ``CulturalZone`` has none), labelled when they are among the model's
    /// five nearest or a persona country (every point names itself on hover); the model's unprompted point with its
    /// 95% interval as a cross (error bars on both axes) and n; with cultural prompting, each persona's prompted
    /// point with an arrow from the unprompted one, blue when it moved closer to the country (solid) and orange when
    /// not (dashed), the country ringed. A point the model could not be placed at is not drawn (never at 0,0): the
    /// report states the placement's note instead.
    public static func culturalMap(_ placement: InglehartWelzelPlacement, title: String) -> SVG {
        let countries = InglehartWelzelMap.countries
        let model = placement.unprompted?.model
        let personas = placement.personas ?? []
        var xs = countries.map(\.x)
        var ys = countries.map(\.y)
        if let model {
            xs += [model.x, model.ciLow?.x, model.ciHigh?.x].compactMap { $0 }
            ys += [model.y, model.ciLow?.y, model.ciHigh?.y].compactMap { $0 }
        }
        for persona in personas {
            if let point = persona.placement.model {
                xs.append(point.x)
                ys.append(point.y)
            }
        }
        let frame = MapFrame(xs: xs, ys: ys)
        let legendTop = MapFrame.bottom + 50
        let legendRows = 4
        var svg = SVG(
            width: MapFrame.width,
            height: legendTop + Double(legendRows) * 18 + 10,
            title: title,
            description:
                "Inglehart–Welzel cultural map. x: survival to self-expression values (RC1); y: traditional to secular values (RC2). Small points: the 107 countries of the human survey, coloured by cultural zone (grey: zone not in CultureLens's table). Cross: the model's unprompted point with its 95% interval on both axes. Arrows: from the unprompted point to the point under each persona country's prompt; blue and solid when it moved closer to that country, orange and dashed when not; the country is ringed.",
            cssClass: "chart cultural-map"
        )
        svg.add(mapAxes(frame))

        var labelled = Set(model?.nearest.map(\.country) ?? [])
        for persona in personas where persona.placement.model != nil { labelled.insert(persona.country) }
        let labels = placeLabels(
            countries.filter { labelled.contains($0.name) }.map { ($0.name, frame.x($0.x), frame.y($0.y)) },
            avoiding: model.map { modelLabelBox(frame.x($0.x), frame.y($0.y), n: $0.n) }.map { [$0] } ?? []
        )
        var countryNodes: [SVGNode] = []
        for country in countries {
            let zone = CulturalZone.of(country.name)
            let cx = frame.x(country.x)
            let cy = frame.y(country.y)
            var nodes: [SVGNode] = [
                .circle(
                    cx: cx,
                    cy: cy,
                    r: 3.5,
                    paint: SVGPaint(
                        fill: zone?.color ?? CulturalZone.unknownColor,
                        stroke: .white,
                        strokeWidth: 0.5
                    )
                )
            ]
            if let label = labels[country.name] {
                nodes.append(
                    .text(
                        country.name,
                        x: label.x,
                        y: label.y,
                        style: SVGTextStyle(anchor: label.anchor, size: 9, color: .ink)
                    )
                )
            }
            countryNodes.append(
                .group(
                    nodes,
                    title: "\(country.name) (\(zone?.name ?? "zone not in CultureLens's table")): x "
                        + coordinate(country.x) + ", y " + coordinate(country.y),
                    cssClass: "country"
                )
            )
        }
        svg.add(.group(countryNodes, cssClass: "countries"))

        for persona in personas { svg.add(contentsOf: personaNodes(persona, from: model, frame: frame)) }
        if let model { svg.add(modelNodes(model, frame: frame)) }
        svg.add(mapLegend(top: legendTop))
        return svg
    }

    /// A label's box in user units: `x` is where its text is anchored.
    struct LabelBox {
        var x: Double
        var y: Double
        var anchor: SVGTextStyle.Anchor
        var width: Double

        var left: Double { anchor == .end ? x - width : x }
        var right: Double { anchor == .end ? x : x + width }

        func overlaps(_ other: LabelBox) -> Bool {
            left < other.right && other.left < right && abs(y - other.y) < 10
        }

        var inside: Bool {
            left >= MapFrame.left && right <= MapFrame.right && y - 5 >= MapFrame.top && y + 5 <= MapFrame.bottom
        }
    }

    /// Where the model's label sits (below right of its point).
    static func modelLabelBox(_ cx: Double, _ cy: Double, n: Int) -> LabelBox {
        LabelBox(x: cx + 8, y: cy + 10, anchor: .start, width: Double("model (n=\(n))".count) * 6.5)
    }

    /// A position for each label beside its point: the first of four (above right, below right, above left, below
    /// left) that stays inside the plot and clear of the labels placed before it (in the order given) and of
    /// `avoiding`; the first when none is. Deterministic, so the goldens are stable.
    static func placeLabels(
        _ points: [(name: String, x: Double, y: Double)],
        avoiding: [LabelBox]
    ) -> [String: LabelBox] {
        var placed = avoiding
        var result: [String: LabelBox] = [:]
        for point in points {
            let width = Double(point.name.count) * 5
            let candidates = [
                LabelBox(x: point.x + 5, y: point.y - 7, anchor: .start, width: width),
                LabelBox(x: point.x + 5, y: point.y + 8, anchor: .start, width: width),
                LabelBox(x: point.x - 5, y: point.y - 7, anchor: .end, width: width),
                LabelBox(x: point.x - 5, y: point.y + 8, anchor: .end, width: width),
            ]
            let box =
                candidates.first { candidate in candidate.inside && !placed.contains { $0.overlaps(candidate) } }
                ?? candidates.first { $0.inside } ?? candidates[0]
            placed.append(box)
            result[point.name] = box
        }
        return result
    }

    /// Grid, tick labels and axis titles.
    static func mapAxes(_ frame: MapFrame) -> SVGNode {
        var nodes: [SVGNode] = [
            .rect(
                x: MapFrame.left,
                y: MapFrame.top,
                width: MapFrame.right - MapFrame.left,
                height: MapFrame.bottom - MapFrame.top,
                paint: .stroked(.grid)
            )
        ]
        for tick in frame.xTicks {
            let x = frame.x(tick)
            nodes.append(.line(x1: x, y1: MapFrame.top, x2: x, y2: MapFrame.bottom, paint: .stroked(.grid, width: 0.5)))
            nodes.append(
                .text(
                    DataValue.format((tick * 100).rounded() / 100),
                    x: x,
                    y: MapFrame.bottom + 12,
                    style: SVGTextStyle(anchor: .middle, size: 10, color: .muted)
                )
            )
        }
        for tick in frame.yTicks {
            let y = frame.y(tick)
            nodes.append(.line(x1: MapFrame.left, y1: y, x2: MapFrame.right, y2: y, paint: .stroked(.grid, width: 0.5)))
            nodes.append(
                .text(
                    DataValue.format((tick * 100).rounded() / 100),
                    x: MapFrame.left - 6,
                    y: y,
                    style: SVGTextStyle(anchor: .end, size: 10, color: .muted)
                )
            )
        }
        if frame.xTicks.first ?? 0 < 0, frame.xTicks.last ?? 0 > 0 {
            let x = frame.x(0)
            nodes.append(
                .line(x1: x, y1: MapFrame.top, x2: x, y2: MapFrame.bottom, paint: .stroked(.muted, width: 0.8))
            )
        }
        if frame.yTicks.first ?? 0 < 0, frame.yTicks.last ?? 0 > 0 {
            let y = frame.y(0)
            nodes.append(
                .line(x1: MapFrame.left, y1: y, x2: MapFrame.right, y2: y, paint: .stroked(.muted, width: 0.8))
            )
        }
        nodes.append(
            .text(
                "Survival → self-expression values (RC1, x)",
                x: (MapFrame.left + MapFrame.right) / 2,
                y: MapFrame.bottom + 30,
                style: SVGTextStyle(anchor: .middle, size: 11, bold: true, color: .ink)
            )
        )
        nodes.append(
            .text(
                "↑ Traditional → secular values (RC2, y)",
                x: MapFrame.left,
                y: MapFrame.top - 14,
                style: SVGTextStyle(size: 11, bold: true, color: .ink)
            )
        )
        return .group(nodes, cssClass: "axis")
    }

    /// The model's point, its interval on both axes as a cross, and n.
    static func modelNodes(_ model: InglehartWelzelPlacement.ModelPoint, frame: MapFrame) -> SVGNode {
        let cx = frame.x(model.x)
        let cy = frame.y(model.y)
        var nodes: [SVGNode] = []
        let bar = SVGPaint.stroked(.ink, width: 1.6)
        if let low = model.ciLow, let high = model.ciHigh {
            let (x1, x2) = (frame.x(low.x), frame.x(high.x))
            let (y1, y2) = (frame.y(low.y), frame.y(high.y))
            nodes += [
                .line(x1: x1, y1: cy, x2: x2, y2: cy, paint: bar),
                .line(x1: x1, y1: cy - 4, x2: x1, y2: cy + 4, paint: bar),
                .line(x1: x2, y1: cy - 4, x2: x2, y2: cy + 4, paint: bar),
                .line(x1: cx, y1: y1, x2: cx, y2: y2, paint: bar),
                .line(x1: cx - 4, y1: y1, x2: cx + 4, y2: y1, paint: bar),
                .line(x1: cx - 4, y1: y2, x2: cx + 4, y2: y2, paint: bar),
            ]
        }
        nodes.append(.circle(cx: cx, cy: cy, r: 5, paint: SVGPaint(fill: .ink, stroke: .white, strokeWidth: 1.5)))
        nodes.append(
            .text(
                "model (n=\(model.n))",
                x: modelLabelBox(cx, cy, n: model.n).x,
                y: modelLabelBox(cx, cy, n: model.n).y,
                style: SVGTextStyle(size: 11, bold: true, color: .ink)
            )
        )
        var tooltip = "Model, unprompted: x \(coordinate(model.x)), y \(coordinate(model.y))"
        if let low = model.ciLow, let high = model.ciHigh {
            tooltip +=
                "; 95% CI x \(coordinate(low.x)) to \(coordinate(high.x)), y \(coordinate(low.y)) to \(coordinate(high.y))"
        } else {
            tooltip += "; " + (model.ciNote ?? "no CI")
        }
        tooltip += "; n=\(model.n) placeable variants"
        return .group(nodes, title: tooltip, cssClass: "model")
    }

    /// A persona country's prompted point, the arrow to it from the unprompted point, and the country ringed; nothing
    /// when the persona has no point.
    static func personaNodes(
        _ persona: InglehartWelzelPlacement.PersonaPlacement,
        from unprompted: InglehartWelzelPlacement.ModelPoint?,
        frame: MapFrame
    ) -> [SVGNode] {
        guard let point = persona.placement.model else { return [] }
        let name = HTMLEscape.truncate(persona.country, maxCharacters: 60)
        let color: SVGColor =
            switch persona.closer {
            case true?: closerColor
            case false?: notCloserColor
            case nil: .muted
            }
        let dash: [Double]? = persona.closer == false ? [4, 3] : nil
        let px = frame.x(point.x)
        let py = frame.y(point.y)
        var nodes: [SVGNode] = []
        if let human = InglehartWelzelMap.country(named: persona.country) {
            nodes.append(
                .circle(
                    cx: frame.x(human.x),
                    cy: frame.y(human.y),
                    r: 7,
                    paint: SVGPaint(stroke: color, strokeWidth: 1.5)
                )
            )
        }
        if let unprompted {
            let (ux, uy) = (frame.x(unprompted.x), frame.y(unprompted.y))
            let length = ((px - ux) * (px - ux) + (py - uy) * (py - uy)).squareRoot()
            if length > 8 {
                // The line stops at the arrowhead's base, so a dashed line does not show through the head.
                let (dx, dy) = ((px - ux) / length, (py - uy) / length)
                let base = SVGPoint(x: px - dx * 8, y: py - dy * 8)
                nodes.append(
                    .line(x1: ux, y1: uy, x2: base.x, y2: base.y, paint: .stroked(color, width: 1.5, dash: dash))
                )
                nodes.append(
                    .polygon(
                        points: [
                            SVGPoint(x: px, y: py),
                            SVGPoint(x: base.x - dy * 3.5, y: base.y + dx * 3.5),
                            SVGPoint(x: base.x + dy * 3.5, y: base.y - dx * 3.5),
                        ],
                        paint: .filled(color)
                    )
                )
            }
        }
        nodes.append(.circle(cx: px, cy: py, r: 3, paint: SVGPaint(fill: color, stroke: .white, strokeWidth: 0.8)))
        var tooltip =
            "Persona \(name): x \(coordinate(point.x)), y \(coordinate(point.y)), n=\(point.n)"
        if let before = persona.distanceBefore, let after = persona.distanceAfter {
            tooltip +=
                "; distance to \(name) \(coordinate(before)) unprompted, \(coordinate(after)) prompted: "
                + (persona.closer == true ? "closer" : "not closer")
        } else if let note = persona.note {
            tooltip += "; \(note)"
        }
        return [.group(nodes, title: tooltip, cssClass: "persona")]
    }

    /// Zones, the grey of countries without one, and the marks.
    static func mapLegend(top: Double) -> SVGNode {
        var nodes: [SVGNode] = []
        let columnWidth = 172.0
        let entries: [(String, SVGColor)] =
            CulturalZone.allCases.map { ($0.name, $0.color) }
            + [("zone not in CultureLens's table", CulturalZone.unknownColor)]
        for (index, entry) in entries.enumerated() {
            let x = MapFrame.left + Double(index % 4) * columnWidth
            let y = Double(index / 4) * 18
            nodes.append(.rect(x: x, y: y - 5, width: 10, height: 10, paint: .filled(entry.1), cornerRadius: 5))
            nodes.append(.text(entry.0, x: x + 15, y: y, style: SVGTextStyle(size: 10, color: .ink)))
        }
        let marksY = 3 * 18.0
        var x = MapFrame.left
        nodes += [
            .line(x1: x, y1: marksY, x2: x + 16, y2: marksY, paint: .stroked(.ink, width: 1.6)),
            .line(x1: x + 8, y1: marksY - 7, x2: x + 8, y2: marksY + 7, paint: .stroked(.ink, width: 1.6)),
            .text("model, 95% CI on both axes", x: x + 22, y: marksY, style: SVGTextStyle(size: 10, color: .ink)),
        ]
        x += columnWidth
        for (color, dash, label) in [
            (closerColor, nil as [Double]?, "persona moved closer"), (notCloserColor, [4.0, 3], "persona not closer"),
        ] {
            nodes += [
                .line(x1: x, y1: marksY, x2: x + 14, y2: marksY, paint: .stroked(color, width: 1.5, dash: dash)),
                .polygon(
                    points: [
                        SVGPoint(x: x + 22, y: marksY), SVGPoint(x: x + 14, y: marksY - 3.5),
                        SVGPoint(x: x + 14, y: marksY + 3.5),
                    ],
                    paint: .filled(color)
                ),
                .text(label, x: x + 28, y: marksY, style: SVGTextStyle(size: 10, color: .ink)),
            ]
            x += columnWidth
        }
        nodes += [
            .rect(
                x: x,
                y: marksY - 6,
                width: 12,
                height: 12,
                paint: SVGPaint(stroke: .ink, strokeWidth: 1.5),
                cornerRadius: 6
            ),
            .text("persona's country", x: x + 18, y: marksY, style: SVGTextStyle(size: 10, color: .ink)),
        ]
        return .group(
            nodes,
            title: "Legend: country colours by Inglehart–Welzel cultural zone (grey: not in CultureLens's zone table)",
            cssClass: "legend",
            translate: SVGPoint(x: 0, y: top)
        )
    }

    /// A map coordinate or distance as the terminal table writes it (three decimals).
    static func coordinate(_ value: Double) -> String { RunReport.coordinate(value) }
}

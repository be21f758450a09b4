/// A sequential, colour-blind-safe palette (viridis: perceptually uniform, readable in grey and with the common
/// colour-vision deficiencies), mapping a value in [0, 1] to a colour.
public enum Palette {
    /// Viridis at 0, 1/8, ..., 1.
    static let viridisStops: [SVGColor] = [
        SVGColor(hex: 0x440154), SVGColor(hex: 0x472C7A), SVGColor(hex: 0x3B518B), SVGColor(hex: 0x2C718E),
        SVGColor(hex: 0x21908D), SVGColor(hex: 0x27AD81), SVGColor(hex: 0x5CC863), SVGColor(hex: 0xAADC32),
        SVGColor(hex: 0xFDE725),
    ]

    /// The viridis colour of `value` (clamped to [0, 1]; NaN counts as 0), interpolated linearly between stops.
    public static func viridis(_ value: Double) -> SVGColor {
        let clamped = value.isFinite ? min(1, max(0, value)) : 0
        let scaled = clamped * Double(viridisStops.count - 1)
        let lower = min(Int(scaled), viridisStops.count - 2)
        let t = scaled - Double(lower)
        let a = viridisStops[lower]
        let b = viridisStops[lower + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return SVGColor(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }
}

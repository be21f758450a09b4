public import CultureLensModels

/// `--hedge`: whether a slow request to a `--base-url` endpoint gets a second copy, and how many may.
public enum HedgeMode: Sendable, Hashable {
    /// Never.
    case off
    /// Up to ``defaultShare`` of requests, after each endpoint's adaptive deadline.
    case auto
    /// Up to this share of requests, in (0, 1].
    case share(Double)

    /// The share `auto` allows: hedges cost requests (money on a paid API), so only the slowest few are hedged.
    public static let defaultShare = 0.05

    /// Parses `off`, `auto` or a percentage such as `10%` (a bare number is a percentage too).
    /// - Returns: `nil` for anything else, or a percentage outside 0...100.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "off": self = .off
        case "auto": self = .auto
        default:
            let number = argument.hasSuffix("%") ? String(argument.dropLast()) : argument
            guard let percent = Double(number), percent.isFinite, (0...100).contains(percent) else { return nil }
            self = percent == 0 ? .off : .share(percent / 100)
        }
    }

    /// The share of requests that may be hedged; 0 when off.
    public var share: Double {
        switch self {
        case .off: 0
        case .auto: Self.defaultShare
        case .share(let share): share
        }
    }

    /// The pool's hedge policy for requests with `timeout` seconds to answer.
    public func policy(timeout: Double) -> HedgePolicy.Configuration {
        share > 0 ? HedgePolicy.Configuration(share: share, ceiling: timeout) : .off
    }
}

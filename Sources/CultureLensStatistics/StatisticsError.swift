/// Why a statistic could not be computed.
///
/// Statistics functions validate their input and throw instead of returning NaN or crashing: a malformed model
/// response must never take the process down, and an undefined value must never be reported as a number.
public enum StatisticsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input has no values (or fewer than the statistic needs).
    case tooFewValues(required: Int, actual: Int)
    /// Two inputs that must be aligned element by element have different lengths.
    case lengthMismatch(expected: Int, actual: Int)
    /// A value is NaN or infinite.
    case nonFiniteValue
    /// A probability or weight is negative.
    case negativeWeight
    /// A distribution's weights sum to zero, so it cannot be normalised.
    case zeroMass
    /// A parameter is out of its domain (the message says which and why).
    case invalidParameter(String)
    /// The statistic is mathematically undefined for this input (e.g. a correlation with a constant variable).
    case undefined(String)

    public var description: String {
        switch self {
        case .tooFewValues(let required, let actual): "needs at least \(required) values, got \(actual)"
        case .lengthMismatch(let expected, let actual): "length mismatch: expected \(expected), got \(actual)"
        case .nonFiniteValue: "a value is NaN or infinite"
        case .negativeWeight: "a probability or weight is negative"
        case .zeroMass: "the weights sum to zero"
        case .invalidParameter(let message): "invalid parameter: \(message)"
        case .undefined(let message): "undefined: \(message)"
        }
    }
}

/// Input checks shared by the statistics types.
enum Validate {
    static func finite(_ values: [Double]) throws(StatisticsError) {
        for value in values where !value.isFinite { throw .nonFiniteValue }
    }

    static func count(_ values: some Collection, atLeast required: Int) throws(StatisticsError) {
        if values.count < required { throw .tooFewValues(required: required, actual: values.count) }
    }

    static func sameLength(_ first: some Collection, _ second: some Collection) throws(StatisticsError) {
        if first.count != second.count { throw .lengthMismatch(expected: first.count, actual: second.count) }
    }

    static func level(_ level: Double) throws(StatisticsError) {
        guard level > 0, level < 1 else { throw .invalidParameter("confidence level \(level) is not in (0, 1)") }
    }

    static func positive(_ value: Int, _ name: String) throws(StatisticsError) {
        guard value > 0 else { throw .invalidParameter("\(name) must be positive, got \(value)") }
    }
}

import Foundation

/// A value written as a Python literal: what `repr()` prints for the built-in types and `ast.literal_eval` reads.
///
/// GlobalOpinionQA's official CSV stores two columns this way: `selections` is the repr of a
/// `defaultdict(<class 'list'>, {'Belgium': [0.1, 0.2], ...})` and `options` the repr of a list of strings.
public enum PythonValue: Sendable, Hashable {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// An integer (must fit in `Int`).
    case int(Int)
    /// A finite float (`nan` and `inf` are rejected by the parser).
    case float(Double)
    /// A `str`.
    case string(String)
    /// `[...]`.
    case list([PythonValue])
    /// `(...)`; a parenthesised single value without a trailing comma is that value, as in Python.
    case tuple([PythonValue])
    /// `{key: value, ...}` in source order.
    case dict([PythonDictEntry])
    /// `defaultdict(<class 'factory'>, {key: value, ...})`; `factory` is e.g. `list`.
    case defaultdict(factory: String, entries: [PythonDictEntry])

    /// The Python type name: `NoneType`, `bool`, `int`, `float`, `str`, `list`, `tuple`, `dict`, `defaultdict`.
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .defaultdict: "defaultdict"
        }
    }

    /// The string, if this is a `str`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, if this is an `int` or a `float` (not a `bool`).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }

    /// The integer, if this is an `int`.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The elements, if this is a `list` or a `tuple`.
    public var elements: [PythonValue]? {
        switch self {
        case .list(let values), .tuple(let values): values
        default: nil
        }
    }

    /// The entries in source order, if this is a `dict` or a `defaultdict`.
    public var entries: [PythonDictEntry]? {
        switch self {
        case .dict(let entries), .defaultdict(_, let entries): entries
        default: nil
        }
    }

    /// The value stored under the string key `key`, if this is a `dict` or `defaultdict` holding it.
    public subscript(key: String) -> PythonValue? {
        entries?.first { $0.key == .string(key) }?.value
    }

    /// The value written as Python's `repr()` would write it (strings pick their quote the way CPython does, floats
    /// use the shortest round-tripping form). ``PythonLiteral/parse(_:maxDepth:)`` reads it back to an equal value.
    public var pythonRepr: String {
        var output = ""
        Self.write(self, to: &output)
        return output
    }

    private static func write(_ value: PythonValue, to output: inout String) {
        switch value {
        case .none: output += "None"
        case .bool(let flag): output += flag ? "True" : "False"
        case .int(let number): output += String(number)
        case .float(let number): output += floatRepr(number)
        case .string(let text): output += stringRepr(text)
        case .list(let values):
            output += "["
            writeJoined(values, to: &output)
            output += "]"
        case .tuple(let values):
            output += "("
            writeJoined(values, to: &output)
            if values.count == 1 { output += "," }
            output += ")"
        case .dict(let entries):
            writeDict(entries, to: &output)
        case .defaultdict(let factory, let entries):
            output += "defaultdict(<class '\(factory)'>, "
            writeDict(entries, to: &output)
            output += ")"
        }
    }

    private static func writeJoined(_ values: [PythonValue], to output: inout String) {
        for (index, element) in values.enumerated() {
            if index > 0 { output += ", " }
            write(element, to: &output)
        }
    }

    private static func writeDict(_ entries: [PythonDictEntry], to output: inout String) {
        output += "{"
        for (index, entry) in entries.enumerated() {
            if index > 0 { output += ", " }
            write(entry.key, to: &output)
            output += ": "
            write(entry.value, to: &output)
        }
        output += "}"
    }

    static func floatRepr(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        // Swift's description is the shortest round-tripping form, like Python's repr: "0.1", "1e-05", "1e+16".
        return number.description
    }

    /// CPython's `unicode_repr`: single quotes unless the text holds `'` and no `"`; escapes `\\`, the quote,
    /// `\t \n \r`, and non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
    static func stringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var output = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\t": output += "\\t"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            default:
                if Character(scalar) == quote {
                    output += "\\" + String(quote)
                } else if isPrintable(scalar) {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    output += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    output += "\\u" + hex(scalar.value, width: 4)
                } else {
                    output += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        output.append(quote)
        return output
    }

    /// Python's `str.isprintable` for one character: everything except the categories Cc, Cf, Cs, Co, Cn, Zl, Zp
    /// and the separators Zs other than the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One `key: value` pair of a Python dict, in source order.
public struct PythonDictEntry: Sendable, Hashable {
    /// The key.
    public var key: PythonValue
    /// The value.
    public var value: PythonValue

}

/// A Python literal could not be parsed. `description` reads
/// `expected ',' or ']' at offset 17 (line 1, column 18), found '}'`.
public struct PythonLiteralError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based offset of the problem, counted in Unicode scalars from the start of the text.
    public var offset: Int
    /// 1-based line of ``offset``.
    public var line: Int
    /// 1-based column of ``offset`` within its line, counted in Unicode scalars.
    public var column: Int
    /// What was expected or what is wrong, e.g. `expected ',' or ']'`.
    public var message: String
    /// What was found instead, e.g. `'}'` or `end of input`, when that helps.
    public var found: String?

    public var description: String {
        var text = "\(message) at offset \(offset) (line \(line), column \(column))"
        if let found { text += ", found \(found)" }
        return text
    }
}

/// A small, strict parser for Python literal reprs (the subset `ast.literal_eval` reads that `repr()` writes).
///
/// Supported: `str` in `'…'` or `"…"` with the escapes `\\ \' \" \n \t \r \a \b \f \v \xNN \uNNNN \UNNNNNNNN`,
/// octal `\ooo` and backslash-newline; decimal `int` (fitting in `Int`, optional sign); `float` (`1.5`, `.5`, `1.`,
/// `1e-3`, optional sign); `True`, `False`, `None`; `list`, `tuple`, `dict` (trailing commas allowed); and the
/// `defaultdict(<class 'list'>, {...})` wrapper that `repr()` prints for a `collections.defaultdict`.
///
/// Rejected with a ``PythonLiteralError``: `nan` and `inf` (not finite), integers that do not fit in `Int`,
/// floats that overflow, duplicate dict keys, sets, string prefixes (`u'…'`, `b'…'`, `r'…'`, `f'…'`),
/// implicit string concatenation, comments, underscores and non-decimal bases in numbers, unknown escapes, and
/// nesting deeper than `maxDepth`. The parser never traps on any input.
public enum PythonLiteral {
    /// The default nesting limit for containers.
    public static let defaultMaxDepth = 64

    /// Parses one literal; only whitespace may surround it.
    /// - Parameters:
    ///   - text: The literal, e.g. a CSV cell.
    ///   - maxDepth: The deepest container nesting accepted (a flat list has depth 1).
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(PythonLiteralError) -> PythonValue
    {
        var parser = PythonLiteralParser(text: text, maxDepth: maxDepth)
        return try parser.parseDocument()
    }
}

private struct PythonLiteralParser {
    let scalars: [Unicode.Scalar]
    let maxDepth: Int
    var position = 0

    init(text: String, maxDepth: Int) {
        scalars = Array(text.unicodeScalars)
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(PythonLiteralError) -> PythonValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < scalars.count {
            throw error("expected end of input", found: describeCurrent())
        }
        return value
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(PythonLiteralError) -> PythonValue {
        guard let scalar = current else {
            throw error("expected a value", found: "end of input")
        }
        switch scalar {
        case "'", "\"":
            return .string(try parseString())
        case "[":
            try enter(depth)
            return .list(try parseSequence(closing: "]", depth: depth + 1))
        case "(":
            try enter(depth)
            return try parseParenthesised(depth: depth + 1)
        case "{":
            try enter(depth)
            return .dict(try parseDict(depth: depth + 1))
        case "-", "+":
            let signOffset = position
            position += 1
            skipWhitespace()
            guard let next = current, isDigit(next) || next == "." else {
                if let next = current, isIdentifierStart(next) {
                    let word = peekIdentifier()
                    if word == "inf" || word == "nan" {
                        throw error(nonFiniteMessage(String(scalar) + word), at: signOffset)
                    }
                }
                throw error("expected a number after '\(scalar)'", found: describeCurrent())
            }
            let number = try parseNumber(negative: scalar == "-")
            return number
        default:
            if isDigit(scalar) || scalar == "." {
                return try parseNumber(negative: false)
            }
            if isIdentifierStart(scalar) {
                return try parseIdentifierValue(depth: depth)
            }
            throw error("expected a value", found: describeCurrent())
        }
    }

    mutating func enter(_ depth: Int) throws(PythonLiteralError) {
        if depth + 1 > maxDepth {
            throw error("nesting deeper than \(maxDepth) levels")
        }
    }

    mutating func parseIdentifierValue(depth: Int) throws(PythonLiteralError) -> PythonValue {
        let start = position
        let word = readIdentifier()
        switch word {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .none
        case "nan", "inf", "NaN", "Infinity":
            throw error(nonFiniteMessage(word), at: start)
        case "defaultdict":
            try enter(depth)
            return try parseDefaultDict(depth: depth + 1)
        default:
            if let next = current, next == "'" || next == "\"",
                ["u", "b", "r", "f", "br", "rb", "fr", "rf"].contains(word.lowercased())
            {
                throw error("string prefix '\(word)' is not supported", at: start)
            }
            throw error("expected a value", at: start, found: "identifier '\(word)'")
        }
    }

    func nonFiniteMessage(_ word: String) -> String {
        "non-finite float '\(word)' is not supported (only finite numbers are valid data)"
    }

    /// `defaultdict(<class 'list'>, {...})`, after the word `defaultdict`.
    mutating func parseDefaultDict(depth: Int) throws(PythonLiteralError) -> PythonValue {
        skipWhitespace()
        try expect("(", "expected '(' after 'defaultdict'")
        skipWhitespace()
        try expect("<", "expected '<class ...>' as the defaultdict factory")
        let classStart = position
        let keyword = readIdentifier()
        guard keyword == "class" else {
            throw error("expected 'class' in the defaultdict factory", at: classStart, found: describe(keyword))
        }
        skipWhitespace()
        guard let quote = current, quote == "'" || quote == "\"" else {
            throw error("expected a quoted class name", found: describeCurrent())
        }
        let factory = try parseString()
        guard !factory.isEmpty, factory.unicodeScalars.allSatisfy({ isIdentifierContinue($0) || $0 == "." }) else {
            throw error("invalid class name '\(factory)' in the defaultdict factory")
        }
        skipWhitespace()
        try expect(">", "expected '>' after the class name")
        skipWhitespace()
        try expect(",", "expected ',' after the defaultdict factory")
        skipWhitespace()
        guard current == "{" else {
            throw error("expected '{' (the defaultdict's contents)", found: describeCurrent())
        }
        try enter(depth)
        let entries = try parseDict(depth: depth + 1)
        skipWhitespace()
        try expect(")", "expected ')' to close 'defaultdict('")
        return .defaultdict(factory: factory, entries: entries)
    }

    /// `[a, b, ...]` after the opening bracket is current.
    mutating func parseSequence(closing: Unicode.Scalar, depth: Int) throws(PythonLiteralError) -> [PythonValue] {
        position += 1
        var values: [PythonValue] = []
        skipWhitespace()
        while true {
            if current == closing {
                position += 1
                return values
            }
            values.append(try parseValue(depth: depth))
            if try endOfElement(closing: closing) { return values }
        }
    }

    /// After an element of a list, tuple or dict: consumes `,` and the spaces after it (more may follow: `false`)
    /// or `closing` (the container ends: `true`); anything else is an error naming both.
    mutating func endOfElement(closing: Unicode.Scalar) throws(PythonLiteralError) -> Bool {
        skipWhitespace()
        if current == "," {
            position += 1
            skipWhitespace()
            return false
        }
        if current == closing {
            position += 1
            return true
        }
        throw error("expected ',' or '\(closing)'", found: describeCurrent())
    }

    /// `()`, `(a,)`, `(a, b)`, or `(a)` which is just `a`.
    mutating func parseParenthesised(depth: Int) throws(PythonLiteralError) -> PythonValue {
        position += 1
        skipWhitespace()
        if current == ")" {
            position += 1
            return .tuple([])
        }
        let first = try parseValue(depth: depth)
        skipWhitespace()
        if current == ")" {
            position += 1
            return first
        }
        guard current == "," else {
            throw error("expected ',' or ')'", found: describeCurrent())
        }
        position += 1
        skipWhitespace()
        var values = [first]
        while true {
            if current == ")" {
                position += 1
                return .tuple(values)
            }
            values.append(try parseValue(depth: depth))
            if try endOfElement(closing: ")") { return .tuple(values) }
        }
    }

    /// `{k: v, ...}` after the opening brace is current.
    mutating func parseDict(depth: Int) throws(PythonLiteralError) -> [PythonDictEntry] {
        position += 1
        var entries: [PythonDictEntry] = []
        var keys: Set<PythonValue> = []
        skipWhitespace()
        while true {
            if current == "}" {
                position += 1
                return entries
            }
            let keyOffset = position
            let key = try parseValue(depth: depth)
            switch key {
            case .list, .dict, .defaultdict:
                throw error("unhashable type '\(key.typeName)' cannot be a dict key", at: keyOffset)
            default: break
            }
            skipWhitespace()
            guard current == ":" else {
                if current == "," || current == "}" {
                    throw error("expected ':' (sets are not supported)", found: describeCurrent())
                }
                throw error("expected ':'", found: describeCurrent())
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard keys.insert(key).inserted else {
                throw error("duplicate dict key \(key.pythonRepr)", at: keyOffset)
            }
            entries.append(PythonDictEntry(key: key, value: value))
            if try endOfElement(closing: "}") { return entries }
        }
    }

    // MARK: Strings

    /// A quoted string; the opening quote is current.
    mutating func parseString() throws(PythonLiteralError) -> String {
        let start = position
        guard let quote = current else { throw error("expected a string", found: "end of input") }
        position += 1
        var output = String.UnicodeScalarView()
        while true {
            guard let scalar = current else {
                throw error("unterminated string literal (opened at offset \(start))", found: "end of input")
            }
            if scalar == quote {
                position += 1
                var next = position
                while next < scalars.count, [" ", "\t", "\n", "\r", "\u{0C}"].contains(scalars[next]) { next += 1 }
                if next < scalars.count, scalars[next] == "'" || scalars[next] == "\"" {
                    throw error("implicit string concatenation is not supported", at: next)
                }
                return String(output)
            }
            if scalar == "\n" || scalar == "\r" {
                throw error("unterminated string literal (opened at offset \(start))", found: "end of line")
            }
            if scalar == "\\" {
                try parseEscape(into: &output)
                continue
            }
            output.append(scalar)
            position += 1
        }
    }

    /// One escape sequence; the backslash is current.
    mutating func parseEscape(into output: inout String.UnicodeScalarView) throws(PythonLiteralError) {
        let start = position
        position += 1
        guard let code = current else {
            throw error("unterminated string literal", found: "end of input")
        }
        position += 1
        switch code {
        case "\\": output.append("\\")
        case "'": output.append("'")
        case "\"": output.append("\"")
        case "n": output.append("\n")
        case "t": output.append("\t")
        case "r": output.append("\r")
        case "a": output.append("\u{07}")
        case "b": output.append("\u{08}")
        case "f": output.append("\u{0C}")
        case "v": output.append("\u{0B}")
        case "\n": break  // backslash-newline continues the string
        case "\r":
            if current == "\n" { position += 1 }
        case "x", "u", "U":
            let width = code == "x" ? 2 : (code == "u" ? 4 : 8)
            var value: UInt32 = 0
            for _ in 0..<width {
                guard let digit = current, let nibble = hexValue(digit) else {
                    throw error(
                        "truncated \\\(code) escape: expected \(width) hex digits",
                        at: start,
                        found: describeCurrent()
                    )
                }
                value = value &* 16 &+ nibble
                position += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("escape \\\(code) does not name a Unicode scalar (surrogate or beyond U+10FFFF)", at: start)
            }
            output.append(scalar)
        case "0"..."7":
            var value = code.value - 48
            for _ in 0..<2 {
                guard let digit = current, ("0"..."7").contains(digit) else { break }
                value = value * 8 + (digit.value - 48)
                position += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("invalid octal escape", at: start)
            }
            output.append(scalar)
        default:
            throw error("invalid escape sequence '\\\(Self.printable(code))'", at: start)
        }
    }

    // MARK: Numbers

    mutating func parseNumber(negative: Bool) throws(PythonLiteralError) -> PythonValue {
        let start = position
        let sign = negative ? "-" : ""
        var integerDigits = ""
        while let scalar = current, isDigit(scalar) {
            integerDigits.unicodeScalars.append(scalar)
            position += 1
        }
        var fraction: String?
        if current == "." {
            position += 1
            var digits = ""
            while let scalar = current, isDigit(scalar) {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            if integerDigits.isEmpty && digits.isEmpty {
                throw error("expected digits in a number", at: start, found: describeCurrent())
            }
            fraction = digits
        }
        var exponent: String?
        if current == "e" || current == "E" {
            position += 1
            var digits = ""
            if let sign = current, sign == "+" || sign == "-" {
                digits.unicodeScalars.append(sign)
                position += 1
            }
            var count = 0
            while let scalar = current, isDigit(scalar) {
                digits.unicodeScalars.append(scalar)
                count += 1
                position += 1
            }
            if count == 0 {
                throw error("expected digits in the exponent", found: describeCurrent())
            }
            exponent = digits
        }
        if let next = current, isIdentifierContinue(next) || next == "." {
            throw error("invalid number literal", at: start, found: describeCurrent())
        }
        if fraction == nil && exponent == nil {
            if integerDigits.count > 1, integerDigits.hasPrefix("0"), integerDigits.contains(where: { $0 != "0" }) {
                throw error("leading zeros in an integer literal are not permitted", at: start)
            }
            guard let value = Int(sign + integerDigits) else {
                throw error("integer literal \(sign + integerDigits) does not fit in 64 bits", at: start)
            }
            return .int(value)
        }
        // Normalise "1." and ".5" to "1.0" and "0.5" for Double's parser.
        var normalized = sign + (integerDigits.isEmpty ? "0" : integerDigits)
        if let fraction { normalized += "." + (fraction.isEmpty ? "0" : fraction) }
        if let exponent { normalized += "e" + exponent }
        guard let value = Double(normalized) else {
            throw error("invalid float literal", at: start)
        }
        guard value.isFinite else {
            throw error("float literal overflows (non-finite values are not supported)", at: start)
        }
        return .float(value)
    }

    // MARK: Lexing helpers

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func skipWhitespace() {
        while let scalar = current,
            scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
        {
            position += 1
        }
    }

    mutating func expect(_ scalar: Unicode.Scalar, _ message: String) throws(PythonLiteralError) {
        guard current == scalar else { throw error(message, found: describeCurrent()) }
        position += 1
    }

    mutating func readIdentifier() -> String {
        var word = String.UnicodeScalarView()
        if let first = current, isIdentifierStart(first) {
            word.append(first)
            position += 1
            while let scalar = current, isIdentifierContinue(scalar) {
                word.append(scalar)
                position += 1
            }
        }
        return String(word)
    }

    func peekIdentifier() -> String {
        var copy = self
        return copy.readIdentifier()
    }

    func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    func isIdentifierContinue(_ scalar: Unicode.Scalar) -> Bool { isIdentifierStart(scalar) || isDigit(scalar) }

    func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }

    func describeCurrent() -> String {
        guard let scalar = current else { return "end of input" }
        return "'" + Self.printable(scalar) + "'"
    }

    func describe(_ word: String) -> String {
        word.isEmpty ? describeCurrent() : "'\(word)'"
    }

    static func printable(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                return "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            }
            return String(scalar)
        }
    }

    func error(_ message: String, at offset: Int? = nil, found: String? = nil) -> PythonLiteralError {
        let offset = min(offset ?? position, scalars.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            let scalar = scalars[index]
            if scalar == "\n" || (scalar == "\r" && (index + 1 >= scalars.count || scalars[index + 1] != "\n")) {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return PythonLiteralError(
            offset: offset,
            line: line,
            column: offset - lineStart + 1,
            message: message,
            found: found
        )
    }
}

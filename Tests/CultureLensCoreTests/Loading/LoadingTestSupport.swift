import CultureLensCore
import CultureLensTesting
import Foundation
import PropertyBased

@testable import CultureLensFormats

/// Paths of the third-party test data (``TestData``) and of the package root (this file is four components below it).
enum LoadingFixtures {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static func url(_ relativePath: String) -> URL {
        TestData.url(relativePath)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("culturelens-loading-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Random inputs for the loaders' property tests, drawn from the test's seeded generator.
enum LoadingGen {
    /// Characters that stress quoting and escaping: quotes, backslashes, separators, line breaks, controls,
    /// Latin-1, combining marks, CJK, astral emoji, U+2028, a BOM, NUL.
    static let trickyScalars: [Unicode.Scalar] = [
        "a", "b", "Z", "0", "7", " ", ",", ";", "'", "\"", "\\", "\n", "\r", "\t", "{", "}", "[", "]", "(", ")", ":",
        "é", "ô", "ß", "\u{0301}", "\u{00A0}", "中", "文", "한", "ع", "\u{1F30D}", "\u{1F1EB}", "\u{2028}", "\u{FEFF}",
        "\u{0000}", "\u{0007}", "\u{007F}", "\u{0085}", "#", "-", ".", "e",
    ]

    static func scalar(using rng: inout some RandomNumberGenerator) -> Unicode.Scalar {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<6:
            return trickyScalars[Int.random(in: 0..<trickyScalars.count, using: &rng)]
        case 6..<8:
            return Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng))
        default:
            // Any scalar outside the surrogate range.
            while true {
                if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) { return scalar }
            }
        }
    }

    static func string(maxLength: Int, using rng: inout some RandomNumberGenerator) -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &rng) { view.append(scalar(using: &rng)) }
        return String(view)
    }

    /// Arbitrary text.
    static func text(maxLength: Int) -> Generator<String, Shrink.None<String>> {
        Generator { rng in string(maxLength: maxLength, using: &rng) }
    }

    /// Arbitrary bytes (including invalid UTF-8).
    static func bytes(maxLength: Int) -> Generator<[UInt8], Shrink.None<[UInt8]>> {
        Generator { rng in
            let alphabet: [UInt8] = Array("a,\"\r\n ".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0x80, 0x00]
            return (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in
                Bool.random(using: &rng)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                    : UInt8.random(in: 0...255, using: &rng)
            }
        }
    }

    // MARK: Python values

    static func finiteDouble(using rng: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return Double.random(in: 0...1, using: &rng)
        case 1: return Double(Int.random(in: -1000...1000, using: &rng))
        case 2:
            return [0.0, -0.0, 1e-5, 1e16, 5e-324, Double.greatestFiniteMagnitude, 0.1, 1.5e300][
                Int.random(in: 0..<8, using: &rng)
            ]
        default:
            while true {
                let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
                if value.isFinite { return value }
            }
        }
    }

    static func pythonValue(depth: Int, using rng: inout some RandomNumberGenerator) -> PythonValue {
        let scalarKinds = 6
        let kind =
            depth <= 0
            ? Int.random(in: 0..<scalarKinds, using: &rng) : Int.random(in: 0..<(scalarKinds + 5), using: &rng)
        switch kind {
        case 0: return .none
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            return .int(
                Bool.random(using: &rng)
                    ? Int.random(in: -1000...1000, using: &rng) : Int.random(in: .min ... .max, using: &rng)
            )
        case 3: return .float(finiteDouble(using: &rng))
        case 4, 5: return .string(string(maxLength: 12, using: &rng))
        case 6: return .list(children(depth: depth, using: &rng))
        case 7: return .tuple(children(depth: depth, using: &rng))
        case 8: return .dict(entries(depth: depth, using: &rng))
        case 9: return .defaultdict(factory: "list", entries: entries(depth: depth, using: &rng))
        default: return .list(children(depth: depth, using: &rng))
        }
    }

    static func children(depth: Int, using rng: inout some RandomNumberGenerator) -> [PythonValue] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in pythonValue(depth: depth - 1, using: &rng) }
    }

    static func entries(depth: Int, using rng: inout some RandomNumberGenerator) -> [PythonDictEntry] {
        var seen: Set<PythonValue> = []
        var result: [PythonDictEntry] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let key: PythonValue =
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: .int(Int.random(in: -50...50, using: &rng))
                case 1: .tuple([.string(string(maxLength: 3, using: &rng)), .int(Int.random(in: 0...9, using: &rng))])
                default: .string(string(maxLength: 10, using: &rng))
                }
            guard seen.insert(key).inserted else { continue }
            result.append(PythonDictEntry(key: key, value: pythonValue(depth: depth - 1, using: &rng)))
        }
        return result
    }

    /// Random Python values up to four levels deep.
    static let python = Generator<PythonValue, Shrink.None<PythonValue>> { rng in pythonValue(depth: 4, using: &rng) }

    /// A GlobalOpinionQA-shaped `selections` value: countries (some with apostrophes, accents or spaces) mapped to
    /// lists of option shares.
    static let selections = Generator<PythonValue, Shrink.None<PythonValue>> { rng in
        let countries = [
            "Belgium", "Côte d'Ivoire", "Korea, South", "São Tomé", "Bosnia \"Herzegovina\"", "Türkiye", "日本",
            "New Zealand", "Back\\slash",
        ]
        let optionCount = Int.random(in: 1...6, using: &rng)
        var entries: [PythonDictEntry] = []
        for country in countries.shuffled(using: &rng).prefix(Int.random(in: 0...countries.count, using: &rng)) {
            let shares = (0..<optionCount).map { _ in PythonValue.float(Double.random(in: 0...1, using: &rng)) }
            entries.append(PythonDictEntry(key: .string(country), value: .list(shares)))
        }
        return .defaultdict(factory: "list", entries: entries)
    }
}

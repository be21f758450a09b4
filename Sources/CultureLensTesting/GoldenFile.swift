import Foundation

/// Golden-file comparison for rendered artefacts (HTML, SVG, JSON, `--help`), shared by every test target.
///
/// `CULTURELENS_RECORD_GOLDEN=1` rewrites the files, and the check still reports a problem, so a recording run
/// can never pass by itself: record, review the diff, then run again without the variable.
public enum GoldenFile {
    /// Whether this test process records golden files instead of comparing.
    public static var recording: Bool { ProcessInfo.processInfo.environment["CULTURELENS_RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file `name` in `directory`.
    ///
    /// - Parameter artifacts: Where to write the actual output when it differs, for inspection.
    /// - Returns: `nil` when they match; otherwise what is wrong (missing file, first differing line, or "recorded").
    public static func problem(_ actual: String, name: String, directory: URL, artifacts: URL) throws -> String? {
        let url = directory.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return "recorded golden file \(name); review it and run again without CULTURELENS_RECORD_GOLDEN"
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "missing golden file \(name): run with CULTURELENS_RECORD_GOLDEN=1 to record it"
        }
        guard expected != actual else { return nil }
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let out = artifacts.appendingPathComponent(name)
        try Data(actual.utf8).write(to: out)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        return
            "\(name) differs from its golden file at line \(line + 1):\n  expected: \(want.prefix(300))\n  actual:   \(got.prefix(300))\nactual output: \(out.path) (CULTURELENS_RECORD_GOLDEN=1 records it)"
    }
}

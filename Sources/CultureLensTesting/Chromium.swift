import Foundation

/// Headless Chromium (Debian `chromium`, installed by `.ci/run`) for the browser tests.
///
/// A missing browser is a test failure with a clear message, never a skip: the browser tests are how we know the
/// report opens offline without console errors.
public enum Chromium {
    /// No browser was found.
    public struct Missing: Error, CustomStringConvertible {
        /// What to install.
        public var description: String {
            "headless Chromium is required for the browser tests but none was found (looked for chromium, chromium-browser, google-chrome in PATH and /usr/bin). Install it with `apt-get install chromium` (.ci/run installs it)."
        }
    }

    /// What the browser printed and how it exited.
    public struct Outcome: Sendable {
        /// Standard output (the DOM for `--dump-dom`).
        public var stdout: String
        /// Standard error, where `--enable-logging=stderr` puts console messages.
        public var stderr: String
        /// Exit status.
        public var status: Int32

        /// Console messages and CSP violations: the pages have no script, so any console output is a problem.
        public var consoleProblems: [String] {
            stderr.split(separator: "\n").map(String.init).filter { line in
                line.contains(":CONSOLE") || line.contains("Uncaught") || line.contains("Refused to")
                    || line.contains("Content Security Policy") || line.contains("Content-Security-Policy")
            }
        }
    }

    /// The first Chromium binary on PATH or in the usual places.
    public static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
                let candidate = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw Missing()
    }

    /// Runs headless Chromium on `url` with `arguments`, killed after `timeout` seconds.
    public static func run(_ url: String, _ arguments: [String], timeout: Int = 120) async throws -> Outcome {
        let browser = try executable()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "culturelens-chromium-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        // Niced, so that the browser does not starve the timing-sensitive tests that run alongside.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments =
            [
                "-n", "19", "/usr/bin/timeout", "--kill-after=10", String(timeout), browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--enable-logging=stderr", "--v=0",
            ]
            + [
                "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--no-first-run",
                "--disable-extensions",
            ]
            + ["--disable-background-networking", "--disable-component-update", "--hide-scrollbars"]
            + arguments + [url]
        let out = try FileHandle(forWritingTo: stdoutURL)
        let err = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try await process.runUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "",
            status: process.terminationStatus
        )
    }

    /// The DOM after loading `url`.
    public static func dumpDOM(_ url: String) async throws -> Outcome {
        try await run(url, ["--dump-dom"])
    }

    /// A PNG screenshot of `url` at 1280 × `height`.
    public static func screenshot(_ url: String, to path: URL, height: Int = 2000) async throws -> Outcome {
        try? FileManager.default.removeItem(at: path)
        return try await run(url, ["--screenshot=\(path.path)", "--window-size=1280,\(height)"])
    }
}

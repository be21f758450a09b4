import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// `make dist`'s tarball (issue 18): one binary with the Swift standard library and Foundation linked statically,
/// which runs with an empty environment (`env -i`). CI builds the tarball before `make test` (`.ci/run`), and there
/// its absence fails this test; elsewhere the test runs when `make dist` has been run.
struct DistTests {
    /// The newest `dist/culturelens-*-linux-*.tar.gz` of the package.
    static var tarball: String? {
        let folder = CLIProcess.packageRoot + "/dist"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("culturelens-") && $0.hasSuffix(".tar.gz") }.sorted().last.map {
            folder + "/" + $0
        }
    }

    static var required: Bool { TestData.isRequired }

    /// Runs `executable` with exactly `environment` (nothing inherited), waiting without blocking a thread of the
    /// cooperative pool (other tests' in-process servers answer from it).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let folder = try CLIProcess.temporaryDirectory("dist-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/stdout", contents: nil)
        FileManager.default.createFile(atPath: folder + "/stderr", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stderr"))
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()
        return (
            process.terminationStatus,
            (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: folder + "/stderr", encoding: .utf8)) ?? ""
        )
    }

    @Test(.enabled(if: tarball != nil || required, "make dist has not been run"))
    func theTarballsBinaryRunsWithAnEmptyEnvironmentAndLinksNoSwiftLibrary() async throws {
        let tarball = try #require(Self.tarball, "CI runs `make dist` before `make test` (.ci/run)")
        let folder = try CLIProcess.temporaryDirectory("dist")
        let unpacked = try await Self.run("/bin/tar", ["-xzf", tarball, "-C", folder])
        #expect(unpacked.status == 0, "\(unpacked.stderr)")
        let top = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        let root = folder + "/" + top
        #expect(top.hasPrefix("culturelens-\(CultureLensVersion.current)-linux-"))
        for file in ["culturelens", "README.md", "THIRD_PARTY_LICENSES.txt"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file) in \(top)")
        }
        let notices = try String(contentsOfFile: root + "/THIRD_PARTY_LICENSES.txt", encoding: .utf8)
        #expect(notices.contains("CDLA-Permissive-2.0"), "the built-in Inglehart–Welzel data's attribution")
        #expect(notices.contains("== Swift package swift-nio"))
        #expect(notices.contains("Runtime Library Exception"), "the Swift runtime's licence")

        let binary = root + "/culturelens"
        let libraries = try await Self.run("/usr/bin/ldd", [binary])
        #expect(!libraries.stdout.isEmpty)
        for swiftLibrary in ["libswift", "libFoundation", "lib_Foundation", "libdispatch"] {
            #expect(!libraries.stdout.contains(swiftLibrary), "\(swiftLibrary) in:\n\(libraries.stdout)")
        }

        // `env -i`: no PATH, no HOME, no locale.
        let version = try await Self.run(binary, ["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == CultureLensVersion.current)
        let suites = try await Self.run(binary, ["suites"])
        #expect(suites.status == 0, "\(suites.stderr)")
        #expect(suites.stdout.contains("starter"))

        // A `score` run: four lettered starter questions, two answered right and two wrong, scored without a model.
        let items = Array(StarterSuite.suite.items.filter { !$0.id.hasPrefix("norm-") && !$0.gold.isEmpty }.prefix(4))
        let lines = items.enumerated().map { offset, item -> String in
            let gold = item.gold[0]
            let letter = String(UnicodeScalar(UInt8(65 + (offset < 2 ? gold : (gold + 1) % item.choices.count))))
            return #"{"item_id": "\#(item.id)", "answer": "\#(letter)"}"#
        }
        let responses = folder + "/responses.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: responses))
        let scored = try await Self.run(
            binary,
            ["score", "starter", "--responses", responses, "--json", "--output", folder + "/out"]
        )
        #expect(scored.status == 0, "\(scored.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        let accuracy = try #require(summary["accuracy"] as? [String: Any])
        #expect(accuracy["n"] as? Int == 4)
        #expect(accuracy["value"] as? Double == 0.5)
        #expect(FileManager.default.fileExists(atPath: folder + "/out/samples.jsonl"))
    }
}

import CultureLensTesting
import Foundation
import Testing

/// `make test-data` (scripts/fetch-test-data.py) against a real HTTP server standing in for GitHub: files arrive
/// byte-identical to ../shared/data, a second run fetches nothing, and a wrong sum keeps nothing and says so.
@Suite(.requiresTestData("blend"), .requiresTestData("civics"))
struct TestDataFetchTests {
    struct Entry: Codable {
        var path: String
        var url: String
        var sha256: String
        var transform: String?
    }

    struct Manifest: Codable {
        var files: [Entry]
    }

    /// Three BLEnD prompt files and the CIVICS file, whose documented transformation is re-applied.
    static func subset() throws -> [Entry] {
        let data = try Data(contentsOf: TestData.packageRoot.appendingPathComponent("scripts/test-data-manifest.json"))
        let files = try JSONDecoder().decode(Manifest.self, from: data).files
        let prompts = files.filter { $0.path.hasPrefix("blend/prompts/") }.prefix(3)
        let civics = files.filter { $0.path == "civics/civics_dataset.json" }
        #expect(civics.first?.transform == "civics-drop-schwartz")
        return Array(prompts) + civics
    }

    /// Serves each entry's bytes at the URL's path under the mirror (`/HOST/PATH`); `corrupt` changes one file.
    static func serve(_ entries: [Entry], corrupt: String? = nil) throws -> ScriptedHTTPServer.Handler {
        var bodies: [String: String] = [:]
        for entry in entries {
            var text = try String(contentsOf: TestData.url(entry.path), encoding: .utf8)
            if entry.path == corrupt { text += "\n" }
            bodies["/" + entry.url.components(separatedBy: "://")[1]] = text
        }
        let served = bodies
        return { request in
            guard let body = served[request.path] else { return .respond(status: 404, body: "not found") }
            return .respond(status: 200, body: body)
        }
    }

    /// Runs the script; waits without blocking a thread of the cooperative pool, which the server answers from.
    static func fetch(_ entries: [Entry], mirror: String, dest: String) async throws -> (status: Int32, output: String) {
        let manifestPath = dest + "-manifest.json"
        try JSONEncoder().encode(Manifest(files: entries)).write(to: URL(fileURLWithPath: manifestPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", TestData.packageRoot.appendingPathComponent("scripts/fetch-test-data.py").path,
            "--dest", dest, "--mirror", mirror, "--manifest", manifestPath,
        ]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try await process.runUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-test-data-\(UUID().uuidString)").path
    }

    @Test func fetchesByteIdenticalCopiesOnceAndChecksEverySum() async throws {
        let entries = try Self.subset()
        let dest = Self.temporaryFolder()
        try await ScriptedHTTPServer.withServer(handler: try Self.serve(entries)) { server in
            let first = try await Self.fetch(entries, mirror: server.baseURL, dest: dest)
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("4 fetched, 0 already present, 0 failed"), "\(first.output)")
            for entry in entries {
                let copy = try Data(contentsOf: URL(fileURLWithPath: dest + "/" + entry.path))
                #expect(copy == (try Data(contentsOf: TestData.url(entry.path))), "\(entry.path) differs")
            }
            let requests = server.requestCount
            #expect(requests == 4)
            let second = try await Self.fetch(entries, mirror: server.baseURL, dest: dest)
            #expect(second.status == 0)
            #expect(second.output.contains("0 fetched, 4 already present, 0 failed"), "\(second.output)")
            #expect(server.requestCount == requests, "files with the right sum are not fetched again")
        }
    }

    @Test func aWrongSumKeepsNothingAndNamesFileAndBothSums() async throws {
        let entries = try Self.subset()
        let victim = entries[1]
        let dest = Self.temporaryFolder()
        try await ScriptedHTTPServer.withServer(handler: try Self.serve(entries, corrupt: victim.path)) { server in
            let result = try await Self.fetch(entries, mirror: server.baseURL, dest: dest)
            #expect(result.status == 1)
            #expect(result.output.contains("3 fetched, 0 already present, 1 failed"), "\(result.output)")
            #expect(result.output.contains("error: \(victim.path): sha256 mismatch"), "\(result.output)")
            #expect(result.output.contains("expected \(victim.sha256)"), "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: dest + "/" + victim.path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dest + "/blend/prompts")
            #expect(!leftovers.contains { $0.hasPrefix(".partial-") })
        }
    }
}

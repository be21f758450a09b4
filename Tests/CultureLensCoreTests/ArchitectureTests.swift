import CultureLensTesting
import Foundation
import Testing

/// The module graph of docs/architecture.md, checked on the sources: what each module may import, and that every
/// target imports exactly what `Package.swift` declares for it (no declared-but-unused dependency, no module used
/// through another target's dependency).
@Suite struct ArchitectureTests {
    /// What each source module may import, besides the system modules. Keep in step with docs/architecture.md.
    static let policy: [String: Set<String>] = [
        "CultureLensStatistics": [],
        "CultureLensFormats": [],
        "CultureLensCore": ["CultureLensStatistics", "Crypto"],
        "CultureLensDatasets": [
            "CultureLensCore", "CultureLensFormats", "CultureLensStatistics", "Crypto", "Yams",
            // The Hub downloader only.
            "AsyncHTTPClient", "NIOCore", "NIOHTTP1",
        ],
        "CultureLensAnalysis": ["CultureLensCore", "CultureLensStatistics"],
        "CultureLensModels": [
            "CultureLensCore", "CultureLensFormats", "CultureLensStatistics", "AsyncHTTPClient", "NIOCore",
            "NIOHTTP1", "Logging",
        ],
        "CultureLensStore": ["CultureLensCore", "GRDB"],
        "CultureLensPostgres": ["CultureLensCore", "PostgresNIO", "Logging"],
        "CultureLensReport": [
            "CultureLensCore", "CultureLensDatasets", "CultureLensAnalysis", "CultureLensStatistics",
            "CultureLensFormats", "Mustache",
        ],
        "CultureLensApp": [
            "CultureLensCore", "CultureLensStatistics", "CultureLensFormats", "CultureLensDatasets",
            "CultureLensAnalysis", "CultureLensModels", "CultureLensStore", "CultureLensPostgres", "CultureLensReport",
        ],
        // No store module and no database driver: the server is handed an opened store.
        "CultureLensServer": [
            "CultureLensCore", "CultureLensDatasets", "CultureLensApp", "CultureLensReport", "CultureLensAnalysis",
            "CultureLensStatistics", "Hummingbird", "HTTPTypes", "Logging",
        ],
        // No store module: the CLI opens stores and models only through the App layer.
        "culturelens": [
            "CultureLensApp", "CultureLensCore", "CultureLensStatistics", "CultureLensFormats", "CultureLensDatasets",
            "CultureLensAnalysis", "CultureLensModels", "CultureLensReport", "CultureLensServer", "ArgumentParser",
        ],
        // Test support may use anything it needs to fake or start.
        "CultureLensTesting": ["*"],
    ]

    /// Libraries of transport, databases and servers: never in a domain module.
    static let infrastructure: Set<String> = [
        "NIO", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "AsyncHTTPClient", "GRDB", "PostgresNIO", "Hummingbird",
    ]

    /// Modules any file may import.
    static let system: Set<String> = [
        "Foundation", "FoundationEssentials", "Synchronization", "Dispatch", "Glibc", "Musl", "Darwin", "Testing",
    ]

    @Test func everyModuleImportsOnlyWhatItsRowAllows() throws {
        let modules = try Self.sourceModules()
        #expect(Set(modules.keys) == Set(Self.policy.keys), "a source module without a row in the policy, or a row without a module")
        for (module, imports) in modules.sorted(by: { $0.key < $1.key }) {
            guard let allowed = Self.policy[module], !allowed.contains("*") else { continue }
            for (name, files) in imports.sorted(by: { $0.key < $1.key }) where !Self.system.contains(name) {
                #expect(allowed.contains(name), "\(module) may not import \(name) (\(files.sorted().joined(separator: ", ")))")
            }
        }
    }

    @Test func domainModulesImportNoTransportOrDatabaseLibrary() throws {
        let modules = try Self.sourceModules()
        for domain in ["CultureLensStatistics", "CultureLensFormats", "CultureLensCore", "CultureLensAnalysis"] {
            let imports = Set(try #require(modules[domain]).keys)
            #expect(imports.isDisjoint(with: Self.infrastructure), "\(domain) imports \(imports.intersection(Self.infrastructure).sorted())")
            #expect(Self.policy[domain]?.isDisjoint(with: Self.infrastructure) == true)
        }
    }

    @Test func everyTargetImportsExactlyWhatItDeclares() async throws {
        let declared = try await Self.declaredDependencies()
        var checked = 0
        for (target, directory) in Self.targetDirectories() {
            guard let dependencies = declared[target] else { continue }
            let imports = try Self.imports(under: directory)
            let used = Set(imports.keys).subtracting(Self.system)
            let ours = Set(declared.keys)
            for name in used.sorted() where ours.contains(name) || Self.knownProducts.contains(name) {
                #expect(dependencies.contains(name), "\(target) imports \(name) without declaring it")
            }
            for name in dependencies.sorted() {
                #expect(used.contains(name), "\(target) declares \(name) but no file of it imports it")
            }
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test func theCheckSeesAForbiddenImport() throws {
        // The parser the checks rely on reads every import form used here, so a forbidden one cannot slip by.
        let source = """
            import Foundation
            @testable import CultureLensCore
            public import GRDB
            @preconcurrency import struct NIOCore.ByteBuffer
            #if canImport(Glibc)
                import Glibc
            #endif
            let importNothing = "import AsyncHTTPClient"
            """
        #expect(Self.importedModules(in: source) == ["Foundation", "CultureLensCore", "GRDB", "NIOCore", "Glibc"])
    }

    // MARK: - Reading the package

    /// Package products our targets depend on, by module name (all of them are single-module products).
    static let knownProducts: Set<String> = [
        "ArgumentParser", "AsyncHTTPClient", "Crypto", "GRDB", "HTTPTypes", "Hummingbird", "HummingbirdTesting",
        "Logging", "Mustache", "NIOCore", "NIOHTTP1", "NIOPosix", "PostgresNIO", "PropertyBased", "Yams",
    ]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func targetDirectories() -> [(String, URL)] {
        var result: [(String, URL)] = []
        for folder in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                result.append((name, base.appendingPathComponent(name)))
            }
        }
        result.append(("CultureLensBench", root.appendingPathComponent("Benchmarks/Sources/CultureLensBench")))
        // The EmbedSpecs plugin's tool (the plugin itself imports only PackagePlugin and declares only the tool).
        result.append(("EmbedSpecsTool", root.appendingPathComponent("Plugins/EmbedSpecsTool")))
        return result
    }

    static func sourceModules() throws -> [String: [String: Set<String>]] {
        var modules: [String: [String: Set<String>]] = [:]
        for (name, directory) in targetDirectories() where directory.path.contains("/Sources/") && !directory.path.contains("/Benchmarks/") {
            modules[name] = try imports(under: directory)
        }
        return modules
    }

    /// Imported module → files importing it, for every Swift file under `directory` (fixtures and goldens excluded).
    static func imports(under directory: URL) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Fixtures/"), !url.path.contains("/Golden/") else {
                continue
            }
            let text = try String(contentsOf: url, encoding: .utf8)
            for module in importedModules(in: text) { result[module, default: []].insert(url.lastPathComponent) }
        }
        return result
    }

    /// The modules a Swift source imports, in order (attributes, access levels and `import struct M.T` forms).
    static func importedModules(in text: String) -> [String] {
        let modifiers: Set<String> = [
            "@testable", "@preconcurrency", "@_exported", "@_implementationOnly", "public", "package", "internal",
            "private", "fileprivate",
        ]
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var", "actor"]
        var modules: [String] = []
        var inMultilineString = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // An odd number of `"""` opens or closes a multi-line string literal (a Python script, say).
            let delimiters = line.components(separatedBy: "\"\"\"").count - 1
            defer { if delimiters % 2 == 1 { inMultilineString.toggle() } }
            if inMultilineString { continue }
            var words = line.split(separator: " ").map(String.init)[...]
            while let first = words.first, modifiers.contains(first) { words = words.dropFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            words = words.dropFirst()
            if let first = words.first, kinds.contains(first) { words = words.dropFirst() }
            guard let path = words.first, let module = path.split(separator: ".").first else { continue }
            modules.append(String(module))
        }
        return modules
    }

    /// Each target's declared dependencies (targets and products, by module name), from `swift package dump-package`.
    static func declaredDependencies() async throws -> [String: Set<String>] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Its own scratch folder: `swift test` holds the lock of .build while this runs.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dump-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        process.arguments = [
            "swift", "package", "dump-package", "--package-path", root.path, "--scratch-path", scratch.path,
        ]
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let outputURL = scratch.appendingPathComponent("package.json")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try await process.runUntilExit()
        try output.close()
        #expect(process.terminationStatus == 0)
        let data = try Data(contentsOf: outputURL)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let targets = object?["targets"] as? [[String: Any]] ?? []
        var result: [String: Set<String>] = [:]
        for target in targets {
            guard let name = target["name"] as? String else { continue }
            var names: Set<String> = []
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                for key in ["byName", "target", "product"] {
                    if let values = dependency[key] as? [Any], let first = values.first as? String { names.insert(first) }
                }
            }
            result[name] = names
        }
        return result
    }
}

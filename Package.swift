// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CultureLens",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "culturelens", targets: ["culturelens"]),
        .library(name: "CultureLensStatistics", targets: ["CultureLensStatistics"]),
        .library(name: "CultureLensFormats", targets: ["CultureLensFormats"]),
        .library(name: "CultureLensCore", targets: ["CultureLensCore"]),
        .library(name: "CultureLensDatasets", targets: ["CultureLensDatasets"]),
        .library(name: "CultureLensAnalysis", targets: ["CultureLensAnalysis"]),
        .library(name: "CultureLensModels", targets: ["CultureLensModels"]),
        .library(name: "CultureLensStore", targets: ["CultureLensStore"]),
        .library(name: "CultureLensPostgres", targets: ["CultureLensPostgres"]),
        .library(name: "CultureLensReport", targets: ["CultureLensReport"]),
        .library(name: "CultureLensApp", targets: ["CultureLensApp"]),
        .library(name: "CultureLensServer", targets: ["CultureLensServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    // The module graph is the architecture: docs/architecture.md explains it, and `ArchitectureTests` fails when a
    // module imports something its row there does not allow.
    targets: [
        // Leaves: no module of ours, no I/O library.
        .target(name: "CultureLensStatistics"),
        .target(name: "CultureLensFormats"),
        // The domain: items, cultures, prompts, scoring, the seams (LanguageModel, ResultStore, WorkQueue), the runner.
        .target(
            name: "CultureLensCore",
            dependencies: [
                "CultureLensStatistics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CultureLensDatasets",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                // The Hub downloader only (HubDatasetSource).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The built-in specs, one YAML file per benchmark, compiled in by the EmbedSpecs plugin (not resources:
            // the product is one binary).
            exclude: ["Specs"],
            plugins: [.plugin(name: "EmbedSpecs")]
        ),
        .target(
            name: "CultureLensAnalysis",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
            ]
        ),
        .target(
            name: "CultureLensModels",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "CultureLensStore",
            dependencies: [
                "CultureLensCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "CultureLensPostgres",
            dependencies: [
                "CultureLensCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "CultureLensReport",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                "CultureLensDatasets",
                "CultureLensAnalysis",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The use cases; the CLI and the server are thin layers over it. The only module that opens stores.
        .target(
            name: "CultureLensApp",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                "CultureLensDatasets",
                "CultureLensAnalysis",
                "CultureLensModels",
                "CultureLensReport",
                "CultureLensStore",
                "CultureLensPostgres",
            ]
        ),
        .target(
            name: "CultureLensServer",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensDatasets",
                "CultureLensReport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CultureLensTesting",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensDatasets",
                "CultureLensModels",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "culturelens",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                "CultureLensDatasets",
                "CultureLensAnalysis",
                "CultureLensModels",
                "CultureLensReport",
                "CultureLensApp",
                "CultureLensServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench` (Benchmarks/run.sh): the store and report benchmark; not a product, never run by `make test`.
        .executableTarget(
            name: "CultureLensBench",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensStore",
                "CultureLensReport",
            ],
            path: "Benchmarks/Sources/CultureLensBench"
        ),
        // Build tooling: writes `Specs/*.yaml` of CultureLensDatasets into a Swift file at build time.
        .plugin(
            name: "EmbedSpecs",
            capability: .buildTool(),
            dependencies: ["EmbedSpecsTool"]
        ),
        .executableTarget(name: "EmbedSpecsTool", path: "Plugins/EmbedSpecsTool"),
        .testTarget(
            name: "CultureLensCoreTests",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                "CultureLensDatasets",
                "CultureLensAnalysis",
                "CultureLensModels",
                "CultureLensApp",
                "CultureLensReport",
                "CultureLensTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Read by path at test time, not bundled as resources.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CultureLensReportTests",
            dependencies: [
                "CultureLensAnalysis",
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensFormats",
                "CultureLensDatasets",
                "CultureLensReport",
                "CultureLensTesting",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Golden files and fixtures are read (and re-recorded) by path, not bundled.
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(
            name: "CultureLensServerTests",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensDatasets",
                "CultureLensStore",
                "CultureLensServer",
                "CultureLensTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CultureLensModelsTests",
            dependencies: [
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensDatasets",
                "CultureLensModels",
                "CultureLensTesting",
            ]
        ),
        .testTarget(
            name: "CultureLensStoreTests",
            dependencies: [
                "CultureLensCore",
                "CultureLensStore",
                "CultureLensPostgres",
                "CultureLensTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CultureLensCLITests",
            dependencies: [
                "culturelens",
                "CultureLensTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Golden files are read (and re-recorded) by path, not bundled.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "CultureLensIntegrationTests",
            dependencies: [
                "CultureLensAnalysis",
                "CultureLensCore",
                "CultureLensStatistics",
                "CultureLensDatasets",
                "CultureLensModels",
                "CultureLensStore",
                "CultureLensPostgres",
                "CultureLensTesting",
            ]
        ),
    ]
)

for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}

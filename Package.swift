// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CultureLens",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "culturelens", targets: ["culturelens"]),
        .library(name: "CultureLensCore", targets: ["CultureLensCore"]),
        .library(name: "CultureLensModels", targets: ["CultureLensModels"]),
        .library(name: "CultureLensStore", targets: ["CultureLensStore"]),
        .library(name: "CultureLensReport", targets: ["CultureLensReport"]),
        .library(name: "CultureLensServer", targets: ["CultureLensServer"]),
    ],
    traits: [
        .trait(
            name: "Postgres",
            description: "The PostgreSQL store (`--store postgres://...`) and distributed workers (postgres-nio)."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "CultureLensCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "CultureLensModels",
            dependencies: [
                "CultureLensCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
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
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Postgres"])),
            ]
        ),
        .target(
            name: "CultureLensReport",
            dependencies: [
                "CultureLensCore",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "CultureLensServer",
            dependencies: [
                "CultureLensCore",
                "CultureLensStore",
                "CultureLensReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CultureLensTesting",
            dependencies: [
                "CultureLensCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "culturelens",
            dependencies: [
                "CultureLensCore",
                "CultureLensModels",
                "CultureLensStore",
                "CultureLensReport",
                "CultureLensServer",
                .target(name: "CultureLensPostgres", condition: .when(traits: ["Postgres"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `make bench` (Benchmarks/run.sh): the store and report benchmark; not a product, never run by `make test`.
        .executableTarget(
            name: "CultureLensBench",
            dependencies: ["CultureLensCore", "CultureLensStore", "CultureLensReport"],
            path: "Benchmarks/Sources/CultureLensBench"
        ),
        .testTarget(
            name: "CultureLensCoreTests",
            dependencies: [
                "CultureLensCore", "CultureLensTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Read by path at test time, not bundled as resources.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CultureLensReportTests",
            dependencies: ["CultureLensCore", "CultureLensReport", "CultureLensTesting"],
            // Golden files are read (and re-recorded) by path, not bundled.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "CultureLensServerTests",
            dependencies: [
                "CultureLensCore", "CultureLensStore", "CultureLensServer", "CultureLensTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "CultureLensModelsTests",
            dependencies: ["CultureLensCore", "CultureLensModels", "CultureLensTesting", "CultureLensStore"]
        ),
        .testTarget(
            name: "CultureLensStoreTests",
            dependencies: [
                "CultureLensCore", "CultureLensStore", "CultureLensTesting",
                .target(name: "CultureLensPostgres", condition: .when(traits: ["Postgres"])),
            ]
        ),
        .testTarget(
            name: "CultureLensIntegrationTests",
            dependencies: [
                "CultureLensCore", "CultureLensModels", "CultureLensStore", "CultureLensReport",
                "CultureLensTesting",
                .target(name: "CultureLensPostgres", condition: .when(traits: ["Postgres"])),
            ],
            exclude: ["Golden"]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}

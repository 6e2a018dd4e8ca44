// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pdop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pdop", targets: ["pdop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(name: "PDOPDomain", swiftSettings: strict),
        // Turning uploaded files into typed records: decoding (UTF-8, GBK/GB18030), CSV and JSON
        // Lines parsing, schema inference, personal-data detection, profiling (issue 3). No IO of its own.
        .target(name: "PDOPIngest", dependencies: ["PDOPDomain"], swiftSettings: strict),
        // The demo county's datasets, generated deterministically (issue 3 item 10).
        .target(name: "PDOPDemoData", dependencies: ["PDOPDomain"], swiftSettings: strict),
        .target(
            name: "PDOPStore",
            dependencies: [
                "PDOPDomain", "PDOPIngest", "PDOPSandbox",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The usable-but-not-visible engine and its workflow: column policies, query spec, validator,
        // compiler (SQLite | PostgreSQL), output guard, DP noise, ledger, previews, model jobs, exports (issue 5).
        // It reads the domain store only through `SandboxExecutor`.
        .target(
            name: "PDOPSandbox",
            dependencies: ["PDOPDomain", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "PDOPAPI",
            dependencies: ["PDOPDomain"],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict
        ),
        .target(
            name: "PDOPServer",
            dependencies: [
                "PDOPDomain", "PDOPStore", "PDOPAPI", "PDOPDemoData", "PDOPIngest", "PDOPSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Public"), .copy("Strings")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pdop",
            dependencies: [
                "PDOPServer", "PDOPStore", "PDOPIngest", "PDOPDomain", "PDOPSandbox", "PDOPDemoData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Shared by the store and server tests: a fresh database per test, SQLite or PostgreSQL.
        .target(
            name: "PDOPTestSupport",
            dependencies: ["PDOPStore", "PDOPDomain", .product(name: "Crypto", package: "swift-crypto"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/PDOPTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "PDOPDomainTests", dependencies: ["PDOPDomain"], swiftSettings: strict),
        .testTarget(name: "PDOPSandboxTests", dependencies: ["PDOPSandbox", "PDOPDomain"], swiftSettings: strict),
        .testTarget(name: "PDOPIngestTests", dependencies: ["PDOPIngest"], swiftSettings: strict),
        .testTarget(name: "PDOPDemoDataTests", dependencies: ["PDOPDemoData", "PDOPDomain"], swiftSettings: strict),
        .testTarget(name: "PDOPStoreTests", dependencies: ["PDOPStore", "PDOPTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PDOPServerTests",
            dependencies: [
                "PDOPServer", "PDOPTestSupport", "PDOPDemoData", "PDOPStore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
    ]
)

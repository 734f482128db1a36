// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Strata",
    products: [
        .library(name: "Strata", targets: ["Strata"]),
        .library(name: "StrataSQLite", targets: ["StrataSQLite"]),
        .library(name: "StrataPostgres", targets: ["StrataPostgres"]),
        .library(name: "StrataKit", targets: ["StrataKit"]),
        .library(name: "StrataSchema", targets: ["StrataSchema"]),
        .library(name: "StrataLint", targets: ["StrataLint"]),
        .library(name: "StrataLiquibase", targets: ["StrataLiquibase"]),
        .library(name: "StrataLiquibaseRunner", targets: ["StrataLiquibaseRunner"]),
        .library(name: "StrataCLI", targets: ["StrataCLI"]),
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Metrics through the ecosystem's API, so an app's own backend (Prometheus, StatsD) gets them.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // `swift package generate-documentation --target Strata` builds the DocC catalog.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // Random schemas and mutations for the round-trip property tests (test targets only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // YAML (and JSON, which Liquibase reads with its YAML reader) changelogs, with line numbers.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The digests the engine's `strata.sum`, Liquibase's checksums and PostgreSQL's password
        // authentication share (SHA-256, HMAC, PBKDF2, MD5, Base64), written here. Pure.
        .target(name: "StrataDigests"),

        // The engine: catalog, versions, checksums, the pure planner and the executor. No driver.
        .target(name: "Strata", dependencies: ["StrataDigests"]),

        // Schemas as values: the model, the changes between two schemas and their SQL. Pure.
        .target(name: "StrataSchema"),

        // Liquibase changelogs (XML, YAML, JSON, formatted SQL) as values: changesets, contexts,
        // labels, preconditions, checksums, and their changes rendered through StrataSchema. Pure.
        .target(name: "StrataLiquibase", dependencies: ["StrataSchema", "StrataDigests", .product(name: "Yams", package: "Yams")]),

        // Liquibase changelogs run against a database: DATABASECHANGELOG kept as Liquibase keeps it,
        // each changeset decided by a pure planner, preconditions checked through the driver.
        .target(name: "StrataLiquibaseRunner", dependencies: ["Strata", "StrataSchema", "StrataLiquibase"]),

        // The system libsqlite3, reached through a module map (libsqlite3-dev).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "StrataSQLite", dependencies: ["Strata", "StrataSchema", "CSQLite"]),

        // The system libpq (libpq-dev for its header, libpq5 at run time): psql's own client
        // library, loaded on first use so that SQLite runs do not pay for its dependencies.
        .target(name: "CLibPQ"),
        .target(name: "StrataPostgres", dependencies: ["Strata", "StrataSchema", "StrataDigests", "CLibPQ"]),

        // libpg_query (libpg-query-dev): PostgreSQL 15's own parser, loaded on first use so that
        // only `strata lint` maps it.
        .target(name: "CPgQuery"),
        // Zero-downtime lint: statements parsed by PostgreSQL's grammar, rules as pure functions.
        .target(name: "StrataLint", dependencies: ["Strata", "CPgQuery"]),

        // The front door for programs: a configuration that opens the database its URL names,
        // replaces placeholders and runs the engine, with async entry points for servers.
        .target(
            name: "StrataKit",
            dependencies: ["Strata", "StrataSchema", "StrataSQLite", "StrataPostgres", "StrataLiquibase", "StrataLiquibaseRunner", "StrataLint",
                           .product(name: "Metrics", package: "swift-metrics")]
        ),

        // The command line: argument parsing, configuration files and rendering. No migration logic.
        .target(
            name: "StrataCLI",
            dependencies: [
                "Strata",
                "StrataKit",
                "StrataSchema",
                "StrataLint",
                "StrataLiquibase",
                "StrataLiquibaseRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(name: "strata", dependencies: ["StrataCLI"]),

        // Helpers shared by the test suites: temporary folders and the conformance fixtures.
        .target(name: "StrataTestSupport", dependencies: ["Strata"], path: "Tests/StrataTestSupport"),
        // Random schemas and mutations for the round-trip property tests, and readable schema differences.
        .target(
            name: "SchemaTestSupport",
            dependencies: ["StrataSchema", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/SchemaTestSupport"
        ),
        .testTarget(name: "StrataDigestsTests", dependencies: ["StrataDigests"]),
        .testTarget(name: "StrataTests", dependencies: ["Strata", "StrataTestSupport"]),
        .testTarget(name: "StrataSchemaTests", dependencies: ["StrataSchema"]),
        .testTarget(
            name: "StrataSQLiteTests",
            dependencies: ["Strata", "StrataSQLite", "StrataSchema", "StrataLint", "CSQLite", "StrataTestSupport", "SchemaTestSupport"]
        ),
        .testTarget(
            name: "StrataPostgresTests",
            dependencies: ["Strata", "StrataPostgres", "StrataSchema", "StrataLint", "StrataTestSupport", "SchemaTestSupport"]
        ),
        .testTarget(
            name: "StrataLiquibaseTests",
            dependencies: [
                "StrataLiquibase", "StrataSchema", "StrataSQLite", "Strata", "StrataTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "StrataLiquibaseRunnerTests",
            dependencies: ["StrataLiquibaseRunner", "StrataLiquibase", "Strata", "StrataSQLite", "StrataPostgres", "StrataTestSupport"]
        ),
        .testTarget(name: "StrataLintTests", dependencies: ["Strata", "StrataLint"]),
        .testTarget(name: "StrataCLITests", dependencies: ["StrataCLI", "StrataTestSupport"]),
        .testTarget(name: "StrataKitTests", dependencies: ["StrataKit", "StrataTestSupport"]),
        .testTarget(name: "StrataEndToEndTests", dependencies: ["strata", "StrataTestSupport"]),
    ]
)

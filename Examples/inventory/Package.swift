// swift-tools-version:6.0
import PackageDescription

// An application that keeps its migrations in SQL files and in Swift, migrates its database at
// start-up, and ships Strata's whole command line as `inventory migrations …`.
let package = Package(
    name: "inventory",
    dependencies: [
        .package(name: "Strata", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "inventory",
            dependencies: [
                .product(name: "StrataKit", package: "Strata"),
                .product(name: "StrataCLI", package: "Strata"),
            ]
        ),
    ]
)

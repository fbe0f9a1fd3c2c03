// swift-tools-version:6.1
// bench/csvlib: how fast the two CSV libraries of the local package mirror read the 1M-row
// events CSV, beside soup's own reader (bench/run compares them with `soup import --dry-run`).
// A package of its own, so soup itself does not depend on either library.
import PackageDescription

let package = Package(
    name: "csvlib-bench",
    dependencies: [
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "csvlib-bench",
            dependencies: [
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]),
    ]
)

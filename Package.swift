// swift-tools-version:6.1
import PackageDescription

/// Where libpq-dev puts libpq-fe.h on Debian and Ubuntu; elsewhere it is usually in /usr/include.
let libpqIncludeFlags = ["-I/usr/include/postgresql"]

let package = Package(
    name: "soup",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "soup", targets: ["soup"]),
    ],
    traits: [
        .default(enabledTraits: ["GNUReadline"]),
        .trait(name: "GNUReadline", description: "Line editing through GNU readline (the default)."),
        .trait(
            name: "LibEdit",
            description: "Line editing through BSD-licensed libedit instead of GNU readline (GPL)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries: nothing outside these three targets touches C headers.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]),
        // libpq is opened with dlopen on first use (see Sources/CLibPQ/include/CLibPQ.h), so it is
        // not linked: a .systemLibrary with pkgConfig "libpq" would add -lpq. Only its headers are
        // needed, from libpq-dev, where `pg_config --includedir` says.
        .target(name: "CLibPQ", cSettings: [.unsafeFlags(libpqIncludeFlags)]),
        // Line editing for the REPL: GNU readline by default, libedit with the LibEdit trait. No
        // pkgConfig: readline.pc adds tinfo's -D_XOPEN_SOURCE, which SwiftPM refuses.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),
        .systemLibrary(name: "CEditLine", providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),

        // Driver layer: values, the Connection protocol, errors, DB arguments.
        .target(name: "SoupDriver"),
        .target(name: "SoupSQLite", dependencies: ["SoupDriver", "CSQLite"]),
        .target(
            name: "SoupPostgres", dependencies: ["SoupDriver", "CLibPQ"],
            swiftSettings: [.unsafeFlags(libpqIncludeFlags.flatMap { ["-Xcc", $0] })]),

        // Reflection: catalog introspection into schema models, per engine, through SQL only.
        .target(name: "SoupReflection", dependencies: ["SoupDriver"]),

        // The soup language front end: lexer, parser with source positions, AST.
        .target(name: "SoupLanguage"),

        // Profiles, bindings and read/write routing: the config file, the SQL classifier and
        // the routing connection (SPEC §6).
        .target(name: "SoupRouting", dependencies: ["SoupDriver"]),

        // The core: SQL building and compiling per dialect, entities, session, evaluator.
        .target(name: "SoupCore", dependencies: ["SoupDriver", "SoupReflection", "SoupLanguage", "SoupRouting"]),

        // Data in and out: reading CSV, TSV and JSON, type inference, DDL, bulk loading
        // (COPY, prepared inserts) and copying tables between databases.
        // Its per-byte loops read class properties; the dynamic exclusivity checks of those
        // reads were a quarter of an import's instructions (callgrind), and are off here.
        .target(
            name: "SoupTransfer", dependencies: ["SoupDriver", "SoupReflection", "SoupCore"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),

        // Output formatters (table, csv, json, ...), streaming from a cursor.
        .target(name: "SoupOutput", dependencies: ["SoupDriver"]),

        // The command line: ArgumentParser commands, connecting, the demo database.
        .target(
            name: "SoupCLI",
            dependencies: [
                "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupReflection", "SoupLanguage", "SoupCore",
                "SoupOutput", "SoupRouting", "SoupTransfer",
                .target(name: "CReadline", condition: .when(traits: ["GNUReadline"])),
                .target(name: "CEditLine", condition: .when(traits: ["LibEdit"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Thin executable; depends on ArgumentParser directly so generate-manual finds it.
        .executableTarget(
            name: "soup",
            dependencies: [
                "SoupCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // bench/: flushing dirty rows beside the same UPDATEs through one prepared statement.
        .executableTarget(
            name: "soup-flush-bench",
            dependencies: ["SoupCore", "SoupDriver", "SoupLanguage", "SoupSQLite", "SoupPostgres"],
            path: "bench/flush"),

        // Test support: a private PostgreSQL server and a runner for the built binary.
        .target(
            name: "SoupTestSupport", dependencies: ["SoupDriver", "SoupSQLite", "SoupPostgres"],
            path: "Tests/SoupTestSupport"),
        .testTarget(
            name: "SoupDriverTests",
            dependencies: ["SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"]),
        .testTarget(
            name: "SoupReflectionTests",
            dependencies: ["SoupReflection", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"]),
        .testTarget(name: "SoupLanguageTests", dependencies: ["SoupLanguage", "SoupTestSupport"]),
        .testTarget(
            name: "SoupRoutingTests",
            dependencies: ["SoupRouting", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"]),
        .testTarget(
            name: "SoupCoreTests",
            dependencies: ["SoupCore", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "SoupOutputTests",
            dependencies: ["SoupOutput", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"],
            exclude: ["Golden"]),  // golden files, read through #filePath, not bundle resources
        .testTarget(
            name: "SoupCLITests",
            dependencies: [
                "SoupCLI", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupRouting", "SoupTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)

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
        // Exactly this version: the committed man page (man/soup.1) and shell completions are
        // compared byte for byte with what ArgumentParser generates (scripts/generate-docs
        // --check), and Package.resolved is not committed, so a new ArgumentParser release must
        // not change them, and turn CI red, without a change of ours. Raise it on purpose, then
        // run scripts/generate-docs.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Heap, for ordering the rows of a flush.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C libraries: nothing outside these three targets touches C headers.
        // No pkgConfig: its -L/usr/lib/... would come before scripts/static-link-flags' folder,
        // which makes release builds link libsqlite3.a (the module map links "sqlite3").
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite3"])]),
        // libpq is opened with dlopen on first use (see Sources/CLibPQ/include/CLibPQ.h), so it is
        // not linked: a .systemLibrary with pkgConfig "libpq" would add -lpq. Only its headers are
        // needed, from libpq-dev, where `pg_config --includedir` says.
        // Debug builds count the results handed out and not cleared, for the leak tests.
        .target(
            name: "CLibPQ",
            cSettings: [.unsafeFlags(libpqIncludeFlags), .define("SOUP_COUNT_RESULTS", .when(configuration: .debug))]),
        // Line editing for the REPL: GNU readline by default, libedit with the LibEdit trait. No
        // pkgConfig: readline.pc adds tinfo's -D_XOPEN_SOURCE, which SwiftPM refuses.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),
        .systemLibrary(name: "CEditLine", providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),

        // The platform layer: libc imported once, system calls retried after EINTR, exiting.
        .target(name: "SoupPlatform"),

        // Driver layer: values, the Connection protocol, errors, DB arguments.
        .target(name: "SoupDriver", dependencies: ["SoupPlatform"]),
        .target(name: "SoupSQLite", dependencies: ["SoupDriver", "CSQLite"]),
        .target(
            name: "SoupPostgres", dependencies: ["SoupDriver", "SoupPlatform", "CLibPQ"],
            swiftSettings: [.unsafeFlags(libpqIncludeFlags.flatMap { ["-Xcc", $0] })]),

        // Reflection: catalog introspection into schema models, per engine, through SQL only.
        .target(name: "SoupReflection", dependencies: ["SoupDriver"]),

        // The soup language front end: lexer, parser with source positions, AST.
        .target(name: "SoupLanguage"),

        // SQL text as soup reads it without running it: tokens, what a statement does (reads,
        // writes, transaction control, what cannot run in a transaction), secret parameters.
        .target(name: "SoupSQL", dependencies: ["SoupDriver"]),

        // Profiles, bindings and read/write routing: the config file and the routing connection
        // (docs/routing-rules.md).
        .target(name: "SoupRouting", dependencies: ["SoupDriver", "SoupSQL", "SoupPlatform"]),

        // The core: SQL building and compiling per dialect, entities, session, evaluator, and
        // running statements and scripts in their transactions.
        // A flush reads rows' class properties per row; their dynamic exclusivity checks were 5%
        // of a 10,000-row flush's instructions (callgrind), so release builds leave them out.
        // Debug builds, which the tests run, keep them.
        .target(
            name: "SoupCore",
            dependencies: [
                "SoupDriver", "SoupReflection", "SoupLanguage", "SoupSQL", .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),

        // The demo database: SQLSoup's fixture and a library generated from a fixed seed.
        .target(name: "SoupDemo", dependencies: ["SoupDriver"]),

        // Data in and out: reading CSV, TSV and JSON, type inference, DDL, bulk loading
        // (COPY, prepared inserts) and copying tables between databases.
        // Its per-byte loops read class properties; the dynamic exclusivity checks of those
        // reads were a quarter of an import's instructions (callgrind), and are off here.
        .target(
            name: "SoupTransfer", dependencies: ["SoupPlatform", "SoupDriver", "SoupReflection", "SoupRouting", "SoupCore"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),

        // Output formatters (table, csv, json, ...), streaming from a cursor.
        .target(name: "SoupOutput", dependencies: ["SoupDriver", "SoupPlatform"]),

        // The command line: ArgumentParser commands, connecting, the REPL, printing.
        .target(
            name: "SoupCLI",
            dependencies: [
                "SoupPlatform", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupReflection", "SoupLanguage",
                "SoupSQL", "SoupCore", "SoupOutput", "SoupRouting", "SoupDemo", "SoupTransfer",
                .target(name: "CReadline", condition: .when(traits: ["GNUReadline"])),
                .target(name: "CEditLine", condition: .when(traits: ["LibEdit"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The command-line arguments for the Swift runtime, kept as the process starts.
        .target(name: "CStartup"),

        // Thin executable; depends on ArgumentParser directly so generate-manual finds it.
        .executableTarget(
            name: "soup",
            dependencies: [
                "SoupCLI", "CStartup",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // bench/: flushing dirty rows beside the same UPDATEs through one prepared statement.
        .executableTarget(
            name: "soup-flush-bench",
            dependencies: ["SoupCore", "SoupDriver", "SoupLanguage", "SoupSQLite", "SoupPostgres"],
            path: "bench/flush"),

        // bench/: the work behind typing at the REPL (TABs, colouring a long input), in a loop.
        .executableTarget(
            name: "soup-typing-bench",
            dependencies: ["SoupCore", "SoupDriver", "SoupLanguage", "SoupOutput", "SoupSQLite", "SoupPostgres"],
            path: "bench/typing"),

        // Test support: a private PostgreSQL server and a runner for the built binary.
        .target(
            name: "SoupTestSupport", dependencies: ["SoupPlatform", "SoupDriver", "SoupSQLite", "SoupPostgres"],
            path: "Tests/SoupTestSupport"),
        .testTarget(name: "SoupPlatformTests", dependencies: ["SoupPlatform"]),
        .testTarget(
            name: "SoupDriverTests",
            dependencies: ["SoupPlatform", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport", "CSQLite"]),
        .testTarget(
            name: "SoupReflectionTests",
            dependencies: ["SoupReflection", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"]),
        .testTarget(name: "SoupLanguageTests", dependencies: ["SoupLanguage", "SoupTestSupport"]),
        .testTarget(name: "SoupSQLTests", dependencies: ["SoupSQL", "SoupDriver"]),
        .testTarget(name: "SoupDemoTests", dependencies: ["SoupDemo", "SoupPlatform", "SoupDriver", "SoupSQLite"]),
        .testTarget(
            name: "SoupRoutingTests",
            dependencies: ["SoupRouting", "SoupSQL", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupTestSupport"]),
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
                "SoupCLI", "SoupCore", "SoupPlatform", "SoupDriver", "SoupSQLite", "SoupPostgres", "SoupRouting", "SoupTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Golden"]),  // golden files, read through #filePath
    ]
)

import Foundation
import SoupDriver
import SoupOutput
import SoupPostgres
import SoupSQLite
import SoupTestSupport

/// The two engines whose values the engine tests print.
enum Engine: String, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    /// The golden set the engine's results are compared with: `Golden/sqlite/`, `Golden/postgres/`.
    var golden: GoldenFile { GoldenFile(set: rawValue) }

    /// How the `sql` format writes for this engine.
    var dialect: Dialect { self == .sqlite ? .sqlite : .postgres }

    /// A fresh, empty database: SQLite in memory, or a new PostgreSQL database with fixed
    /// session settings (see ``PostgresDatabase``).
    func connect() throws -> any Connection {
        switch self {
        case .sqlite: try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        case .postgres: try PostgresConnection(conninfo: PostgresDatabase.make().url)
        }
    }
}

/// A fresh database on the test server whose settings do not depend on the machine.
///
/// `TimeZone`, `DateStyle`, `IntervalStyle` and `extra_float_digits` are set on the database,
/// so every later connection (soup's and psql's alike) prints timestamps in UTC, ISO dates,
/// `postgres` intervals and the shortest exact floats, whatever the cluster was initialized with.
struct PostgresDatabase {
    let url: String

    static func make() throws -> PostgresDatabase {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase(prefix: "output")
        try server.run(
            sql: """
                DO $$ BEGIN
                  EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), 'UTC');
                  EXECUTE format('ALTER DATABASE %I SET DateStyle = %L', current_database(), 'ISO, MDY');
                  EXECUTE format('ALTER DATABASE %I SET IntervalStyle = %L', current_database(), 'postgres');
                  EXECUTE format('ALTER DATABASE %I SET extra_float_digits = %L', current_database(), '1');
                END $$
                """, url: url)
        return PostgresDatabase(url: url)
    }

    /// Runs `psql -X` with `arguments` on the database, writing what it prints to the file
    /// `output`. psql's client encoding is UTF-8 whatever the locale, as soup's is.
    func psql(_ arguments: [String], to output: String) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PGCLIENTENCODING"] = "UTF8"
        let result = try ProcessRunner.run(
            executable: Self.psqlExecutable(),
            arguments: ["-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-o", output] + arguments,
            environment: environment, timeout: 600)
        guard result.status == 0 else {
            throw TestSupportError("psql \(arguments) failed with status \(result.status): \(result.stderr)")
        }
    }

    /// The newest `/usr/lib/postgresql/*/bin/psql`, else `psql` on `PATH`.
    static func psqlExecutable() -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let candidates: [String] = versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/lib/postgresql/" + $0 + "/bin/psql" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "psql"
    }
}

/// The issue's table of hostile values, one per row under a `kind` label, in the column of
/// its type: text in `txt`, 64-bit integers in `i8`, doubles in `f8`, exact decimals in `num`,
/// bytes in `bin`. It is created and filled with bound parameters on either engine, then read
/// back with `SELECT * FROM hostile ORDER BY id`.
enum HostileTable {
    struct Row {
        let kind: String
        var txt: Value = .null
        var i8: Value = .null
        var f8: Value = .null
        var num: Value = .null
        var bin: Value = .null
    }

    static let rows: [Row] = [
        Row(kind: "null"),
        Row(kind: "empty string", txt: .text("")),
        Row(kind: "quotes", txt: .text(#"it's "quoted""#)),
        Row(kind: "comma", txt: .text("a,b")),
        Row(kind: "tab", txt: .text("a\tb")),
        Row(kind: "newline", txt: .text("line 1\nline 2")),
        Row(kind: "crlf", txt: .text("line 1\r\nline 2")),
        Row(kind: "backslash", txt: .text(#"C:\dir\"#)),
        Row(kind: "copy end", txt: .text(#"\."#)),
        Row(kind: "pipe", txt: .text("a|b")),
        Row(kind: "controls", txt: .text("bell\u{7} esc\u{1B} c1\u{85}")),
        Row(kind: "emoji", txt: .text("👍 ok")),
        Row(kind: "zwj emoji", txt: .text("👨‍👩‍👧 family")),
        Row(kind: "cjk", txt: .text("中文字")),
        Row(kind: "combining", txt: .text("e\u{301}te\u{301}")),
        Row(kind: "right to left", txt: .text("שלום مرحبا")),
        Row(kind: "max bigint", i8: .integer(.max)),
        Row(kind: "min bigint", i8: .integer(.min)),
        Row(kind: "max real", f8: .real(1e308)),
        Row(kind: "negative zero", f8: .real(-0.0)),
        Row(kind: "small real", f8: .real(1.5e-7)),
        Row(kind: "fraction", f8: .real(0.1)),
        Row(kind: "nan", f8: .real(.nan)),
        Row(kind: "infinity", f8: .real(-.infinity)),
        Row(kind: "numeric 40 digits", num: .numeric("1234567890123456789012345678901234567890")),
        Row(kind: "numeric fraction", num: .numeric("-0.000100")),
        Row(kind: "binary", bin: .blob([0x00, 0xff, 0x00, 0x41, 0x0a])),
        Row(kind: "empty binary", bin: .blob([])),
    ]

    /// SQLite has no exact decimal: a `NUMERIC` column would turn the 40-digit number into a
    /// REAL, so `num` is `TEXT` there, which is how SQLite users keep decimals exact.
    static func createSQL(_ engine: Engine) -> String {
        switch engine {
        case .sqlite:
            """
            CREATE TABLE hostile (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, txt TEXT, i8 INTEGER,
                                  f8 REAL, num TEXT, bin BLOB)
            """
        case .postgres:
            """
            CREATE TABLE hostile (id int PRIMARY KEY, kind text NOT NULL, txt text, i8 bigint,
                                  f8 float8, num numeric, bin bytea)
            """
        }
    }

    /// Creates and fills the table on `connection`, one bound INSERT per row.
    static func create(on connection: any Connection, engine: Engine) throws {
        try connection.executeScript(createSQL(engine))
        let placeholders = (0..<7).map { connection.dialect.placeholder($0) }.joined(separator: ", ")
        let insert = "INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (\(placeholders))"
        for (index, row) in rows.enumerated() {
            try connection.execute(
                insert, [.integer(Int64(index + 1)), .text(row.kind), row.txt, row.i8, row.f8, row.num, row.bin])
        }
    }

    static let select = "SELECT * FROM hostile ORDER BY id"
}

/// PostgreSQL's own types, beyond SQLite's storage classes: one ordinary row, one of edge
/// values, one of NULLs. Bound as parameters (typed where ``Value`` has a type, else as text
/// the server casts to the column's type).
enum PostgresTypesTable {
    static let create = """
        CREATE TABLE types (
            id int PRIMARY KEY, flag bool, day date, clock time, zoned_clock timetz, stamp timestamp,
            zoned_stamp timestamptz, span interval, uid uuid, doc json, docb jsonb, words text[],
            grid int[], reals float8[], amounts numeric[], blobs bytea[], point point)
        """

    static let rows: [[Value]] = [
        [
            .integer(1), .bool(true), .date("2024-02-29"), .time("13:45:00.5"),
            .time("13:45:00+05:30"), .timestamp("2024-01-02 03:04:05.123456"),
            .timestampTZ("2024-02-29 23:59:59.999999+05:30"), .interval("1 year 2 mons 3 days 04:05:06.5"),
            .uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            .json(#"{"a": [1, 2.5, null, true], "b": {"c": "x\ny", "d": "\u00e9\ud83d\udc4d"}}"#),
            .json(#"{"nested": {"deep": [[1, [2, [3]]], {"e": null}]}, "big": 12345678901234567890}"#),
            .array([.text("plain"), .null, .text(""), .text(#"say "hi""#), .text(#"back\slash"#),
                    .text("NULL"), .text("a,b"), .text("{braces}"), .text("two words")]),
            .array([.array([.integer(1), .integer(2)]), .array([.integer(3), .null])]),
            .array([.real(1e308), .real(-0.0), .real(0.1), .real(.nan), .real(.infinity)]),
            .array([.numeric("1234567890123456789012345678901234567890"), .numeric("-0.000100")]),
            .array([.blob([0x00, 0xff]), .blob([])]),
            .other(typeName: "point", text: "(1.5,-2)"),
        ],
        [
            .integer(2), .bool(false), .date("0044-03-15 BC"), .time("00:00:00"),
            .time("23:59:59.999999-12"), .timestamp("infinity"), .timestampTZ("-infinity"),
            .interval("-1 days +02:03:04"), .uuid("00000000-0000-0000-0000-000000000000"),
            .json("  [ ]  "), .json(#""just a string""#), .array([]), .array([]), .array([.real(-1.5e-300)]),
            .array([.numeric("NaN")]), .array([.null]), .other(typeName: "point", text: "(0,0)"),
        ],
        [.integer(3)] + Array(repeating: .null, count: 16),
    ]

    /// Creates and fills the table on `connection`.
    static func create(on connection: any Connection) throws {
        try connection.executeScript(create)
        let placeholders = (0..<17).map { connection.dialect.placeholder($0) }.joined(separator: ", ")
        for row in rows {
            try connection.execute("INSERT INTO types VALUES (\(placeholders))", row)
        }
    }

    static let select = "SELECT * FROM types ORDER BY id"
}

extension Connection {
    /// The result of `sql` printed with `options`, collected in memory.
    func printed(_ sql: String, _ options: OutputOptions) throws -> String {
        let sink = OutputSink.collecting()
        try ResultPrinter(options: options).print(try query(sql, []), to: sink)
        try sink.flush()
        return sink.collectedText
    }
}

/// Prints the result of `sql` on `connection` with `options` into the file at `path`; returns
/// the row count. Only the sink's buffer is held in memory.
@discardableResult
func printResult(
    of sql: String, on connection: any Connection, _ options: OutputOptions, toFile path: String
) throws -> Int {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { throw TestSupportError("cannot create \(path)") }
    defer { close(descriptor) }
    let sink = OutputSink(fileDescriptor: descriptor)
    let count = try ResultPrinter(options: options).print(try connection.query(sql, []), to: sink)
    try sink.flush()
    return count
}

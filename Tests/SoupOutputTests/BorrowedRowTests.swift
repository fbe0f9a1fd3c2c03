import SoupDriver
import SoupOutput
import SoupSQLite
import SoupTestSupport
import Testing

/// CSV, JSON and the aligned table from the values a SQLite cursor lends are byte for byte what
/// the same rows read as ``Value``s print, whatever the values: the borrowed path only skips
/// building them.
@Suite struct BorrowedRowTests {
    /// Hides the cursor's borrowing, so the printer reads ``Value``s.
    final class ValueCursor: RowCursor {
        let base: any RowCursor
        init(_ base: any RowCursor) { self.base = base }
        var columns: [ColumnDescription] { base.columns }
        func next() throws -> [Value]? { try base.next() }
    }

    /// What `sql` prints with `options`, read through the borrowing cursor or as values.
    static func printed(
        _ sql: String, on connection: SQLiteConnection, _ options: OutputOptions, borrowing: Bool
    ) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let sink = OutputSink.passing { chunk in
            bytes.append(contentsOf: chunk)
            return nil
        }
        let cursor = try connection.query(sql, [])
        #expect(cursor is any BorrowingRowCursor)
        let printer = ResultPrinter(options: options)
        if borrowing {
            try printer.print(cursor, to: sink)
        } else {
            try printer.print(ValueCursor(cursor), to: sink)
        }
        try sink.flush()
        return bytes
    }

    @Test("every kind of SQLite value, including text that is not UTF-8")
    func everyKind() throws {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        defer { connection.close() }
        let sql = """
            SELECT NULL, 0, -1, 9223372036854775807, -9223372036854775808, 0.0, -0.0, 1.5, 1e300, -2.5e-300,
                9e999, -9e999, 0.1, 100.0, '', 'plain', 'a,b', 'say "hi"', 'line
            break', 'cr' || char(13), '\\.', 'é ü 🍲', CAST(x'ff' AS TEXT), CAST(x'61ff62c3' AS TEXT),
                CAST(x'610062' AS TEXT), x'', x'00ff10', zeroblob(0), zeroblob(3)
            """
        let csv = OutputOptions(format: .csv)
        let borrowed = try Self.printed(sql, on: connection, csv, borrowing: true)
        #expect(borrowed == (try Self.printed(sql, on: connection, csv, borrowing: false)))
        #expect(String(decoding: borrowed, as: UTF8.self).contains(#","say ""hi""","#))
        for format in [OutputFormat.json, .jsonl] {
            let options = OutputOptions(format: format)
            let json = try Self.printed(sql, on: connection, options, borrowing: true)
            #expect(json == (try Self.printed(sql, on: connection, options, borrowing: false)), "\(format)")
        }
    }

    @Test("generated rows")
    func generatedRows() throws {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        defer { connection.close() }
        try connection.executeScript("CREATE TABLE t (a, b, c, d)")
        var random = SeededRandom(seed: FuzzSettings.seed)
        let alphabet: [UInt8] = Array("ab ,\"\n\r\\.".utf8) + [0x00, 0x7f, 0xc3, 0xa9, 0xff, 0xe2, 0x82]
        func bytes() -> [UInt8] {
            (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        }
        for _ in 0..<2_000 {
            let values: [Value] = (0..<3).map { _ in
                switch Int.random(in: 0..<5, using: &random) {
                case 0: .null
                case 1: .integer(Int64.random(in: .min ... .max, using: &random))
                case 2: .real(Double(bitPattern: random.next()))
                case 3: .blob(bytes())
                default: .text(String(decoding: bytes(), as: UTF8.self))
                }
            }
            // The last column holds the raw bytes as TEXT, so some of it is not valid UTF-8.
            try connection.execute("INSERT INTO t VALUES (?, ?, ?, CAST(? AS TEXT))", values + [.blob(bytes())])
        }
        let sql = "SELECT * FROM t"
        for options in Self.layouts {
            let borrowed = try Self.printed(sql, on: connection, options, borrowing: true)
            #expect(borrowed == (try Self.printed(sql, on: connection, options, borrowing: false)), "\(options)")
        }
    }

    /// CSV, JSON, and tables whose widths come from a few rows, so most rows print after the window:
    /// wider values, right-aligned columns, and NULL shown as plain, empty or non-ASCII text.
    static let layouts: [OutputOptions] = [
        OutputOptions(format: .csv),
        OutputOptions(format: .json),
        OutputOptions(format: .jsonl),
        OutputOptions(format: .table, sizingWindow: 1),
        OutputOptions(format: .table, nullText: "NULL", sizingWindow: 5),
        OutputOptions(format: .table, nullText: "∅", sizingWindow: 3),
        OutputOptions(format: .table, nullText: "", sizingWindow: 1_000),
    ]

    @Test("tables of numbers, plain text and NULL, with narrow and right-aligned columns")
    func plainTables() throws {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        defer { connection.close() }
        try connection.executeScript(
            """
            CREATE TABLE p (n, r, t, last);
            INSERT INTO p VALUES (1, 0.5, 'a', 7), (22, NULL, 'bb', 8.25), (NULL, -1e300, NULL, NULL);
            INSERT INTO p SELECT n * 1000003, r * 3, t || ' and more', last FROM p;
            INSERT INTO p VALUES (-9223372036854775808, 1e-5, '', 'x'), (3, 4, 'line' || char(10) || 'break', x'00ff');
            INSERT INTO p SELECT * FROM p;
            """)
        for options in Self.layouts {
            for sql in ["SELECT * FROM p", "SELECT n, r FROM p", "SELECT t, n FROM p", "SELECT last FROM p"] {
                let borrowed = try Self.printed(sql, on: connection, options, borrowing: true)
                #expect(borrowed == (try Self.printed(sql, on: connection, options, borrowing: false)), "\(sql) \(options)")
            }
        }
    }
}

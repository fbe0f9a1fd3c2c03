import Foundation
import SoupDriver
import SoupOutput
import SoupPlatform
import Testing

/// Behaviour that the goldens do not show: scalars, edge shapes, and the sink.
@Suite struct PrinterTests {
    private func printed(_ format: OutputFormat, _ columns: [String], _ rows: [[Value]]) throws -> String {
        let cursor = ArrayCursor(columns: columns.map { ColumnDescription(name: $0) }, rows: rows)
        let sink = OutputSink.collecting()
        let count = try ResultPrinter(options: OutputOptions(format: format)).print(cursor, to: sink)
        #expect(count == rows.count)
        return sink.collectedText
    }

    private func printed(_ format: OutputFormat, value: Value) throws -> String {
        let sink = OutputSink.collecting()
        try ResultPrinter(options: OutputOptions(format: format, nullText: "NULL")).print(value: value, to: sink)
        return sink.collectedText
    }

    @Test func scalarsPrintAsThemselves() throws {
        #expect(try printed(.table, value: .integer(42)) == "42\n")
        #expect(try printed(.table, value: .null) == "")
        #expect(try printed(.expanded, value: .null) == "")
        #expect(try printed(.table, value: .real(0.1)) == "0.1\n")
        #expect(try printed(.json, value: .null) == "null\n")
        #expect(try printed(.jsonl, value: .text("a\nb")) == "\"a\\nb\"\n")
        #expect(try printed(.json, value: .numeric("1.50")) == "\"1.50\"\n")
        #expect(try printed(.csv, value: .text("a,b")) == "\"a,b\"\n")
        #expect(try printed(.csv, value: .null) == "\n")
        #expect(try printed(.tsv, value: .null) == "\\N\n")
        #expect(try printed(.sql, value: .text("it's")) == "'it''s'\n")
        #expect(try printed(.sql, value: .real(2)) == "2.0\n")
        #expect(try printed(.markdown, value: .text("x")) == "x\n")
    }

    /// psql's record rule for one- and two-digit record numbers.
    @Test func expandedRecordRulesMatchPsql() throws {
        let rows = (1...11).map { [Value.integer(Int64($0)), .text("xxxxxxxxxxx")] }
        let lines = try printed(.expanded, ["a", "b"], rows).split(separator: "\n")
        #expect(lines[0] == "-[ RECORD 1 ]--")
        #expect(lines[27] == "-[ RECORD 10 ]-")
        #expect(lines[28] == "a | 10")
        #expect(lines[30] == "-[ RECORD 11 ]-")
    }

    /// psql prints `--` and the footer for a result without columns (`SELECT;`).
    @Test func tableWithoutColumns() throws {
        #expect(try printed(.table, [], [[]]) == "--\n(1 row)\n\n")
    }

    @Test func shortAndLongRowsAreConformedToTheColumns() throws {
        #expect(try printed(.csv, ["a", "b"], [[.integer(1)], [.integer(1), .integer(2), .integer(3)]])
            == "a,b\n1,\n1,2\n")
    }

    /// The command line holds statement results as `any Cursor`.
    @Test func printsAnExistentialCursor() throws {
        let cursor: any Cursor = ArrayCursor(columns: [ColumnDescription(name: "n")], rows: [[.integer(1)]])
        let sink = OutputSink.collecting()
        #expect(try ResultPrinter(options: OutputOptions(format: .jsonl)).print(cursor, to: sink) == 1)
        #expect(sink.collectedText == "{\"n\":1}\n")
    }

    @Test func csvQuotesTheHeaderToo() throws {
        #expect(try printed(.csv, ["a,b", "", "c"], []) == "\"a,b\",\"\",c\n")
    }

    @Test func sqlQuotesOddIdentifiers() throws {
        let text = try printed(.sql, ["id", "Name", "select"], [[.integer(1), .bool(false), .blob([1])]])
        #expect(text == "INSERT INTO result (id, \"Name\", \"select\") VALUES (1, FALSE, X'01');\n")
    }

    /// In PostgreSQL `-0.0` is a numeric constant, which has no negative zero: the float8 it
    /// is cast to would be 0. SQLite reads `-0.0` as a real.
    @Test func sqlKeepsNegativeZero() throws {
        for (dialect, literal) in [(Dialect.sqlite, "-0.0"), (.postgres, "'-0'")] {
            let sink = OutputSink.collecting()
            let options = OutputOptions(format: .sql, dialect: dialect)
            try ResultPrinter(options: options).print(value: .real(-0.0), to: sink)
            #expect(sink.collectedText == literal + "\n")
        }
    }

    @Test func sinkWritesEverythingToAFileDescriptor() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soup-sink-\(getpid())").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        defer { unlink(path) }
        let sink = OutputSink(fileDescriptor: descriptor)
        let cursor = GeneratedCursor(count: 20_000)  // 20000 is a NULL amount
        try ResultPrinter(options: OutputOptions(format: .csv)).print(cursor, to: sink)
        try sink.flush()
        close(descriptor)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 20_001)
        #expect(lines.last == "20000,a rather longer name 0,,\"note, \"\"quoted\"\" 1\"")
    }

    /// A reader that goes away stops a long result with `brokenPipe`, not a crash or a hang.
    @Test func brokenPipeStopsTheResult() throws {
        signal(SIGPIPE, SIG_IGN)
        // Close-on-exec: a child that another test spawns meanwhile must not hold the reading
        // end, or the writes fill the pipe and wait for that child instead of failing.
        let (read, write) = try FileDescriptor.makePipe()
        read.close()
        defer { write.close() }
        let sink = OutputSink(fileDescriptor: write.rawValue)
        let cursor = GeneratedCursor(count: 1_000_000)
        #expect(throws: OutputError.brokenPipe) {
            try ResultPrinter(options: OutputOptions(format: .csv)).print(cursor, to: sink)
        }
        #expect(throws: OutputError.brokenPipe) { try sink.flush() }
    }
}

extension PrinterTests {
    /// The example in `MarkdownWriter`'s documentation.
    @Test func markdownDocumentationExample() throws {
        let text = try printed(.markdown, ["id", "name", "note"], [
            [.integer(1), .text("alice"), .text("a\nb")], [.integer(2), .text("a|b"), .null],
        ])
        #expect(text == """
            |  id | name  | note   |
            |----:|-------|--------|
            |   1 | alice | a<br>b |
            |   2 | a\\|b  |        |

            """)
    }

    /// GitHub splits a row at every pipe not escaped by a backslash, and `\\` is an escaped
    /// backslash: backslashes before a pipe are doubled so the pipe stays escaped.
    @Test func markdownKeepsBackslashPipeInOneCell() throws {
        let text = try printed(.markdown, ["a", "b"], [[.text(#"x\|y"#), .text(#"\\|"#)], [.text(#"C:\dir"#), .text("z")]])
        #expect(text == #"""
            | a      | b      |
            |--------|--------|
            | x\\\|y | \\\\\| |
            | C:\dir | z      |

            """#)
    }
}

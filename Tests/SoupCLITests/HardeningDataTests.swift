import Foundation
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Testing

/// Hostile data through the real binary, in every output format: invalid UTF-8 and NUL bytes
/// in text, a 100 MB value (10 MB in most formats), 10,000-column results, and tables and
/// columns named with SQL keywords, quotes, dots, spaces and emoji, read by SQL and edited
/// through the soup language.
/// Everything is displayed or refused with a clear message; nothing crashes.
@Suite("Hardening: hostile data")
struct HardeningDataTests {
    static let formats = ["table", "expanded", "csv", "tsv", "json", "jsonl", "markdown", "sql"]

    /// The table `select` with columns named `from`, `it's "q"`, `a.b`, `two words`, `🍲`.
    static let weirdTable = #"""
        CREATE TABLE "select" (id integer PRIMARY KEY, "from" text, "it's ""q""" text, "a.b" text,
            "two words" text, "🍲" text);
        INSERT INTO "select" VALUES (1, CAST(x'C328FF' AS TEXT), CAST(x'610062' AS TEXT), 'plain', 'two', '😀');
        INSERT INTO "select" VALUES (2, 'ok', NULL, '', ' ', CAST(x'EDA080' AS TEXT));
        """#

    private func sqliteDatabase(_ directory: TemporaryDirectory, _ script: String) throws -> String {
        let path = directory.file(named: "hostile.db")
        let connection = try SQLiteConnection(location: .file(path: path), mode: .readWriteCreate)
        try connection.executeScript(script)
        connection.close()
        return path
    }

    /// A result is clean: the expected status, no crash report, and output in JSON formats
    /// that parses.
    static func checkClean(_ result: ProcessResult, format: String, status: Int32 = 0, _ what: String) {
        #expect(result.status == status, "\(what) -f \(format): \(result.stderr.prefix(2000))")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(what)")
        guard status == 0 else { return }
        #expect(!result.stdout.isEmpty, "\(what) -f \(format) printed nothing")
        if format == "json" || format == "jsonl" {
            for document in jsonDocuments(result.stdout) {
                let parsed = try? JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)
                #expect(parsed != nil, "\(what) -f \(format): bad JSON \(document.prefix(300))")
            }
        }
    }

    /// The documents of `json` output (an array over lines `[` … `]`, or one line) or `jsonl`.
    static func jsonDocuments(_ output: String) -> [String] {
        var documents: [String] = []
        var open: [Substring]?
        for line in output.split(separator: "\n") {
            if open != nil {
                open!.append(line)
                if line == "]" {
                    documents.append(open!.joined(separator: "\n"))
                    open = nil
                }
            } else if line == "[" {
                open = [line]
            } else {
                documents.append(String(line))
            }
        }
        return documents + (open.map { [$0.joined(separator: "\n")] } ?? [])
    }

    @Test("odd names, invalid UTF-8 and NUL bytes in every format, by SQL and by soup", arguments: formats)
    func weirdTableInEveryFormat(format: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try sqliteDatabase(directory, Self.weirdTable)
        let reads = [
            #"SELECT * FROM "select" ORDER BY id"#,
            "db.entity('select').all()",
            #"w = db.entity('select'); w.filter_by(**{'it\'s "q"': 'a\x00b'}).all()"#,
            "db.entity('select').with_entities(db.entity('select').c.id).order_by(db.entity('select').c.id).all()",
            "db.entity('select').get(1)",
        ]
        for read in reads {
            Self.checkClean(try SoupBinary.run(["query", path, "-f", format, read]), format: format, read)
        }
        let edit = try SoupBinary.run([
            "query", path, "-f", format,
            #"w = db.entity('select')"#,
            #"w.insert(**{'id': 3, 'from': 'select', "it's \"q\"": '\'; DROP TABLE "select"; --', 'a.b': 'x\x00y', 'two words': '2', '🍲': '🍲'})"#,
            "db.flush()",
            #"w.filter_by(**{'a.b': 'plain'}).update({'two words': 'updated', '🍲': 'é\u0301'})"#,
            "row = w.get(2)", "row['two words']", "db.commit()",
            #"w.filter(w.c.id >= 1).order_by(w.c.id).all()"#,
        ])
        Self.checkClean(edit, format: format, "edit")
        let connection = try SQLiteConnection(location: .file(path: path), mode: .readOnly)
        defer { connection.close() }
        let stored = try connection.query(#"SELECT "it's ""q""", "a.b", "two words", "🍲" FROM "select" WHERE id = 3"#, []).next()
        #expect(stored == [.text("'; DROP TABLE \"select\"; --"), .text("x\u{0}y"), .text("2"), .text("🍲")])
        let updated = try connection.query(#"SELECT "two words", "🍲" FROM "select" WHERE id = 1"#, []).next()
        #expect(updated == [.text("updated"), .text("é\u{301}")])
    }

    /// A big value in every format: 100 MB through csv and jsonl, 10 MB through the others
    /// (the same code at a tenth of the time: 100 MB in all eight cost CI about four minutes).
    static let bigValues: [(format: String, megabytes: Int, peakLimitMegabytes: Int)] = [
        ("csv", 100, 600), ("jsonl", 100, 600),
        ("table", 10, 150), ("expanded", 10, 150), ("tsv", 10, 150), ("json", 10, 150), ("markdown", 10, 150), ("sql", 10, 150),
    ]

    @Test("a big value in every format: printed in full, peak memory bounded", arguments: bigValues)
    func bigValue(format: String, megabytes: Int, peakLimitMegabytes: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try sqliteDatabase(
            directory,
            "CREATE TABLE big (id integer PRIMARY KEY, v text); INSERT INTO big VALUES (1, hex(zeroblob(\(megabytes * 500_000))));")
        let result = try SoupBinary.runMeasuringMemory(["query", path, "-f", format, "SELECT id, v FROM big"], timeout: 600)
        Self.checkClean(result, format: format, "\(megabytes) MB value")
        #expect(result.stdout.utf8.count >= megabytes * 1_000_000, "\(result.stdout.utf8.count) bytes")
        #expect(result.stdout.contains(String(repeating: "0", count: 1000)), "the value is not in the output")
        #expect(result.maxRSSKilobytes < peakLimitMegabytes * 1000, "peak \(result.maxRSSKilobytes) kB")
        print("\(megabytes) MB value -f \(format): \(result.stdout.utf8.count) bytes out, peak \(result.maxRSSKilobytes) kB")
    }

    @Test("10,000 result columns: refused with the engine's clear message; its maximum prints in every format")
    func tenThousandColumns() throws {
        let wide = "SELECT " + (1...10_000).map { "\($0) AS c\($0)" }.joined(separator: ", ")
        let refused = try SoupBinary.run(["run", "sqlite::memory:", "-"], stdin: wide)
        Self.checkClean(refused, format: "table", status: 1, "10,000 columns")
        #expect(refused.stderr.contains("too many columns"), "\(refused.stderr.prefix(500))")
        let widest = "SELECT " + (1...2_000).map { "'v\($0)' AS \"c \($0)\"" }.joined(separator: ", ")
        for format in Self.formats {
            let result = try SoupBinary.run(["query", "sqlite::memory:", "-f", format, widest])
            Self.checkClean(result, format: format, "2,000 columns")
            #expect(result.stdout.contains("v2000"))
        }
    }

    @Test("PostgreSQL: odd names, a NUL byte refused clearly (it was cut off and stored), bytes that are not UTF-8 refused, 10,000 columns refused")
    func postgres() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        try server.run(sql: Self.weirdTable.replacing(#"CAST(x'C328FF' AS TEXT)"#, with: "'é'")
            .replacing(#"CAST(x'610062' AS TEXT)"#, with: "'a'").replacing(#"CAST(x'EDA080' AS TEXT)"#, with: "'x'"), url: url)
        for format in Self.formats {
            let read = try SoupBinary.run(["query", url, "-f", format, #"SELECT * FROM "select""#, "db.entity('select').all()"])
            Self.checkClean(read, format: format, "PostgreSQL odd names")
        }
        let edit = try SoupBinary.run([
            "query", url, "w = db.entity('select')",
            #"w.insert(**{'id': 3, 'from': 'select', "it's \"q\"": '\'; DROP TABLE "select"; --', '🍲': '🍲'})"#,
            #"w.filter_by(**{'a.b': 'plain'}).update({'two words': 'updated'})"#, "db.commit()",
        ])
        Self.checkClean(edit, format: "table", "PostgreSQL edit")
        #expect(try server.run(sql: #"SELECT "it's ""q""" FROM "select" WHERE id = 3"#, url: url) == #"'; DROP TABLE "select"; --"#)
        let nul = try SoupBinary.run(["query", url, "db.entity('select').insert(id=4, **{'a.b': 'x\\x00y'})", "db.commit()"])
        Self.checkClean(nul, format: "table", status: 1, "NUL byte")
        #expect(nul.stderr.contains("0x00") || nul.stderr.contains("NUL"), "\(nul.stderr)")
        #expect(try server.run(sql: #"SELECT count(*) FROM "select""#, url: url) == "3")

        let name = "ascii_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try server.run(sql: "CREATE DATABASE \(name) ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
        let ascii = server.url(database: name)
        try server.run(sql: #"CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, E'\xc3\x28\xff'), (2, E'ok\x80');"#, url: ascii)
        // soup reads PostgreSQL text as UTF-8, so the server itself refuses to send these bytes.
        let refusedBytes = try SoupBinary.run(["query", ascii, "SELECT * FROM t"])
        Self.checkClean(refusedBytes, format: "table", status: 1, "invalid UTF-8 from PostgreSQL")
        #expect(refusedBytes.stderr.contains("SQLSTATE 22021"), "\(refusedBytes.stderr)")
        let wide = "SELECT " + (1...10_000).map { "\($0) AS c\($0)" }.joined(separator: ", ")
        let refused = try SoupBinary.run(["run", url, "-"], stdin: wide)
        Self.checkClean(refused, format: "table", status: 1, "10,000 columns")
        #expect(refused.stderr.contains("target lists can have at most"), "\(refused.stderr.prefix(500))")
    }

    /// A NUL byte in a script's SQL used to cut the statement short in both C libraries, so
    /// `DELETE … WHERE a > 0<NUL> AND a > 5` deleted every row.
    @Test("a NUL byte inside SQL is refused at its position, before anything runs", arguments: ["sqlite", "postgres"])
    func nulByteInSQL(engine: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = engine == "sqlite"
            ? try sqliteDatabase(directory, "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2);")
            : try PostgresServer.shared().makeDatabase()
        if engine == "postgres" {
            try PostgresServer.shared().run(sql: "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2);", url: database)
        }
        let script: [UInt8] = Array("DELETE FROM t WHERE a > 0".utf8) + [0] + Array(" AND a > 5;\n".utf8)
        let result = try SoupBinary.run(["run", database, "-"], stdin: script)
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:1:26: a NUL byte in SQL"), "\(result.stderr)")
        let executed = try SoupBinary.run(["query", database, "db.execute('DELETE FROM t WHERE a > 0\\x00 AND a > 5')"])
        #expect(executed.status == 1)
        #expect(executed.stderr.contains("NUL byte"), "\(executed.stderr)")
        let count = try SoupBinary.run(["query", database, "-f", "csv", "SELECT count(*) AS n FROM t"])
        #expect(count.stdout == "n\n2\n")
    }
}

import Foundation
import SoupTestSupport
import Testing

/// `soup import`, end to end on both engines: type inference, hostile CSV, errors with their
/// lines, all or nothing, --continue, conflicts, routing and memory.
@Suite("soup import")
struct ImportCommandTests {
    @Test("--create infers each type, widens mixed columns to text, and makes empty columns text", arguments: TransferEngine.allCases)
    func inference(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        var csv = "flag,small,big,ratio,price,day,stamp,zoned,uid,doc,bin,mixed,leading,empty,word\n"
        for index in 0..<300 {
            csv += [
                index % 2 == 0 ? "t" : "FALSE", "\(index - 150)", "\(Int64(index) * 10_000_000_000)", "\(index).5",
                "\(index).\(index % 10)0", "2024-0\(index % 9 + 1)-1\(index % 10)", "2024-01-02 03:04:0\(index % 10)",
                "2024-01-02T03:04:05+0\(index % 10):00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a\(String(format: "%02d", index % 100))",
                "\"{\"\"k\"\": \(index)}\"", "\\x0\(index % 10)", index == 299 ? "abc" : "\(index)", "0\(index)", "",
                "w\(index)",
            ].joined(separator: ",") + "\n"
        }
        let file = try writeFile(csv, named: "types.csv", in: directory)
        let dry = try soup(["import", database, "types", file, "--create", "--dry-run"])
        #expect(dry.contains("-- dry run: 300 rows would be imported into types (created); nothing was changed"))
        try soup(["import", database, "types", file, "--create"])
        let types = try columnTypes("types", in: database)
        let postgres = engine == .postgres
        #expect(types["flag"] == "boolean")
        #expect(types["small"] == "integer")
        #expect(types["big"] == "integer")
        #expect(types["ratio"] == "real")
        #expect(types["price"] == (postgres ? "decimal" : "real"))
        #expect(types["day"] == "date")
        #expect(types["stamp"] == "timestamp")
        #expect(types["zoned"] == (postgres ? "timestamptz" : "text"))
        #expect(types["uid"] == (postgres ? "uuid" : "text"))
        #expect(types["doc"] == (postgres ? "json" : "text"))
        #expect(types["bin"] == "blob")
        #expect(types["mixed"] == "text")
        #expect(types["leading"] == "text")
        #expect(types["empty"] == "text")
        #expect(types["word"] == "text")
        if postgres {
            // No column is called id: an identity column is the key.
            #expect(types["id"] == "integer")
            let declared = try soup(["query", database, "-f", "csv", "SELECT data_type FROM information_schema.columns WHERE table_name = 'types' AND column_name IN ('small', 'big') ORDER BY column_name"])
            #expect(declared == "data_type\nbigint\ninteger\n")
        }
        #expect(try rows("types", in: database, columns: "count(*) AS n") == "n\n300\n")
    }

    @Test("--infer-rows types from a sample and widens a column on the fly when a later value does not fit", arguments: TransferEngine.allCases)
    func inferRows(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        var csv = "n,ratio,word\n"
        for index in 0..<1000 { csv += "\(index),\(index).5,w\(index)\n" }
        csv += "3000000000,1e400,w\nnot a number,2.5,w\n"
        let file = try writeFile(csv, named: "late.csv", in: directory)
        let result = try SoupBinary.run(["import", database, "late", file, "--create", "--infer-rows", "100"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "imported 1002 rows into late (created)\n")
        let postgres = engine == .postgres
        #expect(result.stderr.contains("column \"ratio\": \(postgres ? "double precision widened to text" : "REAL widened to TEXT") at line 1002"))
        #expect(result.stderr.contains("column \"n\": \(postgres ? "integer widened to bigint at line 1002" : "INTEGER widened to TEXT at line 1003")"))
        let types = try columnTypes("late", in: database)
        #expect(types["n"] == "text")
        #expect(types["ratio"] == "text")
        let late = try soup(["query", database, "-f", "csv", "SELECT n, ratio FROM late WHERE word = 'w' ORDER BY n"])
        #expect(late == "n,ratio\n3000000000,1e400\nnot a number,2.5\n")
        #expect(try soup(["query", database, "-f", "csv", "SELECT ratio FROM late WHERE n = '7'"]) == "ratio\n7.5\n")
        #expect(try rows("late", in: database, columns: "count(*) AS n") == "n\n1002\n")
    }

    @Test("on a terminal, a large import shows a progress bar on standard error, erased at the end")
    func progressBar() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var csv = "id,text\n"
        let padding = String(repeating: "p", count: 90)
        for index in 0..<60_000 { csv += "\(index),\(padding)\n" }
        let file = try writeFile(csv, named: "large.csv", in: directory)
        let terminal = try PseudoTerminal.soup(["import", directory.file(named: "t.db"), "t", file, "--create"])
        let shown = try terminal.expect("imported 60000 rows into t (created)", within: 120)
        #expect(shown.contains("inferring types ["))
        #expect(shown.contains("% 5.8 MB/5.8 MB") || shown.contains("rows/s"))
        #expect(shown.contains("\r\u{1B}[K"))
        #expect(try terminal.waitForExit(within: 30) == 0)
    }

    @Test("hostile CSV: quotes, embedded newlines, CRLF, a BOM, a 10 MB field", arguments: TransferEngine.allCases)
    func hostile(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        let big = String(repeating: "0123456789", count: 1_000_000)
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("n,text\r\n1,\"say \"\"hi\"\", then\r\nleave\"\r\n2,\r\n3,\"\"\r\n4,plain \"inner\" quote\r\n5,\"\(big)\"\r\n6,\"tail\"er\r\n".utf8)
        let file = try writeFile(bytes: bytes, named: "hostile.csv", in: directory)
        try soup(["import", database, "hostile", file, "--create"])
        let out = try soup(["query", database, "-f", "jsonl", "SELECT n, length(text) AS size, substr(text, 1, 30) AS start FROM hostile ORDER BY n"])
        #expect(out == """
            {"n":1,"size":21,"start":"say \\"hi\\", then\\r\\nleave"}
            {"n":2,"size":null,"start":null}
            {"n":3,"size":0,"start":""}
            {"n":4,"size":19,"start":"plain \\"inner\\" quote"}
            {"n":5,"size":10000000,"start":"012345678901234567890123456789"}
            {"n":6,"size":6,"start":"tailer"}

            """)
    }

    @Test("a ragged row, an unclosed quote and invalid UTF-8 stop the import with their line")
    func malformed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.file(named: "t.db")
        let ragged = try writeFile("a,b\n1,2\n3\n4,5\n", named: "ragged.csv", in: directory)
        var result = try SoupBinary.run(["import", database, "t", ragged, "--create"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ragged.csv:3: the row has 1 field, the header 2"))
        let unclosed = try writeFile("a,b\n1,\"open\n2,3\n", named: "unclosed.csv", in: directory)
        result = try SoupBinary.run(["import", database, "t", unclosed, "--create"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unclosed.csv:2: a quoted field is not closed before the end of the file"))
        let latin1 = try writeFile(bytes: Array("name\nRen".utf8) + [0xE9] + Array("\n".utf8), named: "latin1.csv", in: directory)
        result = try SoupBinary.run(["import", database, "t", latin1, "--create"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("latin1.csv:2:1: column \"name\": the value is not valid UTF-8"))
        try soup(["import", database, "t", latin1, "--create", "--encoding", "latin1"])
        #expect(try rows("t", in: database) == "name\nRené\n")
    }

    @Test("a bad row at line 500,000 leaves the table unchanged", arguments: TransferEngine.allCases)
    func allOrNothing(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        try soup(["query", database, "--create", "CREATE TABLE t (id integer PRIMARY KEY, amount integer, note text)", "INSERT INTO t VALUES (0, 0, 'before')"])
        var csv = "id,amount,note\n"
        csv.reserveCapacity(12_000_000)
        for index in 1..<500_000 { csv += "\(index),\(index % 1000),row \(index)\n" }
        csv += "500000,abc,the bad one\n500001,1,after\n"
        let file = try writeFile(csv, named: "big.csv", in: directory)
        let result = try SoupBinary.run(["import", database, "t", file], timeout: 600)
        #expect(result.status == 1)
        #expect(result.stderr.contains("big.csv:500001:8: column \"amount\": 'abc' is not an integer"))
        #expect(try rows("t", in: database) == "id,amount,note\n0,0,before\n")
    }

    @Test("a row the database refuses names its line; --continue skips it, reports it and exits 1", arguments: TransferEngine.allCases)
    func continueOnError(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        try soup(["query", database, "--create", "CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL)"])
        let file = try writeFile("id,n\n1,10\n2,x\n3,30\n1,40\n4,\n5,50\n", named: "some-bad.csv", in: directory)
        var result = try SoupBinary.run(["import", database, "t", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("some-bad.csv:3:3: column \"n\": 'x' is not an integer"))
        #expect(try rows("t", in: database) == "id,n\n")
        result = try SoupBinary.run(["import", database, "t", file, "--continue"])
        #expect(result.status == 1)
        #expect(result.stdout == "imported 3 rows into t\n")
        #expect(result.stderr.contains("soup: skipped 3 bad rows:"))
        #expect(result.stderr.contains("some-bad.csv:3:3: column \"n\": 'x' is not an integer"))
        #expect(result.stderr.contains("some-bad.csv:5"))
        #expect(result.stderr.contains("some-bad.csv:6"))
        #expect(try rows("t", in: database) == "id,n\n1,10\n3,30\n5,50\n")
    }

    @Test("header names match as the database folds them; an unknown one lists the columns with a did-you-mean", arguments: TransferEngine.allCases)
    func headerMatching(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        try soup(["query", database, "--create", "CREATE TABLE people (id integer PRIMARY KEY, name text, email text DEFAULT 'none')"])
        let good = try writeFile("NAME,Id\nAnn,1\n", named: "good.csv", in: directory)
        try soup(["import", database, "people", good])
        #expect(try rows("people", in: database) == "id,name,email\n1,Ann,none\n")
        let bad = try writeFile("id,nmae\n2,Bo\n", named: "bad.csv", in: directory)
        let result = try SoupBinary.run(["import", database, "people", bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("'people' has no column 'nmae'; did you mean 'name'?"))
        #expect(result.stderr.contains("HINT:  its columns: id, name, email"))
        let missing = try SoupBinary.run(["import", database, "peopel", bad])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no table 'peopel'; did you mean 'people'?"))
    }

    @Test("--upsert, --replace and --truncate", arguments: TransferEngine.allCases)
    func conflicts(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        try soup(["query", database, "--create", "CREATE TABLE t (id integer PRIMARY KEY, name text, note text DEFAULT 'fresh')", "INSERT INTO t VALUES (1, 'old', 'kept'), (2, 'two', 'kept')"])
        let file = try writeFile("id,name\n1,new\n3,three\n", named: "t.csv", in: directory)
        let refused = try SoupBinary.run(["import", database, "t", file])
        #expect(refused.status == 1)
        try soup(["import", database, "t", file, "--upsert"])
        #expect(try rows("t", in: database) == "id,name,note\n1,new,kept\n2,two,kept\n3,three,fresh\n")
        let again = try writeFile("id,name\n1,newer\n", named: "again.csv", in: directory)
        try soup(["import", database, "t", again, "--replace"])
        #expect(try rows("t", in: database) == "id,name,note\n1,newer,fresh\n2,two,kept\n3,three,fresh\n")
        try soup(["import", database, "t", again, "--truncate"])
        #expect(try rows("t", in: database) == "id,name,note\n1,newer,fresh\n")
    }

    @Test("standard input, --no-header, --delimiter and --null; --create makes a missing SQLite file")
    func options() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.file(named: "new.db")
        try soup(["import", database, "t", "-", "--create", "--no-header", "--delimiter", ";", "--null", "NULL"], stdin: "1;a b;NULL\n2;;x\n")
        #expect(try rows("t", in: database) == "c1,c2,c3\n1,a b,\n2,\"\",x\n")
        #expect(try columnTypes("t", in: database)["c1"] == "integer")
        let tsv = try writeFile("c1\tc2\tc3\n3\ttab\\there\t\\N\n", named: "more.tsv", in: directory)
        try soup(["import", database, "t", tsv])
        #expect(try rows("t", in: database, columns: "c2", orderBy: "c1").hasSuffix("\ntab\there\n"))
    }

    @Test("--read-only refuses an import; the audit log records one entry for it")
    func routing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.file(named: "app.db")
        try soup(["query", database, "--create", "CREATE TABLE t (id integer PRIMARY KEY, n integer)"])
        var csv = "id,n\n"
        for index in 1...100 { csv += "\(index),\(index)\n" }
        let file = try writeFile(csv, named: "t.csv", in: directory)
        let refused = try SoupBinary.run(["import", database, "t", file, "--read-only"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("read-only"))
        let config = try writeFile(
            """
            [profile.app.bindings.writer]
            url = "sqlite:///\(database)"
            [profile.app.bindings.logger]
            url = "sqlite:///\(directory.file(named: "audit.db"))"
            """, named: "soup.toml", in: directory)
        try soup(["import", "app", "t", file, "--config", config])
        let audit = try soup(["query", directory.file(named: "audit.db"), "-f", "csv", "SELECT binding, statement, outcome FROM soup_audit_log"])
        #expect(audit == "binding,statement,outcome\nwriter,import \(file) into t: 100 rows,ok\n")
        #expect(try rows("t", in: database, columns: "count(*) AS n") == "n\n100\n")
    }

    @Test("memory stays flat: 300,000 rows (24 MB) import in well under the file's size", arguments: TransferEngine.allCases)
    func flatMemory(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        var csv = "id,kind,amount,created_at,payload\n"
        csv.reserveCapacity(25_000_000)
        let padding = String(repeating: "x", count: 40)
        for index in 1...300_000 {
            csv += "\(index),kind\(index % 7),\(index % 1000).25,2024-01-02 03:04:05,\"\(padding) \(index), \"\"q\"\"\"\n"
        }
        let file = try writeFile(csv, named: "events.csv", in: directory)
        let result = try SoupBinary.runMeasuringMemory(["import", database, "events", file, "--create"], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "imported 300000 rows into events (created)\n")
        // Standard error is not a terminal here: no progress bar, nothing at all.
        #expect(result.stderr == "")
        // The file is 24 MB; two passes and the load must not hold it.
        #expect(result.maxRSSKilobytes < 40 * 1024, "peak \(result.maxRSSKilobytes) KiB")
    }
}

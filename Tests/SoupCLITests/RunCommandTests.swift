import Foundation
import SoupTestSupport
import Testing

/// `soup run` and `soup DB < script` with their transaction modes (the README's "Using it").
@Suite("soup run, end to end")
struct RunCommandTests {
    /// A SQLite database with a table `t (id, v)` holding one row, and a script file.
    private func sqlite(_ script: String) throws -> (TemporaryDirectory, db: String, file: String) {
        let directory = try TemporaryDirectory()
        let db = directory.file(named: "r.db")
        let setup = try SoupBinary.run(["query", db, "--create", "CREATE TABLE t (id integer PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'one')"])
        #expect(setup.status == 0, "\(setup.stderr)")
        let file = directory.file(named: "script.soup")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        return (directory, db, file)
    }

    private func count(_ db: String) throws -> String {
        try SoupBinary.run(["query", db, "-f", "csv", "SELECT count(*) AS n FROM t"]).stdout
    }

    /// Four statements, the fourth failing at line 5, column 8.
    static let failingScript = """
        t.insert(id=2, v='two')
        INSERT INTO t VALUES (3, 'three');
        x = t.get(1); x.v = 'changed'
        # the fourth statement fails
        SELECT nope FROM t;
        """

    @Test("the fourth statement fails: exit 1, FILE:LINE:COL, nothing committed (SQLite)")
    func failureRollsBackSQLite() throws {
        let (directory, db, file) = try sqlite(Self.failingScript)
        defer { directory.remove() }
        let result = try SoupBinary.run(["run", db, file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):5:8: ERROR:  no such column: nope"), "\(result.stderr)")
        #expect(try count(db) == "n\n1\n")
        #expect(try SoupBinary.run(["query", db, "-f", "csv", "SELECT v FROM t"]).stdout == "v\none\n")
    }

    @Test("the fourth statement fails: exit 1, SQLSTATE, nothing committed, seen from a second connection (PostgreSQL)")
    func failureRollsBackPostgres() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        try server.run(sql: "CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one')", url: url)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file(named: "script.soup")
        try Self.failingScript.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try SoupBinary.run(["run", url, file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):5:8: ERROR:  column \"nope\" does not exist (SQLSTATE 42703)"), "\(result.stderr)")
        #expect(try server.run(sql: "SELECT count(*) || ' ' || max(v) FROM t", url: url) == "1 one")
    }

    @Test("--tx statement keeps what came before the error; --continue goes on and exits 1")
    func statementModeAndContinue() throws {
        let (directory, db, file) = try sqlite(Self.failingScript + "\nt.insert(id=9, v='after')\n")
        defer { directory.remove() }
        let statement = try SoupBinary.run(["run", db, file, "--tx", "statement"])
        #expect(statement.status == 1)
        #expect(try count(db) == "n\n3\n")
        #expect(try SoupBinary.run(["query", db, "-f", "csv", "SELECT v FROM t WHERE id = 1"]).stdout == "v\nchanged\n")

        let (directory2, db2, file2) = try sqlite("t.insert(id=2, v='a')\nSELECT nope;\nt.insert(id=3, v='b')\nSELECT nada;\nt.insert(id=4, v='c')\n")
        defer { directory2.remove() }
        let continued = try SoupBinary.run(["run", db2, file2, "--continue"])
        #expect(continued.status == 1)
        #expect(continued.stderr.contains("\(file2):2:8: ERROR:  no such column: nope"))
        #expect(continued.stderr.contains("\(file2):4:8: ERROR:  no such column: nada"))
        #expect(try count(db2) == "n\n4\n")
    }

    @Test("--tx none needs an explicit commit()")
    func noneMode() throws {
        let (directory, db, file) = try sqlite("t.insert(id=2, v='two')\n")
        defer { directory.remove() }
        let uncommitted = try SoupBinary.run(["run", db, file, "--tx", "none"])
        #expect(uncommitted.status == 0)
        #expect(uncommitted.stderr.contains("uncommitted changes were rolled back"))
        #expect(try count(db) == "n\n1\n")
        try "t.insert(id=2, v='two')\ndb.commit()\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try SoupBinary.run(["run", db, file, "--tx", "none"]).status == 0)
        #expect(try count(db) == "n\n2\n")
    }

    @Test("--dry-run runs everything, reports what would have been committed, and rolls back")
    func dryRun() throws {
        let (directory, db, file) = try sqlite("r = t.insert(id=2, v='two')\nUPDATE t SET v = 'x';\nt.count()\n")
        defer { directory.remove() }
        let result = try SoupBinary.run(["run", db, file, "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout == "2\n")
        #expect(result.stderr.contains("would have committed 1 statement(s) changing 2 row(s) and 1 session write(s)"), "\(result.stderr)")
        #expect(try count(db) == "n\n1\n")
    }

    @Test("a script of reads runs in a READ ONLY transaction on PostgreSQL")
    func readOnlyTransaction() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        try server.run(sql: "CREATE TABLE t (id integer PRIMARY KEY, v text)", url: url)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reads = directory.file(named: "reads.soup")
        try "t.count()\nSELECT current_setting('transaction_read_only') AS ro;\n".write(toFile: reads, atomically: true, encoding: .utf8)
        let readOnly = try SoupBinary.run(["run", url, reads, "-f", "csv"])
        #expect(readOnly.stdout == "0\nro\non\n", "\(readOnly.stderr)")
        let writes = directory.file(named: "writes.soup")
        try "r = t.insert(id=1, v='x')\nSELECT current_setting('transaction_read_only') AS ro;\n".write(toFile: writes, atomically: true, encoding: .utf8)
        #expect(try SoupBinary.run(["run", url, writes, "-f", "csv"]).stdout == "ro\noff\n")
    }

    @Test("soup run DB - and soup DB < file behave the same")
    func standardInput() throws {
        let script = "t.count()\nSELECT v FROM t;\nt.get(1).v\n"
        let (directory, db, _) = try sqlite(script)
        defer { directory.remove() }
        let run = try SoupBinary.run(["run", db, "-"], stdin: script)
        let piped = try SoupBinary.run([db], stdin: script)
        #expect(run.status == 0)
        #expect(run.stdout == piped.stdout)
        #expect(run.stdout.hasPrefix("1\n"))
        #expect(!piped.stdout.contains("soup:"))
        let failing = try SoupBinary.run([db], stdin: "SELECT nope;\n")
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("<stdin>:1:8:"))
    }

    @Test("a generated 100,000-statement script runs in one transaction")
    func largeScript() throws {
        let (directory, db, file) = try sqlite("")
        defer { directory.remove() }
        var script = ""
        for id in 2...50_001 {
            script += "INSERT INTO t VALUES (\(id), 'v\(id)');\n"
            script += "t.insert(id=\(id + 100_000), v='s\(id)')\n"
        }
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try SoupBinary.runMeasuringMemory(["run", db, file, "--echo"], timeout: 300)
        #expect(result.status == 0, "\(result.stderr.suffix(500))")
        #expect(result.stderr.components(separatedBy: "\nBEGIN;").count == 1)
        #expect(result.stderr.components(separatedBy: "COMMIT;").count == 2)
        #expect(try count(db) == "n\n100001\n")
        // Read and run piece by piece: memory stays flat (the script itself is about 5 MB).
        #expect(result.maxRSSKilobytes < 80_000, "peak \(result.maxRSSKilobytes) kB")
        print("100,000-statement script: peak RSS \(result.maxRSSKilobytes) kB, \(result.elapsed) s")
    }

    @Test("errors deep in a long script (read in pieces) name the right line")
    func positionsInLongScripts() throws {
        let head = String(repeating: "x = 1\n", count: 4_500)
        let (directory, db, file) = try sqlite(head + "SELECT nope FROM t;\n")
        defer { directory.remove() }
        let failing = try SoupBinary.run(["run", db, file])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("\(file):4501:8: ERROR:  no such column: nope"), "\(failing.stderr)")
        try (head + "t.filter(t.v == 'x'\n").write(toFile: file, atomically: true, encoding: .utf8)
        let syntax = try SoupBinary.run(["run", db, file])
        #expect(syntax.status == 1)
        #expect(syntax.stderr.contains("\(file):4501:"), "\(syntax.stderr)")
        try (head + "t.filter(t.nope == 1).all()\n").write(toFile: file, atomically: true, encoding: .utf8)
        let soupError = try SoupBinary.run(["run", db, file])
        #expect(soupError.stderr.contains("\(file):4501:10: 't' has no column 'nope'"), "\(soupError.stderr)")
    }

    @Test("exit codes: 0, 1, 2, 64 and 130")
    func exitCodes() throws {
        let (directory, db, file) = try sqlite("t.count()\n")
        defer { directory.remove() }
        #expect(try SoupBinary.run(["run", db, file]).status == 0)
        #expect(try SoupBinary.run(["run", db, directory.file(named: "missing.soup")]).status == 1)
        #expect(try SoupBinary.run(["run", directory.file(named: "none.db"), file]).status == 2)
        #expect(try SoupBinary.run(["run", db]).status == 64)
        // A statement that never ends, streaming a row every thousand steps: Ctrl-C once the
        // first rows arrive (a 64 kB chunk), when the statement is surely running and soup's
        // handler installed, must end it with 130. (A cancel that does nothing runs into the
        // timeout with a few megabytes of output.)
        try "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x % 1000 = 0;\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let interrupted = try SoupBinary.run(
            ["run", db, file, "-f", "csv"], interruptWhen: .standardOutput(contains: "x\n1000\n"))
        #expect(interrupted.status == 130)
        #expect(interrupted.stderr.contains("interrupted"), "\(interrupted.stderr)")
    }
}

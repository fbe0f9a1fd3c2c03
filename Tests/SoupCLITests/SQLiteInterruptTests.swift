import Foundation
import SoupTestSupport
import Testing

/// Ctrl-C on SQLite is never lost: `sqlite3_interrupt` does nothing when no statement runs, so
/// soup remembers the cancel and stops the next statement, and a run interrupted after its last
/// statement commits nothing.
///
/// The interrupt comes while soup is blocked writing a large result to a pipe the test does not
/// read (an observable state, not a delay): one SQLite statement has finished and the next has
/// not started. The test reads on once soup says (`-v`) that it took the interrupt, so the
/// thread that waits for signals has run by then, however busy the machine.
@Suite("SQLite: a Ctrl-C between statements is remembered")
struct SQLiteInterruptTests {
    private func database() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "interrupt.db")
        let made = try SoupBinary.run([
            "query", path, "--create",
            "CREATE TABLE t (id integer PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'a')",
            "CREATE TABLE big (id integer PRIMARY KEY, pad text)",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) "
                + "INSERT INTO big SELECT x, printf('%0100d', x) FROM c",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        return (directory, path)
    }

    private func value(in path: String) throws -> String {
        try SoupBinary.run(["query", path, "-f", "csv", "SELECT v FROM t"]).stdout
    }

    @Test("inside one soup statement: the statement after the interrupt does not run")
    func betweenTwoStatementsOfOne() throws {
        let (directory, path) = try database()
        defer { directory.remove() }
        // Autocommit: without the remembered cancel, the UPDATE would run and stay.
        let result = try SoupBinary.run(
            ["query", path, "-v", "--tx", "none", "(print(big.all()), db.execute(\"UPDATE t SET v = 'changed'\"))", "t.count()"],
            timeout: 120, interruptWhen: .standardOutputBlocked(until: "soup: Ctrl-C"))
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted"), "\(result.stderr)")
        #expect(result.stdout.count > 300_000)
        let value = try value(in: path)
        #expect(value == "v\na\n", "\(value)")
    }

    @Test("after the last statement of a script: nothing is committed")
    func afterTheLastStatement() throws {
        let (directory, path) = try database()
        defer { directory.remove() }
        let script = directory.file(named: "long.soup")
        var text = "UPDATE t SET v = 'changed';\n"
        for index in 1...50 { text += "SELECT \(index) AS n;\n" }
        text += "print(big.all())\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try SoupBinary.run(["run", path, script, "-v"], timeout: 120, interruptWhen: .standardOutputBlocked(until: "soup: Ctrl-C"))
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted"), "\(result.stderr)")
        let value = try value(in: path)
        #expect(value == "v\na\n", "\(value)")
    }

    @Test("between statements of a long script: the rest does not run")
    func betweenStatementsOfALongScript() throws {
        let (directory, path) = try database()
        defer { directory.remove() }
        let script = directory.file(named: "long.soup")
        var text = "print(big.all())\n"
        for index in 1...200 { text += "INSERT INTO big (pad) VALUES ('row \(index)');\n" }
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try SoupBinary.run(["run", path, script, "--tx", "statement", "-v"], timeout: 120, interruptWhen: .standardOutputBlocked(until: "soup: Ctrl-C"))
        #expect(result.status == 130, "\(result.stderr)")
        let count = try SoupBinary.run(["query", path, "-f", "csv", "SELECT count(*) AS n FROM big"])
        #expect(count.stdout == "n\n3000\n", "\(count.stdout)")
    }
}

import Foundation
import SoupTestSupport
import Testing

/// Layouts where the layout is the point, printed by the real binary and compared byte for byte
/// with the files in `Golden/layout/` (`SOUP_UPDATE_GOLDEN=1` rewrites them; review the diff).
/// Widths matter, so those layouts are printed on a pseudo-terminal of 80 and 200 columns.
@Suite("Layouts of the real binary, compared with golden files")
struct LayoutGoldenTests {
    static let golden = GoldenDirectory(
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/layout"))

    static func check(_ actual: String, _ file: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let difference = golden.difference(actual, file) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
    }

    /// What `soup ARGUMENTS` printed on a terminal `columns` wide (`TERM=dumb`: no colour), with
    /// the terminal's line ends as `\n`.
    static func onTerminal(_ arguments: [String], columns: Int) throws -> String {
        let terminal = try PseudoTerminal.soup(arguments, columns: columns)
        let status = try terminal.waitForExit(within: 60)
        #expect(status == 0, "\(terminal.transcript)")
        return terminal.transcript.replacing("\r\n", with: "\n")
    }

    @Test("wrapped: columns share the width, long cells wrap, CJK and emoji counted in cells", arguments: [80, 200])
    func wrapped(columns: Int) throws {
        let (directory, path) = try REPLLayoutTests.fixture()
        defer { directory.remove() }
        let sql = "SELECT *, note || ' ' || note || ' ' || name AS twice FROM items"
        let shown = try Self.onTerminal(["query", path, "-f", "wrapped", sql], columns: columns)
        #expect(TerminalWidth.widest(shown) <= columns)
        Self.check(shown, "wrapped-\(columns).txt")
    }

    @Test("--expanded auto: expanded where the table is too wide for the terminal, a table where it fits", arguments: [80, 200])
    func automaticExpanded(columns: Int) throws {
        let (directory, path) = try REPLLayoutTests.fixture()
        defer { directory.remove() }
        let shown = try Self.onTerminal(["query", path, "--expanded", "auto", "SELECT * FROM items", "SELECT id, name FROM items"], columns: columns)
        Self.check(shown, "auto-\(columns).txt")
    }

    @Test("JSON cells pretty-printed in the expanded and wrapped layouts, kept on one line in the table")
    func prettyJSON() throws {
        let (directory, path) = try REPLLayoutTests.fixture()
        defer { directory.remove() }
        let sql = "SELECT id, doc FROM items WHERE id <= 2"
        var shown = ""
        for layout in [["--expanded", "on"], ["-f", "wrapped"], ["-f", "table"]] {
            shown += "-- " + layout.joined(separator: " ") + "\n"
            shown += try Self.onTerminal(["query", path, sql] + layout, columns: 80)
        }
        Self.check(shown, "json-80.txt")
    }

    @Test("the row-limit footer, in a table and in expanded records")
    func rowLimitFooter() throws {
        let (directory, path) = try ResultsTests.sqlite()
        defer { directory.remove() }
        let sql = "SELECT id, name, ms FROM tracks ORDER BY id;"
        let table = try SoupBinary.run(["query", path, "--limit", "3", sql])
        let expanded = try SoupBinary.run(["query", path, "--limit", "2", "--expanded", "on", sql])
        #expect(table.status == 0 && expanded.status == 0, "\(table.stderr)\(expanded.stderr)")
        Self.check(table.stdout + expanded.stdout, "limit-footer.txt")
    }

    @Test("the row-limit footer of a PostgreSQL read run as a cursor inside soup query's transaction")
    func postgresRowLimitFooter() throws {
        let url = try ResultsTests.postgres()
        let result = try SoupBinary.run(["query", url, "--limit", "3", "SELECT id, name, ms FROM tracks ORDER BY id;"])
        #expect(result.status == 0, "\(result.stderr)")
        Self.check(result.stdout, "limit-footer-postgres.txt")
    }

    @Test("SQLite plan trees: a full scan with advice, an index search, a join, a subquery")
    func sqlitePlans() throws {
        let (directory, path) = try ResultsTests.sqlite()
        defer { directory.remove() }
        let result = try SoupBinary.run([
            "query", path, "EXPLAIN QUERY PLAN SELECT * FROM tracks WHERE name = 'Track 5';",
            "tracks.filter(tracks.album_id == 3).explain()",
            "EXPLAIN SELECT t.name FROM tracks t JOIN albums a ON a.id = t.album_id WHERE a.title = 'Album 2';",
            "EXPLAIN SELECT title FROM albums WHERE id IN (SELECT album_id FROM tracks WHERE album_id > 300) ORDER BY title;",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        Self.check(result.stdout, "plan-sqlite.txt")
    }

    /// Costs and row estimates come from the statistics of the fixture: its tables are filled in
    /// one order, analyzed once with every row sampled (3,503 rows, under the 30,000 of a
    /// sample), and kept from autovacuum, so the same server version estimates the same plan.
    @Test("PostgreSQL plan trees with costs: a seq scan, an index scan, a join, the costliest step marked")
    func postgresPlans() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let fixed = ResultsTests.tracksSQL
            .replacing("NOT NULL);", with: "NOT NULL) WITH (autovacuum_enabled = off);")
            .replacing("ms integer);", with: "ms integer) WITH (autovacuum_enabled = off);")
        _ = try server.run(sql: fixed + "\nANALYZE albums;\nANALYZE tracks;", url: url)
        let result = try SoupBinary.run([
            "query", url, "EXPLAIN SELECT * FROM tracks WHERE name = 'Track 5';",
            "tracks.filter(tracks.id == 3).explain()",
            "EXPLAIN SELECT t.name FROM tracks t JOIN albums a ON a.id = t.album_id WHERE a.title LIKE 'Album 2%';",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        Self.check(result.stdout, "plan-postgres.txt")
    }
}

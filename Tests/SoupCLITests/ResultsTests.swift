import Foundation
import SoupTestSupport
import Testing

/// Looking at results (issue 21) and what commit() would make permanent: row limits, plans
/// drawn as trees, and `db.pending()` / `\pending` with old → new values, on the real binary,
/// the REPL through a pseudo-terminal at two widths, on both engines.
@Suite("Row limits, query plans and pending writes")
struct ResultsTests {
    /// 3,503 rows in `tracks` and an index on `album_id`, for both engines.
    static let tracksSQL = """
        CREATE TABLE albums (id integer PRIMARY KEY, title text NOT NULL);
        CREATE TABLE tracks (id integer PRIMARY KEY, album_id integer REFERENCES albums(id), name text, ms integer);
        CREATE INDEX tracks_album ON tracks (album_id);
        INSERT INTO albums SELECT n, 'Album ' || n FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 347) SELECT n FROM c) AS s;
        INSERT INTO tracks SELECT n, n % 347 + 1, 'Track ' || n, n * 1000 FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3503) SELECT n FROM c) AS s;
        """

    static func sqlite() throws -> (TemporaryDirectory, String) {
        try REPLTests.fixture(extra: "\n" + tracksSQL)
    }

    static func postgres() throws -> String {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        _ = try server.run(sql: tracksSQL + "\nANALYZE;", url: url)
        return url
    }

    static func run(_ input: String, on terminal: PseudoTerminal, prompt: String = "soup:t> ") throws -> String {
        terminal.send(input + "\r")
        try terminal.expectText(input + "\r\n", within: 15)
        return try terminal.expect(prompt, within: 60)
    }

    // MARK: Row limits

    @Test("the REPL shows 1,000 rows and says more were not read; \\limit changes it", arguments: [80, 200])
    func replLimit(columns: Int) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns)
        let first = try Self.run("SELECT id, name FROM tracks;", on: terminal)
        #expect(first.contains("(first 1,000 rows; more not read)"), "\(first.suffix(300))")
        #expect(first.contains("| Track 1000") && !first.contains("Track 1001"))
        #expect(try Self.run("\\limit 5", on: terminal).contains("at most 5 rows"))
        // all() streams when it is printed: the rest is not read either.
        let all = try Self.run("tracks.all()", on: terminal)
        #expect(all.contains("|        6 | Track 5 | 5000\r\n(first 5 rows; more not read)"), "\(all)")
        #expect(TerminalWidth.widest(all) <= columns)
        _ = try Self.run("\\limit 0", on: terminal)
        #expect(try Self.run("SELECT id FROM tracks;", on: terminal).contains("(3503 rows)"))
    }

    @Test("soup query is not limited unless --limit is given; csv says it on standard error")
    func queryLimit() throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let all = try SoupBinary.run(["query", path, "SELECT id FROM tracks;"])
        #expect(all.stdout.contains("(3503 rows)"))
        let limited = try SoupBinary.run(["query", path, "--limit", "3", "SELECT id FROM tracks ORDER BY id;"])
        #expect(limited.status == 0)
        #expect(limited.stdout.hasSuffix("  3\n(first 3 rows; more not read)\n\n"), "\(limited.stdout)")
        let csv = try SoupBinary.run(["query", path, "--limit", "2", "-f", "csv", "SELECT id FROM tracks ORDER BY id;"])
        #expect(csv.stdout == "id\n1\n2\n")
        #expect(csv.stderr.contains("(first 2 rows; more not read)"))
        #expect(try SoupBinary.run(["query", path, "--limit", "-1", "SELECT 1;"]).status == 64)
    }

    @Test("PostgreSQL: the rest is not read, outside a transaction or inside one, which goes on and commits")
    func postgresLimit() throws {
        let url = try Self.postgres()
        let terminal = try PseudoTerminal.soup([url, "--no-pager"], columns: 120)
        try terminal.expect("> ", within: 15)
        terminal.send("\\limit 10\r")
        try terminal.expect("at most 10 rows")
        terminal.send("SELECT id FROM tracks ORDER BY id;\r")
        let outside = try terminal.expect("more not read)", within: 30)
        #expect(outside.contains("10\r\n"))
        terminal.send("UPDATE albums SET title = 'x' WHERE id = 1;\r")
        try terminal.expect("UPDATE 1")
        // Inside the transaction the read runs as a cursor: no more is read, and nothing aborts.
        terminal.send("SELECT id FROM tracks ORDER BY id;\r")
        let inside = try terminal.expect("more not read)", within: 30)
        #expect(inside.contains("(first 10 rows; more not read)") && !inside.contains("3,503"), "\(inside)")
        terminal.send("tracks.filter(tracks.id > 100).order_by(tracks.id).all()\r")
        let entities = try terminal.expect("more not read)", within: 30)
        #expect(entities.contains("\n 110 | ") && !entities.contains("\n 111 | "), "\(entities)")
        // Each cursor was closed once its rows were read (this read is a cursor of its own).
        terminal.send("SELECT count(*) AS open_cursors FROM pg_cursors WHERE name LIKE 'soup%' AND statement NOT LIKE '%pg_cursors%';\r")
        let cursors = try terminal.expect("(1 row)", within: 30)
        #expect(cursors.contains("            0\r\n(1 row)"), "\(cursors)")
        terminal.send("UPDATE albums SET title = 'y' WHERE id = 2;\r")
        try terminal.expect("UPDATE 1")
        terminal.send("commit()\r")
        try terminal.expect("> ", within: 15)
        terminal.send("\\q\r")
        let titles = try SoupBinary.run(["query", url, "-f", "csv", "SELECT title FROM albums WHERE id <= 2 ORDER BY id;"])
        #expect(titles.stdout == "title\nx\ny\n", "\(titles.stdout)\(titles.stderr)")
    }

    /// `seen(n)` says NOTICE for each row it is asked about: the rows the server produced are
    /// counted, whatever the time it took.
    static let noticingFunction = """
        CREATE FUNCTION seen(n integer) RETURNS integer LANGUAGE plpgsql AS $$
        BEGIN RAISE NOTICE 'seen %', n; RETURN n; END $$;
        """

    @Test("PostgreSQL: soup query --limit runs a read as a cursor and fetches one row past the limit")
    func postgresLimitReadsNoFurther() throws {
        let url = try Self.postgres()
        _ = try PostgresServer.shared().run(sql: Self.noticingFunction, url: url)
        func seen(_ stderr: String) -> Int { stderr.split(separator: "\n").count { $0.contains("seen ") } }
        let read = "SELECT seen(n) AS n FROM generate_series(1, 100000) AS n;"
        let five = try SoupBinary.run(["query", url, "--limit", "5", read])
        #expect(five.status == 0, "\(five.stderr)")
        #expect(five.stdout.hasSuffix(" 5\n(first 5 rows; more not read)\n\n"), "\(five.stdout)")
        #expect(seen(five.stderr) == 6, "\(five.stderr.prefix(500))")
        // Past the first batch of 1,024, the cursor is fetched from again, and no further.
        let more = try SoupBinary.run(["query", url, "--limit", "2500", "-f", "csv", read])
        #expect(more.stdout.split(separator: "\n").count == 2501)
        #expect(more.stderr.contains("(first 2,500 rows; more not read)"))
        #expect(seen(more.stderr) == 2501)
        let query = try SoupBinary.run(["query", url, "--limit", "3", "SELECT id FROM tracks ORDER BY id;"])
        #expect(query.stdout.contains("(first 3 rows; more not read)"), "\(query.stdout)")
        // An error points into the statement as written, as it does without a limit.
        let wrong = "SELECT id FROM tracks WHERE nosuch = 1;"
        let limitedError = try SoupBinary.run(["query", url, "--limit", "3", wrong])
        let plainError = try SoupBinary.run(["query", url, wrong])
        #expect(limitedError.status == plainError.status && limitedError.status != 0)
        #expect(limitedError.stderr == plainError.stderr, "\(limitedError.stderr)")
        // In one transaction with a write after it, the write is committed.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = directory.path + "/limited.sql"
        try (read + "\nINSERT INTO albums VALUES (1000, 'kept');\n").write(toFile: script, atomically: true, encoding: .utf8)
        let run = try SoupBinary.run(["run", url, "--tx", "file", "--limit", "5", script])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("(first 5 rows; more not read)"), "\(run.stdout)")
        #expect(seen(run.stderr) == 6)
        let kept = try SoupBinary.run(["query", url, "-f", "csv", "SELECT title FROM albums WHERE id = 1000;"])
        #expect(kept.stdout == "title\nkept\n", "\(kept.stdout)\(kept.stderr)")
    }

    // MARK: Plans

    @Test("SQLite plans: a full scan with advice, an index search, a join, an analyzed UPDATE that changes nothing")
    func sqlitePlans() throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let result = try SoupBinary.run([
            "query", path, "EXPLAIN QUERY PLAN SELECT * FROM tracks WHERE name = 'Track 5';",
            "tracks.filter(tracks.album_id == 3).explain()",
            "EXPLAIN SELECT t.name FROM tracks t JOIN albums a ON a.id = t.album_id WHERE a.title = 'Album 2';",
            "EXPLAIN SELECT * FROM albums WHERE id IN (SELECT album_id FROM tracks WHERE ms > 1000);",
            "EXPLAIN ANALYZE UPDATE tracks SET name = 'gone' WHERE id = 7;", "tracks.get(7).name",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        // The outer query's id is not the subquery's table's (tracks has an id too).
        #expect(out.contains("└── SCAN tracks\n      ! full scan of tracks filtered on ms: an index on tracks(ms) could serve it"), "\(out)")
        #expect(out.contains("Plan (estimated: the statement did not run)\nSCAN tracks\n  ! full scan of tracks filtered on name: an index on tracks(name) could serve it"), "\(out)")
        #expect(out.contains("SEARCH main.tracks USING INDEX tracks_album (album_id=?)"), "\(out)")
        // The plan names the alias; the advice, the table and only the column it filters on.
        #expect(out.contains("SCAN a\n  ! full scan of albums filtered on title: an index on albums(title) could serve it"), "\(out)")
        #expect(out.contains("SEARCH t USING INDEX tracks_album (album_id=?)"), "\(out)")
        #expect(out.contains("Plan (analyzed: the statement ran)\nSEARCH tracks USING INTEGER PRIMARY KEY (rowid=?)"), "\(out)")
        #expect(out.contains("changed 1 row (SQLite counts no rows per step)"))
        #expect(out.contains("the statement ran inside a savepoint that was rolled back: nothing was changed"))
        #expect(out.hasSuffix("Track 7\n"), "\(out)")
    }

    @Test("PostgreSQL plans: a seq scan, an index scan, a join, an analyzed UPDATE that changes nothing")
    func postgresPlans() throws {
        let url = try Self.postgres()
        let result = try SoupBinary.run([
            "query", url, "EXPLAIN SELECT * FROM tracks WHERE name = 'Track 5';",
            "tracks.filter(tracks.id == 3).explain()",
            "EXPLAIN SELECT t.name FROM tracks t JOIN albums a ON a.id = t.album_id WHERE a.title LIKE 'Album 2%';",
            "EXPLAIN ANALYZE UPDATE tracks SET name = 'gone' WHERE id = 7;", "tracks.get(7).name",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Plan (estimated: the statement did not run)\nSeq Scan on tracks  rows≈1  cost "), "\(out)")
        #expect(out.contains("filter (name = 'Track 5'::text)"))
        #expect(out.contains("Index Scan on tracks using tracks_pkey  rows≈1"), "\(out)")
        #expect(out.contains("Hash Join  rows≈"), "\(out)")
        #expect(out.contains("├── Seq Scan on tracks t") || out.contains("└── Seq Scan on tracks t"), "\(out)")
        #expect(out.contains("◀ costliest"))
        #expect(out.contains("Plan (analyzed: the statement ran)\nUpdate on tracks"), "\(out)")
        #expect(out.contains("actual rows=1 loops=1 time="), "\(out)")
        #expect(out.contains("the statement ran inside a savepoint that was rolled back: nothing was changed"))
        #expect(out.hasSuffix("Track 7\n"), "\(out)")
    }

    @Test("\\explain at the REPL, soup and SQL, analyze of a write leaves the row as it was", arguments: [80, 200])
    func replExplain(columns: Int) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns)
        #expect(try Self.run("\\explain tracks.filter(tracks.album_id == 2).all()", on: terminal).contains("SEARCH main.tracks USING INDEX tracks_album"))
        let analyzed = try Self.run("\\explain analyze DELETE FROM tracks WHERE id = 9", on: terminal)
        #expect(analyzed.contains("rolled back: nothing was changed"), "\(analyzed)")
        #expect(try Self.run("tracks.filter(tracks.id == 9).count()", on: terminal).contains("1\r\n"))
        #expect(try Self.run("\\explain", on: terminal).contains("needs a statement"))
    }

    // MARK: Watch

    @Test("\\watch runs the last input three times, redrawn in place, the changed cell reversed", arguments: [80, 200])
    func replWatch(columns: Int) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns, environment: ["TERM": "xterm", "NO_COLOR": ""])
        _ = try REPLLayoutTests.run("SELECT 'same' AS steady, strftime('%f', 'now') || random() AS moving;", on: terminal)
        terminal.send("\\watch 0.2 3\r")
        try terminal.expect("(run 1 of 3)", within: 15)
        try terminal.expect("(run 2 of 3)", within: 15)
        let last = try terminal.expect("soup:t> ", within: 15)
        #expect(last.contains("Every 0.2s: SELECT 'same' AS steady"), "\(last)")
        #expect(last.contains("(run 3 of 3)"))
        #expect(last.contains("\u{1B}[H\u{1B}[2J"), "a terminal is cleared before each run")
        #expect(last.contains("\u{1B}[7m") && !last.contains("\u{1B}[7msame"), "\(last)")
        #expect(TerminalWidth.widest(last.replacing("\u{1B}[H\u{1B}[2J", with: "")) <= columns)
    }

    @Test("\\watch with colour off (NO_COLOR, \\color off) still marks the changed cell, in reverse video", arguments: [
        (80, ["TERM": "xterm", "NO_COLOR": "1"], ""), (200, ["TERM": "xterm"], "\\color off"),
    ])
    func replWatchWithoutColour(columns: Int, environment: [String: String], setting: String) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns, environment: environment)
        if !setting.isEmpty { _ = try REPLLayoutTests.run(setting, on: terminal) }
        _ = try REPLLayoutTests.run("SELECT 'same' AS steady, strftime('%f', 'now') || random() AS moving;", on: terminal)
        terminal.send("\\watch 0.2 3\r")
        try terminal.expect("(run 1 of 3)", within: 15)
        let first = try terminal.expect("(run 2 of 3)", within: 15)
        let last = try terminal.expect("soup:t> ", within: 15)
        // No colour: the header is not bold. The first run has nothing to compare with; in the
        // second and the third the moving cell is reversed, the steady one is not.
        #expect(!(first + last).contains("\u{1B}[1m") && !(first + last).contains("\u{1B}[2m"), "\(first)")
        #expect(!first.contains("\u{1B}[7m"), "\(first)")
        #expect(last.split(separator: "\u{1B}[7m").count == 3 && !last.contains("\u{1B}[7msame"), "one cell in each run: \(last)")
    }

    @Test("\\watch refuses a write, and Ctrl-C stops an endless one back at the prompt")
    func replWatchStops() throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: 100)
        _ = try Self.run("UPDATE albums SET title = 'x' WHERE id = 1;", on: terminal, prompt: "soup:t*> ")
        #expect(try Self.run("\\watch 1 2", on: terminal, prompt: "soup:t*> ").contains("reads only"))
        _ = try Self.run("rollback()", on: terminal)
        _ = try Self.run("SELECT count(*) FROM albums;", on: terminal)
        terminal.send("\\watch 0.2\r")
        try terminal.expect("(run 2, Ctrl-C stops)", within: 15)
        terminal.send("\u{03}")
        try terminal.expect("soup:t> ", within: 15)
        #expect(try Self.run("SELECT 40 + 2;", on: terminal).contains("42"))
    }

    @Test("soup query --watch runs until Ctrl-C and exits 0; a write is refused")
    func queryWatch() throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try PseudoTerminal.soup(["query", path, "--watch", "0.2", "SELECT count(*) AS n FROM albums;"], rows: 24, columns: 80)
        try terminal.expect("(run 3, Ctrl-C stops)", within: 15)
        try terminal.expect("347", within: 15)
        terminal.send("\u{03}")
        #expect(try terminal.waitForExit(within: 15) == 0)
        let refused = try SoupBinary.run(["query", path, "--watch", "1", "DELETE FROM albums;"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--watch re-runs reads only"), "\(refused.stderr)")
    }

    // MARK: Before a write lands

    @Test("the REPL asks before an UPDATE or DELETE of every row: n changes nothing, y runs it", arguments: [80, 200])
    func replConfirmation(columns: Int) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns)
        terminal.send("UPDATE tracks SET ms = 0;\r")
        try terminal.expect("would change all 3,503 rows of tracks; run it? [y/N] ", within: 15)
        terminal.send("n\r")
        let declined = try terminal.expect("soup:t> ", within: 15)
        #expect(declined.contains("not run: this statement has no WHERE and would have changed all 3,503 rows of tracks; nothing was changed"), "\(declined)")
        #expect(try Self.run("SELECT count(*) FROM tracks WHERE ms = 0;", on: terminal).contains(" 0\r\n(1 row)"))
        terminal.send("tracks.update({'ms': 1})\r")
        try terminal.expect("would change all 3,503 rows of tracks; run it? [y/N] ", within: 15)
        terminal.send("y\r")
        #expect(try terminal.expect("soup:t*> ", within: 15).contains("3503"))
        // Results held for the page (they fit the screen) come before the question.
        terminal.send("SELECT upper('shown first') AS marker; DELETE FROM tracks;\r")
        let asked = try terminal.expect("would change all 3,503 rows of tracks; run it? [y/N] ", within: 15)
        #expect(asked.contains("SHOWN FIRST"), "\(asked)")
        terminal.send("n\r")
        try terminal.expect("soup:t*> ", within: 15)
        // A filtered write is not asked about.
        #expect(!(try Self.run("DELETE FROM tracks WHERE id = 1;", on: terminal, prompt: "soup:t*> ")).contains("run it?"))
        #expect(try Self.run("SELECT count(*) FROM tracks WHERE ms = 1;", on: terminal, prompt: "soup:t*> ").contains(" 3502\r\n(1 row)"))
    }

    // MARK: Safe updates

    @Test("--safe-updates refuses UPDATE and DELETE without WHERE and unfiltered bulk writes in a script; filtered ones run")
    func safeUpdates() throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        for statement in ["UPDATE tracks SET ms = 0;", "DELETE FROM tracks;", "tracks.update({'ms': 0})", "albums.delete()"] {
            let result = try SoupBinary.run(["query", path, "--safe-updates", statement])
            #expect(result.status == 1, "\(statement)")
            #expect(result.stderr.contains("--safe-updates:") && result.stderr.contains("nothing was run"), "\(result.stderr)")
        }
        let filtered = try SoupBinary.run(["query", path, "--safe-updates", "UPDATE tracks SET ms = 0 WHERE id = 1;", "tracks.filter(tracks.id == 2).update({'ms': 0})"])
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let count = try SoupBinary.run(["query", path, "SELECT count(*) FROM tracks WHERE ms = 0;", "SELECT count(*) FROM albums;"])
        #expect(count.stdout.contains("2\n") && count.stdout.contains("347\n"), "\(count.stdout)")
        // Without the option, as written.
        #expect(try SoupBinary.run(["query", path, "UPDATE tracks SET ms = 1;"]).status == 0)
    }

    // MARK: Pending

    @Test("db.pending() and \\pending at the REPL show every write since the last commit, with old → new", arguments: [80, 200])
    func replPending(columns: Int) throws {
        let (directory, path) = try Self.sqlite()
        defer { directory.remove() }
        let terminal = try REPLLayoutTests.open(path, columns: columns)
        _ = try Self.run("a = albums.get(2)", on: terminal)
        _ = try Self.run("a.title = 'Renamed'", on: terminal, prompt: "soup:t*> ")
        _ = try Self.run("albums.insert(id=900, title='New')", on: terminal, prompt: "soup:t*> ")
        terminal.send("db.delete(tracks.get(5))\r")
        try terminal.expect("soup:t*> ")
        let pending = try Self.run("db.pending()", on: terminal, prompt: "soup:t*> ")
        #expect(pending.contains("UPDATE main.albums SET title = ? WHERE id = ?;  -- ?1 = 'Renamed', ?2 = 2"), "\(pending)")
        #expect(pending.contains("    title: 'Album 2' → 'Renamed'"))
        #expect(pending.contains("    new row: id=900, title='New'"))
        #expect(pending.contains("    row going: id=5, album_id=6, name='Track 5', ms=5000"), "\(pending)")
        let meta = try Self.run("\\pending", on: terminal, prompt: "soup:t*> ")
        #expect(meta.contains("title: 'Album 2' → 'Renamed'") && meta.contains("row going: id=5"))
        _ = try Self.run("rollback()", on: terminal)
        #expect(try Self.run("\\pending", on: terminal).contains("nothing pending"))
    }

    @Test("soup query on PostgreSQL: db.pending() is the next flush plus what was flushed and not committed")
    func queryPendingOnPostgres() throws {
        let url = try Self.postgres()
        let result = try SoupBinary.run([
            "query", url, "a = albums.get(3)", "a.title = 'Three'", "db.flush()", "albums.filter(albums.id > 340).update({'title': 'late'})",
            "b = albums.get(4)", "b.title = 'Four'", "db.pending()",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("    title: 'Album 3' → 'Three'"), "\(out)")
        #expect(out.contains("    7 rows changed"), "\(out)")
        #expect(out.contains("    title: 'Album 4' → 'Four'"), "\(out)")
        #expect(out.range(of: "'Three'")!.lowerBound < out.range(of: "7 rows")!.lowerBound)
        #expect(out.range(of: "7 rows")!.lowerBound < out.range(of: "'Four'")!.lowerBound)
    }
}

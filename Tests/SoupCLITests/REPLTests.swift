import Foundation
import SoupTestSupport
import Testing

/// The REPL, driven through a pseudo-terminal: the real binary, as a user at a keyboard.
@Suite("the REPL on a terminal")
struct REPLTests {
    /// `t.db` with users (id, name, email) and loans, made with the sqlite3 CLI.
    static func fixture(extra: String = "") throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "t.db")
        let result = try ProcessRunner.run(
            executable: "/usr/bin/sqlite3", arguments: [path],
            stdin: Array(("""
                CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text);
                CREATE TABLE loans (id integer PRIMARY KEY, user_id integer REFERENCES users(id), due text);
                CREATE INDEX loans_due ON loans (due);
                CREATE VIEW names AS SELECT name FROM users;
                INSERT INTO users VALUES (1, 'Ann', 'ann@example.org'), (2, 'Bo', NULL);
                """ + extra).utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, path)
    }

    /// The REPL on `path`, waiting for its first prompt.
    static func open(_ path: String, environment: [String: String] = [:], rows: Int = 24, stderrPath: String? = nil) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal.soup([path], environment: environment, rows: rows, stderrPath: stderrPath)
        try terminal.expect("soup:t> ", within: 15)
        return terminal
    }

    static func count(_ sql: String, in path: String) throws -> String {
        let result = try ProcessRunner.run(executable: "/usr/bin/sqlite3", arguments: [path, sql])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("TAB completes tables, columns after entity., methods, and lists meta commands")
    func completion() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path)
        terminal.send("us\t")
        try terminal.expect("users")
        terminal.send(".na\t")
        try terminal.expect("name")
        terminal.send("\u{03}")
        try terminal.expect("^C\r\nsoup:t> ")
        terminal.send("users.fil\t")
        try terminal.expect("filter(")
        terminal.send("\u{03}")
        try terminal.expect("^C\r\nsoup:t> ")
        terminal.send("\\d\t\t")
        let listing = try terminal.expect("\\dv")
        #expect(listing.contains("\\dt") && listing.contains("\\di") && listing.contains("\\dn"))
        terminal.send("\u{03}")
        try terminal.expect("^C\r\nsoup:t> ")
        terminal.send(".tab\t")
        try terminal.expect("tables")
        terminal.send("\r")
        try terminal.expect("loans")
    }

    /// How fast: bench/run's typing cases (first and later TABs, colouring a long input).
    @Test("on a 1,000-table database TAB completes a table and a column")
    func completionOnManyTables() throws {
        let tables = (0..<1_000).map { "CREATE TABLE t\($0) (id integer PRIMARY KEY, v text);" }.joined(separator: "\n")
        let (directory, path) = try Self.fixture(extra: "\nCREATE TABLE zebra_stripes (id integer PRIMARY KEY, zone real);\n" + tables)
        defer { directory.remove() }
        let terminal = try Self.open(path)
        // Bounds for a hang only, however busy the machine.
        terminal.send("zeb\t")
        try terminal.expect("ra_stripes", within: 30)
        terminal.send(".zo\t")
        try terminal.expect("ne", within: 30)
    }

    @Test("history survives a restart, honours XDG_STATE_HOME, and keeps a multi-line input as one entry")
    func history() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let state = directory.file(named: "state")
        do {
            let terminal = try Self.open(path, environment: ["XDG_STATE_HOME": state])
            terminal.send("users.filter(\r")
            try terminal.expect("...> ")
            terminal.send("users.id == 2).count()\r")
            try terminal.expect("1\r\n")
            terminal.send("\\q\r")
            #expect(try terminal.waitForExit() == 0)
        }
        let saved = try String(contentsOfFile: state + "/soup/history", encoding: .utf8)
        #expect(saved.contains("users.filter(\\nusers.id == 2).count()\n"))
        let terminal = try Self.open(path, environment: ["XDG_STATE_HOME": state])
        terminal.send("\u{10}\u{10}")  // Ctrl-P twice: back past \q to the multi-line entry
        try terminal.expect("users.id == 2).count()")
        terminal.send("\r")
        try terminal.expect("1\r\n")
    }

    @Test("an open bracket continues with ...> and SQL continues until ;")
    func continuation() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path)
        terminal.send("users.filter(users.name == 'Bo'\r")
        try terminal.expect("...> ")
        terminal.send(").count()\r")
        try terminal.expect("1\r\n")
        try terminal.expect("soup:t> ")
        terminal.send("SELECT name\r")
        try terminal.expect("...> ")
        terminal.send("FROM users WHERE id = 1\r")
        try terminal.expect("...> ")
        terminal.send(";\r")
        try terminal.expect("Ann")
        try terminal.expect("soup:t> ")
    }

    @Test("Ctrl-C at the prompt clears the line; during a long SQLite query it cancels and keeps the transaction")
    func interruptSQLite() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path)
        terminal.send("users.filter(\r")
        try terminal.expect("...> ")
        terminal.send("garbage\u{03}")
        try terminal.expect("^C\r\nsoup:t> ")
        terminal.send("1 + 1\r")
        try terminal.expect("2\r\n")
        terminal.send("users.insert(name='Zed')\r")
        try terminal.expect("soup:t*> ")
        // The statement never ends by itself. The elapsed indicator shows once it has run for a
        // second: then Ctrl-C must end it (how fast is bench/run's `cancel.*` concern).
        terminal.send("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\r")
        try terminal.expect("running… 1.", within: 30)
        terminal.send("\u{03}")
        let shown = try terminal.expect("soup:t*> ", within: 30)
        #expect(shown.contains("interrupted"))
        #expect(shown.contains("transaction are intact"))
        terminal.send("db.commit()\r")
        try terminal.expect("soup:t> ")
        #expect(try Self.count("SELECT count(*) FROM users WHERE name = 'Zed'", in: path) == "1")
    }

    @Test("Ctrl-D with uncommitted work asks first; yes rolls it back")
    func quitAsks() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path)
        terminal.send("UPDATE users SET name = 'Changed' WHERE id = 1;\r")
        try terminal.expect("soup:t*> ")
        terminal.send("\u{04}")
        try terminal.expect("Roll it back and quit? [y/N] ")
        terminal.send("n\r")
        try terminal.expect("soup:t*> ")
        terminal.send("\u{04}")
        try terminal.expect("Roll it back and quit? [y/N] ")
        terminal.send("y\r")
        try terminal.expect("rolled back")
        #expect(try terminal.waitForExit() == 0)
        #expect(try Self.count("SELECT count(*) FROM users WHERE name = 'Changed'", in: path) == "0")
    }

    @Test("the prompt shows * exactly while changes are pending or a transaction is open")
    func promptStar() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path)
        terminal.send("users.count()\r")
        try terminal.expect("2\r\nsoup:t> ")
        terminal.send("SELECT * FROM users;\r")
        try terminal.expect("(2 rows)")
        try terminal.expect("soup:t> ")
        terminal.send("ann = users.get(1)\r")
        try terminal.expect("soup:t> ")
        terminal.send("ann.email = 'new@example.org'\r")
        try terminal.expect("soup:t*> ")
        terminal.send("users.count()\r")
        try terminal.expect("soup:t*> ")
        terminal.send("db.commit()\r")
        try terminal.expect("soup:t> ")
        terminal.send("BEGIN;\r")
        try terminal.expect("soup:t*> ")
        terminal.send("ROLLBACK;\r")
        try terminal.expect("soup:t> ")
        terminal.send("no_such_table.count()\r")
        try terminal.expect("no table")
        try terminal.expect("soup:t> ")
        #expect(try Self.count("SELECT email FROM users WHERE id = 1", in: path) == "new@example.org")
    }

    @Test("piped standard input runs as a script: results only, no prompts")
    func pipedInput() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run([path], stdin: "users.count()\nSELECT name FROM users WHERE id = 2;\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2\n"))
        #expect(result.stdout.contains("Bo"))
        #expect(!result.stdout.contains("soup:"))
        #expect(!result.stderr.contains("soup:t"))
    }

    @Test("the pager starts only when output is taller than the screen; \\pager off stops it")
    func pager() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let record = directory.file(named: "paged")
        let terminal = try Self.open(path, environment: ["SOUP_PAGER": "cat > \(record)"], rows: 10)
        terminal.send("SELECT name FROM users;\r")
        try terminal.expect("(2 rows)")
        try terminal.expect("soup:t> ")
        #expect(!FileManager.default.fileExists(atPath: record))
        terminal.send("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 30) SELECT x FROM c;\r")
        try terminal.expect("soup:t> ")
        let paged = try String(contentsOfFile: record, encoding: .utf8)
        #expect(paged.contains("(30 rows)"))
        try FileManager.default.removeItem(atPath: record)
        terminal.send("\\pager off\r")
        try terminal.expect("soup:t> ")
        terminal.send("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 30) SELECT x FROM c;\r")
        try terminal.expect("(30 rows)")
        try terminal.expect("soup:t> ")
        #expect(!FileManager.default.fileExists(atPath: record))
    }

    @Test("a result far taller than the screen streams into the pager: soup never holds it whole")
    func pagerStreams() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let record = directory.file(named: "paged")
        let terminal = try Self.open(path, environment: ["SOUP_PAGER": "cat > \(record)"], rows: 10)
        terminal.send("\\limit 0\r")
        try terminal.expect("results show every row")
        try terminal.expect("soup:t> ")
        // About 80 MB of aligned table.
        terminal.send(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) "
                + "SELECT x, printf('%060d', x) AS pad FROM c;\r")
        try terminal.expect("soup:t> ", within: 60)
        let paged = try String(contentsOfFile: record, encoding: .utf8)
        #expect(paged.hasSuffix("(1000000 rows)\n\n") || paged.hasSuffix("(1000000 rows)\n"), "\(paged.suffix(100))")
        #expect(paged.utf8.count > 70_000_000)
        let status = try String(contentsOfFile: "/proc/\(terminal.pid)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? Int.max
        #expect(peak < 60_000, "soup's peak resident memory was \(peak) kB")
    }

    @Test("soup demo opens the REPL on a terminal after creating the database")
    func demoOpensREPL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let terminal = try PseudoTerminal.soup(["demo", "--path", directory.file(named: "demo.db")])
        try terminal.expect("soup:demo> ", within: 120)
        terminal.send("1 + 1\r")
        try terminal.expect("2\r\nsoup:demo> ")
    }
}

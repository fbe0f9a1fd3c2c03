import Foundation
import SoupTestSupport
import Testing

@Suite("soup query, end to end")
struct QueryCommandTests {
    /// A small SQLite database made with the sqlite3 CLI itself.
    private func fixture() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "t.db")
        let result = try ProcessRunner.run(
            executable: "/usr/bin/sqlite3", arguments: [path],
            stdin: Array("""
                CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, note text);
                INSERT INTO people VALUES (1, 'Ann', NULL), (2, 'Zoë, "Z"', ''), (3, '李雷', 'line1
                line2');
                """.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, path)
    }

    @Test("raw SQL prints an aligned table with a row count")
    func table() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "SELECT id, name FROM people WHERE id < 3 ORDER BY id"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("(2 rows)"))
        #expect(result.stdout.contains("Ann"))
    }

    @Test("csv follows psql's convention: NULL empty, empty string quoted")
    func csv() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "-f", "csv", "SELECT * FROM people ORDER BY id"])
        #expect(result.status == 0)
        #expect(result.stdout == "id,name,note\n1,Ann,\n2,\"Zoë, \"\"Z\"\"\",\"\"\n3,李雷,\"line1\nline2\"\n")
    }

    @Test("json is one array of objects")
    func json() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "--format", "json", "SELECT id, note FROM people ORDER BY id"])
        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 3)
        #expect(parsed?.first?["note"] is NSNull)
        #expect(parsed?.first?["id"] as? Int == 1)
    }

    @Test("several statements in one argument and across arguments run in order")
    func severalStatements() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run([
            "query", path, "-f", "csv", "INSERT INTO people (name) VALUES ('Bo'); SELECT count(*) AS n FROM people",
            "SELECT max(id) AS top FROM people",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == "n\n4\ntop\n4\n")
    }

    @Test("a failing statement rolls back the whole run and exits 1 with a position")
    func failureRollsBack() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run([
            "query", path, "DELETE FROM people", "SELECT 1;\nSELECT nope FROM people",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("arg2:2:8: ERROR:  no such column: nope"))
        let check = try SoupBinary.run(["query", path, "-f", "csv", "SELECT count(*) AS n FROM people"])
        #expect(check.stdout == "n\n3\n")
    }

    @Test("--tx statement keeps what succeeded before the error")
    func statementMode() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "--tx", "statement", "DELETE FROM people WHERE id = 1", "SELECT nope"])
        #expect(result.status == 1)
        let check = try SoupBinary.run(["query", path, "-f", "csv", "SELECT count(*) AS n FROM people"])
        #expect(check.stdout == "n\n2\n")
    }

    @Test("--dry-run runs everything and rolls back")
    func dryRun() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "--dry-run", "-f", "csv", "DELETE FROM people", "SELECT count(*) AS n FROM people"])
        #expect(result.status == 0)
        #expect(result.stdout == "n\n0\n")
        #expect(result.stderr.contains("rolled back"))
        let check = try SoupBinary.run(["query", path, "-f", "csv", "SELECT count(*) AS n FROM people"])
        #expect(check.stdout == "n\n3\n")
    }

    @Test("--read-only refuses writes on SQLite")
    func readOnly() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "--read-only", "DELETE FROM people"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("read-only: soup refused to send DELETE"))
    }

    @Test("--echo prints each statement sent on stderr, results stay on stdout")
    func echo() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "--echo", "-f", "csv", "SELECT 1 AS one"])
        #expect(result.status == 0)
        #expect(result.stdout == "one\n1\n")
        #expect(result.stderr.contains("SELECT 1 AS one;"))
        #expect(result.stderr.contains("BEGIN /* soup:read-only */;"))  // a script of reads
    }

    @Test("--echo masks a parameter bound to a secret-looking column, and shows the others")
    func echoMasksSecrets() throws {
        let (directory, path) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run([
            "query", path, "--echo", "ALTER TABLE people ADD COLUMN password_hash text",
            "people.insert(id=4, name='Dee', password_hash='hunter2-hash')", "db.commit()",
            "people.filter(people.password_hash == 'hunter2-hash').count()",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"), "\(result.stderr)")
        #expect(result.stderr.contains("'Dee'"), "\(result.stderr)")
        #expect(result.stderr.contains("= ***"), "\(result.stderr)")
    }

    @Test("a missing SQLite file exits 2 and suggests --create; --create makes it")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "new.db")
        let result = try SoupBinary.run(["query", path, "SELECT 1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--create"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let created = try SoupBinary.run(["query", path, "--create", "-f", "csv", "CREATE TABLE t (x); SELECT count(*) AS n FROM t"])
        #expect(created.status == 0)
        #expect(created.stdout == "n\n0\n")
    }

    @Test("connecting to a closed port exits 2 with one line naming host and port, not the password")
    func closedPort() throws {
        let result = try SoupBinary.run(["query", "postgresql://ann:pw-hunter2@127.0.0.1:1/app", "SELECT 1"])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("127.0.0.1"))
        #expect(result.stderr.contains("port 1"))
        #expect(!result.stderr.contains("pw-hunter2"))
    }

    @Test("a SQLite-only run never loads libpq, which is opened on the first PostgreSQL connection")
    func sqliteRunLeavesLibpqUnloaded() throws {
        // glibc's loader lists every library it loads on stderr when LD_DEBUG=libs.
        let result = try SoupBinary.run(["query", "sqlite::memory:", "SELECT 1"], environment: ["LD_DEBUG": "libs"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("libsqlite3"))
        #expect(!result.stderr.contains("libpq"))
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try SoupBinary.run(["query"]).status == 64)
        #expect(try SoupBinary.run(["query", "x.db"]).status == 64)
        #expect(try SoupBinary.run(["query", "x.db", "-f", "yaml", "SELECT 1"]).status == 64)
        #expect(try SoupBinary.run(["--no-such-flag"]).status == 64)
    }

    @Test("--version and --help")
    func versionAndHelp() throws {
        let version = try SoupBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
        let help = try SoupBinary.run(["query", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--format"))
    }
}

@Suite("soup statements in soup query, end to end")
struct SoupStatementTests {
    @Test("soup statements and SQL mix; values print per format")
    func mixed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "s.db")
        let setup = try SoupBinary.run([
            "query", path, "--create",
            "CREATE TABLE users (name text PRIMARY KEY, email text, admin int)",
            "INSERT INTO users VALUES ('Ann', 'ann@x', 1), ('Bob', NULL, 0), ('Al', 'al@x', 0)",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        let count = try SoupBinary.run(["query", path, #"users.filter(users.name.like("A%")).count()"#])
        #expect(count.status == 0)
        #expect(count.stdout == "2\n")
        let csv = try SoupBinary.run([
            "query", path, "-f", "csv", "admins = users.filter_by(admin=1)", "admins.all()",
            "SELECT count(*) AS n FROM users;", "users.get('Bob')",
        ])
        #expect(csv.stdout == "name,email,admin\nAnn,ann@x,1\nn\n3\nname,email,admin\nBob,,0\n", "\(csv.stderr)")
        let json = try SoupBinary.run(["query", path, "-f", "json", "users.c.keys()", "users.get('nobody')", "users.count()"])
        #expect(json.stdout == "[\"name\",\"email\",\"admin\"]\nnull\n3\n", "\(json.stderr)")
    }

    @Test("a soup error names the argument, line and column, with a caret and a hint; exit 1")
    func errors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "e.db")
        _ = try SoupBinary.run(["query", path, "--create", "CREATE TABLE users (name text PRIMARY KEY)"])
        let unknown = try SoupBinary.run(["query", path, "users.count()", "users.filter(users.nmae == 'x')"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout == "0\n")
        #expect(unknown.stderr.contains("arg2:1:14: 'users' has no column 'nmae'; did you mean 'name'?"))
        #expect(unknown.stderr.contains("             ^~~~~~~~~~"))
        let syntax = try SoupBinary.run(["query", path, "users.filter(users.name == 'x'"])
        #expect(syntax.status == 1)
        #expect(syntax.stderr.contains("arg1:1:"))
        #expect(syntax.stderr.contains("'('"))
        let table = try SoupBinary.run(["query", path, "usres.all()"])
        #expect(table.stderr.contains("did you mean 'users'?"))
    }

    @Test("--echo shows the SQL a soup statement sends, with its parameters")
    func echo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "x.db")
        _ = try SoupBinary.run(["query", path, "--create", "CREATE TABLE t (id integer PRIMARY KEY, v text)"])
        let result = try SoupBinary.run(["query", path, "--echo", "t.filter(t.v == 'a; DROP TABLE t').all()"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("SELECT t.id, t.v FROM main.t WHERE t.v = ?;  -- ?1 = 'a; DROP TABLE t'"))
    }

    @Test("--echo on PostgreSQL shows a first use's name lookup and the description it does not run")
    func echoFirstUse() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let database = String(url.split(separator: "/").last!)
        try server.run(sql: "CREATE TABLE \"Notes\" (id integer PRIMARY KEY, v text); INSERT INTO \"Notes\" VALUES (1, 'a')", database: database)
        let result = try SoupBinary.run(["query", url, "--echo", "Notes.first().v"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "a\n")
        #expect(result.stderr.contains("to_regclass($1), to_regclass($2)"), "\(result.stderr)")
        #expect(result.stderr.contains("$1 = '\"Notes\"', $2 = '\"notes\"'"), "\(result.stderr)")
        #expect(result.stderr.contains("SELECT * FROM public.\"Notes\";  -- described, not run"), "\(result.stderr)")
    }
}

@Suite("db.pending() and --echo")
struct PendingEchoTests {
    @Test("db.pending() shows exactly the SQL that the flush then sends", arguments: ["sqlite", "postgres"])
    func pendingMatchesEcho(engine: String) throws {
        let database: String
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        if engine == "sqlite" {
            database = directory.file(named: "p.db")
            _ = try SoupBinary.run(["query", database, "--create", "SELECT 1"])
        } else {
            database = try PostgresServer.shared().makeDatabase()
        }
        let setup = try SoupBinary.run([
            "query", database,
            "CREATE TABLE parent (id integer PRIMARY KEY, name text); CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id), note text)",
            "INSERT INTO parent VALUES (1, 'old')",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        let result = try SoupBinary.run([
            "query", database, "--echo",
            "p = parent.get(1); p.name = 'renamed'; c = child.insert(id=5, parent_id=2, note='it''s new'); q = parent.insert(id=2, name='two')",
            "db.pending()", "db.flush()",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The statements, each followed by the values it changes (indented).
        let pending = result.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("    ") }
        try #require(pending.count == 3, "\(result.stdout)")
        let echoed = result.stderr.split(separator: "\n").map(String.init)
        guard let first = echoed.lastIndex(of: pending[0]) else {
            Issue.record("the first pending statement was not echoed: \(pending[0])\n\(result.stderr)")
            return
        }
        #expect(Array(echoed[first..<min(echoed.count, first + 3)]) == pending)
        #expect(pending[0].hasPrefix("INSERT INTO") && pending[0].contains("parent"))
        #expect(pending[1].contains("child"))
        #expect(pending[2].hasPrefix("UPDATE"))
    }
}

@Suite("Printed queries stream", .serialized)
struct StreamingPrintTests {
    @Test("a printed entity.all() of a million rows streams with flat memory", arguments: ["csv", "json", "table"])
    func allStreams(format: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "big.db")
        let setup = try SoupBinary.run([
            "query", path, "--create",
            "CREATE TABLE events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i AS id, 'payload ' || i AS body FROM n",
        ], timeout: 120)
        #expect(setup.status == 0, "\(setup.stderr)")
        let result = try SoupBinary.runMeasuringMemory(["query", path, "events.all()", "-f", format], timeout: 300)
        #expect(result.status == 0)
        #expect(result.stdout.contains("payload 1000000"))
        #expect(result.maxRSSKilobytes < 60 * 1024, "peak \(result.maxRSSKilobytes) kB for -f \(format)")
    }
}

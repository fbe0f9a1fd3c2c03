import Foundation
import SoupTestSupport
import Testing

/// soup through a real PgBouncer on loopback, in session and in transaction pooling. Each pool
/// holds one server connection, so the plain `psql` client that comes after soup gets the very
/// server connection soup used, and sees whatever soup left on it.
@Suite("soup through PgBouncer", .serialized)
struct PgBouncerTests {
    static let schema = """
        CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL);
        CREATE FUNCTION add_item(n text) RETURNS int LANGUAGE sql VOLATILE
          AS $$ INSERT INTO items(name) VALUES (n) RETURNING id $$;
        INSERT INTO items(name) VALUES ('alpha'), ('beta');
        """

    /// A database on the suite's server with ``schema``; returns its name.
    private func database() throws -> String {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase(prefix: "pgb")
        try server.run(sql: Self.schema, url: url)
        return String(url.split(separator: "/").last!)
    }

    /// A plain client after soup: the server connection it gets is writable and has neither
    /// soup's settings nor its prepared statements.
    private func expectCleanServerConnection(_ url: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let server = try PostgresServer.shared()
        let state = try server.run(
            sql: """
                SHOW default_transaction_read_only;
                SELECT count(*) FROM pg_prepared_statements;
                INSERT INTO items(name) VALUES ('from psql') RETURNING name;
                """, url: url)
        #expect(state == "off\n0\nfrom psql", sourceLocation: sourceLocation)
    }

    @Test(
        "--read-only refuses writes per transaction and leaves the pooled server connection writable",
        arguments: [PgBouncer.PoolMode.transaction, .session])
    func readOnly(mode: PgBouncer.PoolMode) throws {
        let name = try database()
        let url = try PgBouncer.shared(mode).url(name)
        let directory = try TemporaryDirectory(prefix: "soup-pgb")
        defer { directory.remove() }
        // Behind transaction pooling the profile says so (soup then prepares nothing by name);
        // session pooling ends each client's session with DISCARD ALL.
        let database = mode == .transaction ? ["pooled", "--config", try pooledProfile(url, in: directory)] : [url]
        let reads = try SoupBinary.run(
            ["query"] + database + ["--read-only", "--tx", "statement", "-f", "csv", "SELECT count(*) AS n FROM items", "items.count()"])
        #expect(reads.status == 0, "\(reads.stderr)")
        #expect(reads.stdout == "n\n2\n2\n")
        // A write soup takes for a read (a volatile function) is refused by the server: the
        // statement ran in a read-only transaction of its own.
        let hidden = try SoupBinary.run(["query"] + database + ["--read-only", "--tx", "none", "SELECT add_item('hidden')"])
        #expect(hidden.status == 1)
        #expect(hidden.stderr.contains("cannot execute INSERT in a read-only transaction"), "\(hidden.stderr)")
        let typed = try SoupBinary.run(["query"] + database + ["--read-only", "--tx", "none", "BEGIN", "SELECT add_item('typed')", "COMMIT"])
        #expect(typed.status == 1)
        #expect(typed.stderr.contains("cannot execute INSERT in a read-only transaction"), "\(typed.stderr)")
        try expectCleanServerConnection(url)
        #expect(try PostgresServer.shared().run(sql: "SELECT string_agg(name, ',' ORDER BY id) FROM items", database: name) == "alpha,beta,from psql")
    }

    @Test("a profile routing through transaction pooling, with --read-only and without, leaves both server connections clean")
    func routing() throws {
        let pair = try ReplicaPair.shared()
        let name = try pair.makeDatabase(prefix: "pgb")
        try pair.run(sql: Self.schema, url: pair.primaryURL(name))
        try pair.waitForReplay()
        let bouncer = try PgBouncer.start(
            .transaction,
            databases: [
                "w": "host=127.0.0.1 port=\(pair.primaryPort) dbname=\(name)",
                "r": "host=127.0.0.1 port=\(pair.standbyPort) dbname=\(name)",
            ])
        defer { bouncer.stop() }
        let directory = try TemporaryDirectory(prefix: "soup-pgb")
        defer { directory.remove() }
        let config = directory.file(named: "soup.toml")
        try """
            [profile.app]
            sticky = "lsn"
            lsn_wait_timeout = "60s"
            pool_mode = "transaction"
            [profile.app.bindings.writer]
            url = "\(bouncer.url("w"))"
            [profile.app.bindings.reader]
            url = "\(bouncer.url("r"))"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["XDG_STATE_HOME": directory.file(named: "state")]

        // Read-your-writes by LSN: the writer's pg_current_wal_insert_lsn() and the reader's
        // pg_last_wal_replay_lsn() through the pooler; the read waits for the replay.
        let check = "SELECT count(*) AS fresh, pg_is_in_recovery() AS standby FROM items WHERE name = 'fresh'"
        let written = try SoupBinary.run(
            ["query", "app", "--config", config, "--tx", "statement", "-v", "-f", "csv", "INSERT INTO items(name) VALUES ('fresh')", check],
            environment: environment)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.hasSuffix("fresh,standby\n1,t\n"), "\(written.stdout)")
        #expect(written.stderr.contains("replayed the last write"), "\(written.stderr)")

        let readOnly = try SoupBinary.run(
            ["query", "app", "--config", config, "--read-only", "--tx", "none", "-f", "csv", "SELECT count(*) AS n FROM items", "SELECT add_item('no')"],
            environment: environment)
        #expect(readOnly.status == 1)
        #expect(readOnly.stdout == "n\n3\n", "\(readOnly.stderr)")
        #expect(readOnly.stderr.contains("read-only transaction"), "\(readOnly.stderr)")

        // The reader's server connection is left read-write too (the standby refuses writes by itself).
        #expect(try pair.run(sql: "SHOW default_transaction_read_only", url: bouncer.url("r")) == "off")
        #expect(
            try pair.run(sql: "SHOW default_transaction_read_only; INSERT INTO items(name) VALUES ('psql') RETURNING name", url: bouncer.url("w"))
                == "off\npsql")
    }

    /// A config file with the profile `pooled`: `pool_mode = "transaction"`, its writer `url`.
    private func pooledProfile(_ url: String, in directory: TemporaryDirectory) throws -> String {
        let config = directory.file(named: "soup.toml")
        try """
            [profile.pooled]
            pool_mode = "transaction"
            [profile.pooled.bindings.writer]
            url = "\(url)"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// soup's statements carry parameters (`items.get(1)`, the same text twice): sent unnamed,
    /// nothing is left prepared on a server connection that the next transaction may not get.
    @Test("pool_mode = \"transaction\": no named prepared statements are left on the pooled server connection")
    func unnamedStatements() throws {
        let name = try database()
        let url = try PgBouncer.shared(.transaction).url(name)
        let directory = try TemporaryDirectory(prefix: "soup-pgb")
        defer { directory.remove() }
        let config = try pooledProfile(url, in: directory)
        let result = try SoupBinary.run(
            ["query", "pooled", "--config", config, "--tx", "statement", "-f", "csv", "items.get(1).name", "items.get(2).name", "items.get(1).name"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "alpha\nbeta\nalpha\n", "\(result.stdout)")
        try expectCleanServerConnection(url)
    }

    /// A plain URL says nothing of the pooler, so soup prepares a statement by name on its
    /// second run. Through transaction pooling the server connection outlives each client and
    /// is shared: the next soup finds its own names taken (`42P05`), and one that a plain client
    /// deallocated under it gone (`26000`). soup then stops preparing by name and, outside a
    /// transaction, runs the statement again unnamed: nothing fails.
    @Test("a plain URL through transaction pooling: soup sees the shared server connection and stops preparing statements by name")
    func sharedServerConnection() throws {
        let name = try database()
        let url = try PgBouncer.shared(.transaction).url(name)
        let script = "SELECT name FROM items WHERE id = 1;\n"
        let first = try SoupBinary.run(["run", url, "--tx", "statement", "-f", "csv", "-"], stdin: String(repeating: script, count: 3))
        #expect(first.status == 0, "\(first.stderr)")
        let server = try PostgresServer.shared()
        // The one server connection of the pool keeps the statement the first soup prepared.
        #expect(try server.run(sql: "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'soup_statement_%'", url: url) == "1")
        let second = try SoupBinary.run(["run", url, "--tx", "statement", "-f", "csv", "-"], stdin: String(repeating: script, count: 4))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.components(separatedBy: "alpha").count == 5, "\(second.stdout)")

        // Inside a transaction the statement fails, once, with the way out (its transaction is
        // lost); the next transaction prepares nothing by name.
        let inTransaction = try SoupBinary.run(["run", url, "--tx", "file", "-f", "csv", "-"], stdin: String(repeating: script, count: 3))
        #expect(inTransaction.status == 1, "\(inTransaction.stdout)\(inTransaction.stderr)")
        #expect(inTransaction.stderr.contains("already exists") && inTransaction.stderr.contains("a pooler in transaction mode?"), "\(inTransaction.stderr)")
        #expect(try server.run(sql: "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'soup_statement_%'", url: url) == "1")
    }

    @Test("Ctrl-C cancels a statement running through PgBouncer", arguments: [PgBouncer.PoolMode.transaction, .session])
    func cancel(mode: PgBouncer.PoolMode) throws {
        let name = try database()
        let watch = try StatementWatch(url: try PostgresServer.shared().url(database: name))
        defer { watch.close() }
        let result = try SoupBinary.run(
            ["query", try PgBouncer.shared(mode).url(name), "SELECT pg_sleep(600)"], timeout: 60,
            interruptWhen: .when { (try? watch.isRunning("SELECT pg_sleep(600)")) == true })
        #expect(result.status == 130)
        #expect(result.stderr.contains("canceling statement due to user request"), "\(result.stderr)")
    }

    @Test("pool_mode = \"transaction\": a SET warns once that it lasts one transaction")
    func setWarning() throws {
        let name = try database()
        let directory = try TemporaryDirectory(prefix: "soup-pgb")
        defer { directory.remove() }
        let config = try pooledProfile(try PgBouncer.shared(.transaction).url(name), in: directory)
        let result = try SoupBinary.run([
            "query", "pooled", "--config", config, "--tx", "none", "SET work_mem = '8MB'", "SET LOCAL work_mem = '9MB'",
            "SET statement_timeout = '1min'", "SELECT 1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: Self.pooledSetNote).count == 2, "\(result.stderr)")

        // At the REPL, at two terminal widths: the note comes with the first SET only.
        for columns in [100, 60] {
            let terminal = try PseudoTerminal.soup(["pooled", "--config", config], columns: columns)
            try terminal.expect("> ", within: 15)
            terminal.send("SET work_mem = '8MB';\r")
            let first = try terminal.expect("> ")
            terminal.send("SET work_mem = '9MB';\r")
            let second = try terminal.expect("> ")
            terminal.send("ROLLBACK;\r")
            try terminal.expect("> ")
            terminal.send("\\q\r")
            #expect(first.replacingOccurrences(of: "\r\n", with: " ").contains("a SET lasts one transaction"), "\(first)")
            #expect(!second.contains("lasts one"), "\(second)")
        }
    }

    static let pooledSetNote = "soup: note: profile 'pooled' has pool_mode = \"transaction\": a SET lasts one transaction"
}

/// After PostgreSQL reconnects by itself, the session is set up as when it first opened: at the
/// REPL (which goes on after a lost connection), the backend kills itself with
/// `pg_terminate_backend`, and the statement after the reconnect reads the setting. (A
/// session statement outside a transaction is kept at once; `soup query` and scripts stop at
/// a lost connection.)
@Suite("SET statements after a reconnect")
struct SessionReplayTests {
    /// Runs the REPL on `arguments`: a SET, the backend killed, then the setting read twice.
    private func settingAfterReconnect(_ arguments: [String]) throws -> (lost: String, read: String) {
        let terminal = try PseudoTerminal.soup(arguments)
        try terminal.expect("> ", within: 15)
        // The REPL runs statements in a transaction until a commit: a SET is the session's once
        // committed.
        terminal.send("SET application_name = 'kept';\r")
        try terminal.expect("*> ")
        terminal.send("COMMIT;\r")
        try terminal.expect("> ")
        terminal.send("SELECT pg_terminate_backend(pg_backend_pid());\r")
        let lost = try terminal.expect("> ", within: 30)
        terminal.send("SELECT 'read:' || current_setting('application_name') AS name;\r")
        let read = try terminal.expect("(1 row)", within: 30)
        terminal.send("\\q\r")
        return (lost, read)
    }

    @Test("the backend killed: the next statement reconnects and the session's SET holds again")
    func replayed() throws {
        let url = try PostgresServer.shared().makeDatabase(prefix: "replay")
        let (lost, read) = try settingAfterReconnect([url])
        #expect(lost.contains("terminating connection due to administrator command"), "\(lost)")
        #expect(read.contains("read:kept"), "\(read)")
    }

    @Test("pool_mode = \"transaction\": nothing is replayed")
    func notReplayedWhenPooled() throws {
        let url = try PostgresServer.shared().makeDatabase(prefix: "replay")
        let directory = try TemporaryDirectory(prefix: "soup-replay")
        defer { directory.remove() }
        let config = directory.file(named: "soup.toml")
        try "[profile.pooled]\npool_mode = \"transaction\"\n[profile.pooled.bindings.writer]\nurl = \"\(url)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let (lost, read) = try settingAfterReconnect(["pooled", "--config", config])
        #expect(lost.contains("terminating connection due to administrator command"), "\(lost)")
        #expect(read.contains("read:soup"), "\(read)")
    }
}

import Foundation
import SoupTestSupport
import Testing

/// Routing against a real primary and streaming standby that the suite starts itself. The
/// tests pause replay on the shared standby, so they run one at a time.
@Suite("Routing on a primary and a streaming standby", .serialized)
struct RoutingReplicaTests {
    /// A database on the pair with the schema the routing statements use, and a config file whose
    /// profiles route over it: `app` (sticky lsn, with a logger), `timed` (sticky time), `plain`.
    struct Fixture {
        let pair: ReplicaPair
        let database: String
        let directory: TemporaryDirectory
        /// `$XDG_STATE_HOME` shared by the soup processes of one test.
        let stateHome: String
        var config: String { directory.file(named: "soup.toml") }
        var auditDatabase: String { directory.file(named: "audit.db") }

        /// Runs `soup COMMAND PROFILE ARGS... --config FILE`.
        func soup(_ command: String, _ profile: String, _ arguments: [String]) throws -> ProcessResult {
            try SoupBinary.run(
                [command, profile] + arguments + ["--config", config], environment: ["XDG_STATE_HOME": stateHome])
        }

        /// Moves the last write recorded in `$XDG_STATE_HOME/soup/routing-PROFILE.json`
        /// (`{"profile":…,"lsn":…,"written_at":SECONDS}`) `seconds` into the past.
        func ageLastWrite(profile: String, by seconds: Double) throws {
            let file = stateHome + "/soup/routing-\(profile).json"
            let data = try #require(FileManager.default.contents(atPath: file), "no state file \(file)")
            var state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let writtenAt = try #require(state["written_at"] as? Double, "\(state)")
            state["written_at"] = writtenAt - seconds
            try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: file))
        }

        /// Runs SQL on the primary (or the standby) through psql.
        @discardableResult
        func psql(_ sql: String, standby: Bool = false) throws -> String {
            try pair.run(sql: sql, url: standby ? pair.standbyURL(database) : pair.primaryURL(database))
        }
    }

    static let schema = """
        CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL);
        CREATE SEQUENCE audit_seq;
        CREATE FUNCTION add_item(n text) RETURNS int LANGUAGE sql VOLATILE
          AS $$ INSERT INTO items(name) VALUES (n) RETURNING id $$;
        -- An overload of an allowlisted volatile name that writes: soup takes it for a read.
        CREATE FUNCTION timeofday(n text) RETURNS int LANGUAGE sql VOLATILE
          AS $$ INSERT INTO items(name) VALUES (n) RETURNING 1 $$;
        CREATE VIEW item_names AS SELECT name FROM items;
        CREATE MATERIALIZED VIEW item_mv AS SELECT * FROM items;
        CREATE PROCEDURE add_item_proc() LANGUAGE sql AS $$ INSERT INTO items(name) VALUES ('proc') $$;
        CREATE PROCEDURE read_proc() LANGUAGE plpgsql AS $$ BEGIN PERFORM count(*) FROM items; END $$;
        INSERT INTO items(name) VALUES ('alpha'), ('beta');
        """

    func fixture(writerPort: Int? = nil) throws -> Fixture {
        let pair = try ReplicaPair.shared()
        let database = try pair.makeDatabase()
        try pair.run(sql: Self.schema, url: pair.primaryURL(database))
        try pair.waitForReplay()
        let directory = try TemporaryDirectory(prefix: "soup-routing")
        let writer = "postgresql://postgres:hunter2@127.0.0.1:\(writerPort ?? pair.primaryPort)/\(database)"
        let reader = pair.standbyURL(database)
        var text = ""
        for (profile, settings) in [
            ("app", "sticky = \"lsn\"\nlsn_wait_timeout = \"300ms\""),
            ("timed", "sticky = \"time\"\nsticky_window = \"60s\""),
            ("plain", "sticky = \"off\""),
        ] {
            text += "[profile.\(profile)]\n\(settings)\n"
            text += "[profile.\(profile).bindings.writer]\nurl = \"\(writer)\"\n"
            text += "[profile.\(profile).bindings.reader]\nurl = \"\(reader)\"\n"
        }
        text += "[profile.app.bindings.logger]\nurl = \"sqlite:///\(directory.file(named: "audit.db"))\"\n"
        try text.write(toFile: directory.file(named: "soup.toml"), atomically: true, encoding: .utf8)
        return Fixture(pair: pair, database: database, directory: directory, stateHome: directory.file(named: "state"))
    }

    @Test("a read-only command succeeds through the reader while the writer's port is closed")
    func closedWriter() throws {
        let fixture = try fixture(writerPort: 1)
        defer { fixture.directory.remove() }
        let read = try fixture.soup("query", "plain", ["-v", "-f", "csv", "SELECT count(*) AS n, pg_is_in_recovery() AS standby FROM items"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "n,standby\n2,t\n")
        #expect(read.stderr.contains("soup: route: reader: read-only transaction: BEGIN READ ONLY"), "\(read.stderr)")
        #expect(!read.stderr.contains("route: writer"))
        let write = try fixture.soup("query", "plain", ["INSERT INTO items(name) VALUES ('x')"])
        #expect(write.status != 0)
        #expect(write.stderr.contains("binding 'writer'"), "\(write.stderr)")
        #expect(!write.stderr.contains("hunter2"))
    }

    @Test("lsn mode: a read right after a commit goes to the writer, also in the next process; after replay, to the reader")
    func stickyLSN() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        try fixture.pair.pauseReplay()
        defer { try? fixture.pair.resumeReplay() }
        let write = try fixture.soup("query", "app", ["INSERT INTO items(name) VALUES ('fresh')"])
        #expect(write.status == 0, "\(write.stderr)")
        let check = "SELECT count(*) AS fresh, pg_is_in_recovery() AS standby FROM items WHERE name = 'fresh'"
        // Another process: the state file says the reader has not replayed the write; the
        // wait of up to 300 ms times out and the read goes to the writer.
        let read = try fixture.soup("query", "app", ["-f", "csv", check])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "fresh,standby\n1,f\n")
        #expect(read.elapsed >= 0.3)
        // Without read-your-writes the standby answers, stale.
        let stale = try fixture.soup("query", "plain", ["-f", "csv", check])
        #expect(stale.stdout == "fresh,standby\n0,t\n", "\(stale.stderr)")
        try fixture.pair.resumeReplay()
        let caughtUp = try fixture.soup("query", "app", ["-f", "csv", check])
        #expect(caughtUp.stdout == "fresh,standby\n1,t\n", "\(caughtUp.stderr)")
    }

    /// The window is a minute, far longer than starting a process takes however busy the
    /// machine; its end is reached by making the recorded write a minute older in the state
    /// file the processes share, not by waiting.
    @Test("time mode: reads stay on the writer within sticky_window, across processes, then go back to the reader")
    func stickyTime() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        try fixture.pair.pauseReplay()
        defer { try? fixture.pair.resumeReplay() }
        let write = try fixture.soup("query", "timed", ["INSERT INTO items(name) VALUES ('timed')"])
        #expect(write.status == 0, "\(write.stderr)")
        let check = "SELECT count(*) AS n, pg_is_in_recovery() AS standby FROM items WHERE name = 'timed'"
        let inside = try fixture.soup("query", "timed", ["-f", "csv", check])
        #expect(inside.stdout == "n,standby\n1,f\n", "\(inside.stderr)")
        try fixture.ageLastWrite(profile: "timed", by: 61)
        let after = try fixture.soup("query", "timed", ["-f", "csv", check])
        #expect(after.stdout == "n,standby\n0,t\n", "\(after.stderr)")
    }

    @Test("a read that the reader refuses with 25006 is retried once on the writer, with a note; inside a transaction it fails")
    func retryOnReadOnly() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let autocommit = try fixture.soup("query", "plain", ["--tx", "none", "SELECT timeofday('retried')"])
        #expect(autocommit.status == 0, "\(autocommit.stderr)")
        #expect(autocommit.stderr.contains("soup: note: the reader refused a statement taken for a read"))
        #expect(autocommit.stderr.contains("retrying it once on the writer"))
        #expect(try fixture.psql("SELECT count(*) FROM items WHERE name = 'retried'") == "1")
        // --tx file: a script of reads runs in a READ ONLY transaction on the reader.
        let inTransaction = try fixture.soup("query", "plain", ["SELECT timeofday('not retried')"])
        #expect(inTransaction.status == 1)
        #expect(inTransaction.stderr.contains("SQLSTATE 25006"), "\(inTransaction.stderr)")
        #expect(!inTransaction.stderr.contains("retrying"))
        #expect(try fixture.psql("SELECT count(*) FROM items WHERE name = 'not retried'") == "0")
    }

    @Test("--read-only refuses writes and the read-write escapes without sending them")
    func readOnly() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let refused = [
            "INSERT INTO items(name) VALUES ('romark01')", "UPDATE items SET name = 'romark02'",
            "DELETE FROM items WHERE name = 'romark03'", "CREATE TABLE romark04 (id int)", "TRUNCATE items /* romark05 */",
            "SELECT nextval('audit_seq') /* romark06 */", "SELECT * FROM items FOR UPDATE /* romark07 */",
            "SET default_transaction_read_only = off /* romark08 */", "SET transaction_read_only = off /* romark09 */",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE /* romark10 */", "BEGIN READ WRITE /* romark11 */",
            "SET SESSION default_transaction_read_only TO false /* romark12 */", "db.execute('RESET ALL /* romark13 */')",
            "db.execute('RESET default_transaction_read_only /* romark14 */')",
            "SELECT set_config('default_transaction_read_only', 'off', false) /* romark15 */", "db.execute('DISCARD ALL /* romark16 */')",
        ]
        let url = fixture.pair.primaryURL(fixture.database)
        // RESET and DISCARD are not statement keywords of the soup language; db.execute sends them.
        let result = try SoupBinary.run(["query", url, "--read-only", "--tx", "none", "--continue"] + refused.map { $0 + ";" })
        #expect(result.status == 1)
        #expect(result.stderr.components(separatedBy: "read-only: soup refused to send").count == refused.count + 1, "\(result.stderr)")
        let log = fixture.pair.primaryLog()
        // Read-only per transaction, never by a session setting that would outlive soup on a
        // pooled server connection.
        #expect(!log.contains("SET default_transaction_read_only"))
        #expect(!log.contains("romark"))
        #expect(try fixture.psql("SELECT count(*) FROM items") == "2")
        // The database enforces it too: a statement soup takes for a read still cannot write.
        let sneaky = try SoupBinary.run(["query", url, "--read-only", "SELECT add_item('romark17')"])
        #expect(sneaky.status == 1)
        #expect(sneaky.stderr.contains("SQLSTATE 25006"))
    }

    @Test("the logger binding keeps its record of the writes of a script that was rolled back")
    func logger() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let run = try fixture.soup("query", "app", [
            "INSERT INTO items(name) VALUES ('logged')", "UPDATE items SET name = 'alpha2' WHERE name = 'alpha'", "SELECT 1/0",
        ])
        #expect(run.status == 1)
        #expect(try fixture.psql("SELECT count(*) FROM items WHERE name IN ('logged', 'alpha2')") == "0")
        let audit = try SoupBinary.run([
            "query", fixture.auditDatabase, "-f", "csv", "SELECT profile, binding, statement, outcome FROM soup_audit_log ORDER BY id",
        ])
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout == """
            profile,binding,statement,outcome
            app,writer,INSERT INTO items(name) VALUES ('logged'),ok
            app,writer,UPDATE items SET name = 'alpha2' WHERE name = 'alpha',ok

            """)
    }

    @Test("soup status --json: masked URLs, versions, roles, states, transactions, statements, lag")
    func status() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        try fixture.pair.pauseReplay()
        defer { try? fixture.pair.resumeReplay() }
        try fixture.psql("INSERT INTO items(name) SELECT 'lag ' || g FROM generate_series(1, 100) AS g")
        let result = try fixture.soup("status", "app", ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("hunter2"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(root["profile"] as? String == "app")
        #expect(root["sticky"] as? String == "lsn")
        let bindings = try #require(root["bindings"] as? [[String: Any]])
        #expect(bindings.map { $0["name"] as? String } == ["writer", "reader", "logger"])
        let writer = bindings[0]
        let reader = bindings[1]
        #expect((writer["url"] as? String)?.contains("postgres:***@") == true)
        #expect(writer["role"] as? String == "primary")
        #expect(reader["role"] as? String == "standby")
        #expect(bindings[2]["role"] as? String == "file")
        for binding in bindings {
            #expect(binding["state"] as? String == "START")
            #expect(binding["transaction"] as? String == "idle")
            #expect((binding["server_version"] as? String)?.isEmpty == false)
            #expect(binding["statements_sent"] as? Int == 0)
        }
        let lag = try #require(reader["lag"] as? [String: Any])
        #expect((lag["bytes"] as? Int ?? 0) > 0)
        #expect(lag["seconds"] is Double || lag["seconds"] is Int)
        let text = try fixture.soup("status", "app", [])
        #expect(text.stdout.contains("lag reader: "), "\(text.stdout)")
    }

    @Test("a forced binding wins: -b, and a soup:bind hint; a write forced onto the reader gets the standby's 25006 explained")
    func forced() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let onWriter = try fixture.soup("query", "plain", ["-f", "csv", "-b", "writer", "SELECT pg_is_in_recovery() AS standby"])
        #expect(onWriter.stdout == "standby\nf\n", "\(onWriter.stderr)")
        let hinted = try fixture.soup("query", "plain", ["-f", "csv", "--tx", "none", "/* soup:bind=writer */ SELECT pg_is_in_recovery() AS standby"])
        #expect(hinted.stdout == "standby\nf\n", "\(hinted.stderr)")
        let onReader = try fixture.soup("query", "plain", ["-b", "reader", "INSERT INTO items(name) VALUES ('forced')"])
        #expect(onReader.status == 1)
        #expect(onReader.stderr.contains("SQLSTATE 25006"))
        #expect(onReader.stderr.contains("binding 'reader' is read-only; the statement was forced there"), "\(onReader.stderr)")
        let unknown = try fixture.soup("query", "plain", ["-b", "nope", "SELECT 1"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no binding named 'nope' in profile 'plain' (bindings: writer, reader)"))
    }
}

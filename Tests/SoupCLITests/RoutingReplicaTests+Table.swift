import Foundation
import SoupDriver
import SoupPostgres
import SoupRouting
import SoupTestSupport
import Testing

extension RoutingReplicaTests {
    /// Statements the real standby rejects (docs/routing-rules.md, section 8): each must go to
    /// the writer, and the standby must really reject it (the oracle).
    static let rejectedByStandby = [
        "INSERT INTO items(name) VALUES ('x')", "UPDATE items SET name = name", "DELETE FROM items WHERE false",
        "MERGE INTO items t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET name = t.name",
        "TRUNCATE items", "COPY items(name) FROM STDIN", "CREATE TABLE t2(id int)",
        "CREATE TEMP TABLE tmp1(id int)",
        "WITH n AS (INSERT INTO items(name) VALUES ('w') RETURNING id) SELECT * FROM n",
        "SELECT * FROM items FOR UPDATE", "SELECT * FROM items FOR SHARE", "SELECT nextval('audit_seq')",
        "SELECT add_item('via function')", "SELECT * INTO new_items FROM items",
        "EXPLAIN ANALYZE INSERT INTO items(name) VALUES ('e')", "BEGIN; LOCK items IN EXCLUSIVE MODE; COMMIT",
        "BEGIN; LOCK items IN SHARE UPDATE EXCLUSIVE MODE; COMMIT", "SELECT txid_current()",
        "SET transaction_read_only = off", "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT 1; COMMIT", "LISTEN soup_events",
        "NOTIFY soup_events", "VACUUM items", "ANALYZE items", "SELECT pg_current_wal_lsn()",
        "CLUSTER items USING items_pkey", "REINDEX TABLE items", "REFRESH MATERIALIZED VIEW item_mv",
        "GRANT SELECT ON items TO PUBLIC", "COMMENT ON TABLE items IS 'x'", "SELECT pg_notify('soup_events', 'x')",
        "DO $$ BEGIN INSERT INTO items(name) VALUES ('do'); END $$", "CALL add_item_proc()",
        "PREPARE pi AS INSERT INTO items(name) VALUES ('p'); EXECUTE pi",
    ]

    /// The statements of the routing rules' table (docs/routing-rules.md, section 3) and where
    /// soup sends them.
    static let routes: [(sql: String, binding: String)] = [
        ("SELECT count(*) FROM items", "reader"),
        ("VALUES (1), (2)", "reader"),
        ("TABLE items", "reader"),
        ("WITH x AS (SELECT * FROM items) SELECT count(*) FROM x", "reader"),
        ("SELECT count(*) FROM item_names", "reader"),
        ("SHOW statement_timeout", "reader"),
        ("EXPLAIN INSERT INTO items(name) VALUES ('e')", "writer"),
        ("EXPLAIN ANALYZE SELECT * FROM items", "reader"),
        ("SELECT now(), random(), clock_timestamp()", "reader"),
        ("SELECT pg_last_wal_replay_lsn()", "reader"),
        ("SELECT set_config('work_mem', '8MB', false)", "reader"),
        ("BEGIN READ ONLY; SELECT 1; COMMIT", "reader"),
        ("BEGIN READ ONLY; LOCK items IN ACCESS SHARE MODE; COMMIT", "reader"),
        // Accepted by a standby, but not known to be reads: the writer, to be safe.
        ("DO $$ BEGIN PERFORM 1; END $$", "writer"),
        ("CALL read_proc()", "writer"),
        ("CHECKPOINT", "writer"),
        ("BEGIN; SELECT pg_advisory_xact_lock(5); COMMIT", "writer"),
        ("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1; COMMIT", "writer"),
    ] + rejectedByStandby.map { ($0, "writer") }

    /// One statement through `query` (which handles COPY), several through `executeScript`.
    private static func run(_ sql: String, on connection: any Connection) throws {
        if sql.contains(";") { try connection.executeScript(sql) } else { try connection.execute(sql) }
    }

    private func router(_ fixture: Fixture) -> RoutingConnection {
        var profile = Profile(name: "table")
        profile.bindings = [
            BindingConfig(name: "writer", url: fixture.pair.primaryURL(fixture.database), locator: .postgres(conninfo: fixture.pair.primaryURL(fixture.database))),
            BindingConfig(name: "reader", url: fixture.pair.standbyURL(fixture.database), locator: .postgres(conninfo: fixture.pair.standbyURL(fixture.database))),
        ]
        return RoutingConnection(profile: profile) { config, readOnly in
            guard case .postgres(let conninfo) = config.locator else { throw RoutingError(message: "not PostgreSQL") }
            let connection = try PostgresConnection(conninfo: conninfo)
            if readOnly { try connection.execute("SET default_transaction_read_only = on") }
            return connection
        }
    }

    @Test("every statement class of the routing rules is routed as the table says; every statement the standby rejects goes to the writer")
    func routingTable() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let router = router(fixture)
        defer { router.close() }
        for (sql, binding) in Self.routes {
            let before = router.status().bindings.map(\.statementsSent)
            let failure: (any Error)?
            do {
                try Self.run(sql, on: router)
                failure = nil
            } catch {
                failure = error
            }
            if router.transactionStatus != .idle { try router.executeScript("ROLLBACK") }
            let after = router.status().bindings.map(\.statementsSent)
            let used = zip(["writer", "reader"], zip(before, after)).filter { $1.0 != $1.1 }.map(\.0)
            #expect(used == [binding], "\(sql)")
            if binding == "reader" { #expect(failure == nil, "the standby refused a read: \(sql): \(String(describing: failure))") }
        }
        let status = router.status()
        #expect(status.bindings[0].lastRoute?.binding == "writer")
        #expect(status.bindings[1].lastRoute?.reason == "read-only transaction")
        // The oracle: the standby really rejects each statement routed to the writer above.
        let standby = try PostgresConnection(conninfo: fixture.pair.standbyURL(fixture.database))
        defer { standby.close() }
        for sql in Self.rejectedByStandby {
            #expect(throws: DatabaseError.self, "the standby accepted \(sql)") { try Self.run(sql, on: standby) }
            if standby.transactionStatus != .idle { try standby.execute("ROLLBACK") }
        }
    }

    @Test("status reports the last route and why, the reader's lag, INIT for unused bindings and END after close")
    func statusAPI() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let router = router(fixture)
        #expect(router.status().bindings.map(\.state) == [.initial, .initial])
        _ = try router.fetchAll("SELECT count(*) FROM items")
        var status = router.status()
        #expect(status.bindings.map(\.state) == [.initial, .started])
        #expect(status.bindings[1].lastRoute == Route(binding: "reader", reason: "read: SELECT", statement: "SELECT count(*) FROM items"))
        #expect((status.bindings[1].lag?.bytes ?? -1) >= 0)
        try router.execute("INSERT INTO items(name) VALUES ('s')")
        status = router.status()
        #expect(status.bindings[0].lastRoute?.reason == "write: INSERT")
        #expect(status.bindings[0].role == "primary")
        #expect(status.bindings[1].role == "standby")
        try router.force(binding: "writer")
        _ = try router.fetchAll("SELECT 1")
        #expect(router.status().bindings[0].lastRoute?.reason == "forced (-b or \\use)")
        #expect(router.status().json.contains("\"forced_binding\":\"writer\""))
        router.reconnectAll()
        #expect(router.status().bindings.map(\.state) == [.initial, .initial])
        _ = try router.fetchAll("SELECT 1")
        router.close()
        #expect(router.status().bindings.map(\.state) == [.ended, .initial])
    }

    @Test("a session setting goes to every open binding and is replayed on bindings that open later")
    func sessionSettings() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let router = router(fixture)
        defer { router.close() }
        try router.execute("SET application_name = 'soupy'")
        #expect(router.status().bindings.map(\.state) == [.initial, .started])
        #expect(try router.scalar("SHOW application_name") == .text("soupy"))
        try router.force(binding: "writer")
        #expect(try router.scalar("SELECT current_setting('application_name') || ' ' || pg_is_in_recovery()") == .text("soupy false"))
    }

    @Test("a read-only transaction whose reader connection broke while idle begins again on the next server: nothing had run in it")
    func unstartedTransactionMoves() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        /// The backend of the connection `connection` sends its next statement to.
        func backend(_ connection: RoutingConnection) throws -> String {
            try #require(try connection.scalar("SELECT pg_backend_pid()::text")?.text)
        }
        /// Ends the reader's session `pid` from the standby's side, as a restart would.
        func endReaderSession(_ pid: String) throws {
            try fixture.psql("SELECT pg_terminate_backend(\(pid))", standby: true)
            let deadline = ContinuousClock.now + .seconds(20)
            while try fixture.psql("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)", standby: true) != "0" {
                guard ContinuousClock.now < deadline else { throw TestSupportError("session \(pid) still there") }
                usleep(20_000)
            }
        }
        // A statement ran in the transaction: it is not begun again elsewhere (its reads would
        // see another snapshot); the failure is the caller's.
        let started = router(fixture)
        defer { started.close() }
        try started.perform(.begin(readOnly: true))
        let pid = try backend(started)
        #expect(started.status().bindings[1].lastRoute?.binding == "reader")
        try endReaderSession(pid)
        #expect(throws: DatabaseError.self) { try started.scalar("SELECT 2") }

        // The reader's connection opens for a read, then its server ends that session.
        let router = router(fixture)
        defer { router.close() }
        var notes: [String] = []
        router.note = { notes.append($0) }
        let readerPid = try backend(router)
        // (status() asks the reader for its lag: after the session ends, that would find it broken.)
        #expect(router.status().bindings[1].lastRoute?.binding == "reader")
        try endReaderSession(readerPid)
        // BEGIN waits to go out with the first statement, which finds the connection broken.
        try router.perform(.begin(readOnly: true))
        #expect(try router.scalar("SELECT pg_is_in_recovery()::text || ' ' || current_setting('transaction_read_only')") == .text("false on"))
        #expect(router.status().bindings[0].lastRoute?.reason == "inside the transaction open on writer")
        #expect(router.transactionStatus == .inTransaction)
        try router.perform(.commit)
        #expect(notes.contains { $0.contains("nothing had run yet in the read-only transaction on reader") }, "\(notes)")
    }
}

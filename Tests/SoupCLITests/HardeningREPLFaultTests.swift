import Foundation
import SoupTestSupport
import Testing

/// The PostgreSQL server crashes and restarts under a REPL session holding uncommitted work,
/// on a private cluster (the shared server is never touched): the REPL says the connection was
/// lost and what went with it, the session goes on with nothing of that work left in it, and
/// the next statement reconnects. Lost during COMMIT, the work may have been
/// committed, and the REPL says it cannot know.
@Suite("Hardening: the REPL when PostgreSQL restarts", .serialized)
struct HardeningREPLFaultTests {
    static let server = Result { try PostgresServer.makePrivate() }

    /// Returns once the server shows a statement starting with `statement` running on `url`'s
    /// database; the watching connection is closed before the crash that follows.
    private static func waitUntilRunning(_ statement: String, on url: String) throws {
        let watch = try StatementWatch(url: url)
        defer { watch.close() }
        try watch.waitUntilRunning(statement)
    }

    private func count(_ server: PostgresServer, _ url: String) throws -> String {
        try server.run(sql: "SELECT string_agg(id::text, ',' ORDER BY id) FROM t", url: url)
    }

    @Test("crashed between inputs, during a statement and during COMMIT: lost work named, session reset, next statement reconnects")
    func restartUnderTheREPL() throws {
        let server = try Self.server.get()
        let url = try server.makeDatabase()
        try server.run(
            sql: """
                CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one');
                CREATE TABLE slow (id int PRIMARY KEY);
                CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
                    $$ BEGIN PERFORM pg_sleep(0.002); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON slow DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION slow();
                """, url: url)
        let name = String(url.split(separator: "/").last!)
        let clean = "soup:\(name)> "
        let dirty = "soup:\(name)*> "
        let terminal = try PseudoTerminal.soup([url])
        try terminal.expect(clean, within: 15)

        // 1. The server goes away between two inputs of an open transaction.
        terminal.send("t.insert(id=2, v='two')\r")
        try terminal.expect(dirty)
        terminal.send("INSERT INTO t VALUES (3, 'three');\r")
        try terminal.expect(dirty)
        terminal.send("one = t.get(1); one.v = 'changed'\r")
        try terminal.expect(dirty)
        try server.crash()
        try server.restart()
        terminal.send("t.count()\r")
        var shown = try terminal.expect(clean, within: 30)
        #expect(shown.contains("the connection to the server was lost"), "\(shown)")
        #expect(shown.contains("lost: the open transaction"), "\(shown)")
        #expect(!shown.contains("Fatal error"))
        // The session forgot the inserted row and the change, as after a rollback: t.get(2)
        // asks the database (which has no such row) instead of answering from the identity map.
        terminal.send("t.get(2)\r")
        shown = try terminal.expect(clean, within: 15)
        #expect(!shown.contains("id=2"), "\(shown)")
        terminal.send("one.v\r")
        shown = try terminal.expect(clean)
        #expect(shown.contains("'one'") || shown.contains("one\r"), "\(shown)")
        #expect(try count(server, url) == "1")

        // 2. The server goes away while a statement of an open transaction runs.
        terminal.send("t.insert(id=4, v='four')\r")
        try terminal.expect(dirty)
        terminal.send("SELECT pg_sleep(60);\r")
        // Inside the transaction the read runs as a cursor under the row limit: its FETCH runs.
        try Self.waitUntilRunning("FETCH FORWARD 1001 FROM soup_limited_", on: url)
        try server.crash()
        try server.restart()
        shown = try terminal.expect(clean, within: 30)
        #expect(shown.contains("the connection to the server was lost"), "\(shown)")
        #expect(shown.contains("lost: the open transaction"), "\(shown)")

        // 3. Without uncommitted work, the REPL says nothing was lost.
        terminal.send("SELECT 2 AS two;\r")
        try terminal.expect("(1 row)", within: 15)
        try terminal.expect(clean)
        try server.crash()
        try server.restart()
        terminal.send("SELECT 1 AS one;\r")
        shown = try terminal.expect(clean, within: 30)
        #expect(shown.contains("no uncommitted work was lost"), "\(shown)")

        // 4. The server goes away during a COMMIT that takes 10 s (a deferred trigger), once the
        // server shows it running: the REPL cannot know whether it was committed, and says so.
        terminal.send("INSERT INTO slow SELECT g FROM generate_series(1, 5000) g;\r")
        try terminal.expect(dirty, within: 15)
        terminal.send("db.commit()\r")
        try Self.waitUntilRunning("COMMIT", on: url)
        try server.crash()
        try server.restart()
        shown = try terminal.expect(clean, within: 30)
        #expect(shown.contains("during COMMIT"), "\(shown)")
        #expect(shown.contains("is unknown"), "\(shown)")
        let slowRows = try server.run(sql: "SELECT count(*) FROM slow", url: url)
        #expect(slowRows == "0" || slowRows == "5000", "half a transaction: \(slowRows) rows")

        // The next statements reconnect and work; nothing of the lost work was committed.
        terminal.send("t.insert(id=5, v='five')\r")
        try terminal.expect(dirty, within: 15)
        terminal.send("db.commit()\r")
        try terminal.expect(clean)
        terminal.send("\\q\r")
        #expect(try terminal.waitForExit(within: 10) == 0)
        #expect(try count(server, url) == "1,5")
    }
}

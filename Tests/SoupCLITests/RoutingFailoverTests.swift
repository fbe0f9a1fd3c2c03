import Foundation
import SoupTestSupport
import Testing

/// Failover with a multi-host writer URL (`target_session_attrs=read-write`): each test starts
/// a primary and a standby of its own, stops the primary as a crash would and promotes the
/// standby with `pg_promote()`.
@Suite("Failover by promotion")
struct RoutingFailoverTests {
    struct Fixture {
        let replicas: ReplicaSet
        let database: String
        let directory: TemporaryDirectory
        var config: String { directory.file(named: "soup.toml") }
        var standbyPort: Int { replicas.standbyPorts[0] }

        /// Rows of `items` on the promoted standby, by name in insertion order.
        func names() throws -> String {
            try replicas.run(sql: "SELECT string_agg(name, ',' ORDER BY id) FROM items", url: replicas.standbyURL(0, database))
        }
    }

    /// The profile `fo`: the writer is whichever of the two servers accepts writes; the reader
    /// is the standby.
    func fixture() throws -> Fixture {
        let replicas = try ReplicaSet.start(standbys: 1)
        let database = try replicas.makeDatabase(prefix: "fo")
        try replicas.run(sql: "CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL)", url: replicas.primaryURL(database))
        try replicas.waitForReplay(standby: 0)
        let directory = try TemporaryDirectory(prefix: "soup-failover")
        let writer = "postgresql://postgres@127.0.0.1:\(replicas.primaryPort),127.0.0.1:\(replicas.standbyPorts[0])/\(database)"
            + "?target_session_attrs=read-write"
        try """
            [profile.fo]
            [profile.fo.bindings.writer]
            url = "\(writer)"
            [profile.fo.bindings.reader]
            url = "\(replicas.standbyURL(0, database))"
            """.write(toFile: directory.file(named: "soup.toml"), atomically: true, encoding: .utf8)
        return Fixture(replicas: replicas, database: database, directory: directory)
    }

    @Test("the REPL reports the lost transaction, the next statement writes on the promoted standby, which is no longer read as a reader")
    func repl() throws {
        let fixture = try fixture()
        defer {
            fixture.replicas.stop()
            fixture.directory.remove()
        }
        let terminal = try PseudoTerminal.soup(["fo", "-f", "csv", "--config", fixture.config])
        try terminal.expect("soup:fo> ", within: 15)
        terminal.send("SELECT pg_is_in_recovery() AS standby;\r")
        var shown = try terminal.expect("soup:fo> ")
        #expect(shown.contains("standby\r\nt\r\n"), "\(shown)")
        terminal.send("INSERT INTO items(name) VALUES ('kept');\r")
        try terminal.expect("soup:fo*> ")
        terminal.send("COMMIT;\r")
        try terminal.expect("soup:fo> ")
        // Replication is asynchronous: a commit the standby has not received is lost with the primary.
        try fixture.replicas.waitForReplay(standby: 0)
        terminal.send("INSERT INTO items(name) VALUES ('lost');\r")
        try terminal.expect("soup:fo*> ")

        try fixture.replicas.stopPrimary()
        try fixture.replicas.promote(standby: 0)

        terminal.send("SELECT count(*) AS n FROM items;\r")
        shown = try terminal.expect("soup:fo> ", within: 30)
        #expect(shown.contains("the connection to the server was lost; lost: "), "\(shown)")
        #expect(shown.contains("the next statement reconnects"), "\(shown)")
        terminal.send("INSERT INTO items(name) VALUES ('after');\r")
        shown = try terminal.expect("soup:fo*> ", within: 30)
        terminal.send("COMMIT;\r")
        try terminal.expect("soup:fo> ")
        terminal.send("SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port;\r")
        shown = try terminal.expect("soup:fo> ")
        #expect(shown.contains("standby,port\r\nf,\(fixture.standbyPort)\r\n"), "\(shown)")
        #expect(shown.contains("is down for 1 s: no longer a standby"), "\(shown)")
        terminal.send("\\status\r")
        shown = try terminal.expect("soup:fo> ")
        #expect(shown.contains("reader reader: down until"), "\(shown)")
        #expect(shown.contains("last read writer: read: SELECT; no reader could take it"), "\(shown)")
        terminal.send("\\q\r")
        let names = try fixture.names()
        #expect(names == "kept,after")
    }

    @Test("a --tx file script whose primary goes away exits 1 with nothing committed; the next soup writes on the promoted standby")
    func script() throws {
        let fixture = try fixture()
        defer {
            fixture.replicas.stop()
            fixture.directory.remove()
        }
        let gate = try Gate(fixture.replicas, database: fixture.database, lock: 9)
        let script = """
            INSERT INTO items(name) VALUES ('half');
            SELECT pg_advisory_lock(9) IS NULL AS gate;
            INSERT INTO items(name) VALUES ('never');
            """
        let run = Background {
            try SoupBinary.run(["run", "fo", "--tx", "file", "--config", fixture.config, "-"], stdin: script, timeout: 120)
        }
        try gate.waitUntilAwaited()
        try fixture.replicas.stopPrimary()
        let result = try run.wait()
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the connection was lost"), "\(result.stderr)")
        try fixture.replicas.promote(standby: 0)
        #expect(try fixture.names() == "")

        let next = try SoupBinary.run(["query", "fo", "--config", fixture.config, "INSERT INTO items(name) VALUES ('next')"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try fixture.names() == "next")
    }
}

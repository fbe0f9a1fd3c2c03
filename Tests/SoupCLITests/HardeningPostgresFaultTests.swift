import Foundation
import SoupTestSupport
import Testing

/// A PostgreSQL server that goes away under `soup run`, on a private cluster of this suite's
/// own (crashed with `pg_ctl stop -m immediate`, then restarted; the shared server is never
/// touched): the run fails cleanly with exit 1, and the data is all there or not at all.
@Suite("Hardening: PostgreSQL faults", .serialized)
struct HardeningPostgresFaultTests {
    static let server = Result { try PostgresServer.makePrivate() }

    /// Runs soup on a thread while `fault` runs here after `delay` seconds; returns soup's result.
    private func run(
        _ arguments: [String], stdin: String? = nil, faultAfter delay: Double, fault: () throws -> Void
    ) throws -> ProcessResult {
        let outcome = Outcome()
        let thread = Thread {
            outcome.result = Result { try SoupBinary.run(arguments, stdin: stdin, timeout: 120) }
            outcome.done.signal()
        }
        thread.start()
        Thread.sleep(forTimeInterval: delay)
        try fault()
        outcome.done.wait()
        return try outcome.result!.get()
    }

    private final class Outcome: @unchecked Sendable {
        var result: Result<ProcessResult, any Error>?
        let done = DispatchSemaphore(value: 0)
    }

    private func count(_ server: PostgresServer, _ url: String) throws -> Int {
        Int(try server.run(sql: "SELECT count(*) FROM t", url: url)) ?? -1
    }

    @Test("the server restarted in the middle of a soup run transaction: exit 1, nothing half-committed")
    func restartMidTransaction() throws {
        let server = try Self.server.get()
        let url = try server.makeDatabase()
        try server.run(sql: "CREATE TABLE t (id int PRIMARY KEY)", url: url)
        let script = """
            INSERT INTO t VALUES (1);
            t.insert(id=2)
            db.flush()
            SELECT pg_sleep(4);
            INSERT INTO t VALUES (3);
            """
        let result = try run(["run", url, "-"], stdin: script, faultAfter: 1.5) {
            try server.crash()
            try server.restart()
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:4:1: ERROR:"), "\(result.stderr)")
        #expect(result.stderr.contains("connection was lost"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try count(server, url) == 0)
        // The server is back: the same run now commits everything.
        let again = try SoupBinary.run(["run", url, "-"], stdin: script.replacing("pg_sleep(4)", with: "pg_sleep(0)"))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try count(server, url) == 3)
    }

    @Test("the server killed during COMMIT (a 2 s deferred trigger): afterwards all rows or none, and exit 0 means all")
    func killedDuringCommit() throws {
        let server = try Self.server.get()
        let url = try server.makeDatabase()
        try server.run(
            sql: """
                CREATE TABLE t (id int PRIMARY KEY);
                CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
                    $$ BEGIN PERFORM pg_sleep(0.002); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION slow();
                """, url: url)
        let rows = 1000
        var outcomes: [String] = []
        for delay in [0.3, 0.8, 1.2, 1.7, 2.2, 4.0] {
            try server.run(sql: "TRUNCATE t", url: url)
            let result = try run(
                ["query", url, "INSERT INTO t SELECT g FROM generate_series(1, \(rows)) g"], faultAfter: delay
            ) {
                try server.crash()
                try server.restart()
            }
            let found = try count(server, url)
            let atCommit = result.stderr.contains("soup:1:1: ERROR:")  // the COMMIT soup sends itself
            outcomes.append("crash at \(delay) s: exit \(result.status)\(atCommit ? " in COMMIT" : ""), \(found) rows")
            #expect(found == 0 || found == rows, "half a transaction: \(found) rows")
            #expect(result.status == 0 || result.status == 1 || result.status == 2, "\(result.stderr)")
            if result.status == 0 { #expect(found == rows) }
            if result.status != 0 { #expect(!result.stderr.isEmpty && !result.stderr.contains("Fatal error")) }
        }
        print("server crash during COMMIT of \(rows) rows: " + outcomes.joined(separator: "; "))
        #expect(outcomes.contains { $0.contains("in COMMIT") }, "no crash landed inside COMMIT")
    }
}

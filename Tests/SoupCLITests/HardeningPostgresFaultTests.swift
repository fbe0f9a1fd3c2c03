import Foundation
import SoupTestSupport
import Testing

/// A PostgreSQL server that goes away under `soup run`, on a private cluster of this suite's
/// own (crashed with `pg_ctl stop -m immediate`, then restarted; the shared server is never
/// touched): the run fails cleanly with exit 1, and the data is all there or not at all.
@Suite("Hardening: PostgreSQL faults", .serialized)
struct HardeningPostgresFaultTests {
    static let server = Result { try PostgresServer.makePrivate() }

    /// Runs soup on a thread while `fault` runs here once `ready` returns (after a fixed delay,
    /// or once the server shows a statement running); returns soup's result.
    private func run(
        _ arguments: [String], stdin: String? = nil, faultWhen ready: () throws -> Void, fault: () throws -> Void
    ) throws -> ProcessResult {
        let outcome = Outcome()
        let thread = Thread {
            outcome.result = Result { try SoupBinary.run(arguments, stdin: stdin, timeout: 120) }
            outcome.done.signal()
        }
        thread.start()
        let waited = Result { try ready() }
        let faulted = waited.flatMap { Result { try fault() } }
        outcome.done.wait()
        try faulted.get()
        return try outcome.result!.get()
    }

    /// Returns once a backend on `url`'s database runs a statement starting with `statement`.
    private func running(_ statement: String, on url: String) -> () throws -> Void {
        {
            let watch = try StatementWatch(url: url)
            defer { watch.close() }
            try watch.waitUntilRunning(statement)
        }
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
            SELECT pg_sleep(60);
            INSERT INTO t VALUES (3);
            """
        // The crash comes while statement 4 runs, as the server shows; the minute of sleep
        // only keeps it running until then.
        let result = try run(["run", url, "-"], stdin: script, faultWhen: running("SELECT pg_sleep(60)", on: url)) {
            try server.crash()
            try server.restart()
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:4:1: ERROR:"), "\(result.stderr)")
        #expect(result.stderr.contains("connection was lost"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try count(server, url) == 0)
        // The server is back: the same run now commits everything.
        let again = try SoupBinary.run(["run", url, "-"], stdin: script.replacing("pg_sleep(60)", with: "pg_sleep(0)"))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try count(server, url) == 3)
    }

    @Test("the server killed during COMMIT (a deferred trigger of 2 ms a row): afterwards all rows or none, and exit 0 means all")
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
        var outcomes: [String] = []
        // Crashes at assorted moments (where each lands depends on the machine's speed, so
        // only the invariants are checked), and one when the server shows the COMMIT running.
        // That one inserts 5,000 rows, so the COMMIT runs for 10 s, whatever the machine's
        // load: ample time between seeing it and crashing the server.
        let moments: [(String, Int, () throws -> Void)] =
            [0.3, 0.8, 1.2, 1.7, 2.2, 4.0].map { delay in ("at \(delay) s", 1000, { Thread.sleep(forTimeInterval: delay) }) }
            + [("while the server runs COMMIT", 5000, running("COMMIT", on: url))]
        for (moment, rows, ready) in moments {
            try server.run(sql: "TRUNCATE t", url: url)
            let result = try run(
                ["query", url, "INSERT INTO t SELECT g FROM generate_series(1, \(rows)) g"], faultWhen: ready
            ) {
                try server.crash()
                try server.restart()
            }
            let found = try count(server, url)
            let atCommit = result.stderr.contains("soup:1:1: ERROR:")  // the COMMIT soup sends itself
            outcomes.append("crash \(moment): exit \(result.status)\(atCommit ? " in COMMIT" : ""), \(found) rows")
            if moment.hasPrefix("while") {
                #expect(atCommit && result.status != 0, "\(result.stderr)")
            }
            #expect(found == 0 || found == rows, "half a transaction: \(found) rows")
            #expect(result.status == 0 || result.status == 1 || result.status == 2, "\(result.stderr)")
            if result.status == 0 { #expect(found == rows) }
            if result.status != 0 { #expect(!result.stderr.isEmpty && !result.stderr.contains("Fatal error")) }
        }
        print("server crash during COMMIT: " + outcomes.joined(separator: "; "))
        #expect(outcomes.last?.contains("in COMMIT") == true, "the crash seen during COMMIT was not reported there: \(outcomes)")
    }
}

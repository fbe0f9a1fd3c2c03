import Foundation
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Synchronization
import Testing

/// `sqlite3_interrupt` does nothing when no statement runs; SQLite's canceller remembers the
/// cancel so that it stops the next statement instead, once, until `clear()` forgets it.
@Suite("SQLite: a cancel between statements is remembered")
struct RememberedCancelTests {
    @Test("a cancel with nothing running stops the next statement, once")
    func stopsTheNextStatementOnce() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        defer { connection.close() }
        let canceller = connection.makeCanceller()
        canceller.cancel()
        #expect {
            _ = try connection.scalar("SELECT 1")
        } throws: { error in
            (error as? DatabaseError)?.kind == .cancelled && (error as? DatabaseError)?.resultCode == .interrupt
        }
        // Spent: the next statement runs, and so does a script.
        #expect(try connection.scalar("SELECT 2") == .integer(2))
        canceller.cancel()
        #expect(throws: DatabaseError.self) { try connection.executeScript("CREATE TABLE t (x)") }
        try connection.executeScript("CREATE TABLE t (x)")
    }

    @Test("clear() forgets a cancel no statement met")
    func clearForgets() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        defer { connection.close() }
        let canceller = connection.makeCanceller()
        canceller.cancel()
        canceller.clear()
        #expect(try connection.scalar("SELECT 3") == .integer(3))
    }

    @Test("a cancel while a cursor is open stops it between rows, and is spent there")
    func stopsAnOpenCursor() throws {
        let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
        defer { connection.close() }
        let canceller = connection.makeCanceller()
        let cursor = try connection.query(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT x FROM c", [])
        #expect(try cursor.next() != nil)
        canceller.cancel()
        #expect {
            while try cursor.next() != nil {}
        } throws: { error in
            (error as? DatabaseError)?.kind == .cancelled
        }
        #expect(try connection.scalar("SELECT 4") == .integer(4))
    }

    @Test("a cancel ends a wait for a locked database, which sqlite3_interrupt does not reach")
    func endsALockWait() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "locked.db")
        let holder = try SQLiteConnection(path: path, mode: .readWriteCreate)
        defer { holder.close() }
        try holder.executeScript("CREATE TABLE t (x); INSERT INTO t VALUES (1); BEGIN EXCLUSIVE")
        // A minute: a cancel that does not end the wait fails the test (half of it is allowed).
        let waiting = try SQLiteConnection(location: .file(path: path), busyTimeoutMilliseconds: 60_000)
        defer { waiting.close() }
        let canceller = waiting.makeCanceller()
        // From another thread nothing shows when the read has begun to wait: cancel every 10 ms
        // until it ends. A cancel that comes before it starts stops it at its start instead;
        // then it is tried again, until a cancel has met it waiting.
        var message = "interrupted"
        for _ in 1...20 where message == "interrupted" {
            let stopped = Mutex(false)
            let finished = DispatchSemaphore(value: 0)
            let cancelling = Thread {
                while !stopped.withLock({ $0 }) {
                    canceller.cancel()
                    usleep(10_000)
                }
                finished.signal()
            }
            cancelling.start()
            let started = ContinuousClock.now
            let outcome = Result { try waiting.scalar("SELECT count(*) FROM t") }
            #expect(ContinuousClock.now - started < .seconds(30))
            stopped.withLock { $0 = true }
            finished.wait()
            canceller.clear()
            guard case .failure(let error) = outcome, let failure = error as? DatabaseError else {
                Issue.record("not cancelled: \(outcome)")
                return
            }
            message = failure.message
        }
        #expect(message == "interrupted while waiting for a locked database")
        try holder.executeScript("ROLLBACK")
        #expect(try waiting.scalar("SELECT count(*) FROM t") == .integer(1))
    }
}

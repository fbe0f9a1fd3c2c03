import SoupDriver
import SoupSQLite
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
}

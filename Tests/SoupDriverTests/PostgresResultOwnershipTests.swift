import SoupDriver
import SoupTestSupport
import Testing

@testable import SoupPostgres

/// Every result libpq hands out is cleared on every path, because ``PostgresResult`` owns it:
/// the count of results read on this thread and not yet cleared comes back to where it was.
/// (Each test is synchronous, so it stays on one thread and the count is its own.)
@Suite("PostgreSQL results are owned and cleared")
struct PostgresResultOwnershipTests {
    private func connect() throws -> PostgresConnection {
        let connection = try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
        try connection.execute("CREATE TABLE n AS SELECT i FROM generate_series(1, 100000) i")
        return connection
    }

    init() throws {
        try #require(PostgresResult.outstandingOnThisThread >= 0, "results are counted in debug builds only")
    }

    /// Results read on this thread and not cleared since `baseline`.
    private func outstanding(since baseline: Int) -> Int {
        PostgresResult.outstandingOnThisThread - baseline
    }

    @Test("a streamed result holds one row's result at a time, and none once read to the end")
    func streamedToTheEnd() throws {
        let connection = try connect()
        defer { connection.close() }
        let baseline = PostgresResult.outstandingOnThisThread
        let cursor = try connection.query("SELECT i FROM n WHERE i <= 1000", [])
        #expect(outstanding(since: baseline) == 1, "the first row, read to learn the columns")
        var rows = 0
        var mostHeld = 0
        while try cursor.next() != nil {
            rows += 1
            mostHeld = max(mostHeld, outstanding(since: baseline))
        }
        #expect(rows == 1000)
        #expect(mostHeld == 0, "each row's result is cleared once the row is decoded")
        #expect(outstanding(since: baseline) == 0)
    }

    @Test("a statement that fails at once, or after some rows, leaves no result behind")
    func failures() throws {
        let connection = try connect()
        defer { connection.close() }
        let baseline = PostgresResult.outstandingOnThisThread
        #expect(throws: DatabaseError.self) { try connection.query("SELECT FROM WHERE", []) }
        #expect(outstanding(since: baseline) == 0)
        let cursor = try connection.query("SELECT 1 / (i - 3) FROM n", [])
        let error = try #require(throws: DatabaseError.self) { while try cursor.next() != nil {} }
        #expect(error.sqlState == SQLState(rawValue: "22012"))  // division_by_zero
        #expect(outstanding(since: baseline) == 0)
        #expect(throws: DatabaseError.self) { try connection.executeScript("SELECT 1; SELECT 1/0; SELECT 2") }
        #expect(outstanding(since: baseline) == 0)
        #expect(throws: DatabaseError.self) {
            try connection.fetchBatch([BoundStatement("SELECT 1"), BoundStatement("SELECT 1/0"), BoundStatement("SELECT 2")])
        }
        #expect(outstanding(since: baseline) == 0)
        #expect(throws: DatabaseError.self) { try connection.query("COPY n TO STDOUT", []) }
        #expect(throws: DatabaseError.self) { try connection.executeScript("COPY n FROM STDIN") }
        #expect(outstanding(since: baseline) == 0)
        #expect(try connection.scalar("SELECT 40 + 2") == .integer(42))
        #expect(outstanding(since: baseline) == 0)
    }

    @Test("a cursor cancelled, dropped or overtaken by the next statement leaves no result behind")
    func abandonedCursors() throws {
        let connection = try connect()
        defer { connection.close() }
        let baseline = PostgresResult.outstandingOnThisThread
        let cancelled = try connection.query("SELECT i FROM n", [])
        for _ in 0..<3 { _ = try cancelled.next() }
        try #require(cancelled as? PostgresCursor).discard()
        #expect(outstanding(since: baseline) == 0)
        do {
            let dropped = try connection.query("SELECT i FROM n", [])
            _ = try dropped.next()
        }
        #expect(outstanding(since: baseline) == 0)
        let overtaken = try connection.query("SELECT i FROM n", [])
        #expect(outstanding(since: baseline) == 1)
        #expect(try connection.scalar("SELECT 7") == .integer(7))
        #expect(outstanding(since: baseline) == 0)
        #expect(try overtaken.next() == nil)
        #expect(try connection.fetchBatch([BoundStatement("SELECT 1"), BoundStatement("SELECT 2")]) == [[[.integer(1)]], [[.integer(2)]]])
        #expect(outstanding(since: baseline) == 0)
    }
}

import SoupDriver
import SoupPostgres
import Testing

/// PostgreSQL sends a `BEGIN` with the statement after it; the transaction behaves as if it had
/// been sent at once.
@Suite("BEGIN sent with the next statement")
struct DeferredBeginTests {
    static func connect() throws -> PostgresConnection {
        let connection = try #require(try Engine.postgres.connect() as? PostgresConnection)
        try connection.executeScript("CREATE TABLE d (n integer PRIMARY KEY); INSERT INTO d VALUES (1)")
        return connection
    }

    @Test("a read-only transaction is open for a batch, a query and a script after it")
    func readOnlyEverywhere() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.begin(readOnly: true)
        #expect(connection.transactionStatus == .inTransaction)
        #expect(try connection.fetchBatch([BoundStatement("SHOW transaction_read_only")]) == [[[.text("on")]]])
        try connection.commit()
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.scalar("SHOW transaction_read_only") == .text("off"))

        try connection.begin(readOnly: true)
        #expect(try connection.scalar("SHOW transaction_read_only") == .text("on"))
        try connection.rollback()

        try connection.begin(readOnly: true)
        let refused = try #require(throws: DatabaseError.self) { try connection.executeScript("INSERT INTO d VALUES (2)") }
        #expect(refused.sqlState == .readOnlySQLTransaction)
        #expect(connection.transactionStatus == .failed)
        try connection.rollback()
        #expect(try connection.scalar("SELECT count(*) FROM d") == .integer(1))
    }

    @Test("one snapshot from the first statement: a batch and a query after it see the same rows")
    func oneTransaction() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.begin()
        let started = try connection.fetchBatch([BoundStatement("SELECT txid_current()")])
        #expect(try connection.scalar("SELECT txid_current()") == started.first?.first?.first)
        try connection.execute("INSERT INTO d VALUES (2)")
        try connection.rollback()
        #expect(try connection.scalar("SELECT count(*) FROM d") == .integer(1))
    }

    @Test("a savepoint, and a transaction ended before any statement")
    func savepointsAndEmptyTransactions() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.begin()
        try connection.commit()
        try connection.begin()
        try connection.rollback()
        #expect(connection.transactionStatus == .idle)
        try connection.begin()
        try connection.savepoint("s")
        try connection.execute("INSERT INTO d VALUES (3)")
        try connection.rollback(toSavepoint: "s")
        try connection.execute("INSERT INTO d VALUES (4)")
        try connection.commit()
        #expect(try connection.fetchAll("SELECT n FROM d ORDER BY n") == [[.integer(1)], [.integer(4)]])
    }

    @Test("a statement that fails after a pending BEGIN leaves the transaction failed until rollback")
    func failureAfterBegin() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.begin(readOnly: true)
        let error = try #require(throws: DatabaseError.self) {
            try connection.fetchBatch([BoundStatement("SELECT 1"), BoundStatement("SELECT * FROM no_such_table")])
        }
        #expect(error.sql == "SELECT * FROM no_such_table")
        #expect(connection.transactionStatus == .failed)
        try connection.rollback()
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.scalar("SELECT 1") == .integer(1))
    }
}

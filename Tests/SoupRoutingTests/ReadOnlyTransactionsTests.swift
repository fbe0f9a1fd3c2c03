import SoupDriver
import SoupPostgres
import SoupRouting
import SoupTestSupport
import Testing

/// Read-only per transaction on a real PostgreSQL server: what each statement runs in, and that
/// no transaction of the connection's own is left open, however its rows are read.
@Suite("read-only transactions on PostgreSQL")
struct ReadOnlyTransactionsTests {
    private func connections() throws -> (wrapped: ReadOnlyTransactions, base: PostgresConnection) {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase(prefix: "rot")
        try server.run(
            sql: """
                CREATE TABLE items(id int);
                CREATE FUNCTION add_item() RETURNS int LANGUAGE sql VOLATILE AS $$ INSERT INTO items VALUES (1) RETURNING 1 $$;
                """, url: url)
        let base = try PostgresConnection(conninfo: url)
        return (ReadOnlyTransactions(base), base)
    }

    @Test("a statement outside a transaction runs in a read-only one of its own, ended with its rows")
    func ownTransaction() throws {
        let (connection, base) = try connections()
        defer { connection.close() }
        #expect(try connection.scalar("SELECT current_setting('transaction_read_only')") == .text("on"))
        #expect(base.transactionStatus == .idle)
        #expect(try connection.scalar("SHOW default_transaction_read_only") == .text("off"))
        #expect(throws: DatabaseError.self) { try connection.execute("SELECT add_item()") }
        #expect(base.transactionStatus == .idle)
        // A session setting is sent as it is, and lasts.
        try connection.execute("SET application_name = 'kept'")
        #expect(try connection.scalar("SELECT current_setting('application_name')") == .text("kept"))
    }

    @Test("a cursor dropped before its end, or a statement sent before the last one's end, ends the transaction")
    func droppedCursor() throws {
        let (connection, base) = try connections()
        defer { connection.close() }
        do {
            let cursor = try connection.query("SELECT generate_series(1, 100000)", [])
            #expect(try cursor.next() == [.integer(1)])
            #expect(connection.transactionStatus == .idle)
        }
        #expect(base.transactionStatus == .idle)
        let first = try connection.query("SELECT generate_series(1, 100000)", [])
        _ = try first.next()
        #expect(try connection.scalar("SELECT 2") == .integer(2))
        #expect(base.transactionStatus == .idle)
        _ = first
    }

    @Test("transactions begin READ ONLY, whether typed or asked for")
    func transactions() throws {
        let (connection, base) = try connections()
        defer { connection.close() }
        for begin in [{ try connection.begin() }, { try connection.execute("BEGIN") }] {
            try begin()
            #expect(connection.transactionStatus == .inTransaction)
            #expect(try connection.scalar("SELECT current_setting('transaction_read_only')") == .text("on"))
            #expect(throws: DatabaseError.self) { try connection.execute("INSERT INTO items VALUES (2)") }
            try connection.rollback()
            #expect(base.transactionStatus == .idle)
        }
    }
}

import SoupDriver
import SoupPostgres
import Testing

@Suite("Statement batches")
struct BatchTests {
    /// A table `b` of three rows (1, 'one') … (3, 'three').
    static func connectWithRows(_ engine: Engine) throws -> any Connection {
        let connection = try engine.connect()
        try connection.executeScript("""
            CREATE TABLE b (n integer PRIMARY KEY, word text);
            INSERT INTO b VALUES (1, 'one'), (2, 'two'), (3, 'three');
            """)
        return connection
    }

    @Test("a batch returns the same rows as its statements one by one", arguments: Engine.allCases)
    func sameRows(engine: Engine) throws {
        let connection = try Self.connectWithRows(engine)
        defer { connection.close() }
        let statements = [
            BoundStatement("SELECT n, word FROM b WHERE n >= \(engine.p(0)) ORDER BY n", [.integer(2)]),
            BoundStatement("SELECT count(*) FROM b"),
            BoundStatement("SELECT word FROM b WHERE word = \(engine.p(0))", [.text("none")]),
            BoundStatement("UPDATE b SET word = upper(word) WHERE n = \(engine.p(0))", [.integer(9)]),
            BoundStatement("SELECT \(engine.p(0)), NULL", [.text("last")]),
        ]
        let batched = try connection.fetchBatch(statements)
        let oneByOne = try statements.map { try connection.fetchAll($0.sql, $0.parameters) }
        #expect(batched == oneByOne)
        #expect(batched[0] == [[.integer(2), .text("two")], [.integer(3), .text("three")]])
        #expect(batched[2].isEmpty && batched[3].isEmpty)
        #expect(try connection.fetchBatch([]).isEmpty)
    }

    @Test("an error in the middle of a batch is reported, and the connection goes on", arguments: Engine.allCases)
    func errorInTheMiddle(engine: Engine) throws {
        let connection = try Self.connectWithRows(engine)
        defer { connection.close() }
        let failing = "SELECT n FROM no_such_table"
        let error = try #require(throws: DatabaseError.self) {
            try connection.fetchBatch([
                BoundStatement("SELECT 1"), BoundStatement(failing), BoundStatement("DELETE FROM b"),
            ])
        }
        #expect(error.kind == .statement)
        #expect(error.message.contains("no_such_table"))
        #expect(error.sql == failing)
        if engine == .postgres { #expect(error.sqlState == .undefinedTable) }
        // The statement after the failing one did not run.
        #expect(try connection.scalar("SELECT count(*) FROM b") == .integer(3))
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.fetchBatch([BoundStatement("SELECT 2")]) == [[[.integer(2)]]])
    }

    @Test("inside a transaction, an error in a batch fails the transaction until rollback", arguments: Engine.allCases)
    func errorInTransaction(engine: Engine) throws {
        let connection = try Self.connectWithRows(engine)
        defer { connection.close() }
        try connection.begin()
        try connection.execute("DELETE FROM b WHERE n = 1")
        #expect(throws: DatabaseError.self) {
            try connection.fetchBatch([BoundStatement("SELECT n FROM b"), BoundStatement("SELECT n FROM no_such_table")])
        }
        if engine == .postgres { #expect(connection.transactionStatus == .failed) }
        try connection.rollback()
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.scalar("SELECT count(*) FROM b") == .integer(3))
    }

    @Test("outside a transaction, PostgreSQL runs a batch as one: an error undoes the statements before it")
    func atomicOutsideTransaction() throws {
        let connection = try Self.connectWithRows(.postgres)
        defer { connection.close() }
        #expect(throws: DatabaseError.self) {
            try connection.fetchBatch([BoundStatement("DELETE FROM b"), BoundStatement("SELECT 1/0")])
        }
        #expect(try connection.scalar("SELECT count(*) FROM b") == .integer(3))
    }

    @Test("a connection lost during a batch is reported, and the next statement reconnects")
    func lostConnection() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        let error = try #require(throws: DatabaseError.self) {
            try connection.fetchBatch([
                BoundStatement("SELECT 1"), BoundStatement("SELECT pg_terminate_backend(pg_backend_pid())"),
                BoundStatement("SELECT 3"),
            ])
        }
        #expect(error.kind == .connectionLost)
        #expect(try connection.scalar("SELECT 2") == .integer(2))
        #expect(try connection.fetchBatch([BoundStatement("SELECT 4")]) == [[[.integer(4)]]])
    }

    @Test("COPY in a batch fails with a clear error, and the connection goes on")
    func copyInBatch() throws {
        let connection = try Self.connectWithRows(.postgres)
        defer { connection.close() }
        for sql in ["COPY b FROM STDIN", "COPY b TO STDOUT"] {
            let error = try #require(throws: DatabaseError.self) {
                try connection.fetchBatch([BoundStatement("SELECT 1"), BoundStatement(sql), BoundStatement("SELECT 3")])
            }
            #expect(error.message.contains("COPY to or from the client is not supported"), "\(error)")
            #expect(try connection.scalar("SELECT 40 + 2") == .integer(42))
        }
    }

    @Test("a batch after a cursor, read through or half, returns every row", arguments: Engine.allCases)
    func afterCursor(engine: Engine) throws {
        let connection = try Self.connectWithRows(engine)
        defer { connection.close() }
        let expected: [[[Value]]] = [[[.integer(1)], [.integer(2)], [.integer(3)]], [[.integer(5)]]]
        let batch = [BoundStatement("SELECT n FROM b ORDER BY n"), BoundStatement("SELECT 5")]
        let cursor = try connection.query("SELECT n FROM b ORDER BY n", [])
        #expect(try cursor.next() == [.integer(1)])
        #expect(try connection.fetchBatch(batch) == expected)
        #expect(try connection.fetchAll("SELECT 1") == [[.integer(1)]])
        #expect(try connection.fetchBatch(batch) == expected)
    }
}

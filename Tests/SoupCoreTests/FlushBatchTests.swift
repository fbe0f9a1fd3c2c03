import SoupCore
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Testing

/// Flushing many rows changed alike: one UPDATE text for all of them, run through the driver's
/// statement cache (or without it), writes every row and keeps the session right.
@Suite("Flushing many rows of one shape")
struct FlushBatchTests {
    @Test(
        "every row is written, with the statement cache on and off, and a changed key re-maps its row",
        arguments: Engine.allCases, [StatementCaching.standard, .disabled])
    func manyRows(engine: Engine, caching: StatementCaching) throws {
        let db = try engine.soup()
        (db.connection as? any StatementCachingConnection)?.statementCaching = caching
        try db.connection.executeScript("CREATE TABLE counters (id integer PRIMARY KEY, n integer, tag text)")
        let rows = (1...300).map { "(\($0), \($0), NULL)" }.joined(separator: ", ")
        try db.connection.executeScript("INSERT INTO counters VALUES \(rows)")
        guard case .list(let items)? = try db.run("counters.all()") else { throw EvaluationError("no rows") }
        for case .row(let row) in items {
            guard case .integer(let n)? = row.value(of: "n") else { continue }
            try db.setValue(.integer(n * 2), forAttribute: "n", of: row)
        }
        try db.run("""
            first = counters.get(1)
            first.tag = 'one'
            moved = counters.get(300)
            moved.id = 1000
            db.commit()
            """)
        #expect(try db.connection.fetchAll("SELECT sum(n), count(*) FROM counters WHERE n = 2 * id") == [[.integer(89_700), .integer(299)]])
        #expect(try db.connection.fetchAll("SELECT id, n, tag FROM counters WHERE id IN (1, 300, 1000) ORDER BY id") == [
            [.integer(1), .integer(2), .text("one")], [.integer(1000), .integer(600), .null],
        ])
        #expect(try db.repr("counters.get(1000).n") == "600")
        #expect(try db.repr("counters.get(300)") == "None")
        #expect(db.pendingStatementCount == 0)
        if engine == .postgres {
            // A pooler in transaction mode may run the next transaction on another server
            // session: with the cache off, the flush leaves no statement named on the server.
            let named = try db.connection.fetchAll("SELECT count(*) FROM pg_prepared_statements")
            #expect((named == [[.integer(0)]]) == (caching == .disabled), "\(named)")
        }
    }

    @Test("a row changed or deleted by someone else fails the flush; the rows flushed with it are recorded", arguments: Engine.allCases)
    func rowGoneElsewhere(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("CREATE TABLE counters (id integer PRIMARY KEY, n integer)")
        try db.connection.executeScript("INSERT INTO counters VALUES (1, 1), (2, 2), (3, 3)")
        guard case .list(let items)? = try db.run("counters.order_by(counters.id).all()") else { throw EvaluationError("no rows") }
        for case .row(let row) in items {
            guard case .integer(let n)? = row.value(of: "n") else { continue }
            try db.setValue(.integer(n + 100), forAttribute: "n", of: row)
        }
        // Gone from under the session: the UPDATE of row 2 matches no row.
        try db.connection.execute("DELETE FROM counters WHERE id = 2")
        let error = try #require(throws: EvaluationError.self) { try db.run("db.flush()") }
        #expect(error.message.contains("matched 0 rows"))
        #expect(try db.connection.fetchAll("SELECT id, n FROM counters ORDER BY id") == [
            [.integer(1), .integer(101)], [.integer(3), .integer(103)],
        ])
        // Rows 1 and 3 were written; only row 2 is still pending.
        #expect(db.pendingStatementCount == 1)
        try db.rollback()
    }
}

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

    @Test(
        "rows changed in different ways, interleaved, each send the UPDATE of their own changes with their own values",
        arguments: Engine.allCases)
    func interleavedShapes(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("""
            CREATE TABLE items (id integer PRIMARY KEY, n integer, tag text);
            CREATE TABLE others (id integer PRIMARY KEY, n integer, tag text);
            INSERT INTO items VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c'), (4, 40, 'd'), (5, 50, 'e'), (6, 60, 'f');
            INSERT INTO others VALUES (1, 10, 'a');
            """)
        // The n of 1, n and tag of 2 (more than the row before), tag of 3 (another column), n of
        // 4 (the first shape again), n of 5 set to what it was (no change), n of 6, and the n of
        // a row of another table (the same columns, another entity). (A query flushes first:
        // the rows are read before any is changed.)
        try db.run("""
            o = others.get(1)
            r = items.order_by(items.id).all()
            r[0].n = 11
            r[1].n = 21
            r[1].tag = 'B'
            r[2].tag = 'C'
            r[3].n = 41
            r[4].n = 50
            r[5].n = 61
            o.n = 12
            """)
        func p(_ index: Int) -> String { engine == .sqlite ? "?" : "$\(index + 1)" }
        let schema = engine == .sqlite ? "main" : "public"
        let expected = [
            CompiledSQL(sql: "UPDATE \(schema).items SET n = \(p(0)) WHERE id = \(p(1))", parameters: [.integer(11), .integer(1)]),
            CompiledSQL(sql: "UPDATE \(schema).items SET n = \(p(0)), tag = \(p(1)) WHERE id = \(p(2))", parameters: [.integer(21), .text("B"), .integer(2)]),
            CompiledSQL(sql: "UPDATE \(schema).items SET tag = \(p(0)) WHERE id = \(p(1))", parameters: [.text("C"), .integer(3)]),
            CompiledSQL(sql: "UPDATE \(schema).items SET n = \(p(0)) WHERE id = \(p(1))", parameters: [.integer(41), .integer(4)]),
            CompiledSQL(sql: "UPDATE \(schema).items SET n = \(p(0)) WHERE id = \(p(1))", parameters: [.integer(61), .integer(6)]),
            CompiledSQL(sql: "UPDATE \(schema).others SET n = \(p(0)) WHERE id = \(p(1))", parameters: [.integer(12), .integer(1)]),
        ]
        let planned = try db.pendingStatements()
        #expect(planned == expected, "\(planned.map(\.description))")
        let before = try #require(try db.pendingReport() as [String]?)
        try db.flush()
        // What the flush sent, as db.pending() shows it until the commit: the same lines.
        #expect(try db.pendingReport() == before)
        #expect(before.contains("    tag: 'b' → 'B'") && before.contains("    n: 60 → 61"))
        try db.commit()
        #expect(try db.connection.fetchAll("SELECT id, n, tag FROM items ORDER BY id") == [
            [.integer(1), .integer(11), .text("a")], [.integer(2), .integer(21), .text("B")],
            [.integer(3), .integer(30), .text("C")], [.integer(4), .integer(41), .text("d")],
            [.integer(5), .integer(50), .text("e")], [.integer(6), .integer(61), .text("f")],
        ])
        #expect(try db.connection.fetchAll("SELECT n FROM others") == [[.integer(12)]])
    }

    @Test("SQLite: rows whose keys have a NULL part take the UPDATE that matches it with IS NULL, row by row")
    func nullKeyParts() throws {
        let db = try Engine.sqlite.soup()
        // SQLite lets a PRIMARY KEY column that is not an INTEGER PRIMARY KEY hold NULL.
        try db.connection.executeScript("""
            CREATE TABLE pairs (a text, b text, n integer, PRIMARY KEY (a, b));
            INSERT INTO pairs VALUES ('x', NULL, 1), ('x', 'y', 2), ('z', NULL, 3), ('z', 'w', 4);
            """)
        try db.run("""
            r = pairs.order_by(pairs.n).all()
            r[0].n = 10
            r[1].n = 20
            r[2].n = 30
            r[3].n = 40
            """)
        let statements = try db.pendingStatements()
        #expect(statements.map(\.sql) == [
            "UPDATE main.pairs SET n = ? WHERE a = ? AND b IS NULL", "UPDATE main.pairs SET n = ? WHERE a = ? AND b = ?",
            "UPDATE main.pairs SET n = ? WHERE a = ? AND b IS NULL", "UPDATE main.pairs SET n = ? WHERE a = ? AND b = ?",
        ])
        #expect(statements.map(\.parameters) == [
            [.integer(10), .text("x")], [.integer(20), .text("x"), .text("y")],
            [.integer(30), .text("z")], [.integer(40), .text("z"), .text("w")],
        ])
        try db.commit()
        #expect(try db.connection.fetchAll("SELECT n FROM pairs ORDER BY n") == [[.integer(10)], [.integer(20)], [.integer(30)], [.integer(40)]])
    }

    @Test(
        "a row gone from under a run of several parts: the whole run is sent, then the flush fails before the next run",
        arguments: Engine.allCases)
    func rowGoneInLongRun(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("CREATE TABLE counters (id integer PRIMARY KEY, n integer, tag text)")
        let rows = (1...700).map { "(\($0), \($0), NULL)" }.joined(separator: ", ")
        try db.connection.executeScript("INSERT INTO counters VALUES \(rows)")
        guard case .list(let items)? = try db.run("counters.order_by(counters.id).all()") else { throw EvaluationError("no rows") }
        // Rows 1-600 change n (one run, in three parts), rows 601-700 their tag (the next run).
        for case .row(let row) in items {
            guard case .integer(let id)? = row.value(of: "id") else { continue }
            if id <= 600 {
                try db.setValue(.integer(id + 1000), forAttribute: "n", of: row)
            } else {
                try db.setValue(.text("t"), forAttribute: "tag", of: row)
            }
        }
        try db.connection.execute("DELETE FROM counters WHERE id = 5")
        let error = try #require(throws: EvaluationError.self) { try db.run("db.flush()") }
        #expect(error.message.contains("matched 0 rows"))
        #expect(try db.connection.fetchAll("SELECT count(*) FROM counters WHERE n = id + 1000") == [[.integer(599)]])
        #expect(try db.connection.fetchAll("SELECT count(*) FROM counters WHERE tag IS NOT NULL") == [[.integer(0)]])
        // Row 5 and the 100 tags are still to be sent.
        #expect(db.pendingStatementCount == 101)
        try db.rollback()
    }

    @Test(
        "after a commit or a rollback a loaded row reads its values again; a row of a table without a key keeps them",
        arguments: Engine.allCases)
    func rowsExpire(engine: Engine) throws {
        let db = try engine.soup()
        try db.connection.executeScript("CREATE TABLE items (id integer PRIMARY KEY, n integer); INSERT INTO items VALUES (1, 1), (2, 2)")
        try db.connection.executeScript("INSERT INTO nopk VALUES (7)")
        try db.run("""
            a = items.get(1)
            b = items.get(2)
            k = nopk.all()[0]
            a.n = 100
            db.commit()
            """)
        // Changed outside the session after the commit.
        try db.connection.execute("UPDATE items SET n = 10 WHERE id = 1")
        try db.connection.execute("UPDATE nopk SET i = 8")
        #expect(try db.repr("a.n") == "10")
        #expect(try db.repr("b.n") == "2")
        // SQLite maps a table without a primary key by its rowid; PostgreSQL does not map it.
        #expect(try db.repr("k.i") == (engine == .sqlite ? "8" : "7"))
        try db.connection.execute("UPDATE items SET n = 20 WHERE id = 2")
        // b was read after the commit: only the rollback expires it.
        #expect(try db.repr("b.n") == "2")
        try db.rollback()
        #expect(try db.repr("b.n") == "20")
    }
}


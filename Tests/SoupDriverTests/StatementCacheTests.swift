import Foundation
import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

@Suite("Statement cache")
struct StatementCacheTests {
    /// A connection with a table `s` of three rows (1, 'one') … (3, 'three').
    static func connect(_ engine: Engine, caching: StatementCaching = .standard) throws -> any StatementCachingConnection {
        let connection = try engine.connect() as! any StatementCachingConnection
        connection.statementCaching = caching
        try connection.executeScript("""
            CREATE TABLE s (n integer PRIMARY KEY, word text);
            INSERT INTO s VALUES (1, 'one'), (2, 'two'), (3, 'three');
            """)
        return connection
    }

    /// The names of the statements prepared in this PostgreSQL session. (A batch is never
    /// prepared, so asking does not change the answer.)
    static func preparedOnServer(_ connection: any Connection) throws -> [String] {
        try connection.fetchBatch([BoundStatement("SELECT name FROM pg_prepared_statements ORDER BY name")])[0]
            .compactMap { $0.first?.text }
    }

    /// The rows and column names of `SELECT * FROM s WHERE n >= p` on `connection`.
    static func selectAll(_ connection: any Connection, _ engine: Engine, from n: Int64 = 2) throws
        -> (columns: [String], rows: [[Value]])
    {
        let cursor = try connection.query("SELECT * FROM s WHERE n >= \(engine.p(0)) ORDER BY n", [.integer(n)])
        var rows: [[Value]] = []
        while let row = try cursor.next() { rows.append(row) }
        return (cursor.columns.map(\.name), rows)
    }

    @Test("statements run again give the same results with the cache on and off", arguments: Engine.allCases)
    func sameResults(engine: Engine) throws {
        let cached = try Self.connect(engine)
        let uncached = try Self.connect(engine, caching: .disabled)
        defer {
            cached.close()
            uncached.close()
        }
        let statements: [(String, [Value])] = [
            ("SELECT n, word FROM s WHERE n >= \(engine.p(0)) ORDER BY n", [.integer(2)]),
            ("SELECT n, word FROM s WHERE n >= \(engine.p(0)) ORDER BY n", [.integer(1)]),
            ("SELECT n, word FROM s WHERE n >= \(engine.p(0)) ORDER BY n", [.integer(5_000_000_000)]),  // int8, not int4
            ("SELECT n, word FROM s WHERE word = \(engine.p(0))", [.text("two")]),
            ("SELECT n, word FROM s WHERE word = \(engine.p(0))", [.null]),
            ("UPDATE s SET word = \(engine.p(0)) WHERE n = \(engine.p(1))", [.text("uno"), .integer(1)]),
            ("UPDATE s SET word = \(engine.p(0)) WHERE n = \(engine.p(1))", [.text("dos"), .integer(2)]),
            ("UPDATE s SET word = \(engine.p(0)) WHERE n = \(engine.p(1))", [.text("nada"), .integer(9)]),
        ]
        for _ in 1...3 {
            for (sql, parameters) in statements {
                let cursor = try cached.query(sql, parameters)
                var rows: [[Value]] = []
                while let row = try cursor.next() { rows.append(row) }
                let other = try uncached.query(sql, parameters)
                var otherRows: [[Value]] = []
                while let row = try other.next() { otherRows.append(row) }
                #expect(rows == otherRows, "\(sql) \(parameters)")
                #expect(cursor.columns == other.columns)
                #expect(cursor.rowsAffected == other.rowsAffected)
            }
        }
        #expect(try cached.fetchAll("SELECT word FROM s ORDER BY n") == [[.text("uno")], [.text("dos")], [.text("three")]])
        #expect(cached.cachedStatementCount > 0)
        #expect(uncached.cachedStatementCount == 0)
        if engine == .postgres {
            #expect(try Self.preparedOnServer(cached).count == cached.cachedStatementCount)
            #expect(try Self.preparedOnServer(uncached).isEmpty)
        }
    }

    @Test("a kept SELECT * reads the new columns after an ALTER TABLE on the same connection", arguments: Engine.allCases)
    func schemaChangeOnTheSameConnection(engine: Engine) throws {
        let connection = try Self.connect(engine)
        defer { connection.close() }
        for _ in 1...3 { #expect(try Self.selectAll(connection, engine).columns == ["n", "word"]) }
        try connection.execute("ALTER TABLE s ADD COLUMN extra integer DEFAULT 7")
        for _ in 1...3 {
            let (columns, rows) = try Self.selectAll(connection, engine)
            #expect(columns == ["n", "word", "extra"])
            #expect(rows == [[.integer(2), .text("two"), .integer(7)], [.integer(3), .text("three"), .integer(7)]])
        }
        try connection.begin()
        try connection.execute("ALTER TABLE s DROP COLUMN extra")
        #expect(try Self.selectAll(connection, engine).columns == ["n", "word"])
        try connection.commit()
    }

    @Test("SQLite: another connection's schema change (SQLITE_SCHEMA) prepares a kept statement again")
    func sqliteSchemaChangeElsewhere() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "cache.db")
        let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        let other = try SQLiteConnection(path: path)
        defer {
            connection.close()
            other.close()
        }
        try connection.executeScript("CREATE TABLE s (n integer PRIMARY KEY, word text); INSERT INTO s VALUES (2, 'two')")
        for _ in 1...3 { #expect(try Self.selectAll(connection, .sqlite).columns == ["n", "word"]) }
        #expect(connection.cachedStatementCount > 0)
        try other.executeScript("ALTER TABLE s ADD COLUMN extra integer DEFAULT 7")
        let (columns, rows) = try Self.selectAll(connection, .sqlite)
        #expect(columns == ["n", "word", "extra"])
        #expect(rows == [[.integer(2), .text("two"), .integer(7)]])
        try other.executeScript("DROP TABLE s")
        let error = try #require(throws: DatabaseError.self) { try Self.selectAll(connection, .sqlite) }
        #expect(error.message.contains("no such table"))
    }

    @Test("PostgreSQL: after another session's ALTER TABLE, a prepared SELECT * runs again outside a transaction; inside one the error says to roll back")
    func cachedPlanMustNotChangeResultType() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let connection = try PostgresConnection(conninfo: url)
        let other = try PostgresConnection(conninfo: url)
        defer {
            connection.close()
            other.close()
        }
        try connection.executeScript("CREATE TABLE s (n integer PRIMARY KEY, word text); INSERT INTO s VALUES (2, 'two')")
        for _ in 1...3 { #expect(try Self.selectAll(connection, .postgres).columns == ["n", "word"]) }
        #expect(try Self.preparedOnServer(connection).count == 1)

        try other.execute("ALTER TABLE s ADD COLUMN extra integer DEFAULT 7")
        let (columns, rows) = try Self.selectAll(connection, .postgres)
        #expect(columns == ["n", "word", "extra"])
        #expect(rows == [[.integer(2), .text("two"), .integer(7)]])

        // Prepared again on its second run since, then changed under it again.
        for _ in 1...2 { _ = try Self.selectAll(connection, .postgres) }
        #expect(connection.cachedStatementCount == 1)
        try other.execute("ALTER TABLE s DROP COLUMN extra")
        try connection.begin()
        let error = try #require(throws: DatabaseError.self) { try Self.selectAll(connection, .postgres) }
        #expect(error.sqlState == .featureNotSupported)
        #expect(error.message == "cached plan must not change result type")
        #expect(error.hint?.contains("roll back and run it again") == true)
        try connection.rollback()
        #expect(try Self.selectAll(connection, .postgres).columns == ["n", "word"])
    }

    @Test("PostgreSQL: DDL, DEALLOCATE ALL and DISCARD ALL make the connection forget its prepared statements")
    func forgetsAfterSessionChanges() throws {
        let connection = try Self.connect(.postgres) as! PostgresConnection
        defer { connection.close() }
        for _ in 1...2 { _ = try Self.selectAll(connection, .postgres) }
        let first = try Self.preparedOnServer(connection)
        #expect(first.count == 1)

        // DDL: forgotten, and deallocated at the next chance outside a transaction.
        try connection.execute("CREATE INDEX s_word ON s (word)")
        #expect(connection.cachedStatementCount == 0)
        for _ in 1...2 { _ = try Self.selectAll(connection, .postgres) }
        let second = try Self.preparedOnServer(connection)
        #expect(second.count == 1 && second != first)

        for command in ["DEALLOCATE ALL", "DISCARD ALL"] {
            try connection.executeScript(command)
            #expect(connection.cachedStatementCount == 0, "\(command)")
            for _ in 1...3 { #expect(try Self.selectAll(connection, .postgres).rows.count == 2) }
            #expect(try Self.preparedOnServer(connection).count == 1)
        }
        // Deallocated by name: the connection forgets its statements too.
        let name = try #require(try Self.preparedOnServer(connection).first)
        try connection.executeScript("DEALLOCATE \(name)")
        #expect(try Self.selectAll(connection, .postgres).rows.count == 2)
    }

    @Test("the cache keeps at most its capacity, and turned off it keeps nothing", arguments: Engine.allCases)
    func capacityAndOff(engine: Engine) throws {
        let connection = try Self.connect(engine, caching: .enabled(capacity: 2))
        defer { connection.close() }
        for limit in 1...4 {
            for _ in 1...3 {
                #expect(try connection.fetchAll("SELECT n FROM s WHERE n <= \(limit) ORDER BY n").count == min(limit, 3))
            }
        }
        #expect(connection.cachedStatementCount == 2)
        if engine == .postgres { #expect(try Self.preparedOnServer(connection).count == 2) }
        connection.statementCaching = .disabled
        #expect(connection.cachedStatementCount == 0)
        for _ in 1...3 { #expect(try Self.selectAll(connection, engine).rows.count == 2) }
        #expect(connection.cachedStatementCount == 0)
        if engine == .postgres { #expect(try Self.preparedOnServer(connection).isEmpty) }
    }
}

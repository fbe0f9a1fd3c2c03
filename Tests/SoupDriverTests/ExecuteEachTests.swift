import SoupDriver
import SoupPostgres
import Testing

@Suite("One statement run for many parameter lists")
struct ExecuteEachTests {
    /// A table `e` of `rows` rows (n, n * 10).
    static func connect(_ engine: Engine, rows: Int = 600, caching: StatementCaching = .standard) throws
        -> any StatementCachingConnection
    {
        let connection = try engine.connect() as! any StatementCachingConnection
        connection.statementCaching = caching
        try connection.executeScript("CREATE TABLE e (n bigint PRIMARY KEY, v bigint)")
        try connection.executeScript("INSERT INTO e SELECT n, n * 10 FROM (\(Self.numbers(engine, rows))) AS s")
        return connection
    }

    static func numbers(_ engine: Engine, _ count: Int) -> String {
        engine == .postgres
            ? "SELECT generate_series(1, \(count)) AS n"
            : "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < \(count)) SELECT n FROM s"
    }

    @Test(
        "the runs change what the statements one by one change, and report their row counts, in a transaction and outside one",
        arguments: Engine.allCases, [StatementCaching.standard, .disabled])
    func sameAsOneByOne(engine: Engine, caching: StatementCaching) throws {
        let connection = try Self.connect(engine, caching: caching)
        defer { connection.close() }
        let update = "UPDATE e SET v = \(engine.p(0)) WHERE n = \(engine.p(1))"
        // More runs than one pipeline holds; a key that needs int8, so the runs' types differ.
        var lists: [[Value]] = (1...600).map { [.integer(Int64($0) * 7), .integer(Int64($0))] }
        lists.append([.integer(1), .integer(5_000_000_000)])
        for inTransaction in [true, false] {
            if inTransaction { try connection.begin() }
            var reported: [(Int, Int?)] = []
            try connection.executeEach(update, lists) { reported.append(($0, $1)) }
            if inTransaction { try connection.commit() }
            #expect(reported.map(\.0) == Array(0...600))
            #expect(reported.map(\.1) == Array(repeating: 1, count: 600) + [0])
            #expect(try connection.scalar("SELECT count(*) FROM e WHERE v = n * 7") == .integer(600))
            try connection.execute("UPDATE e SET v = n * 10")
        }
        // Deletes too, and a statement that changes nothing.
        try connection.begin()
        var counts: [Int?] = []
        try connection.executeEach("DELETE FROM e WHERE n > \(engine.p(0))", [[.integer(598)], [.integer(590)], [.integer(598)]]) {
            counts.append($1)
        }
        try connection.commit()
        #expect(counts == [2, 8, 0])
        #expect(try connection.scalar("SELECT count(*) FROM e") == .integer(590))
    }

    @Test("an error stops the runs: done hears of those before it, those after it do not happen", arguments: Engine.allCases)
    func errorInTheMiddle(engine: Engine) throws {
        let connection = try Self.connect(engine, rows: 10)
        defer { connection.close() }
        try connection.begin()
        var done: [Int] = []
        let error = try #require(throws: DatabaseError.self) {
            // Run 2 moves row 3 onto row 1's key.
            try connection.executeEach(
                "UPDATE e SET n = \(engine.p(0)) WHERE n = \(engine.p(1))",
                [[.integer(20), .integer(2)], [.integer(30), .integer(4)], [.integer(1), .integer(3)], [.integer(50), .integer(5)]]
            ) { index, _ in done.append(index) }
        }
        #expect(done == [0, 1])
        #expect(error.kind == .statement)
        if engine == .postgres {
            #expect(error.sqlState == .uniqueViolation)
            try connection.rollback()
        } else {
            #expect(try connection.scalar("SELECT count(*) FROM e WHERE n IN (20, 30)") == .integer(2))
            #expect(try connection.scalar("SELECT count(*) FROM e WHERE n = 50") == .integer(0))
            try connection.rollback()
        }
        #expect(try connection.scalar("SELECT count(*) FROM e WHERE n <= 10") == .integer(10))
    }

    @Test("PostgreSQL: in a transaction the runs go through one prepared statement")
    func preparedOnce() throws {
        let connection = try Self.connect(.postgres, rows: 10)
        defer { connection.close() }
        try connection.begin()
        try connection.executeEach("UPDATE e SET v = $1 WHERE n = $2", (1...10).map { [.integer(Int64($0)), .integer(Int64($0))] }) { _, _ in }
        try connection.commit()
        let prepared = try connection.fetchBatch([BoundStatement("SELECT statement FROM pg_prepared_statements")])[0]
        #expect(prepared == [[.text("UPDATE e SET v = $1 WHERE n = $2")]])
        #expect(try connection.scalar("SELECT count(*) FROM e WHERE v = n") == .integer(10))
    }
}

@Suite("Parameter lists kept in one array")
struct ParameterRowsTests {
    @Test("runs are read back as they were added, a statement without parameters runs as often as asked")
    func runsInOneArray() {
        var runs = ParameterRows([[.integer(1), .text("a")], [.integer(2), .null]])
        runs.appendRun { values in
            values.append(.integer(3))
            values.append(.text("c"))
        }
        #expect(runs.count == 3)
        #expect(runs.map(Array.init) == [[.integer(1), .text("a")], [.integer(2), .null], [.integer(3), .text("c")]])
        runs.removeLast(2)
        #expect(runs.map(Array.init) == [[.integer(1), .text("a")]])
        var bare = ParameterRows(width: 0)
        for _ in 0..<3 { bare.append([]) }
        #expect(bare.count == 3 && bare.values.isEmpty)
    }

    @Test("runs of no parameters are each run", arguments: Engine.allCases)
    func runsWithoutParameters(engine: Engine) throws {
        let connection = try ExecuteEachTests.connect(engine, rows: 3)
        defer { connection.close() }
        var runs = ParameterRows(width: 0)
        for _ in 0..<4 { runs.append([]) }
        var done: [Int] = []
        try connection.executeEach("UPDATE e SET v = v + 1", runs) { index, _ in done.append(index) }
        #expect(done == [0, 1, 2, 3])
        #expect(try connection.fetchAll("SELECT v FROM e ORDER BY n") == [[.integer(14)], [.integer(24)], [.integer(34)]])
    }
}

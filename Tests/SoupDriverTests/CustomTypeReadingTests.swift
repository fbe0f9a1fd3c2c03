@testable import SoupPostgres
import SoupDriver
import SoupTestSupport
import Testing

/// A PostgreSQL connection reads the database's user-defined types only when a result has a
/// column of one; until then a statement is described before it runs.
@Suite("PostgreSQL user-defined types, read on first need")
struct CustomTypeReadingTests {
    /// A database with an enum, a domain over it, a range, and a table of them; and a fresh
    /// connection to it.
    static func connect() throws -> PostgresConnection {
        let url = try PostgresServer.shared().makeDatabase()
        let setup = try PostgresConnection(conninfo: url)
        try setup.executeScript("""
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE DOMAIN feeling AS mood;
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE TYPE span AS RANGE (subtype = integer);
            CREATE TABLE diary (id integer PRIMARY KEY, mood mood, feelings feeling[], n positive, s span);
            INSERT INTO diary VALUES (1, 'happy', ARRAY['sad'::feeling], 3, '[1,3)');
            CREATE TABLE plain (id integer PRIMARY KEY, word text);
            INSERT INTO plain VALUES (1, 'one');
            """)
        setup.close()
        return try PostgresConnection(conninfo: url)
    }

    static let diaryRow: [Value] = [.integer(1), .text("happy"), .array([.text("sad")]), .integer(3), .text("[1,3)")]

    @Test("built-in results never read them; BEGIN, SET and COMMIT are not even described")
    func builtInOnly() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.begin(readOnly: true)
        try connection.execute("SET LOCAL statement_timeout = 0")
        // A domain over a built-in type comes as its base type.
        #expect(try connection.fetchAll("SELECT plain.id, word, n FROM plain, diary") == [[.integer(1), .text("one"), .integer(3)]])
        #expect(try connection.fetchBatch([BoundStatement("SELECT count(*) FROM plain")]) == [[[.integer(1)]]])
        try connection.commit()
        #expect(!connection.hasReadCustomTypes)
    }

    @Test("the first statement with such a column reads them before its rows are decoded")
    func firstStatement() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let cursor = try connection.query("SELECT * FROM diary", [])
        #expect(cursor.columns.map(\.typeName) == ["int4", "mood", "_feeling", "int4", "span"])
        #expect(try cursor.next() == Self.diaryRow)
        #expect(connection.hasReadCustomTypes)
    }

    @Test("a batch decodes such results once its round trip is over")
    func inABatch() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let rows = try connection.fetchBatch([
            BoundStatement("SELECT word FROM plain"), BoundStatement("SELECT * FROM diary"), BoundStatement("SELECT 2"),
        ])
        #expect(rows == [[[.text("one")]], [Self.diaryRow], [[.integer(2)]]])
        #expect(connection.hasReadCustomTypes)
    }

    @Test("a statement prepared on its second run is described then; after a few statements they are read anyway")
    func preparedAndBudget() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        for _ in 1...3 { #expect(try connection.fetchAll("SELECT id FROM plain WHERE id = $1", [.integer(1)]) == [[.integer(1)]]) }
        #expect(!connection.hasReadCustomTypes)
        // Run once unnamed and described, then prepared: the second run reads them.
        #expect(try connection.fetchAll("SELECT mood FROM diary WHERE id = $1", [.integer(1)]) == [[.text("happy")]])
        #expect(connection.hasReadCustomTypes)

        let other = try Self.connect()
        defer { other.close() }
        for number in 1...PostgresCustomTypes.describesPerSession {
            _ = try other.fetchAll("SELECT \(number)")
        }
        #expect(!other.hasReadCustomTypes)
        #expect(try other.fetchAll("SELECT 'x'") == [[.text("x")]])
        #expect(other.hasReadCustomTypes)
    }

    @Test("a syntax error found while describing is reported as the statement's")
    func errorWhileDescribing() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let error = try #require(throws: DatabaseError.self) { try connection.fetchAll("SELECT FROM WHERE") }
        #expect(error.sqlState == .syntaxError)
        #expect(error.position != nil)
        #expect(try connection.fetchAll("SELECT mood FROM diary") == [[.text("happy")]])
    }
}

import CSQLite
import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

/// SQLSTATEs and SQLite result codes are matched by name: one condition, or a whole class.
@Suite("SQLSTATE and SQLite result codes")
struct ResultCodeTests {
    /// What the PostgreSQL driver makes of an error, decided the way it decides it.
    private func kind(of state: SQLState?) -> String {
        switch state {
        case SQLState.queryCanceled: "cancelled"
        case SQLState.Class.connectionException, SQLState.adminShutdown: "connection lost"
        case SQLState.Class.integrityConstraintViolation: "constraint"
        default: "statement"
        }
    }

    @Test func sqlStatesMatchByConditionAndByClass() {
        #expect(kind(of: SQLState(rawValue: "57014")) == "cancelled")
        #expect(kind(of: SQLState(rawValue: "08006")) == "connection lost")  // connection_failure
        #expect(kind(of: SQLState(rawValue: "08P01")) == "connection lost")  // protocol_violation
        #expect(kind(of: SQLState(rawValue: "57P01")) == "connection lost")
        #expect(kind(of: SQLState(rawValue: "57P02")) == "statement")  // crash_shutdown: not named
        #expect(kind(of: SQLState(rawValue: "23503")) == "constraint")  // foreign_key_violation
        #expect(kind(of: SQLState(rawValue: "42601")) == "statement")
        #expect(kind(of: nil) == "statement")
        #expect(SQLState.Class.connectionException ~= SQLState(rawValue: "08001"))
        #expect(!(SQLState.Class.connectionException ~= SQLState(rawValue: "80001")))
        #expect(SQLState.serializationFailure.errorClass == .transactionRollback)
        #expect(SQLState.readOnlySQLTransaction.description == "25006")
    }

    @Test("the server's SQLSTATE arrives as a named constant")
    func serverStates() throws {
        let connection = try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
        defer { connection.close() }
        try connection.execute("SET default_transaction_read_only = on")
        let readOnly = try #require(throws: DatabaseError.self) { try connection.execute("CREATE TABLE t (x int)") }
        #expect(readOnly.sqlState == .readOnlySQLTransaction)
        try connection.execute("SET statement_timeout = 1")
        let cancelled = try #require(throws: DatabaseError.self) { try connection.execute("SELECT pg_sleep(5)") }
        #expect(cancelled.sqlState == .queryCanceled)
        #expect(cancelled.kind == .cancelled)
    }

    @Test func aPrimaryCodeMatchesItsExtendedCodesAndAnExtendedCodeOnlyItself() {
        let unique = SQLiteResultCode.constraintUnique
        #expect(SQLiteResultCode.constraint ~= unique)
        #expect(SQLiteResultCode.constraintUnique ~= unique)
        #expect(!(SQLiteResultCode.constraintPrimaryKey ~= unique))
        #expect(!(SQLiteResultCode.constraintUnique ~= .constraint))
        #expect(!(SQLiteResultCode.busy ~= unique))
        #expect(unique.primary == .constraint)
        let matched: String =
            switch unique {
            case .constraintForeignKey: "foreign key"
            case .constraint: "another constraint"
            default: "other"
            }
        #expect(matched == "another constraint")
    }

    /// (The extended codes are C macros that Swift does not import; `sqliteErrors` below gets
    /// each from SQLite itself.)
    @Test("the named SQLite codes are SQLite's own numbers")
    func sqliteNumbers() {
        let pairs: [(SQLiteResultCode, Int32)] = [
            (.ok, SQLITE_OK), (.error, SQLITE_ERROR), (.busy, SQLITE_BUSY), (.readOnly, SQLITE_READONLY),
            (.interrupt, SQLITE_INTERRUPT), (.full, SQLITE_FULL), (.cantOpen, SQLITE_CANTOPEN),
            (.constraint, SQLITE_CONSTRAINT), (.misuse, SQLITE_MISUSE), (.notADatabase, SQLITE_NOTADB),
            (.row, SQLITE_ROW), (.done, SQLITE_DONE),
        ]
        for (code, number) in pairs {
            #expect(code.rawValue == number, "\(code)")
        }
    }

    @Test("SQLite errors carry the extended code")
    func sqliteErrors() throws {
        let connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        defer { connection.close() }
        try connection.executeScript(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent, u UNIQUE, n NOT NULL)")
        try connection.execute("INSERT INTO parent VALUES (1)")
        try connection.execute("INSERT INTO child VALUES (1, 1, 1)")
        let codes = try [
            "INSERT INTO child VALUES (9, 2, 1)", "INSERT INTO child VALUES (1, 1, 1)", "INSERT INTO child VALUES (1, 3, NULL)",
            "INSERT INTO parent VALUES (1)",
        ].map { sql in try #require(throws: DatabaseError.self) { try connection.execute(sql) }.resultCode }
        #expect(codes == [.constraintForeignKey, .constraintUnique, .constraintNotNull, .constraintPrimaryKey])
        let syntax = try #require(throws: DatabaseError.self) { try connection.execute("SELEKT 1") }
        #expect(syntax.resultCode == .error)
    }
}

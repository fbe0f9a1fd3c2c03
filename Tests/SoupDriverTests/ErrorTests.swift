import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

@Suite("Database errors")
struct ErrorTests {
    @Test("a syntax error carries the message and position", arguments: Engine.allCases)
    func syntaxError(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        let sql = "SELECT 1,\n  2 FORM nowhere"
        let error = try #require(throws: DatabaseError.self) { try connection.execute(sql) }
        #expect(error.kind == .statement)
        #expect(error.message.contains("syntax error"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 10)  // under "nowhere": FORM reads as an alias
        #expect(error.report.contains("LINE 2:   2 FORM nowhere\n" + String(repeating: " ", count: 17) + "^"))
        if engine == .postgres { #expect(error.sqlState == .syntaxError) }
    }

    @Test("a unique violation carries SQLSTATE 23505 and the detail")
    func uniqueViolationPostgres() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.execute("CREATE TABLE u (name text PRIMARY KEY)")
        try connection.execute("INSERT INTO u VALUES ($1)", [.text("ann")])
        let error = try #require(throws: DatabaseError.self) {
            try connection.execute("INSERT INTO u VALUES ($1)", [.text("ann")])
        }
        #expect(error.sqlState == .uniqueViolation)
        #expect(error.detail == "Key (name)=(ann) already exists.")
        #expect(error.report.contains("(SQLSTATE 23505)"))
        #expect(error.report.contains("DETAIL:  Key (name)=(ann) already exists."))
    }

    @Test("COPY from or to the client fails with a clear error, in a query or a script, and the connection goes on")
    func copyThroughTheClient() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.execute("CREATE TABLE c (n int)")
        for sql in ["COPY c FROM STDIN", "COPY c TO STDOUT"] {
            let fromQuery = try #require(throws: DatabaseError.self) { try connection.execute(sql) }
            #expect(fromQuery.message.contains("COPY to or from the client is not supported"))
            // A script used to wait forever here: libpq repeats the COPY result until the copy ends.
            let fromScript = try #require(throws: DatabaseError.self) {
                try connection.executeScript("INSERT INTO c VALUES (1); \(sql); INSERT INTO c VALUES (2)")
            }
            #expect(fromScript.message.contains("COPY to or from the client is not supported"))
            #expect(try connection.scalar("SELECT 40 + 2") == .integer(42))
        }
    }

    @Test("a SQLite unique violation carries the extended result code")
    func uniqueViolationSQLite() throws {
        let connection = try Engine.sqlite.connect()
        defer { connection.close() }
        try connection.execute("CREATE TABLE u (name text PRIMARY KEY)")
        try connection.execute("INSERT INTO u VALUES (?)", [.text("ann")])
        let error = try #require(throws: DatabaseError.self) {
            try connection.execute("INSERT INTO u VALUES (?)", [.text("ann")])
        }
        #expect(error.resultCode == .constraintPrimaryKey)
        #expect(error.message == "UNIQUE constraint failed: u.name")
    }

    @Test("foreign keys are enforced on SQLite")
    func sqliteForeignKeys() throws {
        let connection = try Engine.sqlite.connect()
        defer { connection.close() }
        try connection.executeScript("CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer REFERENCES p(id));")
        #expect(throws: DatabaseError.self) { try connection.execute("INSERT INTO c VALUES (7)") }
    }

    @Test("a wrong number of parameters is an error, not a crash", arguments: Engine.allCases)
    func parameterCount(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        #expect(throws: DatabaseError.self) { try connection.execute("SELECT \(engine.p(0))", []) }
        #expect(try connection.scalar("SELECT 1") == .integer(1))
    }

    @Test("connecting to a closed port names host and port, never the password")
    func closedPort() throws {
        let error = try #require(throws: DatabaseError.self) {
            _ = try PostgresConnection(conninfo: "postgresql://ann:hunter2secret@127.0.0.1:1/app?connect_timeout=3")
        }
        #expect(error.kind == .connection)
        #expect(error.message.contains("127.0.0.1"))
        #expect(error.message.contains("1"))
        #expect(!error.message.contains("hunter2secret"))
        #expect(!error.message.contains("\n"))
    }

    @Test("a missing SQLite file is a connection error that says so in the driver's words")
    func missingFile() throws {
        let error = try #require(throws: DatabaseError.self) {
            _ = try SQLiteConnection(location: .file(path: "/tmp/soup-no-such-dir/none.db"), mode: .readWrite)
        }
        #expect(error.kind == .connection)
        #expect(error.resultCode == .cantOpen)
        #expect(error.message == "/tmp/soup-no-such-dir/none.db: no such database file")
    }

    @Test("a read-only SQLite connection refuses writes")
    func sqliteReadOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(named: "ro.db")
        let writer = try SQLiteConnection(location: .file(path: path), mode: .readWriteCreate)
        try writer.execute("CREATE TABLE t (x)")
        writer.close()
        let reader = try SQLiteConnection(location: .file(path: path), mode: .readOnly)
        defer { reader.close() }
        let error = try #require(throws: DatabaseError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
        #expect(error.message.contains("readonly"))
    }

    @Test("a lost PostgreSQL connection is reported, and the next statement reconnects")
    func lostConnection() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        let error = try #require(throws: DatabaseError.self) {
            try connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        }
        #expect(error.kind == .connectionLost)
        #expect(try connection.scalar("SELECT 2") == .integer(2))
    }

    @Test("statements inside a failed transaction report it until rollback")
    func failedTransaction() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.begin()
        #expect(throws: DatabaseError.self) { try connection.execute("SELECT 1/0") }
        #expect(connection.transactionStatus == .failed)
        try connection.rollback()
        #expect(connection.transactionStatus == .idle)
    }
}

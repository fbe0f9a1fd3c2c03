import SoupDriver
import Testing

@Suite("DB arguments")
struct LocatorTests {
    private func parse(_ text: String, existing: Set<String> = []) throws -> DatabaseLocator {
        try DatabaseLocator.parse(text, fileExists: { existing.contains($0) })
    }

    @Test func sqliteForms() throws {
        #expect(try parse("sqlite:///relative/path.db") == .sqlite(.file(path: "relative/path.db")))
        #expect(try parse("sqlite:////absolute/path.db") == .sqlite(.file(path: "/absolute/path.db")))
        #expect(try parse("sqlite::memory:") == .sqlite(.memory))
        #expect(try parse("sqlite://") == .sqlite(.memory))
        #expect(try parse(":memory:") == .sqlite(.memory))
        #expect(try parse("demo.db") == .sqlite(.file(path: "demo.db")))
        #expect(try parse("x/y.SQLITE3") == .sqlite(.file(path: "x/y.SQLITE3")))
        #expect(try parse("archive.db3") == .sqlite(.file(path: "archive.db3")))
        #expect(try parse("data/plain", existing: ["data/plain"]) == .sqlite(.file(path: "data/plain")))
    }

    @Test func postgresForms() throws {
        #expect(try parse("postgres://u@h/db") == .postgres(conninfo: "postgres://u@h/db"))
        #expect(try parse("postgresql://u:p@h:5433/db?sslmode=disable") == .postgres(conninfo: "postgresql://u:p@h:5433/db?sslmode=disable"))
        #expect(try parse("host=/tmp dbname=app") == .postgres(conninfo: "host=/tmp dbname=app"))
        #expect(try parse(" dbname = app ") == .postgres(conninfo: "dbname = app"))
    }

    @Test func profilesAndErrors() throws {
        #expect(try parse("app") == .profile("app"))
        #expect(throws: LocatorError.self) { try parse("") }
        #expect(throws: LocatorError.self) { try parse("sqlite:relative.db") }
        let error = try #require(throws: LocatorError.self) { try parse("no/such/file") }
        #expect(error.kind == .noSuchFile)
        #expect(error.description == "no/such/file: no such database file (SQLite names end in .db, .sqlite, .sqlite3 or .db3)")
    }

    @Test func passwordsAreMasked() {
        #expect(ConnectionString.redacted("postgresql://ann:s3cret@db:5432/app") == "postgresql://ann:***@db:5432/app")
        #expect(ConnectionString.redacted("postgres://ann:p%40ss@db/app?password=x&sslmode=require")
            == "postgres://ann:***@db/app?password=***&sslmode=require")
        #expect(ConnectionString.redacted("postgresql://ann@db/app") == "postgresql://ann@db/app")
        #expect(ConnectionString.redacted("host=db password=s3cret user=ann") == "host=db password=*** user=ann")
        #expect(ConnectionString.redacted("host=db password = 'a b\\' c' user=ann") == "host=db password = *** user=ann")
        #expect(ConnectionString.redacted("PASSWORD=x") == "PASSWORD=***")
    }
}

@Suite("Real formatting")
struct RealFormattingTests {
    @Test func matchesFloat8Out() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "-0"), (1, "1"), (100, "100"), (0.1, "0.1"), (2.5, "2.5"), (-1.25, "-1.25"),
            (1e15, "1e+15"), (1e14, "100000000000000"), (123456789012345.6, "123456789012345.6"),
            (1234567890123456.7, "1.2345678901234568e+15"), (1e-4, "0.0001"), (1.5e-5, "1.5e-05"),
            (1e308, "1e+308"), (.leastNonzeroMagnitude, "5e-324"), (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"),
            (0.30000000000000004, "0.30000000000000004"),
        ]
        for (value, text) in cases {
            #expect(Value.format(real: value) == text, "\(value)")
        }
    }
}

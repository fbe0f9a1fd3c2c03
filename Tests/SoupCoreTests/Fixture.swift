import SoupCore
import SoupDriver
import SoupLanguage
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

/// The two engines every core test runs against.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLSoup's test fixture (the users, books, loans, nopk and bad_names tables of SQLSoup
    /// 0.9.1's own tests), spelled for the engine.
    var fixture: String {
        let bookKey = self == .sqlite ? "integer PRIMARY KEY" : "serial PRIMARY KEY"
        let loanDate = self == .sqlite ? "datetime" : "timestamp"
        return """
            CREATE TABLE books (
                id \(bookKey), title text NOT NULL, published_year char(4) NOT NULL, authors text NOT NULL);
            CREATE TABLE users (
                name varchar(32) PRIMARY KEY, email varchar(128) NOT NULL, password varchar(128) NOT NULL,
                classname text, admin int NOT NULL);
            CREATE TABLE loans (
                book_id int PRIMARY KEY REFERENCES books(id),
                user_name varchar(32) REFERENCES users(name) ON DELETE SET NULL ON UPDATE CASCADE,
                loan_date \(loanDate) DEFAULT current_timestamp);
            CREATE TABLE nopk (i int);
            CREATE TABLE bad_names (id int PRIMARY KEY, query varchar(100));
            INSERT INTO users (name, email, password, admin) VALUES ('Bhargan Basepair', 'basepair@example.ed', 'basepair', 1);
            INSERT INTO users (name, email, password, admin) VALUES ('Joe Student', 'student@example.ed', 'student', 0);
            INSERT INTO books (title, published_year, authors) VALUES ('Mustards I Have Known', '1989', 'Jones');
            INSERT INTO books (title, published_year, authors) VALUES ('Regional Variation in Moss', '1971', 'Flim and Flam');
            INSERT INTO loans (book_id, user_name, loan_date) VALUES (
                (SELECT min(id) FROM books), (SELECT name FROM users WHERE name LIKE 'Joe%'), '2006-07-12 0:0:0');
            """
    }

    /// A fresh database holding the fixture, wrapped in a soup.
    func soup() throws -> Soup {
        let connection: any Connection
        switch self {
        case .sqlite: connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        case .postgres: connection = try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
        }
        try connection.executeScript(fixture)
        return Soup(connection: connection)
    }
}

extension Soup {
    /// Runs soup source; returns the value of its last statement.
    @discardableResult
    func run(_ source: String) throws -> RuntimeValue? {
        var last: RuntimeValue?
        for statement in try Parser.parse(source) {
            last = try evaluate(statement)
        }
        return last
    }

    /// The Python `repr` of an expression's value, as SQLSoup's tests compare them.
    func repr(_ expression: String) throws -> String {
        guard case .scalar(.text(let text))? = try run("repr(\(expression))") else { return "?" }
        return text
    }
}

/// SQLSoup's two users, as `repr` shows them.
let bhargan = "MappedUsers(name='Bhargan Basepair',email='basepair@example.ed',password='basepair',classname=None,admin=1)"
let joe = "MappedUsers(name='Joe Student',email='student@example.ed',password='student',classname=None,admin=0)"

/// A connection that records every statement it sends, and which went together.
final class CountingConnection: Connection {
    let base: any Connection
    private(set) var statements: [String] = []
    /// The statements of each call to the database (a batch is one call, one round trip).
    private(set) var sends: [[String]] = []

    init(_ base: any Connection) { self.base = base }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        statements.append(sql)
        sends.append([sql])
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        statements.append(sql)
        sends.append([sql])
        try base.executeScript(sql)
    }

    func fetchBatch(_ batch: [BoundStatement]) throws -> [[[Value]]] {
        statements += batch.map(\.sql)
        sends.append(batch.map(\.sql))
        return try base.fetchBatch(batch)
    }

    func describe(_ sql: String) throws -> [DescribedColumn] {
        statements.append(sql)
        sends.append([sql])
        return try base.describe(sql)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }
    func close() { base.close() }
}

extension Engine {
    /// A soup over the same database whose statements are counted.
    static func countingSoup(_ soup: Soup) throws -> (soup: Soup, connection: CountingConnection) {
        let counting = CountingConnection(soup.connection)
        return (Soup(connection: counting), counting)
    }
}

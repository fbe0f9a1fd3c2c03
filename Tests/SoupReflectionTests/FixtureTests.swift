import SoupDriver
import SoupReflection
import Testing

/// SQLSoup's test fixture (its `_ddl`, verbatim) reflects to the same model on both engines.
@Suite("The SQLSoup fixture on SQLite and PostgreSQL")
struct FixtureTests {
    /// SQLSoup's `_ddl` from tests/test_sqlsoup.py, with the `;` the last statement lacks.
    static let ddl = """
        CREATE TABLE books (
            id                   integer PRIMARY KEY, -- auto-increments in sqlite
            title                text NOT NULL,
            published_year       char(4) NOT NULL,
            authors              text NOT NULL
        );

        CREATE TABLE users (
            name                 varchar(32) PRIMARY KEY,
            email                varchar(128) NOT NULL,
            password             varchar(128) NOT NULL,
            classname            text,
            admin                int NOT NULL -- 0 = false
        );

        CREATE TABLE loans (
            book_id              int PRIMARY KEY REFERENCES books(id),
            user_name            varchar(32) references users(name)
                ON DELETE SET NULL ON UPDATE CASCADE,
            loan_date            datetime DEFAULT current_timestamp
        );

        CREATE TABLE nopk (
            i                    int
        );

        CREATE TABLE bad_names (
           id int primary key,
           query  varchar(100)
        );
        """

    /// The DDL as each engine takes it: PostgreSQL has no `datetime`, so it gets `timestamp`
    /// (which normalises to the same type).
    static func ddl(for engine: Engine) -> String {
        engine == .sqlite ? ddl : ddl.replacing("datetime", with: "timestamp")
    }

    static func reflect(_ engine: Engine) throws -> [Table] {
        let connection = try engine.connect()
        try connection.executeScript(ddl(for: engine))
        return try SchemaCatalog(connection: connection).allTables()
    }

    /// The engine-independent part of the model: everything except declared type spellings,
    /// constraint and index names, default spellings and engine-only facts (rowid, identity).
    ///
    /// SQLite lets NULL into a primary key that is not the rowid alias, and reflection says so
    /// (`users.name` is nullable there); the shape counts key columns as NOT NULL, which is what
    /// both engines promise for rows that the key identifies.
    struct Shape: Equatable, CustomStringConvertible {
        var tables: [String]

        init(_ tables: [Table]) {
            self.tables = tables.map { table in
                let key = table.primaryKey?.columns ?? []
                let columns = table.columns.map { column in
                    let nullable = column.isNullable && !key.contains(column.name)
                    return "\(column.position):\(column.name) \(column.type)\(nullable ? "" : " not null")"
                        + (column.defaultExpression == nil ? "" : " default")
                }
                let foreignKeys = table.foreignKeys.map { key in
                    "fk (\(key.columns.joined(separator: ","))) -> \(key.referencedTable.name)"
                        + "(\(key.referencedColumns.joined(separator: ","))) on update \(key.onUpdate.rawValue), on delete \(key.onDelete.rawValue)"
                }
                let incoming = table.referencedBy.map { "referenced by \($0.table.name)(\($0.foreignKey.columns.joined(separator: ",")))" }
                let unique = table.uniqueConstraints.map { "unique (\($0.columns.joined(separator: ",")))" }
                return ([table.name.name + " " + table.kind.rawValue, "pk (\(key.joined(separator: ",")))"]
                    + columns + foreignKeys + incoming.sorted() + unique).joined(separator: "\n  ")
            }
        }

        var description: String { tables.joined(separator: "\n") }
    }

    @Test("both engines reflect the same tables, columns, keys and foreign keys")
    func sameModel() throws {
        let sqlite = try Self.reflect(.sqlite)
        let postgres = try Self.reflect(.postgres)
        #expect(Shape(sqlite) == Shape(postgres), "SQLite:\n\(Shape(sqlite))\nPostgreSQL:\n\(Shape(postgres))")
        #expect(Shape(sqlite).description == """
            bad_names table
              pk (id)
              1:id integer not null
              2:query text(100)
            books table
              pk (id)
              1:id integer not null
              2:title text not null
              3:published_year text(4) not null
              4:authors text not null
              referenced by loans(book_id)
            loans table
              pk (book_id)
              1:book_id integer not null
              2:user_name text(32)
              3:loan_date timestamp default
              fk (book_id) -> books(id) on update no action, on delete no action
              fk (user_name) -> users(name) on update cascade, on delete set null
            nopk table
              pk ()
              1:i integer
            users table
              pk (name)
              1:name text(32) not null
              2:email text(128) not null
              3:password text(128) not null
              4:classname text
              5:admin integer not null
              referenced by loans(user_name)
            """)
    }

    @Test("engine-specific facts: declared types, rowid, nullable SQLite keys", arguments: Engine.allCases)
    func engineFacts(engine: Engine) throws {
        let tables = try Self.reflect(engine)
        let byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name.name, $0) })
        let users = try #require(byName["users"])
        let books = try #require(byName["books"])
        let nopk = try #require(byName["nopk"])
        #expect(users.name.schema == engine.defaultSchema)
        #expect(books.columns[0].isNullable == false)
        switch engine {
        case .sqlite:
            #expect(users.column(named: "name")?.declaredType == "varchar(32)")
            #expect(users.column(named: "name")?.isNullable == true)
            #expect(books.columns[0].identity == .rowid)
            #expect(nopk.hasRowID && nopk.rowIdentity == .rowid)
            #expect(byName["loans"]?.column(named: "loan_date")?.defaultExpression == "current_timestamp")
        case .postgres:
            #expect(users.column(named: "name")?.declaredType == "character varying(32)")
            #expect(users.column(named: "name")?.isNullable == false)
            #expect(users.primaryKey?.name == "users_pkey")
            #expect(!nopk.hasRowID && nopk.rowIdentity == .none)
            #expect(byName["loans"]?.column(named: "loan_date")?.defaultExpression == "CURRENT_TIMESTAMP")
        }
    }
}

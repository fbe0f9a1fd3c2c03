import Foundation
import SoupTestSupport
import Testing

@Suite("soup tables and soup schema, end to end")
struct SchemaCommandTests {
    static let ddl = """
        CREATE TABLE books (id integer PRIMARY KEY, title text NOT NULL);
        CREATE TABLE users (name varchar(32) PRIMARY KEY, email varchar(128) NOT NULL UNIQUE);
        CREATE TABLE loans (
            book_id int PRIMARY KEY REFERENCES books(id),
            user_name varchar(32) REFERENCES users(name) ON DELETE SET NULL ON UPDATE CASCADE
        );
        CREATE TABLE "Odd Table" ("My Col" integer);
        CREATE VIEW titles AS SELECT title FROM books;
        INSERT INTO books (id, title) VALUES (1, 'Moss'), (2, 'Mustards');
        """

    /// A SQLite file made with the sqlite3 CLI.
    private func sqliteDatabase() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "library.db")
        let result = try ProcessRunner.run(executable: "/usr/bin/sqlite3", arguments: [path], stdin: Array(Self.ddl.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, path)
    }

    /// A PostgreSQL database with the same tables, plus `audit.events`.
    private func postgresDatabase() throws -> String {
        let url = try PostgresServer.shared().makeDatabase()
        _ = try PostgresServer.shared().run(sql: Self.ddl + """
            CREATE SCHEMA audit;
            CREATE TABLE audit.events (id integer PRIMARY KEY, book_id integer REFERENCES public.books (id));
            """, url: url)
        return url
    }

    @Test("soup tables lists tables and views as a result set")
    func tables() throws {
        let (directory, path) = try sqliteDatabase()
        defer { directory.remove() }
        let result = try SoupBinary.run(["tables", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(" main   | Odd Table | table"))
        #expect(result.stdout.contains(" main   | titles    | view"))
        #expect(result.stdout.contains("(5 rows)"))
        let csv = try SoupBinary.run(["tables", path, "--counts", "-f", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == """
            schema,name,type,rows
            main,Odd Table,table,0
            main,books,table,2
            main,loans,table,0
            main,titles,view,2
            main,users,table,0

            """)
    }

    @Test("soup schema TABLE prints psql's \\d layout")
    func text() throws {
        let (directory, path) = try sqliteDatabase()
        defer { directory.remove() }
        let result = try SoupBinary.run(["schema", path, "loans"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
                          Table "main.loans"
              Column   |    Type     | Nullable | Default
            -----------+-------------+----------+---------
             book_id   | INT         |          |
             user_name | varchar(32) |          |
            Primary key: (book_id)
            Indexes:
                "sqlite_autoindex_loans_1" PRIMARY KEY (book_id)
            Foreign-key constraints:
                FOREIGN KEY (book_id) REFERENCES books(id)
                FOREIGN KEY (user_name) REFERENCES users(name) ON UPDATE CASCADE ON DELETE SET NULL

            """)
        let all = try SoupBinary.run(["schema", path])
        #expect(all.status == 0)
        for title in ["Table \"main.Odd Table\"", "Table \"main.books\"", "View \"main.titles\"", "Table \"main.users\""] {
            #expect(all.stdout.contains(title))
        }
    }

    @Test("-f/--format takes the schema formats here: json, dot, mermaid")
    func formats() throws {
        let (directory, path) = try sqliteDatabase()
        defer { directory.remove() }
        let json = try SoupBinary.run(["schema", path, "--format", "json", "users", "\"Odd Table\""])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tables = try #require(document["tables"] as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == ["users", "Odd Table"])

        let dot = try SoupBinary.run(["schema", path, "-f", "dot"])
        #expect(dot.status == 0, "\(dot.stderr)")
        let svg = try ProcessRunner.run(executable: "/usr/bin/dot", arguments: ["-Tsvg"], stdin: Array(dot.stdout.utf8))
        #expect(svg.status == 0 && svg.stdout.contains("<svg"), "\(svg.stderr)")

        let mermaid = try SoupBinary.run(["schema", path, "-f", "mermaid", "loans", "books"])
        #expect(mermaid.status == 0, "\(mermaid.stderr)")
        #expect(mermaid.stdout.hasPrefix("erDiagram\n"))
        #expect(mermaid.stdout.contains("    books |o--o| loans : \"book_id\"\n"))
        #expect(mermaid.stdout.contains("    users |o--o{ loans : \"user_name\"\n"))

        let csv = try SoupBinary.run(["schema", path, "-f", "csv"])
        #expect(csv.status == 64)
        #expect(csv.stderr.contains("text"))
    }

    @Test("an unknown table is an error with a suggestion, exit 1")
    func unknownTable() throws {
        let (directory, path) = try sqliteDatabase()
        defer { directory.remove() }
        let result = try SoupBinary.run(["schema", path, "usres"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "soup: error: no table 'usres'; did you mean 'users'?\n")
        let missing = try SoupBinary.run(["schema", directory.file(named: "absent.db")])
        #expect(missing.status == 2)
    }

    @Test("soup schema DB TABLE sends only catalog queries about that table", arguments: ["sqlite", "postgres"])
    func onlyThatTable(engine: String) throws {
        let (directory, sqlitePath) = try sqliteDatabase()
        defer { directory.remove() }
        let database = engine == "sqlite" ? sqlitePath : try postgresDatabase()
        let one = try SoupBinary.run(["schema", database, "loans", "--echo"])
        #expect(one.status == 0, "\(one.stderr)")
        let statements = one.stderr.split(separator: "\n").filter { $0.hasSuffix(";") || $0.contains(";  -- ") }
        let withParameters = statements.filter { $0.contains(";  -- ") }
        #expect(!withParameters.isEmpty)
        // On PostgreSQL, reflection selects by the OID that looking up the name read.
        var about = ["loans"]
        if engine == "postgres" {
            let oid = try SoupBinary.run(["query", database, "-f", "csv", "SELECT 'loans'::regclass::oid"])
            about.append("{\(oid.stdout.split(separator: "\n").last ?? "")}")
        }
        for statement in withParameters {
            let parameters = statement.components(separatedBy: ";  -- ").last ?? ""
            #expect(about.contains { parameters.contains($0) }, "\(parameters)")
            for other in ["books", "users", "Odd Table", "titles"] { #expect(!parameters.contains(other), "\(parameters)") }
        }
        // Two tables cost the same number of queries as one.
        let two = try SoupBinary.run(["schema", database, "loans", "users", "--echo"])
        let twoStatements = two.stderr.split(separator: "\n").filter { $0.hasSuffix(";") || $0.contains(";  -- ") }
        #expect(twoStatements.count == statements.count)
    }

    @Test("PostgreSQL: schemas, search_path and qualified names")
    func postgres() throws {
        let url = try postgresDatabase()
        let listed = try SoupBinary.run(["tables", url, "--schema", "audit", "-f", "csv"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == "schema,name,type\naudit,events,table\n")
        let events = try SoupBinary.run(["schema", url, "audit.events"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("Table \"audit.events\""))
        #expect(events.stdout.contains("REFERENCES public.books(id)"))
        let viaOption = try SoupBinary.run(["schema", url, "events", "--schema", "audit", "-f", "json"])
        #expect(viaOption.status == 0, "\(viaOption.stderr)")
        let unqualified = try SoupBinary.run(["schema", url, "events"])
        #expect(unqualified.status == 1)
        #expect(unqualified.stderr == "soup: error: no table 'events'; did you mean 'audit.events'?\n")
        let books = try SoupBinary.run(["schema", url, "books"])
        #expect(books.stdout.contains("Referenced by:\n    TABLE audit.events CONSTRAINT \"events_book_id_fkey\" FOREIGN KEY (book_id) REFERENCES public.books(id)"))
        #expect(books.stdout.contains("\"books_pkey\" PRIMARY KEY, btree (id)"))
    }
}

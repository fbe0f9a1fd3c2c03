import SoupDriver
import SoupPostgres
import SoupReflection
import SoupSQLite
import SoupTestSupport
import Testing

@testable import SoupCore

/// Completion that knows where the cursor is, and the colours of the input, on both engines,
/// on a music-store schema with mixed-case names, a table whose name needs quotes and a second
/// schema (an attached database on SQLite).
@Suite("completion and colours from what the database holds")
struct InputAssistantTests {
    static func schema(_ engine: Engine) -> String {
        switch engine {
        case .sqlite:
            return """
                CREATE TABLE Artist (ArtistId integer PRIMARY KEY, Name text);
                CREATE TABLE Album (AlbumId integer PRIMARY KEY, Title text NOT NULL,
                    ArtistId integer NOT NULL REFERENCES Artist(ArtistId));
                CREATE TABLE Track (TrackId integer PRIMARY KEY, Name text NOT NULL,
                    AlbumId integer REFERENCES Album(AlbumId), Milliseconds integer);
                CREATE TABLE "Odd Name" (id integer PRIMARY KEY);
                CREATE TABLE Employee (EmployeeId integer PRIMARY KEY, ReportsTo integer REFERENCES Employee(EmployeeId));
                INSERT INTO Artist VALUES (1, 'AC/DC');
                INSERT INTO Album VALUES (1, 'For Those About To Rock', 1);
                ATTACH ':memory:' AS audit;
                CREATE TABLE audit.events (id integer PRIMARY KEY, note text);
                """
        case .postgres:
            return """
                CREATE TABLE "Artist" ("ArtistId" serial PRIMARY KEY, "Name" text);
                CREATE TABLE "Album" ("AlbumId" serial PRIMARY KEY, "Title" text NOT NULL,
                    "ArtistId" integer NOT NULL REFERENCES "Artist"("ArtistId"));
                CREATE TABLE "Track" ("TrackId" serial PRIMARY KEY, "Name" text NOT NULL,
                    "AlbumId" integer REFERENCES "Album"("AlbumId"), "Milliseconds" integer);
                CREATE TABLE "Odd Name" (id integer PRIMARY KEY);
                CREATE TABLE "Employee" ("EmployeeId" serial PRIMARY KEY, "ReportsTo" integer REFERENCES "Employee"("EmployeeId"));
                INSERT INTO "Artist" VALUES (1, 'AC/DC');
                INSERT INTO "Album" VALUES (1, 'For Those About To Rock', 1);
                CREATE SCHEMA audit;
                CREATE TABLE audit.events (id serial PRIMARY KEY, note text);
                """
        }
    }

    /// An assistant over a fresh database, whose statements are counted.
    static func assistant(_ engine: Engine) throws -> (InputAssistant, CountingConnection) {
        let base: any Connection =
            switch engine {
            case .sqlite: try SQLiteConnection(location: .memory, mode: .readWriteCreate)
            case .postgres: try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
            }
        try base.executeScript(schema(engine))
        let counting = CountingConnection(base)
        return (InputAssistant(soup: Soup(connection: counting)), counting)
    }

    /// A SQL name as the engine needs it typed: bare on SQLite, quoted when mixed-case on PostgreSQL.
    static func sql(_ name: String, _ engine: Engine) -> String {
        engine == .postgres && name != name.lowercased() ? "\"\(name)\"" : name
    }

    func complete(_ assistant: InputAssistant, _ text: String, at cursor: Int? = nil) -> Completion {
        assistant.complete(text, cursor: cursor ?? text.utf8.count)
    }

    func words(_ assistant: InputAssistant, _ text: String, at cursor: Int? = nil) -> [String] {
        complete(assistant, text, at: cursor).candidates.map(\.text)
    }

    @Test("SQL: tables after FROM (quoted as the engine needs), schemas, a schema's tables", arguments: Engine.allCases)
    func sqlTables(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        #expect(complete(assistant, "SELECT * FROM Tra").replacement == Self.sql("Track", engine))
        #expect(complete(assistant, "SELECT * FROM Tra").appendsSpace)
        let all = words(assistant, "SELECT * FROM ")
        for table in ["Artist", "Album", "Track"] { #expect(all.contains(Self.sql(table, engine)), "\(table)") }
        #expect(all.contains("\"Odd Name\""))
        #expect(complete(assistant, "SELECT * FROM au").candidates.contains(CompletionCandidate("audit.", kind: .schema)))
        #expect(words(assistant, "select * from audit.ev") == ["events"])
        #expect(words(assistant, "SELECT * FROM Album JOIN Art") == [Self.sql("Artist", engine)])
        #expect(words(assistant, "INSERT INTO Alb") == [Self.sql("Album", engine)])
    }

    @Test("SQL: columns of the statement's tables, aliases resolved, and functions", arguments: Engine.allCases)
    func sqlColumns(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        let name = Self.sql("Name", engine)
        #expect(words(assistant, "SELECT t.Na FROM Track t", at: 11) == [name])
        let artist = words(assistant, "SELECT * FROM Album a JOIN Artist r ON a.ArtistId = r.")
        #expect(Set(artist) == [Self.sql("ArtistId", engine), name])
        // Columns first, then functions (time(), …).
        #expect(words(assistant, "SELECT * FROM Album WHERE Ti").first == Self.sql("Title", engine))
        #expect(complete(assistant, "SELECT * FROM Album WHERE Tit").replacement == Self.sql("Title", engine))
        #expect(words(assistant, "SELECT * FROM audit.events e WHERE e.no") == ["note"])
        #expect(words(assistant, "UPDATE Track SET Mi") == [Self.sql("Milliseconds", engine)])
        #expect(words(assistant, "INSERT INTO Track (Al") == [Self.sql("AlbumId", engine)])
        let select = complete(assistant, "SELECT coun")
        #expect(select.candidates.contains(CompletionCandidate("count(", kind: .function)))
        #expect(words(assistant, "SELECT * FROM Track ").contains("WHERE"))
    }

    @Test("soup: after entity. and row. columns, relations and methods, each marked", arguments: Engine.allCases)
    func members(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        let album = complete(assistant, "Album.").candidates
        #expect(album.contains(CompletionCandidate("Title", kind: .column)))
        #expect(album.contains(CompletionCandidate("Artist", kind: .relation, detail: "→ Artist")))
        #expect(album.contains(CompletionCandidate("filter(", kind: .method)))
        #expect(complete(assistant, "Artist.").candidates.contains(CompletionCandidate("Album", kind: .relation, detail: "→ [Album]")))
        // A key to the table itself: the manager and the reports, as reflection names them.
        let employee = complete(assistant, "Employee.Emp").candidates
        #expect(employee.contains(CompletionCandidate("Employee", kind: .relation, detail: "→ Employee")))
        #expect(employee.contains(CompletionCandidate("Employee_collection", kind: .relation, detail: "→ [Employee]")))
        #expect(employee.contains(CompletionCandidate("EmployeeId", kind: .column)))
        #expect(words(assistant, "db.Album.Ti") == ["Title"])
        #expect(words(assistant, "Album.c.Ti") == ["Title"])
        #expect(words(assistant, "Album.filter(Album.AlbumId == 1).firs") == ["first("])
        _ = try assistant.soup.run("a = Album.first()")
        let row = complete(assistant, "a.").candidates
        #expect(row.contains(CompletionCandidate("ArtistId", kind: .column)))
        #expect(row.contains(CompletionCandidate("as_dict(", kind: .method)))
        #expect(row.contains(CompletionCandidate("Artist", kind: .relation, detail: "→ Artist")))
        #expect(words(assistant, "a.Artist.Na") == ["Name"])
        #expect(words(assistant, "Album.first().Ti") == ["Title"])
    }

    @Test("soup: keyword arguments of filter_by/insert, keys of update({, db., func., db.entity('", arguments: Engine.allCases)
    func arguments(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        #expect(complete(assistant, "Track.filter_by(Na").replacement == "Name=")
        #expect(complete(assistant, "Track.filter_by(Name='x', Mi").replacement == "Milliseconds=")
        #expect(complete(assistant, "Track.insert(Al").replacement == "AlbumId=")
        #expect(complete(assistant, "Track.filter_by(TrackId=1).update({'Na").replacement == "Name': ")
        #expect(words(assistant, "Track.filter_by(TrackId=1).update({").contains("'Milliseconds': "))
        #expect(complete(assistant, "db.Alb").replacement == "Album")
        #expect(complete(assistant, "db.comm").replacement == "commit(")
        #expect(complete(assistant, "func.coun").candidates.first == CompletionCandidate("count(", kind: .function))
        #expect(complete(assistant, "db.entity('Odd").replacement == "Odd Name")
        #expect(words(assistant, "db.entity('Odd Name').") .contains("id"))
        #expect(words(assistant, "audit.ev") == ["events"])
    }

    @Test("matching: prefix in any case first, then fuzzy; what is typed is never shortened", arguments: Engine.allCases)
    func matching(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        let tr = complete(assistant, "Tr")
        #expect(tr.replacement == "Tr")
        #expect(Array(tr.candidates.map(\.text).prefix(2)) == ["Track", "True"])
        #expect(tr.candidates.map(\.text).contains("TRUNCATE"))
        #expect(complete(assistant, "tr").replacement == "tr")
        #expect(complete(assistant, "trk").candidates.first?.text == "Track")
        #expect(complete(assistant, "trk").replacement == "Track")
        #expect(complete(assistant, "Album.ttl").replacement == "Title")
        #expect(complete(assistant, "sel").candidates.first?.text == "select")
        #expect(complete(assistant, "SEL").candidates.first?.text == "SELECT")
        #expect(complete(assistant, "SELECT * FROM tra").replacement == Self.sql("Track", engine))
    }

    @Test("only what is needed is read: one listing, the table before the dot; later TABs and colours ask nothing", arguments: Engine.allCases)
    func readsLittle(engine: Engine) throws {
        let (assistant, connection) = try Self.assistant(engine)
        // The first TAB after a dot looks the name up alone: it lists nothing.
        _ = complete(assistant, "Track.")
        #expect(assistant.soup.catalog.cachedTables.map(\.name) == ["Track"])
        #expect(!assistant.soup.catalog.isListed)
        // The first that needs table names lists them, once.
        _ = complete(assistant, "Tr")
        #expect(assistant.soup.catalog.isListed)
        #expect(assistant.soup.catalog.cachedTables.map(\.name) == ["Track"])
        let afterFirst = connection.statements.count
        #expect(afterFirst > 0)
        for text in ["Track.Na", "Track.", "Tr", "SELECT * FROM Tr", "Track.filter_by(Na", "db.Tr"] {
            _ = complete(assistant, text)
        }
        _ = assistant.highlight("x = Track.filter_by(Name='a').first() + nosuch # c")
        _ = assistant.highlight("SELECT * FROM Track WHERE Name = 'x';")
        #expect(connection.statements.count == afterFirst, "\(connection.statements.suffix(from: afterFirst))")
        assistant.noteInputRan("Track.count()")
        _ = complete(assistant, "Tr")
        #expect(connection.statements.count == afterFirst)
        try assistant.soup.connection.executeScript("CREATE TABLE tracks_archive (id integer)")
        assistant.noteInputRan("CREATE TABLE tracks_archive (id integer);")
        #expect(complete(assistant, "track").candidates.map(\.text).contains("tracks_archive"))
    }

    @Test("colours: each kind of token, and unknown names only once the tables are listed", arguments: Engine.allCases)
    func highlight(engine: Engine) throws {
        let (assistant, _) = try Self.assistant(engine)
        func styles(_ text: String) -> [String: HighlightStyle] {
            let bytes = Array(text.utf8)
            return Dictionary(
                assistant.highlight(text).map { (String(decoding: bytes[$0.range], as: UTF8.self), $0.style) }
            ) { first, _ in first }
        }
        let line = "x = Album.filter_by(Title='a').first() and 1 + len(nosuch) # c"
        #expect(styles(line)["nosuch"] == nil)
        _ = complete(assistant, "Album.")
        #expect(styles(line)["nosuch"] == nil)
        _ = complete(assistant, "Alb")
        let shown = styles(line)
        #expect(shown["x"] == .variable)
        #expect(shown["Album"] == .table)
        #expect(shown["filter_by"] == .method)
        #expect(shown["Title"] == .argument)
        #expect(shown["'a'"] == .string)
        #expect(shown["and"] == .keyword)
        #expect(shown["1"] == .number)
        #expect(shown["+"] == .operator)
        #expect(shown["len"] == .builtin)
        #expect(shown["nosuch"] == .unknownName)
        #expect(shown["# c"] == .comment)
        #expect(styles("Album.Title, Album.Artist, Album.zz")["Title"] == .column)
        #expect(styles("Album.Title, Album.Artist, Album.zz")["Artist"] == .relation)
        #expect(styles("Album.Title, Album.Artist, Album.zz")["zz"] == .member)
        #expect(styles("Album.filter(Album.Title == 'x")["("] == .openBracket)
        #expect(styles("Album.filter(Album.Title == 'x")["'x"] == .openString)
        #expect(styles("x = )")[")"] == .stray)
        let sql = styles("SELECT count(*) FROM Album WHERE Title = $1 -- c")
        #expect(sql["SELECT"] == .keyword && sql["count"] == .function && sql["Album"] == .table)
        #expect(sql["Title"] == .sqlName && sql["$1"] == .parameter && sql["-- c"] == .comment)
        // The word being typed is not unknown while it starts a known name.
        #expect(assistant.highlight("Albu", cursor: 4).isEmpty)
        #expect(assistant.highlight("Albx", cursor: 4).map(\.style) == [.unknownName])
    }
}

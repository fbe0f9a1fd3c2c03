import Foundation
import SoupTestSupport
import Testing

/// Raw SQL that names a missing table or column gets the did-you-mean hint a soup statement
/// gets, from the reflected names; a misspelled leading keyword gets the keyword (issue 18,
/// item 10).
@Suite("SQL errors speak soup: did-you-mean from the reflected names")
struct SQLNameHintTests {
    private static let chinook = [
        "CREATE TABLE \"Artist\" (\"ArtistId\" integer PRIMARY KEY, \"Name\" text)",
        "CREATE TABLE \"Album\" (\"AlbumId\" integer PRIMARY KEY, \"Title\" text, \"ArtistId\" integer REFERENCES \"Artist\")",
        "INSERT INTO \"Artist\" VALUES (1, 'AC/DC')",
    ]

    private func sqlite() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file(named: "chinook.db")
        let made = try SoupBinary.run(["query", path, "--create"] + Self.chinook)
        #expect(made.status == 0, "\(made.stderr)")
        return (directory, path)
    }

    @Test("SQLite: no such table and no such column get the nearest names")
    func sqliteHints() throws {
        let (directory, path) = try sqlite()
        defer { directory.remove() }
        let table = try SoupBinary.run(["query", path, "SELECT * FROM Artst;"])
        #expect(table.status == 1)
        #expect(table.stderr == "arg1:1:1: ERROR:  no such table: Artst\nhint: did you mean 'Artist'?\n", "\(table.stderr)")
        let column = try SoupBinary.run(["query", path, "SELECT Nme FROM Artist"])
        #expect(column.stderr.contains("no such column: Nme"), "\(column.stderr)")
        #expect(column.stderr.hasSuffix("hint: did you mean 'Name'?\n"), "\(column.stderr)")
        let aliased = try SoupBinary.run(["query", path, "SELECT al.Titel FROM Artist AS ar JOIN Album al ON al.ArtistId = ar.ArtistId"])
        #expect(aliased.stderr.hasSuffix("hint: did you mean 'al.Title'?\n"), "\(aliased.stderr)")
        let qualified = try SoupBinary.run(["query", path, "DELETE FROM main.Albun"])
        #expect(qualified.stderr.hasSuffix("hint: did you mean 'main.Album'?\n"), "\(qualified.stderr)")
        // Nothing near: no hint.
        let far = try SoupBinary.run(["query", path, "SELECT * FROM Playlist"])
        #expect(far.status == 1)
        #expect(!far.stderr.contains("hint:"), "\(far.stderr)")
        // --continue: reported and undone, and the run goes on.
        let continued = try SoupBinary.run(["query", path, "--continue", "SELECT Nme FROM Artist", "SELECT count(*) AS n FROM Artist", "-f", "csv"])
        #expect(continued.status == 1)
        #expect(continued.stderr.contains("hint: did you mean 'Name'?"), "\(continued.stderr)")
        #expect(continued.stdout == "n\n1\n")
    }

    @Test("names already listed and reflected give the hint without another catalog query")
    func noCatalogQueryWhenCached() throws {
        let (directory, path) = try sqlite()
        defer { directory.remove() }
        // `Artst.count()` lists every table and `Artist.count()` reflects Artist: after them
        // both names are cached.
        let soup = ["--continue", "--echo", "Artist.count()", "Artst.count()"]
        let before = try SoupBinary.run(["query", path] + soup)
        let after = try SoupBinary.run(["query", path] + soup + ["SELECT * FROM Artst", "SELECT Nme FROM Artist"])
        #expect(after.stderr.contains("hint: did you mean 'Artist'?"), "\(after.stderr)")
        #expect(after.stderr.contains("hint: did you mean 'Name'?"), "\(after.stderr)")
        func catalogQueries(_ text: String) -> Int {
            text.components(separatedBy: "pragma_").count + text.components(separatedBy: "sqlite_master").count
        }
        #expect(catalogQueries(after.stderr) == catalogQueries(before.stderr), "\(after.stderr)")
        #expect(catalogQueries(before.stderr) > 2)
    }

    @Test("a misspelled leading keyword: did you mean SELECT?")
    func misspelledKeyword() throws {
        let (directory, path) = try sqlite()
        defer { directory.remove() }
        let result = try SoupBinary.run(["query", path, "SELEC 1"])
        #expect(result.status == 1)
        #expect(result.stderr == "arg1:1:1: 'SELEC' starts no soup statement and no SQL statement\nSELEC 1\n^~~~~\nhint: did you mean SELECT?\n", "\(result.stderr)")
        let script = try SoupBinary.run([path], stdin: "Artist.count()\n  updat \"Artist\" SET \"Name\" = 'x';\n")
        #expect(script.status == 1)
        #expect(script.stderr.contains("<stdin>:2:3: 'updat' starts no soup statement"), "\(script.stderr)")
        #expect(script.stderr.contains("hint: did you mean UPDATE?"), "\(script.stderr)")
        // A soup mistake on a line that starts with a name stays a soup error.
        let soup = try SoupBinary.run(["query", path, "Artist 1"])
        #expect(soup.stderr.contains("expected the end of the statement"), "\(soup.stderr)")
    }

    @Test("the REPL: the hint comes after the input is undone, and the transaction goes on", arguments: [80, 40])
    func repl(columns: Int) throws {
        let (directory, path) = try sqlite()
        defer { directory.remove() }
        let terminal = try PseudoTerminal.soup([path], columns: columns)
        try terminal.expect("soup:chinook> ", within: 15)
        terminal.send("Artist.insert(ArtistId=2, Name='Accept')\r")
        try terminal.expect("soup:chinook*> ", within: 15)
        terminal.send("SELECT Nme FROM Artist;\r")
        let column = try terminal.expect("soup:chinook*> ", within: 15)
        #expect(column.contains("no such column: Nme"), "\(column)")
        #expect(column.contains("hint: did you mean 'Name'?"), "\(column)")
        terminal.send("SELEC 1\r")
        let keyword = try terminal.expect("soup:chinook*> ", within: 15)
        #expect(keyword.contains("hint: did you mean SELECT?"), "\(keyword)")
        terminal.send("db.commit()\r")
        try terminal.expect("soup:chinook> ", within: 15)
        terminal.send("\\q\r")
        #expect(try terminal.waitForExit(within: 10) == 0)
        let count = try SoupBinary.run(["query", path, "-f", "csv", "SELECT count(*) AS n FROM \"Artist\""])
        #expect(count.stdout == "n\n2\n", "\(count.stdout)")
    }

    @Test("PostgreSQL: relation and column that do not exist, by SQLSTATE, in and out of a transaction")
    func postgresHints() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let made = try SoupBinary.run(["query", url] + Self.chinook + ["CREATE TABLE track (track_id serial PRIMARY KEY, name text)"])
        #expect(made.status == 0, "\(made.stderr)")
        // In the script's transaction, which the error aborts: the hint comes after the rollback.
        let table = try SoupBinary.run(["query", url, "SELECT * FROM trak"])
        #expect(table.status == 1)
        #expect(table.stderr.contains("relation \"trak\" does not exist (SQLSTATE 42P01)"), "\(table.stderr)")
        #expect(table.stderr.hasSuffix("hint: did you mean 'track'?\n"), "\(table.stderr)")
        let quoted = try SoupBinary.run(["query", url, "--tx", "none", "SELECT * FROM \"Artst\""])
        #expect(quoted.stderr.hasSuffix("hint: did you mean 'Artist'?\n"), "\(quoted.stderr)")
        let column = try SoupBinary.run(["query", url, "SELECT t.nmae FROM track AS t"])
        #expect(column.stderr.contains("column t.nmae does not exist (SQLSTATE 42703)"), "\(column.stderr)")
        // The server's own hint speaks alone.
        #expect(column.stderr.contains("HINT:  Perhaps you meant to reference the column \"t.name\"."), "\(column.stderr)")
        #expect(!column.stderr.contains("hint: did you mean"), "\(column.stderr)")
        let unqualified = try SoupBinary.run(["query", url, "--continue", "UPDATE track SET nmae = 'x'", "SELECT 1 AS one"])
        #expect(unqualified.stderr.contains("column \"nmae\" of relation \"track\" does not exist (SQLSTATE 42703)"), "\(unqualified.stderr)")
        #expect(unqualified.stderr.hasSuffix("hint: did you mean 'name'?\n"), "\(unqualified.stderr)")
        #expect(unqualified.stdout.contains("one"))
        let keyword = try SoupBinary.run(["query", url, "SELEC 1"])
        #expect(keyword.stderr.contains("hint: did you mean SELECT?"), "\(keyword.stderr)")
    }
}

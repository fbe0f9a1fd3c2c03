import Foundation
import SoupTestSupport
import Testing

/// TAB at the REPL on both engines, through the pseudo-terminal: SQL tables, schemas and
/// aliased columns, soup relations, keyword arguments and dictionary keys, `db.entity('`,
/// `func.`, fuzzy matches, and `Tr` that stays `Tr` (issue 18.7), on a music-store schema with
/// mixed-case names.
@Suite(
    "TAB knows where the cursor is, on both engines",
    .enabled(if: soupDrawsLine, "the marked list of candidates needs GNU readline's display hook"))
struct REPLCompletionTests {
    enum Engine: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    /// The REPL on the music store, with schema `audit`, at an empty prompt; and that prompt.
    static func open(_ engine: Engine, in directory: TemporaryDirectory) throws -> (PseudoTerminal, String) {
        switch engine {
        case .sqlite:
            let path = directory.file(named: "t.db")
            let audit = directory.file(named: "audit.db")
            for (file, sql) in [
                (path, music(quoted: false)), (audit, "CREATE TABLE events (id integer PRIMARY KEY, note text);"),
            ] {
                let result = try ProcessRunner.run(executable: "/usr/bin/sqlite3", arguments: [file], stdin: Array(sql.utf8))
                #expect(result.status == 0, "\(result.stderr)")
            }
            let terminal = try REPLTypingTests.open(path, columns: 120)
            terminal.send("ATTACH '\(audit)' AS audit;\r")
            try terminal.expect("soup:t")
            terminal.send("db.commit()\r")
            try REPLTypingTests.waitForPrompt(terminal)
            return (terminal, "soup:t> ")
        case .postgres:
            let server = try PostgresServer.shared()
            let url = try server.makeDatabase()
            _ = try server.run(sql: music(quoted: true) + "CREATE SCHEMA audit; CREATE TABLE audit.events (id serial PRIMARY KEY, note text);", url: url)
            let prompt = "soup:\(url.split(separator: "/").last!)> "
            let terminal = try REPLTypingTests.open(url, columns: 120, waitsForPrompt: false)
            try REPLTypingTests.waitForPrompt(terminal, prompt)
            return (terminal, prompt)
        }
    }

    static func music(quoted: Bool) -> String {
        let q: (String) -> String = { quoted ? "\"\($0)\"" : $0 }
        return """
            CREATE TABLE \(q("Artist")) (\(q("ArtistId")) integer PRIMARY KEY, \(q("Name")) text);
            CREATE TABLE \(q("Album")) (\(q("AlbumId")) integer PRIMARY KEY, \(q("Title")) text NOT NULL,
                \(q("ArtistId")) integer NOT NULL REFERENCES \(q("Artist"))(\(q("ArtistId"))));
            CREATE TABLE \(q("Track")) (\(q("TrackId")) integer PRIMARY KEY, \(q("Name")) text NOT NULL,
                \(q("AlbumId")) integer REFERENCES \(q("Album"))(\(q("AlbumId"))), \(q("Milliseconds")) integer);
            INSERT INTO \(q("Artist")) VALUES (1, 'AC/DC');
            INSERT INTO \(q("Album")) VALUES (1, 'For Those About To Rock', 1);

            """
    }

    /// Types `keys` and waits until the input reads `expected` after the prompt; then Ctrl-C.
    static func expect(_ terminal: PseudoTerminal, _ keys: String, gives expected: String, prompt: String) throws {
        try REPLTypingTests.type(terminal, keys, until: (prompt + expected).trimmingCharacters(in: .whitespaces), prompt: prompt)
        try REPLTypingTests.clear(terminal, prompt: prompt)
    }

    /// Types `keys` and waits until the screen lists every one of `entries`; then Ctrl-C.
    static func expect(_ terminal: PseudoTerminal, _ keys: String, lists entries: [String], prompt: String) throws {
        terminal.send(keys)
        try terminal.waitForScreen("a list with \(entries)") { screen in
            entries.allSatisfy { screen.text.contains($0) }
        }
        try REPLTypingTests.clear(terminal, prompt: prompt)
    }

    @Test("SQL: tables, schemas and their tables, columns of an alias, functions", arguments: Engine.allCases)
    func sql(engine: Engine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (terminal, prompt) = try Self.open(engine, in: directory)
        let q: (String) -> String = { engine == .postgres ? "\"\($0)\"" : $0 }
        try Self.expect(terminal, "SELECT * FROM Tra\t", gives: "SELECT * FROM \(q("Track")) ", prompt: prompt)
        try Self.expect(terminal, "SELECT * FROM aud\tev\t", gives: "SELECT * FROM audit.events ", prompt: prompt)
        try Self.expect(
            terminal, "SELECT * FROM \(q("Track")) t WHERE t.Mil\t",
            gives: "SELECT * FROM \(q("Track")) t WHERE t.\(q("Milliseconds")) ", prompt: prompt)
        try Self.expect(
            // Ctrl-B back to just after `Ti`: the table is named after the cursor.
            terminal, "SELECT a.Ti FROM \(q("Album")) a" + String(repeating: "\u{02}", count: " FROM \(q("Album")) a".count) + "\t",
            gives: "SELECT a.\(q("Title")) FROM \(q("Album")) a", prompt: prompt)
        try Self.expect(terminal, "SELECT upp\t", gives: "SELECT upper(", prompt: prompt)
    }

    @Test("soup: relations marked in the list, keyword arguments, dictionary keys, db.entity, func., fuzzy", arguments: Engine.allCases)
    func soup(engine: Engine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (terminal, prompt) = try Self.open(engine, in: directory)
        // The first TAB completes the shared `Artist`, the next two list (readline lists on a
        // TAB that follows one which changed nothing).
        try Self.expect(terminal, "Album.Ar\t\t\t", lists: ["Artist relation → Artist", "ArtistId column"], prompt: prompt)
        try Self.expect(terminal, "Artist.\t\t", lists: ["Album relation → [Album]", "filter( method", "Name column"], prompt: prompt)
        try Self.expect(terminal, "Track.filter_by(Na\t", gives: "Track.filter_by(Name=", prompt: prompt)
        try Self.expect(terminal, "Track.filter_by(TrackId=1).update({'Mi\t", gives: "Track.filter_by(TrackId=1).update({'Milliseconds': ", prompt: prompt)
        try Self.expect(terminal, "db.entity('Tra\t", gives: "db.entity('Track", prompt: prompt)
        try Self.expect(terminal, "func.lowe\t", gives: "func.lower(", prompt: prompt)
        try Self.expect(terminal, "trk\t", gives: "Track", prompt: prompt)
        terminal.send("a = Album.first()\r")
        try REPLTypingTests.waitForPrompt(terminal, prompt)
        try Self.expect(terminal, "a.Artist.Na\t", gives: "a.Artist.Name", prompt: prompt)
    }

    @Test("table names are listed once and kept until \\refresh or DDL typed at the REPL", arguments: Engine.allCases)
    func listingKept(engine: Engine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (terminal, prompt) = try Self.open(engine, in: directory)
        try Self.expect(terminal, "Alb\t", gives: "Album", prompt: prompt)
        // Made by another session: not seen until \refresh.
        let create = "CREATE TABLE \"Newcomer\" (id integer PRIMARY KEY);"
        switch engine {
        case .sqlite:
            let result = try ProcessRunner.run(executable: "/usr/bin/sqlite3", arguments: [directory.file(named: "t.db"), create])
            #expect(result.status == 0, "\(result.stderr)")
        case .postgres:
            let url = terminal.transcript.firstMatch(of: /on (postgresql:\/\/[^ ]+)\./).map { String($0.1) } ?? ""
            _ = try PostgresServer.shared().run(sql: create, url: url)
        }
        try Self.expect(terminal, "Newc\t", gives: "Newc", prompt: prompt)
        terminal.send("\\refresh\r")
        try terminal.expect("forgotten")
        try REPLTypingTests.waitForPrompt(terminal, prompt)
        try Self.expect(terminal, "Newc\t", gives: "Newcomer", prompt: prompt)
        // DDL typed here is seen at once.
        terminal.send("CREATE TABLE \"Latecomer\" (id integer PRIMARY KEY);\r")
        try REPLTypingTests.waitForPrompt(terminal, prompt.replacingOccurrences(of: "> ", with: "*> "))
        try Self.expect(terminal, "Latec\t", gives: "Latecomer", prompt: prompt.replacingOccurrences(of: "> ", with: "*> "))
    }

    @Test("Tr never becomes T: it stays, and a second TAB lists Track, True and TRUNCATE", arguments: Engine.allCases)
    func neverShorter(engine: Engine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (terminal, prompt) = try Self.open(engine, in: directory)
        terminal.send("Tr\t")
        try terminal.waitForScreen("the bell of an ambiguous TAB") { _ in terminal.transcript.contains("\u{07}") }
        #expect(REPLTypingTests.inputText(terminal.screen, prompt) == prompt + "Tr")
        try Self.expect(terminal, "\t", lists: ["Track table", "True keyword", "TRUNCATE keyword"], prompt: prompt)
        try Self.expect(terminal, "tra\t", gives: "Track", prompt: prompt)
    }
}

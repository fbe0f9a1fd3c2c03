import Foundation
import SoupTestSupport
import Testing

/// How the REPL lays results out for the terminal in front of it, at two terminal widths:
/// `\x auto` (the default), `\format wrapped`, JSON cells over several lines, NULL apart from the
/// empty string, and a resized terminal.
@Suite("REPL layouts on a terminal")
struct REPLLayoutTests {
    /// `t.db` with `items`: long English and CJK text with emoji, JSON kept in text, numbers,
    /// NULL and the empty string.
    static func fixture() throws -> (TemporaryDirectory, String) {
        try REPLTests.fixture(extra: """

            CREATE TABLE items (id integer PRIMARY KEY, name text, note text, doc text, price real);
            INSERT INTO items VALUES (1, 'Soup spoon',
                'A deep spoon for thick soups, with a long handle so it reaches the bottom of the pot.',
                '{"tags": ["kitchen", "metal"], "size": {"length": 21.5, "unit": "cm"}}', 4.5);
            INSERT INTO items VALUES (2, '中文汤勺', '汤勺是用来喝汤的餐具，常见于中国家庭的餐桌上，也有很多人收藏。🍲🥣 好吃',
                '[1, 2, 3]', 12);
            INSERT INTO items VALUES (3, '', NULL, NULL, NULL);
            """)
    }

    /// The REPL on `path`, without a pager unless `environment` names one.
    static func open(_ path: String, columns: Int, rows: Int = 24, environment: [String: String] = [:]) throws -> PseudoTerminal {
        let pager = environment["SOUP_PAGER"] == nil ? ["--no-pager"] : []
        let terminal = try PseudoTerminal.soup([path] + pager, environment: environment, rows: rows, columns: columns)
        try terminal.expect("soup:t> ", within: 15)
        return terminal
    }

    /// Runs `input` and returns what it printed, up to the next prompt. (It waits for the input's
    /// echo first, as accepted, colours aside: after a resize, readline draws the prompt again,
    /// and on a colour terminal the line is redrawn as it is typed.)
    static func run(_ input: String, on terminal: PseudoTerminal) throws -> String {
        terminal.send(input + "\r")
        try terminal.expectText(input + "\r\n")
        return try terminal.expect("soup:t> ")
    }

    @Test("\\x auto is the default: expanded at 80 columns, a table at 200", arguments: [80, 200])
    func automaticExpanded(columns: Int) throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns)
        let shown = try Self.run("SELECT * FROM items;", on: terminal)
        #expect(shown.contains("-[ RECORD 1 ]") == (columns == 80), "\(shown)")
        #expect(shown.contains(" id |    name    |") == (columns == 200), "\(shown)")
        #expect(TerminalWidth.widest(shown) <= columns, "\(shown)")
        // Narrow rows are a table at any width; \x off and \x on as before.
        #expect(try Self.run("SELECT id, name FROM items;", on: terminal).contains(" id |    name    "))
        _ = try Self.run("\\x off", on: terminal)
        #expect(try Self.run("SELECT * FROM items;", on: terminal).contains(" id |    name    |"))
        _ = try Self.run("\\x on", on: terminal)
        #expect(try Self.run("SELECT id, name FROM items;", on: terminal).contains("-[ RECORD 1 ]"))
        let auto = try Self.run("\\x auto", on: terminal)
        #expect(auto.contains("expanded display is auto"))
        #expect(try Self.run("SELECT id, name FROM items;", on: terminal).contains(" id |    name    "))
    }

    @Test("\\format wrapped is never wider than the terminal, CJK and emoji included", arguments: [80, 200])
    func wrapped(columns: Int) throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns, environment: ["TERM": "xterm"])
        _ = try Self.run("\\format wrapped", on: terminal)
        let sql = "SELECT *, note || ' ' || note || ' ' || name AS twice FROM items;"
        let shown = try Self.run(sql, on: terminal)
        #expect(shown.contains("id") && shown.contains("twice") && shown.contains("(3 rows)"), "\(shown)")
        #expect(!shown.contains("-[ RECORD"))
        #expect(TerminalWidth.widest(shown) <= columns, "\(shown)")
        #expect(shown.contains("🍲"))
        // Long cells wrap (ending in `.`) at 80 columns; at 200 the note fits on its line.
        #expect(shown.contains("the bottom of the pot.") == (columns == 200), "\(shown)")
    }

    @Test("JSON cells are laid out over several lines in expanded and wrapped layouts")
    func prettyJSON() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: 80)
        _ = try Self.run("\\x on", on: terminal)
        let expanded = try Self.run("SELECT id, doc FROM items WHERE id <= 2;", on: terminal)
        #expect(expanded.contains("doc | {"), "\(expanded)")
        #expect(expanded.contains("|   \"tags\": [\"kitchen\", \"metal\"],"), "\(expanded)")
        #expect(expanded.contains("|     \"length\": 21.5,"), "\(expanded)")
        #expect(expanded.contains("doc | [1, 2, 3]"), "\(expanded)")
        _ = try Self.run("\\format wrapped", on: terminal)
        let wrapped = try Self.run("SELECT id, doc FROM items WHERE id = 1;", on: terminal)
        #expect(wrapped.contains("|   \"size\": {"), "\(wrapped)")
        // The aligned table keeps a document on one line.
        _ = try Self.run("\\format table", on: terminal)
        let table = try Self.run("SELECT id, doc FROM items WHERE id = 1;", on: terminal)
        #expect(table.contains(#"{"tags": ["kitchen", "metal"], "size": {"length": 21.5, "unit": "cm"}}"#), "\(table)")
    }

    @Test("soup query: --expanded auto and -f wrapped fit a terminal; redirected, they print the table")
    func queryCommand() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let sql = "SELECT * FROM items"
        let auto = try PseudoTerminal.soup(["query", path, sql, "--expanded", "auto"], columns: 80)
        _ = try auto.waitForExit()
        #expect(auto.transcript.contains("-[ RECORD 3 ]"), "\(auto.transcript)")
        let wrapped = try PseudoTerminal.soup(["query", path, sql, "-f", "wrapped"], columns: 80)
        #expect(try wrapped.waitForExit() == 0)
        #expect(wrapped.transcript.contains("(3 rows)") && TerminalWidth.widest(wrapped.transcript) <= 80, "\(wrapped.transcript)")
        let table = try SoupBinary.run(["query", path, sql])
        for options in [["-f", "wrapped"], ["--expanded", "auto"], ["-f", "wrapped", "--expanded", "auto"]] {
            let redirected = try SoupBinary.run(["query", path, sql] + options)
            #expect(redirected.status == 0 && redirected.stdout == table.stdout, "\(options)")
        }
        #expect(try SoupBinary.run(["query", path, sql, "--expanded", "on"]).stdout.hasPrefix("-[ RECORD 1 ]"))
    }

    @Test("PostgreSQL json and jsonb cells are laid out over several lines; other values stay as they are")
    func prettyJSONOnPostgreSQL() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        _ = try server.run(
            sql: """
                CREATE TABLE docs (id int PRIMARY KEY, body jsonb, raw json, note text);
                INSERT INTO docs VALUES (1, '{"b": {"c": [1, 2, 3]}, "a": "x"}', '[{"k": null}, 2]', '{not json');
                """, url: url)
        let terminal = try PseudoTerminal.soup([url, "--no-pager"], columns: 80)
        try terminal.expect("> ", within: 15)
        terminal.send("\\x on\r")
        try terminal.expect("expanded display is on")
        try terminal.expect("> ")
        terminal.send("SELECT * FROM docs;\r")
        try terminal.expect("docs;")
        let shown = try terminal.expect("> ")
        for line in ["body | {", #"     |   "a": "x","#, #"     |   "b": {"#, #"     |     "c": [1, 2, 3]"#,
                     "raw  | [", #"     |     "k": null"#, "note | {not json"] {
            #expect(shown.contains(line), "\(line) in \(shown)")
        }
        #expect(TerminalWidth.widest(shown) <= 80)
    }

    @Test("NULL is a dim ∅ on a colour terminal, apart from the empty string; \\null sets it")
    func nullAndEmpty() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: 80, environment: ["TERM": "xterm", "NO_COLOR": ""])
        let sql = "SELECT name, note FROM items WHERE id = 3;"
        for layout in ["\\format table", "\\format wrapped", "\\x on"] {
            _ = try Self.run(layout, on: terminal)
            let shown = try Self.run(sql, on: terminal)
            #expect(shown.contains("\u{1B}[2m∅\u{1B}[0m"), "\(layout): \(shown)")
            #expect(shown.components(separatedBy: "∅").count == 2, "\(layout): the empty name shows nothing: \(shown)")
        }
        _ = try Self.run("\\null (none)", on: terminal)
        #expect(try Self.run(sql, on: terminal).contains("\u{1B}[2m(none)\u{1B}[0m"))

        // Without colour NULL and the empty string both show nothing, as psql prints them.
        let plain = try Self.open(path, columns: 80)
        #expect(!(try Self.run(sql, on: plain)).contains("∅"))
    }

    @Test("a resized terminal is picked up: \\x auto, wrapped, the pager and the line editor follow it")
    func resize() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let record = directory.file(named: "paged")
        let terminal = try Self.open(path, columns: 200, rows: 10, environment: ["SOUP_PAGER": "cat > \(record)"])
        #expect(try Self.run("SELECT * FROM items;", on: terminal).contains(" id |    name    |"))
        terminal.resize(rows: 50, columns: 60)
        let narrow = try Self.run("SELECT * FROM items;", on: terminal)
        #expect(narrow.contains("-[ RECORD 1 ]"), "\(narrow)")
        #expect(TerminalWidth.widest(narrow) <= 60, "\(narrow)")
        // 50 rows: the records (about 20 lines) are no longer taller than the screen.
        #expect(!FileManager.default.fileExists(atPath: record))
        _ = try Self.run("\\format wrapped", on: terminal)
        _ = try Self.run("\\x off", on: terminal)
        let wrapped = try Self.run("SELECT * FROM items;", on: terminal)
        #expect(TerminalWidth.widest(wrapped) <= 60, "\(wrapped)")
        terminal.resize(rows: 10, columns: 60)
        _ = try Self.run("SELECT * FROM items;", on: terminal)
        #expect(try String(contentsOfFile: record, encoding: .utf8).contains("(3 rows)"))
        // The line editor knows the width too: on a dumb terminal GNU readline scrolls a line
        // longer than it sideways, showing `<` where the start went (libedit shows no `<`).
        #if GNUReadline
            terminal.resize(rows: 10, columns: 40)
            _ = terminal.drain(for: 0.2)
            terminal.send("SELECT '" + String(repeating: "a", count: 60))
            try terminal.expect("<aaaa")
        #endif
    }
}

import Foundation
import SoupTestSupport
import Testing

/// Whether this build draws the line being typed itself (GNU readline, not libedit).
#if GNUReadline
    let soupDrawsLine = true
#else
    let soupDrawsLine = false
#endif

/// Typing at the REPL on a real terminal (TERM=xterm, UTF-8), replayed on an emulated screen:
/// colours of the line as it is typed, the cursor after edits in a coloured multi-line input
/// with wide characters, and suggestions from history. At two terminal widths.
@Suite(
    "the line as it is typed: colours, cursor, suggestions",
    .enabled(if: soupDrawsLine, "libedit (the LibEdit trait) has no redisplay hook: soup draws no colours or suggestions with it"))
struct REPLTypingTests {
    static let widths = [100, 38]

    /// The REPL on `path` in a colour terminal of `columns`, at its first prompt.
    static func open(
        _ path: String, columns: Int, environment: [String: String] = [:], arguments: [String] = [],
        stdoutPath: String? = nil, waitsForPrompt: Bool = true
    ) throws -> PseudoTerminal {
        var variables = ["TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": ""]
        variables.merge(environment) { $1 }
        let terminal = try PseudoTerminal.soup(
            arguments + [path], environment: variables, rows: 30, columns: columns, stdoutPath: stdoutPath)
        if stdoutPath == nil, waitsForPrompt { try waitForPrompt(terminal) }
        return terminal
    }

    /// Waits for an empty prompt with the cursor after it.
    static func waitForPrompt(_ terminal: PseudoTerminal, _ prompt: String = "soup:t> ") throws {
        try terminal.waitForScreen(within: 15, "an empty prompt") { screen in
            screen.line(screen.cursor.row) == prompt.trimmingCharacters(in: .whitespaces)
                && screen.cursor.column == prompt.count
        }
    }

    /// The rows of the input being typed: from the last row that starts with the prompt to
    /// the last row with text.
    static func inputRows(_ screen: TerminalScreen, _ prompt: String = "soup:t> ") -> ClosedRange<Int> {
        let start = (0..<screen.rows).last { screen.line($0).hasPrefix(prompt) } ?? 0
        let end = (start..<screen.rows).last { !screen.line($0).isEmpty } ?? start
        return start...max(end, screen.cursor.row)
    }

    /// The input's rows read as one text: a row that wraps goes on with the next; before a row
    /// that starts with `...> ` (the next line of a multi-line input) the blank rest is dropped.
    static func inputText(_ screen: TerminalScreen, _ prompt: String = "soup:t> ") -> String {
        let rows = inputRows(screen, prompt)
        var text = ""
        for row in rows {
            let next = row + 1 <= rows.upperBound ? screen.line(row + 1) : nil
            var cells = screen.text(rows: row...row)
            // A wide character that did not fit left the last column empty.
            if let next, let first = next.unicodeScalars.first, TerminalScreen.width(of: first) == 2, cells.hasSuffix(" ") {
                cells.removeLast()
            }
            text += next == nil || next!.hasPrefix("...> ") ? screen.line(row) : cells
        }
        return text
    }

    /// Types `keys` and waits until the input reads `text` (prompt included).
    @discardableResult
    static func type(_ terminal: PseudoTerminal, _ keys: String, until text: String, prompt: String = "soup:t> ") throws -> TerminalScreen {
        terminal.send(keys)
        return try terminal.waitForScreen("the input \(text.debugDescription)") { screen in
            inputText(screen, prompt) == text
        }
    }

    /// Whether `text` holds an SGR sequence (a colour or attribute).
    static func containsSGR(_ text: String) -> Bool {
        text.firstMatch(of: /\x1B\[[0-9;]*m/) != nil
    }

    /// Ctrl-C, then an empty prompt.
    static func clear(_ terminal: PseudoTerminal, prompt: String = "soup:t> ") throws {
        terminal.send("\u{03}")
        try waitForPrompt(terminal, prompt)
    }

    static func fixture() throws -> (TemporaryDirectory, String) {
        try REPLTests.fixture()
    }

    /// The lines typed below, each with a piece of it and the style it must show in.
    static let styled: [(line: String, pieces: [(String, String)])] = [
        (
            "n = users.filter_by(name='Ann').first() and 42 + len(nosuch) # note",
            [
                ("n ", "32"), ("users", "1;32"), ("filter_by", "96"), ("name", "3;34"), ("'Ann'", "33"), ("and", "1;35"),
                ("42", "95"), ("+", "1"), ("len", "36"), ("nosuch", "31"), ("# note", "3;90"),
            ]
        ),
        ("users.email, users.loans, users.zz", [("email", "34"), ("loans", "4;34"), ("zz", "94")]),
        (
            "SELECT count(*) FROM users WHERE name = $1; -- c",
            [("SELECT", "1;35"), ("count", "3;36"), ("users", "1;32"), ("name", "37"), ("$1", "35"), ("-- c", "3;90")]
        ),
        ("users.filter(users.name == 'An", [("(", "1;4"), ("'An", "4;33")]),
        ("x = ) + 1", [(")", "1;31")]),
        ("\\d users", [("\\d", "1;36")]),
    ]

    @Test("every kind of token has its colour as it is typed", arguments: widths)
    func colours(columns: Int) throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns)
        // Completions list the tables and read users' relations; colours use what is cached.
        try Self.type(terminal, "users.lo\t", until: "soup:t> users.loans")
        try Self.clear(terminal)
        try Self.type(terminal, "loan\t", until: "soup:t> loans")
        try Self.clear(terminal)
        for (line, pieces) in Self.styled {
            let screen = try Self.type(terminal, line, until: "soup:t> " + line)
            let rows = Self.inputRows(screen)
            for (piece, style) in pieces {
                #expect(screen.style(of: piece, rows: rows) == style, "\(piece.debugDescription) in \(line.debugDescription)")
            }
            try Self.clear(terminal)
        }
    }

    @Test("no colour with NO_COLOR, --no-color, \\color off, TERM=dumb, or standard output not a terminal")
    func noColour() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let line = Self.styled[0].line
        func plain(_ screen: TerminalScreen) -> Bool {
            Self.inputRows(screen).allSatisfy { row in screen.runs(row).allSatisfy { $0.style.isEmpty } }
        }
        for (environment, arguments) in [(["NO_COLOR": "1"], []), ([:], ["--no-color"])] {
            let terminal = try Self.open(path, columns: 100, environment: environment, arguments: arguments)
            try Self.type(terminal, "us\t", until: "soup:t> users")
            try Self.clear(terminal)
            let screen = try Self.type(terminal, line, until: "soup:t> " + line)
            #expect(plain(screen), "\(environment) \(arguments)")
            #expect(!Self.containsSGR(terminal.transcript), "\(environment) \(arguments)")
        }
        let switched = try Self.open(path, columns: 100)
        switched.send("\\color off\r")
        try switched.expect("colour is off")
        try Self.waitForPrompt(switched)
        let screen = try Self.type(switched, line, until: "soup:t> " + line)
        #expect(plain(screen))
        let dumb = try Self.open(path, columns: 100, environment: ["TERM": "dumb"])
        dumb.send(line)
        try dumb.expect("# note")
        #expect(!Self.containsSGR(dumb.transcript))
        let output = directory.file(named: "stdout")
        let redirected = try Self.open(path, columns: 100, stdoutPath: output)
        try redirected.expect("Type help()", within: 15)
        redirected.send(line)
        var written = ""
        let deadline = ContinuousClock.now + .seconds(10)
        while !written.contains("# note"), ContinuousClock.now < deadline {
            _ = redirected.drain(for: 0.05)
            written = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }
        #expect(written.contains("# note") && !Self.containsSGR(written), "\(written.debugDescription)")
    }

    @Test("editing in the middle of a coloured multi-line input with wide characters keeps the cursor right", arguments: [100, 20])
    func cursorInMultiLineInput(columns: Int) throws {
        let (directory, path) = try Self.fixture(extra: "\nINSERT INTO users VALUES (3, '名前', NULL);")
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns)
        terminal.send("users.filter(\r")
        try terminal.expect("...> ")
        terminal.send("users.name == '名前'\r")
        try terminal.expect("...> ")
        terminal.send(").count()\r")
        try terminal.expect("1\r\n")
        try Self.waitForPrompt(terminal)
        // Back to it from history: one buffer of three lines, drawn with ...> before the others.
        let recalled = "soup:t> users.filter(...> users.name == '名前'...> ).count()"
        var screen = try Self.type(terminal, "\u{10}", until: recalled)
        // To the start, then 30 characters on: just after 名. Type X there.
        terminal.send("\u{01}" + String(repeating: "\u{06}", count: 30) + "X")
        screen = try terminal.waitForScreen("X after 名") { screen in
            screen.text(rows: Self.inputRows(screen)).contains("'名X前'")
        }
        let rows = Self.inputRows(screen)
        let lines = rows.map { screen.line($0) }
        // The rows hold the three lines of the input, nothing else; at 20 columns the first
        // wraps after 20 columns and the second after `'` (名 would not fit).
        let expected: (row: Int, column: Int)
        if columns >= 40 {
            #expect(lines == ["soup:t> users.filter(", "...> users.name == '名X前'", "...> ).count()"])
            expected = (rows.lowerBound + 1, 23)
        } else {
            #expect(lines == ["soup:t> users.filter", "(", "...> users.name == '", "名X前'", "...> ).count()"])
            expected = (rows.lowerBound + 3, 3)
        }
        #expect((screen.cursor.row, screen.cursor.column) == expected)
        #expect(screen.style(of: "'名X前'", rows: rows) == "33")
        // A wide character typed at the cursor moves it two columns.
        terminal.send("字")
        screen = try terminal.waitForScreen("字 after X") { screen in
            screen.text(rows: Self.inputRows(screen)).contains("'名X字前'")
        }
        #expect((screen.cursor.row, screen.cursor.column) == (expected.row, expected.column + 2))
        terminal.send("\r")
        try terminal.expect("0\r\n")
    }

    @Test("a line longer than the terminal wraps, and the cursor follows edits across the wrap", arguments: widths)
    func wrapping(columns: Int) throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns)
        let long = "users.filter(users.name == '" + String(repeating: "漢字", count: 30) + "').count()"
        var screen = try Self.type(terminal, long, until: "soup:t> " + long)
        let rows = Self.inputRows(screen)
        #expect(rows.count == ("soup:t> ".count + long.count + 60 + columns - 1) / columns)
        // Ctrl-A, then 10 characters on: after "users.filt"; typing there redraws the rows.
        terminal.send("\u{01}" + String(repeating: "\u{06}", count: 10) + "Z")
        screen = try terminal.waitForScreen("Z in the line") { screen in
            screen.text(rows: Self.inputRows(screen)).contains("users.filtZer(")
        }
        #expect((screen.cursor.row, screen.cursor.column) == (rows.lowerBound, 8 + 11))
        let edited = "users.filtZer(users.name == '" + String(repeating: "漢字", count: 30) + "').count()"
        #expect(Self.inputText(screen) == "soup:t> " + edited)
        #expect(Self.inputRows(screen).count == rows.count)
        try Self.clear(terminal)
    }

    @Test("a suggestion from history shows dim after the cursor; → takes it, Alt-→ a word; none after a mismatch", arguments: widths)
    func suggestions(columns: Int) throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: columns)
        terminal.send("users.count()\r")
        try terminal.expect("2\r\n")
        try Self.waitForPrompt(terminal)
        var screen = try Self.type(terminal, "us", until: "soup:t> users.count()")
        let rows = Self.inputRows(screen)
        #expect(screen.style(of: "ers.count()", rows: rows) == "90")
        #expect((screen.cursor.row, screen.cursor.column) == (rows.lowerBound, 10))
        terminal.send("\u{1B}[C")
        screen = try terminal.waitForScreen("the suggestion taken") { screen in
            screen.cursor.column == 21 && screen.style(of: "count", rows: Self.inputRows(screen)) == "96"
        }
        terminal.send("\r")
        try terminal.expect("2\r\n")
        try Self.waitForPrompt(terminal)
        // A mismatch shows none.
        screen = try Self.type(terminal, "ux", until: "soup:t> ux")
        try Self.clear(terminal)
        // Alt-→ takes one word.
        try Self.type(terminal, "us", until: "soup:t> users.count()")
        terminal.send("\u{1B}[1;3C")
        screen = try terminal.waitForScreen("one word taken") { screen in
            screen.cursor.column == 13 && screen.style(of: "users", rows: Self.inputRows(screen)) != "90"
        }
        #expect(screen.style(of: ".count()", rows: Self.inputRows(screen)) == "90")
        try Self.clear(terminal)
        // \suggest off: none.
        terminal.send("\\suggest off\r")
        try terminal.expect("suggestions are off")
        try Self.waitForPrompt(terminal)
        try Self.type(terminal, "us", until: "soup:t> us")
        try Self.clear(terminal)
    }

    @Test("a multi-line input is suggested whole; suggest = false in the config turns suggestions off")
    func multiLineSuggestionAndConfig() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: 100)
        terminal.send("users.filter(\r")
        try terminal.expect("...> ")
        terminal.send("users.id == 2).count()\r")
        try terminal.expect("1\r\n")
        try Self.waitForPrompt(terminal)
        let screen = try Self.type(terminal, "users.f", until: "soup:t> users.filter(...> users.id == 2).count()")
        #expect(screen.style(of: "...> users.id", rows: Self.inputRows(screen)) == "90")
        terminal.send("\u{1B}[F\r")
        try terminal.expect("1\r\n")

        let config = directory.file(named: "soup.toml")
        try "suggest = false\n".write(toFile: config, atomically: true, encoding: .utf8)
        let quiet = try Self.open(path, columns: 100, arguments: ["--config", config])
        quiet.send("users.count()\r")
        try quiet.expect("2\r\n")
        try Self.waitForPrompt(quiet)
        try Self.type(quiet, "us", until: "soup:t> us")
    }
}

extension REPLTypingTests {
    @Test("Ctrl-R, Ctrl-L and vi mode (set editing-mode vi in the inputrc) work as without colours")
    func editingKeys() throws {
        let (directory, path) = try Self.fixture()
        defer { directory.remove() }
        let terminal = try Self.open(path, columns: 60)
        terminal.send("users.count()\r")
        try terminal.expect("2\r\n")
        try Self.waitForPrompt(terminal)
        terminal.send("\u{12}cou")
        let search = "(reverse-i-search)`cou': "
        var screen = try terminal.waitForScreen("the history search") { screen in
            screen.line(screen.cursor.row) == search + "users.count()"
        }
        #expect(screen.cursor.column == search.count + "users.".count)
        #expect(screen.style(of: "count", rows: screen.cursor.row...screen.cursor.row) == "96")
        terminal.send("\r")
        try terminal.expect("2\r\n")
        try Self.waitForPrompt(terminal)
        try Self.type(terminal, "users.na", until: "soup:t> users.na")
        terminal.send("\u{0C}")
        screen = try terminal.waitForScreen("the line alone at the top") { screen in
            screen.line(0) == "soup:t> users.na" && screen.cursor == (0, 16)
        }
        try Self.clear(terminal)

        let inputrc = directory.file(named: "inputrc")
        try "set editing-mode vi\n".write(toFile: inputrc, atomically: true, encoding: .utf8)
        let vi = try Self.open(path, columns: 60, environment: ["INPUTRC": inputrc])
        try Self.type(vi, "users.counx()", until: "soup:t> users.counx()")
        // Escape to command mode, back to the x, replace it with t.
        vi.send("\u{1B}")
        try vi.waitForScreen("the cursor on the last character") { $0.cursor.column == 8 + 12 }
        vi.send("Fx")
        try vi.waitForScreen("the cursor on x") { $0.cursor.column == 8 + 10 }
        vi.send("rt")
        screen = try Self.type(vi, "", until: "soup:t> users.count()")
        #expect(screen.style(of: "count", rows: Self.inputRows(screen)) == "96")
        vi.send("\r")
        try vi.expect("2\r\n")
    }

    static func fixture(extra: String) throws -> (TemporaryDirectory, String) {
        try REPLTests.fixture(extra: extra)
    }
}

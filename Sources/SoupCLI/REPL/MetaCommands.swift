import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput
import SoupPlatform
import SoupReflection

/// The REPL's meta commands: psql names with their sqlite3 aliases.
enum MetaCommandTable {
    /// One command: its psql name, sqlite3 aliases, argument and summary.
    struct Entry {
        var name: String
        var aliases: [String] = []
        var argument = ""
        var summary: String
    }

    static let entries: [Entry] = [
        Entry(name: "?", aliases: ["help"], summary: "this list (\\help, .help)"),
        Entry(name: "q", aliases: ["quit", "exit"], summary: "quit, asking first when work is uncommitted"),
        Entry(name: "d", aliases: ["schema"], argument: "[NAME]", summary: "describe a table, or list tables and views"),
        Entry(name: "dt", aliases: ["tables"], summary: "list tables"),
        Entry(name: "dv", summary: "list views"),
        Entry(name: "di", aliases: ["indexes", "indices"], argument: "[TABLE]", summary: "list indexes"),
        Entry(name: "dn", summary: "list schemas (attached databases on SQLite)"),
        Entry(name: "x", argument: "[on|off|auto]", summary: "expanded output; auto: when the table is wider than the terminal (alone: toggles)"),
        Entry(name: "format", aliases: ["mode"], argument: "FORMAT", summary: "output format: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")),
        Entry(name: "null", aliases: ["nullvalue"], argument: "TEXT", summary: "text shown for NULL"),
        Entry(name: "timing", aliases: ["timer"], argument: "[on|off]", summary: "print how long each statement took"),
        Entry(name: "echo", argument: "on|off", summary: "print every SQL statement sent"),
        Entry(name: "o", aliases: ["output"], argument: "[FILE]", summary: "send results to FILE; alone, back to the terminal"),
        Entry(name: "i", aliases: ["read"], argument: "FILE", summary: "run the statements in FILE"),
        Entry(name: "g", argument: "[FILE|'|'CMD]", summary: "the last result (or: STATEMENT \\g ...) to FILE, a pipe or the screen"),
        Entry(name: "gx", argument: "[FILE|'|'CMD]", summary: "the same, once in expanded form"),
        Entry(name: "clip", summary: "the last result to the terminal's clipboard (OSC 52)"),
        Entry(name: "import", aliases: ["import"], argument: "FILE TABLE [opts]", summary: "soup import, pending until commit()"),
        Entry(name: "copy", argument: "T FROM|TO 'F' ...", summary: "psql's \\copy: CSV [HEADER] [DELIMITER 'x'] [NULL 'x']"),
        Entry(name: "e", summary: "edit the last input in $EDITOR, then run it"),
        Entry(name: "explain", argument: "[analyze] STMT", summary: "the plan of a query or SQL as a tree (analyze runs it; a write is rolled back)"),
        Entry(name: "watch", argument: "[SECONDS] [COUNT]", summary: "run the last input again every SECONDS (2), COUNT times or until Ctrl-C; reads only"),
        Entry(name: "limit", argument: "[N]", summary: "show at most N rows of a result (0: all; default 1,000); alone: the limit now"),
        Entry(name: "pending", summary: "what commit() would make permanent: each write since the last commit, old → new values"),
        Entry(name: "status", summary: "bindings, roles, transaction state, last route, replica lag"),
        Entry(name: "use", argument: "BINDING", summary: "send statements through BINDING (auto: route again)"),
        Entry(name: "refresh", argument: "[TABLE]", summary: "forget a reflected table (all, alone), so it is read again"),
        Entry(name: "reconnect", summary: "drop and reopen every connection (uncommitted work is lost)"),
        Entry(name: "autocommit", argument: "on|off", summary: "commit after each successful input"),
        Entry(name: "pager", argument: "on|off", summary: "page output taller than the screen"),
        Entry(name: "color", argument: "on|off", summary: "colour the line being typed and the results"),
        Entry(name: "suggest", argument: "on|off", summary: "suggest the rest of a past input as you type (→ takes it)"),
    ]

    /// `\?`, `\d`, ... for completion.
    static var backslashNames: [String] { entries.map { "\\" + $0.name } + ["\\help"] }

    /// The sqlite3 spellings without their dot, for completion after a leading `.`.
    static var dotNames: [String] { entries.flatMap(\.aliases) }

    /// The psql name of `name` (itself, or the command it is an alias of); nil when unknown.
    static func canonicalName(_ name: String) -> String? {
        entries.first { $0.name == name || $0.aliases.contains(name) }?.name
    }

    static var helpText: String {
        entries.map { entry in
            let usage = "\\" + entry.name + (entry.argument.isEmpty ? "" : " " + entry.argument)
            let aliases = entry.aliases.isEmpty ? "" : " (" + entry.aliases.map { "." + $0 }.joined(separator: ", ") + ")"
            return usage + String(repeating: " ", count: max(1, 20 - usage.count)) + entry.summary + aliases
        }.joined(separator: "\n") + "\n\n" + keysText
    }

    /// The keys and settings of typing, after the commands in `\?`.
    static let keysText = """
        Keys: TAB completes by where the cursor is (TAB again lists, each marked); at the end of the line
        → End Ctrl-F take the grey suggestion from history, Alt-→ one word of it; Ctrl-R searches history;
        Ctrl-C clears the line; Ctrl-D quits. Colours are off with \\color off, NO_COLOR or --no-color
        (\\watch still marks changed cells in reverse video);
        suggestions with \\suggest off or suggest = false in the config file.

        """
}

/// Whether the REPL goes on after a meta command.
enum MetaOutcome {
    case proceed
    case quit
}

extension REPL {
    /// Runs one meta command; errors are reported and the session goes on.
    mutating func runMeta(_ command: MetaCommand, statement: String? = nil, reader: some LineReader) -> MetaOutcome {
        guard let name = MetaCommandTable.canonicalName(command.name) else {
            StandardError.line("soup: error: unknown meta command \\\(command.name); \\? lists them")
            return .proceed
        }
        let argument = command.argument
        do {
            switch name {
            case "?": show(MetaCommandTable.helpText)
            case "q": return confirmQuit(reader) ? .quit : .proceed
            case "d", "dt", "dv", "di", "dn": try describe(name, argument)
            case "x":
                let mode = try expandedMode(argument)
                setExpanded(mode)
                note("expanded display is \(mode.rawValue)")
            case "format":
                guard let format = Self.format(named: argument) else {
                    throw failure("unknown format '\(argument)'; one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
                setFormat(format)
            case "null":
                var options = printer.printer.options
                options.nullText = argument
                printer.printer = ResultPrinter(options: options)
            case "timing":
                printer.timing = try switchValue(argument, current: printer.timing)
                note("timing is \(printer.timing ? "on" : "off")")
            case "echo":
                connection.echoes = try switchValue(argument, current: connection.echoes, toggles: false)
            case "o": try output.redirect(to: argument.isEmpty ? nil : argument)
            case "i": try runFile(argument)
            case "g": try go(statement: statement, target: argument)
            case "gx": try go(statement: statement, target: argument, format: .expanded)
            case "clip": try clip()
            case "import": try importFile(argument)
            case "copy": try copyCommand(argument)
            case "e": try edit(reader)
            case "pending":
                let lines = try soup.uncommittedBulkWrites + soup.pendingReport()
                show(lines.isEmpty ? "nothing pending\n" : lines.joined(separator: "\n") + "\n")
            case "explain":
                let words = argument.split(separator: " ", maxSplits: 1)
                let analyze = words.first?.lowercased() == "analyze" && words.count == 2
                let statement = analyze ? String(words[1]) : argument
                guard !statement.isEmpty else { throw failure("\\explain needs a statement: \\explain users.filter(users.id == 1)") }
                _ = run(statement, source: "input", explaining: analyze)
            case "watch": try watchLastInput(argument)
            case "limit":
                if !argument.isEmpty {
                    guard let rows = Int(argument), rows >= 0 else { throw failure("\\limit takes a number of rows (0: all), not '\(argument)'") }
                    rowLimit = rows
                }
                note(rowLimit == 0 ? "results show every row" : "results show at most \(rowLimit) rows")
            case "status": show(bindings.statusReport() + "\n")
            case "use": note(try bindings.use(argument))
            case "refresh":
                assistant.forgetCatalog()
                if argument.isEmpty {
                    soup.refreshSchema()
                    note("reflected tables forgotten; they are read again on next use")
                } else {
                    soup.refreshSchema(table: argument)
                    note("\(argument) forgotten; it is read again on next use")
                }
            case "reconnect":
                let lost = try bindings.reconnect()
                assistant.forgetCatalog()
                note("reconnected to \(connection.displayName)" + (lost.map { "; lost: \($0)" } ?? ""))
            case "autocommit":
                autocommit = try switchValue(argument, current: autocommit, toggles: false)
                note("autocommit is \(autocommit ? "on" : "off")")
            case "pager":
                output.pagerEnabled = try switchValue(argument, current: output.pagerEnabled, toggles: false)
            case "color":
                let on = try switchValue(argument, current: reader.settings.colors, toggles: false)
                reader.settings.colors = on
                var options = printer.printer.options
                options.useColor = on
                printer.printer = ResultPrinter(options: options)
                note("colour is \(on ? "on" : "off")" + (on && !reader.drawsLine ? Self.cannotDraw : ""))
            case "suggest":
                let on = try switchValue(argument, current: reader.settings.suggestions, toggles: false)
                reader.settings.suggestions = on
                note("suggestions are \(on ? "on" : "off")" + (on && !reader.drawsLine ? Self.cannotDraw : ""))
            default:
                break
            }
        } catch {
            StandardError.line("soup: error: \(error)")
        }
        return .proceed
    }

    /// Why the line being typed shows no colours or suggestions here.
    private static var cannotDraw: String {
        #if GNUReadline
            "; the line being typed shows neither here (TERM is dumb or unset, or output is not a terminal)"
        #else
            "; the line being typed shows neither with libedit, only results are coloured"
        #endif
    }

    /// `\x on|off|auto`; alone, it turns an expanded display off and any other on.
    private func expandedMode(_ argument: String) throws -> ExpandedMode {
        if argument.lowercased() == "auto" { return .auto }
        let isExpanded = printer.printer.options.format == .expanded
        return try switchValue(argument, current: isExpanded) ? .on : .off
    }

    mutating func setExpanded(_ mode: ExpandedMode) {
        var options = printer.printer.options
        if options.format == .expanded, mode != .on {
            options.format = formatBeforeExpanded ?? .table
        } else if options.format != .expanded, mode == .on {
            formatBeforeExpanded = options.format
        }
        options.apply(mode)
        if mode == .on { options.format = .expanded }
        printer.printer = ResultPrinter(options: options)
    }

    private mutating func setFormat(_ format: OutputFormat) {
        var options = printer.printer.options
        options.format = format
        printer.printer = ResultPrinter(options: options)
    }

    /// `\format` names, with sqlite3's `.mode` names.
    static func format(named name: String) -> OutputFormat? {
        let sqliteModes: [String: OutputFormat] = [
            "box": .table, "column": .table, "line": .expanded, "tabs": .tsv, "insert": .sql, "list": .table,
        ]
        return OutputFormat(rawValue: name.lowercased()) ?? sqliteModes[name.lowercased()]
    }

    /// `on`, `off`, or nothing (which toggles `current` when `toggles`).
    private func switchValue(_ argument: String, current: Bool, toggles: Bool = true) throws -> Bool {
        switch argument.lowercased() {
        case "on", "true", "1": return true
        case "off", "false", "0": return false
        case "" where toggles: return !current
        default: throw failure("expected on or off, not '\(argument)'")
        }
    }

    /// `\d`, `\dt`, `\dv`, `\di`, `\dn`: listings from the catalog; only a named table (or, for
    /// `\di` without one, every table) is reflected.
    private mutating func describe(_ command: String, _ argument: String) throws {
        let catalog = SchemaCatalog(connection: connection)
        let dialect = connection.dialect
        if command == "d", !argument.isEmpty {
            show(SchemaFormat.text.render(try catalog.tables([TableName(parsing: argument)]), dialect: dialect))
            return
        }
        let summaries = try catalog.listTables()
        var rows: [[Value]] = []
        var columns = ["schema", "name", "type"]
        switch command {
        case "dn":
            columns = ["schema"]
            rows = Set(summaries.map { $0.name.schema ?? "" }).sorted().map { [.text($0)] }
        case "di":
            columns = ["schema", "table", "index", "columns", "unique"]
            let tables = argument.isEmpty ? try catalog.allTables() : try catalog.tables([TableName(parsing: argument)])
            for table in tables {
                for index in table.indexes {
                    rows.append([
                        .text(table.name.schema ?? ""), .text(table.name.name), .text(index.name),
                        .text(index.keys.map(\.text).joined(separator: ", ")), .text(index.isUnique ? "yes" : "no"),
                    ])
                }
            }
        default:
            let kinds: Set<TableKind>? =
                switch command {
                case "dt": [.table, .partitionedTable, .foreignTable]
                case "dv": [.view, .materializedView]
                default: nil
                }
            rows = summaries.filter { kinds?.contains($0.kind) ?? true }.map {
                [.text($0.name.schema ?? ""), .text($0.name.name), .text($0.kind.displayName)]
            }
        }
        fitToTerminal()
        let sink = output.makeSink()
        try printer.printer.print(ArrayCursor(columns: columns.map { ColumnDescription(name: $0) }, rows: rows), to: sink)
        output.deliver(sink)
    }

    /// `\watch [SECONDS] [COUNT]`: runs the last input again and again, redrawn in place on a
    /// terminal, changed cells highlighted, without the pager, until COUNT runs or Ctrl-C.
    private mutating func watchLastInput(_ argument: String) throws {
        let watch = try Watch(arguments: argument)
        guard let text = lastInput else { throw failure("\\watch runs the last input again; run a query first") }
        if let refusal = Watch.refusal(for: text) { throw failure(refusal) }
        let watching = WatchDelegate(base: printer)
        let pager = output.pagerEnabled
        output.pagerEnabled = false
        defer { output.pagerEnabled = pager }
        let clearing = output.terminalWidth != nil
        interrupts.reset()
        _ = watch.run(
            { number in
                watching.startRun()
                let sink = output.makeSink()
                sink.write(WatchScreen.header(for: text, watch: watch, run: number, clearing: clearing, width: output.terminalWidth))
                output.deliver(sink)
                return run(text, source: "input", watching: watching)
            },
            pause: { interrupts.pause($0) })
    }

    /// `\i FILE`: runs the file as one input; errors name the file and line.
    private mutating func runFile(_ path: String) throws {
        guard !path.isEmpty else { throw failure("\\i needs a file name") }
        _ = run(try FileReader.text(of: path), source: path)
    }

    /// `\e`: writes the last input to a temporary file, opens `$VISUAL`/`$EDITOR` (else `vi`) on
    /// it, and runs what was saved (and remembers it in the history).
    private mutating func edit(_ reader: some LineReader) throws {
        var template = Array("\(environment["TMPDIR"] ?? "/tmp")/soup-edit-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("cannot create a temporary file: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        Terminal.write((lastInput ?? "") + "\n", to: fd)
        close(fd)
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        guard let status = Terminal.runShell(editor + " \"$1\"", arguments: [path]), status == 0 else {
            throw failure("the editor (\(editor)) failed; nothing was run")
        }
        let text = try FileReader.text(of: path).trimmingWhitespace()
        guard !text.isEmpty else { return }
        Terminal.write(text + "\n", to: 1)
        guard Parser.isComplete(text, sqlTermination: .semicolon) else {
            throw failure("the edited input is incomplete (an open bracket, or SQL without its ';'); nothing was run")
        }
        reader.remember(text)
        _ = run(text, source: "input")
    }

    private func show(_ text: String) {
        let sink = output.makeSink()
        sink.write(text)
        output.deliver(sink)
    }

    private func note(_ text: String) {
        StandardError.line(text)
    }

    func failure(_ message: String) -> CommandFailure {
        CommandFailure(message: message, exitCode: ExitStatus.statementFailed)
    }
}

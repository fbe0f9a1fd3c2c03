import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput
import SoupPlatform

/// The interactive loop: reads complete inputs with line editing, history and
/// completion, runs them in the session's transaction, and shows `*` in the prompt while there
/// is uncommitted work.
///
/// An input is complete when its brackets are closed and its SQL ends with `;`; until then the
/// prompt is `...> `. A meta command (`\d`, `.tables`) is one line.
struct REPL {
    let environment: Environment
    let interrupts: InterruptMonitor
    /// The router of the session, with the echo `\echo` switches.
    let connection: EchoingConnection
    let soup: Soup
    let printer: StatementPrinter
    let output: ResultOutput
    let bindings: REPLBindings
    let name: String
    /// Commit after each successful input (`--tx statement`, `\autocommit on`).
    var autocommit: Bool
    /// `--read-only`: the transactions soup opens are read-only.
    let readOnly: Bool
    /// The last input run, for `\e`.
    var lastInput: String?
    /// The format `\x` switches back to.
    var formatBeforeExpanded: OutputFormat?
    /// `\limit`: results on the terminal show at most this many rows (0: all).
    var rowLimit: Int
    /// Asks a yes/no question at the prompt (an UPDATE or DELETE of every row); set by ``run()``.
    var ask: ((String) -> Bool)?
    /// Completion and colours of the line being typed.
    let assistant: InputAssistant
    /// Colours and suggestions of the line being typed, at the start.
    let typing: TypingSettings

    /// Connects to `database`; a failure exits as other commands do.
    init(settings: Settings, database: String?) throws {
        var quiet = settings
        quiet.echo = false  // the REPL's connection echoes, so `\echo` can switch it
        let session = try CommandSession(settings: quiet, database: database)
        environment = session.environment
        interrupts = session.interrupts
        connection = EchoingConnection(session.router, echoes: settings.echo)
        (soup, printer) = session.makeSoup(on: connection)
        readOnly = settings.readOnly
        output = ResultOutput(pagerEnabled: settings.pager, environment: session.environment)
        autocommit = settings.tx == .statement
        rowLimit = settings.limit ?? Self.defaultRowLimit
        name = Self.promptName(connection.displayName)
        bindings = REPLBindings(router: session.router, soup: soup)
        assistant = InputAssistant(soup: soup)
        typing = TypingSettings(
            colors: environment.allowsColor(flagged: settings.noColor),
            suggestions: Self.configSuggests(settings: settings, environment: environment))
        formatBeforeExpanded = settings.format == .expanded ? nil : settings.format
        setExpanded(settings.format == .expanded ? .on : settings.expanded ?? .auto)
    }

    mutating func run() throws {
        defer { connection.close() }
        let reader = ReadlineReader(
            interrupts: interrupts, history: HistoryFile.standard(environment: environment), assist: makeAssist(),
            settings: typing, drawsLine: environment.canDrawInputLine)
        ask = { question in
            if case .line(let answer) = reader.readLine(prompt: question) { return answer.lowercased().hasPrefix("y") }
            return false
        }
        StandardError.line(
            "soup \(SoupCommand.version) on \(connection.displayName). Type help() for help, \\? for meta commands, \\q to quit.")
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? "soup:\(name)\(hasUncommittedWork ? "*" : "")> " : "...> "
            let line: String
            switch reader.readLine(prompt: prompt, continuing: buffer) {
            case .interrupted:
                buffer = ""
                continue
            case .endOfInput:
                if confirmQuit(reader) { return }
                continue
            case .line(let text):
                line = text
            }
            if buffer.isEmpty, let command = Self.metaCommand(in: line) {
                reader.remember(line.trimmingWhitespace())
                if runMeta(command, reader: reader) == .quit { return }
                continue
            }
            if let go = Parser.trailingGo(in: buffer.isEmpty ? line : buffer + "\n" + line) {
                reader.remember((buffer.isEmpty ? line : buffer + "\n" + line).trimmingWhitespace())
                buffer = ""
                _ = runMeta(go.command, statement: go.statement, reader: reader)
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if buffer.trimmingWhitespace().isEmpty {
                buffer = ""
                continue
            }
            if ["quit", "exit"].contains(buffer.trimmingWhitespace()) {
                if confirmQuit(reader) { return }
                buffer = ""
                continue
            }
            guard Parser.isComplete(buffer, sqlTermination: .semicolon) else { continue }
            reader.remember(buffer)
            _ = run(buffer, source: "input")
            buffer = ""
        }
    }

    /// Whether the prompt shows `*`: changes are pending, or a transaction is open (soup opens
    /// one only for work that may write; an explicit BEGIN counts).
    var hasUncommittedWork: Bool { soup.hasUncommittedWork }

    /// Runs one complete input and shows its output (on `sink` when given: `\g FILE`); with
    /// `explaining`, shows its plan instead (`\explain`, analyzed when true).
    @discardableResult
    mutating func run(
        _ text: String, source: String, into sink: OutputSink? = nil,
        explaining analyze: Bool? = nil, watching: WatchDelegate? = nil
    ) -> RunOutcome {
        if analyze == nil, watching == nil { lastInput = text }
        // A watch resets once before its first run: a Ctrl-C between two runs must stop it.
        if watching == nil { interrupts.reset() }
        let indicator = ElapsedIndicator.start(on: environment.stderrIsTerminal)
        fitToTerminal()
        // A file (`\o`, `\g FILE`) gets the text without escapes, as `\clip` does.
        let terminalOptions = printer.printer.options
        if sink != nil || output.file != nil {
            var plain = terminalOptions
            (plain.useColor, plain.useStyles) = (false, false)
            printer.printer = ResultPrinter(options: plain)
        }
        defer { printer.printer = ResultPrinter(options: terminalOptions) }
        printer.sink = sink ?? output.makeSink { indicator?.stop() }
        soup.confirmUnfilteredWrite = ask.map { ask in
            { [printer, output] write in
                indicator?.stop()
                try? printer.flush()
                output.yieldTerminal()
                return ask(write.question)
            }
        }
        var input = makeInputRun(delegate: watching ?? printer)
        // Only results on the terminal are cut off: a \o or \g file gets every row.
        input.rowLimit = output.terminalWidth == nil || sink != nil ? nil : rowLimit
        let script = Script(name: source, text: text)
        let outcome = analyze.map { input.explain(script, analyze: $0) } ?? input.run(script)
        indicator?.stop()
        if sink == nil { output.deliver(printer.sink) } else { try? printer.sink.flush() }
        assistant.noteInputRan(text)
        if outcome == .interrupted {
            StandardError.line(
                hasUncommittedWork
                    ? "soup: cancelled; the session and its open transaction are intact (commit() or rollback() as usual)"
                    : "soup: cancelled; nothing was changed")
        }
        return outcome
    }

    /// Rows a result shows at the REPL unless `\limit` or `--limit` says otherwise.
    static let defaultRowLimit = 1000

    /// A run of one input in the session's transaction, as the settings ask.
    var inputRun: InputRun { makeInputRun(delegate: printer) }

    private func makeInputRun(delegate: any RunDelegate) -> InputRun {
        var input = InputRun(soup: soup, delegate: delegate, interrupts: interrupts)
        input.readOnly = readOnly
        input.autocommit = autocommit
        return input
    }

    /// Lays results out for the terminal's width now: it may have been resized since the last
    /// input (`\x auto`, `wrapped`).
    mutating func fitToTerminal() {
        var options = printer.printer.options
        options.terminalWidth = output.terminalWidth
        printer.printer = ResultPrinter(options: options)
    }

    /// On Ctrl-D or `\q` with uncommitted work, asks before rolling it back; true to quit.
    func confirmQuit(_ reader: some LineReader) -> Bool {
        guard hasUncommittedWork else {
            Terminal.write("\n", to: 1)
            return true
        }
        Terminal.write("\n", to: 1)
        switch reader.readLine(prompt: "There is uncommitted work. Roll it back and quit? [y/N] ") {
        case .line(let answer) where !answer.lowercased().hasPrefix("y"):
            return false
        case .interrupted:
            return false
        default:
            // A yes, or a closed terminal that can give no answer.
            try? soup.rollback()
            StandardError.line("soup: rolled back")
            return true
        }
    }

    /// The meta command on `line`, when it is one (`\d users`, `.tables`).
    static func metaCommand(in line: String) -> MetaCommand? {
        let trimmed = line.trimmingWhitespace()
        guard let first = trimmed.first, first == "\\" || first == "." else { return nil }
        guard let statement = try? Parser.parse(trimmed).first, case .meta(let command) = statement.kind else {
            return nil
        }
        return command
    }

    /// Completion (its catalog queries neither echoed nor routed aloud: they would break into
    /// the line being typed) and colours for the reader.
    private func makeAssist() -> TypingAssist {
        let router = bindings.router
        let completer = Completer(assistant: assistant, bindings: { router.profile.bindings.map(\.name) })
        let connection = self.connection
        let assistant = self.assistant
        return TypingAssist(
            complete: { text, cursor in
                let (echoes, onRoute) = (connection.echoes, router.onRoute)
                connection.echoes = false
                router.onRoute = nil
                defer { (connection.echoes, router.onRoute) = (echoes, onRoute) }
                return completer.complete(text, cursor: cursor)
            },
            highlight: { text, cursor in assistant.highlight(text, cursor: cursor) })
    }

    /// The config's `suggest` setting (true when there is no config, or it cannot be read:
    /// connecting reports a bad config when it needs one).
    private static func configSuggests(settings: Settings, environment: Environment) -> Bool {
        let connector = Connector(
            readOnly: settings.readOnly, create: settings.create, echo: false, configFile: settings.config,
            binding: settings.bind, environment: environment)
        return ((try? connector.loadConfig()) ?? nil)?.suggest ?? true
    }

    /// The database's short name: a file's base name, or the PostgreSQL database (a keyword
    /// string's `dbname`, read before its dots and slashes can cut it: `host=127.0.0.1`).
    static func promptName(_ displayName: String) -> String {
        if let dbname = displayName.split(separator: " ").first(where: { $0.hasPrefix("dbname=") }), !displayName.contains("://") {
            return dbname.count > 7 ? String(dbname.dropFirst(7)) : "db"
        }
        var name = displayName
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        if let question = name.firstIndex(of: "?") { name = String(name[..<question]) }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name.isEmpty ? "db" : name
    }
}

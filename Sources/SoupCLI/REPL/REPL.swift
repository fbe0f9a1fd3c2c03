import SoupCore
import SoupDriver
import SoupLanguage
import SoupOutput

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive loop (SPEC §4, §5): reads complete inputs with line editing, history and
/// completion, runs them in the session's transaction, and shows `*` in the prompt while there
/// is uncommitted work.
///
/// An input is complete when its brackets are closed and its SQL ends with `;`; until then the
/// prompt is `...> `. A meta command (`\d`, `.tables`) is one line.
struct REPL {
    let environment: Environment
    let interrupts: InterruptMonitor
    let connection: REPLConnection
    var runner: StatementRunner
    let output: ResultOutput
    let bindings: REPLBindings
    let name: String
    /// Commit after each successful input (`--tx statement`, `\autocommit on`).
    var autocommit: Bool
    /// The last input run, for `\e`.
    var lastInput: String?
    /// The format `\x` switches back to.
    var formatBeforeExpanded: OutputFormat?
    private let tableNames = TableNameCache()

    /// Connects to `database`; a failure exits as other commands do.
    init(settings: Settings, database: String?) throws {
        var quiet = settings
        quiet.echo = false  // the REPL's connection echoes, so `\echo` can switch it
        let session = try CommandSession(settings: quiet, database: database)
        environment = session.environment
        interrupts = session.interrupts
        connection = REPLConnection(session.router, echoes: settings.echo)
        runner = session.runner(mode: .none, on: connection)
        output = ResultOutput(pagerEnabled: settings.pager, environment: session.environment)
        autocommit = settings.tx == .statement
        name = Self.promptName(connection.displayName)
        bindings = REPLBindings(router: session.router, soup: runner.soup)
        formatBeforeExpanded = settings.format == .expanded ? nil : settings.format
        setExpanded(settings.format == .expanded ? .on : settings.expanded ?? .auto)
    }

    mutating func run() throws {
        defer { connection.close() }
        let reader = ReadlineReader(
            interrupts: interrupts, history: HistoryFile.standard(environment: environment),
            complete: makeCompleter().complete)
        StandardError.line(
            "soup \(SoupCommand.version) on \(connection.displayName). Type help() for help, \\? for meta commands, \\q to quit.")
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? "soup:\(name)\(hasUncommittedWork ? "*" : "")> " : "...> "
            let line: String
            switch reader.readLine(prompt: prompt) {
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
            run(buffer, source: "input")
            buffer = ""
        }
    }

    /// Whether the prompt shows `*`: changes are pending, or a transaction is open (soup opens
    /// one only for work that may write; an explicit BEGIN counts).
    var hasUncommittedWork: Bool {
        runner.soup.session.hasChanges || connection.transactionStatus != .idle
    }

    /// Runs one complete input and shows its output.
    mutating func run(_ text: String, source: String) {
        lastInput = text
        tableNames.invalidate()
        interrupts.reset()
        let indicator = ElapsedIndicator.start(on: environment.stderrIsTerminal)
        fitToTerminal()
        let sink = output.makeSink { indicator?.stop() }
        runner.sink = sink
        runner.soup.printLine = { sink.write($0 + "\n") }
        let outcome = runner.runInteractive(Script(name: source, text: text), autocommit: autocommit)
        indicator?.stop()
        output.deliver(sink)
        if outcome == .interrupted {
            StandardError.line(
                hasUncommittedWork
                    ? "soup: cancelled; the session and its open transaction are intact (commit() or rollback() as usual)"
                    : "soup: cancelled; nothing was changed")
        }
    }

    /// Lays results out for the terminal's width now: it may have been resized since the last
    /// input (`\x auto`, `wrapped`).
    mutating func fitToTerminal() {
        var options = runner.printer.options
        options.terminalWidth = output.terminalWidth
        runner.printer = ResultPrinter(options: options)
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
            try? runner.soup.rollback()
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

    private func makeCompleter() -> Completer {
        let soup = runner.soup
        let cache = tableNames
        return Completer(
            tableNames: { cache.names { (try? soup.tableNames()) ?? [] } },
            columns: { name in
                if case .entity(let entity)? = soup.variables[name] { return entity.attributes.map(\.name) }
                guard cache.names({ (try? soup.tableNames()) ?? [] }).contains(name) else { return nil }
                return (try? soup.entity(named: name))?.attributes.map(\.name)
            },
            variables: { Array(soup.variables.keys) })
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

/// Table names for completion, listed once per input (one catalog query, nothing reflected).
final class TableNameCache {
    private var cached: [String]?

    func names(_ list: () -> [String]) -> [String] {
        if let cached { return cached }
        let names = list()
        cached = names
        return names
    }

    func invalidate() {
        cached = nil
    }
}

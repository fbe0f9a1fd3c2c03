import ArgumentParser
import SoupCore

/// `soup query`, `soup run` and `soup DB < file` in plain values: scripts to run in the
/// transactions the settings ask for.
struct ScriptRequest: Equatable, Sendable {
    /// Where the statements come from.
    enum Source: Equatable, Sendable {
        /// Statement arguments, each a script of its own (`arg1`, `arg2`, ...).
        case statements([String])
        /// Script files; `-` is standard input.
        case files([String])
    }

    var database: String?
    var source: Source
    var continueOnError = false
    var settings = Settings()
    /// `soup query --watch SECONDS`: run again and again until Ctrl-C.
    var watch: Watch?

    /// Reads the scripts, connects and runs them; throws the exit code when it is not 0.
    func run() throws {
        let scripts = try read()
        let session = try CommandSession(settings: settings, database: database)
        defer { session.connection.close() }
        let (soup, printer) = session.makeSoup()
        var policy = session.policy
        policy.continueOnError = continueOnError
        var run = ScriptRun(soup: soup, policy: policy, delegate: printer, interrupts: session.interrupts)
        run.rowLimit = settings.limit
        guard let watch else {
            let outcome = run.run(scripts)
            if outcome != .succeeded { throw ExitCode(outcome.exitStatus) }
            return
        }
        try self.watch(run, watch, scripts: scripts, session: session, printer: printer)
    }

    /// `--watch`: the scripts run again every interval, each run redrawn in place on a terminal,
    /// until Ctrl-C, which ends the command with success.
    private func watch(_ run: ScriptRun, _ watch: Watch, scripts: [Script], session: CommandSession, printer: StatementPrinter) throws {
        if let refusal = scripts.lazy.compactMap({ Watch.refusal(for: $0.text) }).first {
            throw CommandFailure(message: refusal.replacing("\\watch", with: "--watch"), exitCode: ExitStatus.statementFailed).exit()
        }
        var run = run
        let watching = WatchDelegate(base: printer)
        run.delegate = watching
        let text = scripts.map(\.text).joined(separator: "; ")
        let outcome = watch.run(
            { number in
                watching.startRun()
                printer.sink.write(WatchScreen.header(
                        for: text, watch: watch, run: number, clearing: session.environment.stdoutIsTerminal,
                        width: printer.printer.options.terminalWidth))
                return run.run(scripts)
            },
            pause: { session.interrupts.pause($0) })
        if outcome != .succeeded { throw ExitCode(outcome.exitStatus) }
    }

    /// `soup query` and `soup run`: the first argument is the database only when it can name
    /// one; otherwise it is the first statement or file, and the default database runs them
    /// (see ``DefaultDatabase``).
    func choosingDatabase() throws -> ScriptRequest {
        var request = self
        let items: [String]
        switch source {
        case .statements(let texts): items = texts
        case .files(let paths): items = paths
        }
        let connector = Connector(settings: settings, environment: Environment.current())
        let (database, rest) = try DefaultDatabase(connector: connector).split(first: database, rest: items)
        guard !rest.isEmpty else {
            let missing: String
            switch source {
            case .statements: missing = "give at least one statement to run"
            case .files: missing = "give at least one script file ('-' for standard input)"
            }
            throw CommandFailure(message: missing, exitCode: ExitStatus.usage).exit()
        }
        request.database = database
        switch source {
        case .statements: request.source = .statements(rest)
        case .files: request.source = .files(rest)
        }
        return request
    }

    private func read() throws -> [Script] {
        switch source {
        case .statements(let texts):
            return texts.enumerated().map { index, text in Script(name: "arg\(index + 1)", text: text) }
        case .files(let paths):
            do {
                return try paths.map { Script(name: $0 == "-" ? "<stdin>" : $0, text: try FileReader.text(of: $0)) }
            } catch let failure as CommandFailure {
                throw failure.exit()
            }
        }
    }
}

/// What the commands that run statements take besides their database and statements:
/// `--continue` and the global options.
struct ScriptOptions: ParsableArguments {
    @Flag(name: .customLong("continue"), help: "Go on after a failed statement (psql's ON_ERROR_ROLLBACK).")
    var continueOnError = false

    @OptionGroup var global: GlobalOptions

    /// The request to run `source` on `database`.
    func request(_ source: ScriptRequest.Source, on database: String?) -> ScriptRequest {
        ScriptRequest(database: database, source: source, continueOnError: continueOnError, settings: global.settings)
    }
}

import ArgumentParser
import SoupCore
import SoupDriver
import SoupOutput
import SoupRouting

/// `soup query DB STMT...`: run each statement in order and print each result.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run each statement in order and print each result.",
        discussion: """
            Each STMT is a soup statement (users.filter(users.name.like('A%')).all()) or SQL \
            (SELECT ...;), and may hold several, one per line or separated by ';'. By default \
            everything runs in one transaction that is committed when all statements succeed and rolled \
            back at the first error (--tx file).
            """)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String

    @Argument(help: "Statements to run: soup statements or SQL.", completion: .tableName)
    var statements: [String] = []

    @Flag(name: .customLong("continue"), help: "Go on after a failed statement (psql's ON_ERROR_ROLLBACK).")
    var continueOnError = false

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if statements.isEmpty { throw ValidationError("give at least one statement to run") }
    }

    var request: Request {
        Request(database: database, statements: statements, continueOnError: continueOnError, settings: options.settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup query` in plain values.
    struct Request: Equatable, Sendable {
        var database: String
        var statements: [String]
        var continueOnError = false
        var settings = Settings()

        func run() throws {
            let scripts = statements.enumerated().map { index, text in Script(name: "arg\(index + 1)", text: text) }
            try runScripts(scripts, database: database, settings: settings, continueOnError: continueOnError)
        }
    }
}

/// The connection, output and interrupt handling that a command runs statements with.
struct CommandSession {
    /// Routes each statement to a binding of the profile (one binding for a plain database).
    let router: RoutingConnection
    let settings: Settings
    let environment: Environment
    let interrupts: InterruptMonitor

    var connection: any Connection { router }

    /// Installs Ctrl-C handling and connects; failures exit with code 2. A plain database is
    /// connected at once; the bindings of a profile connect on first use.
    init(settings: Settings, database: String?) throws {
        self.settings = settings
        environment = Environment.current()
        interrupts = InterruptMonitor.install()
        let connector = Connector(
            readOnly: settings.readOnly, create: settings.create, echo: settings.echo, configFile: settings.config,
            binding: settings.bind, environment: environment)
        do {
            router = try connector.connect(database)
            if settings.verbose {
                router.onRoute = { route in StandardError.line("soup: route: \(route.binding): \(route.reason): \(route.statement)") }
            }
            if router.profile.name.isEmpty { try router.connect(binding: Binding.writer) }
        } catch let error as DatabaseError {
            throw CommandFailure.connection(Self.withoutBindingPrefix(error.message)).exit()
        } catch let error as LocatorError {
            throw CommandFailure.connection(error.description).exit()
        } catch let failure as CommandFailure {
            throw failure.exit()
        }
    }

    /// A plain database has one binding; its errors need not name it.
    private static func withoutBindingPrefix(_ message: String) -> String {
        guard message.hasPrefix("binding 'writer' ("), let end = message.firstRange(of: "): ") else { return message }
        return String(message[end.upperBound...])
    }

    /// A runner on the session's connection, or on `connection` (the REPL's wrapper of it).
    func runner(mode: TransactionMode, on connection: (any Connection)? = nil) -> StatementRunner {
        let connection = connection ?? self.connection
        var outputOptions = OutputOptions()
        outputOptions.format = settings.format
        outputOptions.nullText = settings.nullText
        outputOptions.useColor = environment.allowsColor(flagged: settings.noColor)
        outputOptions.terminalWidth = environment.stdoutIsTerminal ? Terminal.columns(of: 1) : nil
        outputOptions.apply(settings.expanded ?? .off)
        outputOptions.dialect = connection.dialect
        let soup = Soup(connection: connection)
        soup.isDryRun = settings.dryRun
        let sink = OutputSink(fileDescriptor: 1)
        // print(...) goes through the same buffer as results, so the two keep their order.
        soup.printLine = { sink.write($0 + "\n") }
        return StatementRunner(
            soup: soup, printer: ResultPrinter(options: outputOptions),
            sink: sink, mode: mode, readOnly: settings.readOnly,
            dryRun: settings.dryRun, timing: settings.timing, verbose: settings.verbose, interrupts: interrupts)
    }
}

extension CommandFailure {
    /// Prints the message and returns the exit code to throw.
    func exit() -> ExitCode {
        StandardError.line("soup: error: " + message)
        return ExitCode(exitCode)
    }
}

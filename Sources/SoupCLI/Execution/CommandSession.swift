import ArgumentParser
import SoupCore
import SoupDriver
import SoupOutput
import SoupRouting

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
        if settings.verbose { interrupts.announce("soup: Ctrl-C: cancelling the statement\n") }
        let connector = Connector(
            readOnly: settings.readOnly, create: settings.create, echo: settings.echo, configFile: settings.config,
            binding: settings.bind, environment: environment)
        do {
            router = try connector.connect(database)
            // Echoed statements must show in order, so none is sent ahead of its turn.
            router.prefetchesReads = !settings.echo
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

    /// A soup on the session's connection, or on `connection` (the REPL's wrapper of it), and
    /// the printer that shows what runs on it.
    func makeSoup(on connection: (any Connection)? = nil) -> (soup: Soup, printer: StatementPrinter) {
        let soup = Soup(connection: connection ?? self.connection)
        soup.isDryRun = settings.dryRun
        soup.refusesUnfilteredWrites = settings.safeUpdates
        if router.profile.bindings.count > 1 {
            soup.routeOfLastStatement = { [router] in router.lastBinding }
        }
        let printer = makePrinter(dialect: soup.dialect)
        // print(...) goes through the same buffer as results, so the two keep their order.
        soup.printLine = { [printer] in printer.sink.write($0 + "\n") }
        return (soup, printer)
    }

    /// A printer of results in the settings' format, on standard output.
    func makePrinter(dialect: Dialect) -> StatementPrinter {
        var options = OutputOptions()
        options.format = settings.format
        options.nullText = settings.nullText
        options.useColor = environment.allowsColor(flagged: settings.noColor)
        options.useStyles = environment.allowsStyles
        options.terminalWidth = environment.stdoutIsTerminal ? Terminal.columns(of: 1) : nil
        options.apply(settings.expanded ?? .off)
        options.dialect = dialect
        return StatementPrinter(
            printer: ResultPrinter(options: options), sink: OutputSink(fileDescriptor: 1), timing: settings.timing,
            verbose: settings.verbose)
    }

    /// The transactions the settings ask for.
    var policy: TransactionPolicy {
        TransactionPolicy(mode: settings.tx, dryRun: settings.dryRun, readOnly: settings.readOnly)
    }
}

extension CommandFailure {
    /// Prints the message and returns the exit code to throw.
    func exit() -> ExitCode {
        StandardError.line("soup: error: " + message)
        return ExitCode(exitCode)
    }
}

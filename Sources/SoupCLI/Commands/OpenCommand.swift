import ArgumentParser
import SoupPlatform

/// `soup [DB]`: the REPL on a terminal; with standard input redirected, runs it as a script.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open DB: the REPL on a terminal, or run standard input as a script.",
        discussion: """
            With no DB: $DATABASE_URL. 'soup DB < script.soup' runs the script exactly as \
            'soup run DB -' does, printing results only.
            """,
        shouldDisplay: false)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String?

    @Flag(name: .customLong("continue"), help: "Go on after a failed statement (psql's ON_ERROR_ROLLBACK).")
    var continueOnError = false

    @OptionGroup var options: GlobalOptions

    var request: Request {
        Request(database: database, continueOnError: continueOnError, settings: options.settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup [DB]` in plain values.
    struct Request: Equatable, Sendable {
        var database: String?
        var continueOnError = false
        var settings = Settings()

        func run() throws {
            if isatty(0) == 0 {
                let script: Script
                do {
                    script = Script(name: "<stdin>", text: try FileReader.text(of: "-"))
                } catch let failure as CommandFailure {
                    throw failure.exit()
                }
                try runScripts([script], database: database, settings: settings, continueOnError: continueOnError)
                return
            }
            var repl = try REPL(settings: settings, database: database)
            try repl.run()
        }
    }
}

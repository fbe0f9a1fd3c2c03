import ArgumentParser
import SoupCore

/// `soup run DB FILE...`: run script files of soup statements and SQL.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run script files ('-' reads standard input).",
        discussion: """
            A script mixes soup statements and SQL. By default it runs in one transaction: \
            committed when every statement succeeds, rolled back at the first error, which is \
            reported as FILE:LINE:COL (exit 1). --tx statement commits each statement; --tx none \
            runs exactly as written (call commit() yourself); --continue reports a failed \
            statement, undoes just that statement and goes on (exit 1 at the end). A script of \
            reads runs in a read-only transaction.
            """)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String

    @Argument(help: "Script files; '-' is standard input.", completion: .file())
    var files: [String] = []

    @Flag(name: .customLong("continue"), help: "Go on after a failed statement (psql's ON_ERROR_ROLLBACK).")
    var continueOnError = false

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one script file ('-' for standard input)") }
    }

    var request: Request {
        Request(database: database, files: files, continueOnError: continueOnError, settings: options.settings)
    }

    func run() throws {
        try request.run()
    }

    /// `soup run` in plain values.
    struct Request: Equatable, Sendable {
        var database: String
        var files: [String]
        var continueOnError = false
        var settings = Settings()

        func run() throws {
            let scripts: [Script]
            do {
                scripts = try files.map { Script(name: $0 == "-" ? "<stdin>" : $0, text: try FileReader.text(of: $0)) }
            } catch let failure as CommandFailure {
                throw failure.exit()
            }
            try runScripts(scripts, database: database, settings: settings, continueOnError: continueOnError)
        }
    }
}

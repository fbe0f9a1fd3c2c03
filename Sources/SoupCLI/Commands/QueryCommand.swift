import ArgumentParser
import SoupCore

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

import ArgumentParser

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

    @OptionGroup var options: ScriptOptions

    func validate() throws {
        if statements.isEmpty { throw ValidationError("give at least one statement to run") }
    }

    var request: ScriptRequest {
        options.request(.statements(statements), on: database)
    }

    func run() throws {
        try request.run()
    }
}

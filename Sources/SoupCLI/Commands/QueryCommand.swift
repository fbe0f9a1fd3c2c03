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

            DB may be left out when $DATABASE_URL or the config's default profile names the \
            database: soup query 'SELECT 1'. The first argument is the database only when it \
            can name one (an existing SQLite file, a URL or key=value connection string, a \
            profile of the config, a name ending in .db, .sqlite, .sqlite3 or .db3).
            """)

    @Argument(help: "The database (see 'soup --help'); may be left out (see above).", completion: .database)
    var database: String

    @Argument(help: "Statements to run: soup statements or SQL.", completion: .tableName)
    var statements: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run the statements again every SECONDS until Ctrl-C, redrawn in place on a terminal with changed cells highlighted (reads only).",
            valueName: "seconds"))
    var watch: Double?

    @OptionGroup var options: ScriptOptions

    func validate() throws {
        if let watch, !(0.01...86400).contains(watch) { throw ValidationError("--watch takes 0.01 to 86400 seconds, not \(watch)") }
    }

    var request: ScriptRequest {
        var request = options.request(.statements(statements), on: database)
        request.watch = watch.map { Watch(interval: .milliseconds(Int64(($0 * 1000).rounded()))) }
        return request
    }

    func run() throws {
        try request.choosingDatabase().run()
    }
}

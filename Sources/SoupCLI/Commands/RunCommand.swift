import ArgumentParser

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

            DB may be left out when $DATABASE_URL or the config's default profile names the \
            database: soup run setup.soup. The first argument is the database only when it can \
            name one (an existing SQLite database file, a URL or key=value connection string, \
            a profile of the config, a name ending in .db, .sqlite, .sqlite3 or .db3).
            """)

    @Argument(help: "The database (see 'soup --help'); may be left out (see above).", completion: .database)
    var database: String

    @Argument(help: "Script files; '-' is standard input.", completion: .file())
    var files: [String] = []

    @OptionGroup var options: ScriptOptions

    var request: ScriptRequest {
        options.request(.files(files), on: database)
    }

    func run() throws {
        try request.choosingDatabase().run()
    }
}

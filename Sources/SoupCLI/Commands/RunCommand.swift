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
            """)

    @Argument(help: "The database (see 'soup --help').", completion: .database)
    var database: String

    @Argument(help: "Script files; '-' is standard input.", completion: .file())
    var files: [String] = []

    @OptionGroup var options: ScriptOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one script file ('-' for standard input)") }
    }

    var request: ScriptRequest {
        options.request(.files(files), on: database)
    }

    func run() throws {
        try request.run()
    }
}

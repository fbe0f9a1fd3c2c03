import ArgumentParser
import SoupPlatform

/// `soup`: explore and edit a live SQLite or PostgreSQL database.
public struct SoupCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "soup",
        abstract: "Explore and edit a live SQLite or PostgreSQL database.",
        discussion: """
            DB is a SQLite file (an existing file, or a name ending in .db, .sqlite, .sqlite3 \
            or .db3), a sqlite:/// URL, sqlite::memory:, a postgres:// or postgresql:// URL, a \
            libpq keyword string such as "host=/tmp dbname=app", or a profile name. libpq reads \
            PGHOST, PGUSER, PGPASSWORD, .pgpass and the other PG* variables as usual.

            Exit status: 0 success, 1 a statement failed (its transaction was rolled back), \
            2 could not connect, 64 usage error, 130 interrupted.
            """,
        version: version,
        subcommands: [
            OpenCommand.self, QueryCommand.self, RunCommand.self, DemoCommand.self, TablesCommand.self,
            SchemaCommand.self, StatusCommand.self, ImportCommand.self, CopyCommand.self,
        ],
        defaultSubcommand: OpenCommand.self
    )

    public init() {}
}

extension SoupCommand {
    /// Runs soup on the process's arguments: the common command lines straight through
    /// ``FastCommandLine``, everything else (help, completions, mistakes) through ArgumentParser.
    public static func runCommandLine() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let invocation = FastCommandLine.invocation(for: arguments) else {
            main(arguments)
            return
        }
        do {
            try invocation.run()
        } catch let code as ExitCode {
            // ArgumentParser's exit(withError:) would render usage text only to drop it.
            exitProcess(status: code.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

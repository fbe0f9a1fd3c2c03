import SoupDriver
import SoupPostgres
import SoupSQLite

/// Opens connections from `DB` arguments.
struct Connector {
    var readOnly = false
    var create = false
    var environment: Environment

    /// The database a command names, or the default one (`$DATABASE_URL`) when it names none.
    func locate(_ argument: String?) throws -> DatabaseLocator {
        if let argument { return try DatabaseLocator.parse(argument) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try DatabaseLocator.parse(url) }
        throw CommandFailure.connection(
            "no database given and DATABASE_URL is not set; name one (soup FILE.db, soup postgresql://...) or try `soup demo`")
    }

    /// Opens the database at `locator`.
    func open(_ locator: DatabaseLocator) throws -> any Connection {
        switch locator {
        case .sqlite(let location):
            let mode: SQLiteConnection.Mode = readOnly ? .readOnly : (create ? .readWriteCreate : .readWrite)
            return try SQLiteConnection(location: location, mode: mode)
        case .postgres(let conninfo):
            let connection = try PostgresConnection(conninfo: conninfo)
            if readOnly {
                try connection.execute("SET default_transaction_read_only = on")
            }
            return connection
        case .profile(let name):
            throw CommandFailure.connection(
                "'\(name)' is not a database file, URL or connection string, and no config file defines a profile of that name")
        }
    }
}

/// An error that ends a command with a message and an exit code.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    var description: String { message }

    static func connection(_ message: String) -> CommandFailure {
        CommandFailure(message: message, exitCode: ExitStatus.connectionFailed)
    }
}

/// The exit codes of SPEC §1.
enum ExitStatus {
    static let success: Int32 = 0
    static let statementFailed: Int32 = 1
    static let connectionFailed: Int32 = 2
    static let usage: Int32 = 64
    static let interrupted: Int32 = 130
    /// The reader of standard output went away (128 + SIGPIPE, as a shell reports it).
    static let brokenPipe: Int32 = 141
}

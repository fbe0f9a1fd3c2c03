import SoupDriver
import SoupPostgres
import SoupRouting
import SoupSQLite

/// Opens the database or profile that a command names, as a routing connection over its
/// bindings.
struct Connector {
    var readOnly = false
    var create = false
    var echo = false
    /// `--config FILE`.
    var configFile: String?
    /// `-b/--bind NAME`.
    var binding: String?
    var environment: Environment

    /// The routing connection for `argument` (a database or a profile name); with no
    /// argument, `$DATABASE_URL`, then the config's `default` profile.
    func connect(_ argument: String?) throws -> RoutingConnection {
        let profile = try self.profile(for: argument)
        let stateFile = profile.name.isEmpty ? nil : RoutingConnection.stateFile(profile: profile.name, environment: environment.variables)
        let router = RoutingConnection(profile: profile, readOnly: readOnly, stateFile: stateFile) { [self] config, readOnly in
            let opened = try open(
                config.locator, readOnly: readOnly, create: create || config.name == Binding.logger,
                checksReads: self.readOnly || profile.readOnly || config.name != Binding.reader, poolMode: profile.poolMode)
            return echo ? EchoingConnection(opened) : opened
        }
        router.note = { StandardError.line("soup: note: " + $0) }
        do {
            try router.force(binding: binding)
        } catch {
            throw CommandFailure(message: error.description, exitCode: ExitStatus.usage)
        }
        return router
    }

    /// The profile `argument` names, or a profile of one binding for a plain database.
    func profile(for argument: String?) throws -> Profile {
        if let argument {
            let locator = try Self.locate(argument)
            guard case .profile(let name) = locator else { return Profile.single(url: argument, locator: locator) }
            guard let config = try loadConfig() else {
                throw CommandFailure.connection(
                    "\(ConnectionString.quoted(name)) is not a database file, URL or connection string, and no config file defines a profile of that name"
                        + " (looked for ./soup.toml and \(userConfigPath ?? "$XDG_CONFIG_HOME/soup/config.toml"))")
            }
            guard let profile = config.profile(named: name) else {
                throw CommandFailure.connection(
                    "\(config.file): no profile named \(ConnectionString.quoted(name)) (profiles: \(config.profiles.keys.sorted().joined(separator: ", ")))")
            }
            return profile
        }
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return Profile.single(url: url, locator: try Self.locate(url))
        }
        if let config = try loadConfig(), let name = config.defaultProfile, let profile = config.profile(named: name) {
            return profile
        }
        throw CommandFailure.connection(
            "no database given, DATABASE_URL is not set and no config file names a default profile; name one (soup FILE.db, soup postgresql://...) or try `soup demo`")
    }

    /// The database `argument` names; a missing SQLite file gets the advice to create it.
    private static func locate(_ argument: String) throws(LocatorError) -> DatabaseLocator {
        do throws(LocatorError) {
            return try DatabaseLocator.parse(argument)
        } catch var error where error.kind == .noSuchFile {
            error.reason += "; use --create to make one"
            throw error
        }
    }

    /// `--config FILE`, else `./soup.toml`, else `$XDG_CONFIG_HOME/soup/config.toml`; nil when none exists.
    func loadConfig() throws -> RoutingConfig? {
        let path: String
        if let configFile {
            path = configFile
        } else if FileSystem.isRegularFile("soup.toml") {
            path = "soup.toml"
        } else if let user = userConfigPath, FileSystem.isRegularFile(user) {
            path = user
        } else {
            return nil
        }
        do {
            return try RoutingConfig.load(path: path)
        } catch {
            throw CommandFailure.connection(error.description)
        }
    }

    var userConfigPath: String? {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return base + "/soup/config.toml" }
        return environment["HOME"].map { $0 + "/.config/soup/config.toml" }
    }

    /// Opens the database at `locator`; `readOnly` opens SQLite read-only and makes every
    /// PostgreSQL transaction read-only (``ReadOnlyTransactions``; `checksReads` false leaves
    /// reads outside transactions as they are, for a reader binding). `poolMode` is what the
    /// profile says of a pooler in front of the server.
    func open(
        _ locator: DatabaseLocator, readOnly: Bool, create: Bool, checksReads: Bool = true, poolMode: PoolMode = .session
    ) throws -> any Connection {
        switch locator {
        case .sqlite(let location):
            let mode: SQLiteConnection.Mode = readOnly ? .readOnly : (create ? .readWriteCreate : .readWrite)
            do {
                return try SQLiteConnection(location: location, mode: mode)
            } catch var error as DatabaseError where error.resultCode == .cantOpen && mode != .readWriteCreate {
                if case .file(let path) = location, !FileSystem.exists(path) { error.message += "; use --create to make one" }
                throw error
            }
        case .postgres(let conninfo):
            let connection = try openPostgres(conninfo, poolMode: poolMode)
            return readOnly ? ReadOnlyTransactions(connection, checksReads: checksReads) : connection
        case .profile(let name):
            throw CommandFailure.connection("'\(name)' is a profile name, not a database")
        }
    }

    /// The one place where a profile's `pool_mode` reaches the PostgreSQL driver. Behind a
    /// pooler in transaction mode a statement prepared by name would not outlive its
    /// transaction (the next one may run on another server connection), so there the driver
    /// sends unnamed statements only: its statement cache is off.
    private func openPostgres(_ conninfo: String, poolMode: PoolMode) throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo, statementCaching: poolMode == .transaction ? .disabled : .standard)
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

/// The exit codes, as soup(1) lists them under EXIT STATUS.
enum ExitStatus {
    static let success: Int32 = 0
    static let statementFailed: Int32 = 1
    static let connectionFailed: Int32 = 2
    static let usage: Int32 = 64
    static let interrupted: Int32 = 130
    /// The reader of standard output went away (128 + SIGPIPE, as a shell reports it).
    static let brokenPipe: Int32 = 141
}

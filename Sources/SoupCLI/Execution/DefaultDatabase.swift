import SoupDriver

/// Which database a command runs on when its DB argument may be left out.
///
/// `soup tables`, `soup schema`, `soup query` and `soup run` take the database first. Left out,
/// it is `$DATABASE_URL`, then the config's `default` profile, as for `soup` and `soup status`.
/// `soup query STMT...`, `soup run FILE...` and `soup schema TABLE...` give their first
/// argument to the database only when it can name one: an existing SQLite file (or an empty
/// one), a URL or libpq keyword string, `:memory:`, a profile of the config, or a name with a
/// SQLite file ending. Anything else (`SELECT 1`, `users.all()`, `setup.soup`) is a statement,
/// file or table, and the default database runs it. With no default, that is a usage error
/// that says which default is missing, except for one word that was surely meant as a database
/// (`postgress://…`, `data/app`): that is reported as the database it could not open.
struct DefaultDatabase {
    let connector: Connector

    /// The database to use and the arguments left after it, from the command's first argument
    /// and the ones after it.
    /// - Throws: a usage error (exit 64) naming the default that is missing, when the command
    ///   needs one and none is set.
    func split(first: String?, rest: [String]) throws -> (database: String?, rest: [String]) {
        do {
            guard let first else {
                if let missing = try connector.missingDefault() {
                    throw CommandFailure(message: "no database given, and \(missing)", exitCode: ExitStatus.usage)
                }
                return (nil, rest)
            }
            if try canNameDatabase(first) { return (first, rest) }
            if let missing = try connector.missingDefault() {
                // A mistyped URL or a path to nowhere is reported as the database it meant to be.
                if Self.triesToNameDatabase(first) { return (first, rest) }
                let named = ConnectionString.displayable(first).map(ConnectionString.quoted) ?? "the first argument"
                throw CommandFailure(message: "\(named) is not a database, and \(missing)", exitCode: ExitStatus.usage)
            }
            return (nil, [first] + rest)
        } catch let failure as CommandFailure {
            throw failure.exit()
        }
    }

    /// Whether `argument`, which names no database, was meant to: one word that reads as a path
    /// to no file, or holds `://` or `@` (`postgress://…`, `user:password@host`). Statements
    /// have spaces; file names and profile names have neither.
    private static func triesToNameDatabase(_ argument: String) -> Bool {
        guard !argument.contains(where: \.isWhitespace) else { return false }
        if argument.contains("://") || argument.contains("@") { return true }
        do {
            _ = try DatabaseLocator.parse(argument)
            return false
        } catch {
            return true
        }
    }

    /// Whether `argument` can name a database (see the type's summary).
    func canNameDatabase(_ argument: String) throws -> Bool {
        let locator: DatabaseLocator
        do {
            locator = try DatabaseLocator.parse(argument)
        } catch {
            // A path to no file reads as a script or statement; a malformed URL is reported.
            return error.kind != .noSuchFile
        }
        switch locator {
        case .sqlite(.memory):
            return true
        case .sqlite(.file(let path)):
            return !FileSystem.isRegularFile(path) || FileSystem.mayHoldSQLiteDatabase(path)
        case .postgres(let conninfo):
            return Self.isConnectionString(conninfo)
        case .profile(let name):
            return try connector.loadConfig()?.profile(named: name) != nil
        }
    }

    /// A URL, or a keyword string that starts with one of libpq's keywords: `x=1` is a soup
    /// assignment, `host=/tmp dbname=app` a database.
    private static func isConnectionString(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return true }
        let key = lower.prefix { $0 != "=" }.trimmingWhitespace()
        return libpqKeywords.contains(key)
    }

    private static let libpqKeywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "options",
        "application_name", "fallback_application_name", "connect_timeout", "client_encoding", "sslmode",
        "sslrootcert", "sslcert", "sslkey", "target_session_attrs", "load_balance_hosts", "channel_binding",
    ]
}

extension Connector {
    /// Opens nothing: only reads the settings' config options and the environment.
    init(settings: Settings, environment: Environment) {
        self.init(
            readOnly: settings.readOnly, create: settings.create, echo: settings.echo, configFile: settings.config,
            binding: settings.bind, environment: environment)
    }

    /// Why there is no default database, in words that say which default is missing; nil
    /// when `$DATABASE_URL` or the config's `default` profile names one.
    func missingDefault() throws -> String? {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return nil }
        guard let config = try loadConfig() else {
            return "there is no default database: DATABASE_URL is not set and there is no config file "
                + "(looked for ./soup.toml and \(userConfigPath ?? "$XDG_CONFIG_HOME/soup/config.toml"))"
        }
        guard config.defaultProfile != nil else {
            return "there is no default database: DATABASE_URL is not set and \(config.file) has no "
                + "`default = \"PROFILE\"` line"
        }
        return nil
    }
}

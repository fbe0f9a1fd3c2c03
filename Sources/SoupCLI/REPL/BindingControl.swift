import SoupCore
import SoupDriver

/// What `\status`, `\use` and `\reconnect` act on: the session's bindings (SPEC §5, §6).
protocol BindingControl {
    /// `\status`: each binding's database (password masked), server version, transaction state
    /// and statements sent.
    func statusReport() -> String
    /// `\use NAME`: sends the following statements through binding `name`.
    func use(_ name: String) throws
    /// `\reconnect`: closes every connection and opens it again.
    func reconnect() throws -> ReconnectOutcome
}

/// What `\reconnect` did.
struct ReconnectOutcome {
    /// The uncommitted work that was lost, in words; nil when there was none.
    var lostWork: String?
}

/// A connection that can be replaced (`\reconnect`) and whose echo (`\echo on|off`) can be
/// switched, under one ``Soup`` that keeps its variables.
final class REPLConnection: Connection {
    private(set) var base: any Connection
    /// Whether every statement is printed to standard error (`--echo`, `\echo`).
    var echoes: Bool
    /// Statements sent through this connection.
    private(set) var statementsSent = 0

    init(_ base: any Connection, echoes: Bool) {
        self.base = base
        self.echoes = echoes
    }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        if echoes { StandardError.line(dialect.echo(sql, parameters)) }
        statementsSent += 1
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        if echoes { StandardError.line(dialect.echo(sql, [])) }
        statementsSent += 1
        try base.executeScript(sql)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }
    func close() { base.close() }
    func takeNotices() -> [String] { base.takeNotices() }

    /// Closes the current connection and continues on `replacement`.
    func replace(with replacement: any Connection) {
        base.close()
        base = replacement
    }
}

/// Today's single binding, `writer`: the one connection the REPL opened.
struct SingleBinding: BindingControl {
    let connection: REPLConnection
    let soup: Soup
    /// Opens the database again for `\reconnect`.
    let open: () throws -> any Connection

    func statusReport() -> String {
        let version: String
        do {
            let sql = connection.dialect == .postgres ? "SHOW server_version" : "SELECT sqlite_version()"
            if case .text(let text)? = try connection.base.scalar(sql) {
                version = text
            } else {
                version = "unknown"
            }
        } catch {
            version = "unknown (\(error))"
        }
        let state: String
        switch connection.transactionStatus {
        case .idle: state = soup.session.hasChanges ? "idle, with unflushed changes" : "idle"
        case .inTransaction: state = "in a transaction"
        case .failed: state = "in a failed transaction (roll back)"
        }
        return """
            binding writer (the only one)
              database:        \(ConnectionString.redacted(connection.displayName))
              server:          \(connection.dialect == .postgres ? "PostgreSQL" : "SQLite") \(version)
              transaction:     \(state)
              statements sent: \(connection.statementsSent)
            """
    }

    func use(_ name: String) throws {
        guard name == "writer" else {
            throw CommandFailure(
                message: "no binding '\(name)'; this session has one binding, writer (profiles with bindings come from the config file)",
                exitCode: ExitStatus.statementFailed)
        }
    }

    func reconnect() throws -> ReconnectOutcome {
        var lost: [String] = []
        let pendingCount = soup.pendingStatements().count
        if pendingCount > 0 { lost.append("\(pendingCount) pending change(s)") }
        if connection.transactionStatus != .idle { lost.append("the open transaction") }
        let replacement = try open()
        connection.replace(with: replacement)
        try soup.rollback()
        soup.refreshSchema()
        return ReconnectOutcome(lostWork: lost.isEmpty ? nil : lost.joined(separator: " and "))
    }
}

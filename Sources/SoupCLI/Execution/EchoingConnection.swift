import SoupDriver
import SoupRouting

/// A connection that prints every statement it sends, with its parameters, to standard error
/// (`--echo`); a parameter bound to a secret-looking column (`password = ?`) shows as `***`.
final class EchoingConnection: Connection {
    private let base: any Connection

    init(_ base: any Connection) {
        self.base = base
    }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        StandardError.line(dialect.echo(sql, rendered: SecretMask.parameters(of: sql, parameters)))
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        StandardError.line(dialect.echo(sql, []))
        try base.executeScript(sql)
    }

    func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        for statement in statements {
            StandardError.line(
                dialect.echo(statement.sql, rendered: SecretMask.parameters(of: statement.sql, statement.parameters)))
        }
        return try base.fetchBatch(statements)
    }

    func copyIn(_ sql: String) throws -> any CopyInStream {
        StandardError.line(dialect.echo(sql, []))
        return try base.copyIn(sql)
    }

    /// Echoed once, when prepared: a bulk load would otherwise print every row.
    func prepareRepeated(_ sql: String, parameterCount: Int) throws -> any RepeatedStatement {
        StandardError.line(dialect.echo(sql, []) + "  -- prepared; run once for each row")
        return try base.prepareRepeated(sql, parameterCount: parameterCount)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }

    func close() { base.close() }

    func takeNotices() -> [String] { base.takeNotices() }
}

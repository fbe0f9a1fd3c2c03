import SoupDriver
import SoupSQL

/// A connection that prints every statement it sends, with its parameters, to standard error
/// (`--echo`, the REPL's `\echo on`); a parameter bound to a secret-looking column
/// (`password = ?`) shows as `***`. Transaction steps pass through as typed calls, echoed as the
/// SQL they send.
final class EchoingConnection: Connection {
    let base: any Connection
    /// Whether statements are printed now (the REPL's `\echo` switches it).
    var echoes: Bool

    init(_ base: any Connection, echoes: Bool = true) {
        self.base = base
        self.echoes = echoes
    }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        echo(sql, parameters)
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        echo(sql, [])
        try base.executeScript(sql)
    }

    func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        for statement in statements { echo(statement.sql, statement.parameters) }
        return try base.fetchBatch(statements)
    }

    func describe(_ sql: String) throws -> [DescribedColumn] {
        if echoes { StandardError.line(dialect.echo(sql, []) + "  -- described, not run") }
        return try base.describe(sql)
    }

    func copyIn(_ sql: String) throws -> any CopyInStream {
        echo(sql, [])
        return try base.copyIn(sql)
    }

    /// Echoed once, when prepared: a bulk load would otherwise print every row.
    func prepareRepeated(_ sql: String, parameterCount: Int) throws -> any RepeatedStatement {
        if echoes { StandardError.line(dialect.echo(sql, []) + "  -- prepared; run once for each row") }
        return try base.prepareRepeated(sql, parameterCount: parameterCount)
    }

    func executeEach(_ sql: String, _ runs: ParameterRows, done: (Int, Int?) -> Void) throws {
        for parameters in runs { echo(sql, Array(parameters)) }
        try base.executeEach(sql, runs, done: done)
    }

    func perform(_ control: TransactionControl) throws {
        echo(dialect.sql(for: control), [])
        try base.perform(control)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }

    func close() { base.close() }

    func takeNotices() -> [String] { base.takeNotices() }

    func replayAfterReconnect(_ statements: [String]) { base.replayAfterReconnect(statements) }

    private func echo(_ sql: String, _ parameters: [Value]) {
        guard echoes else { return }
        StandardError.line(dialect.echo(SecretMask.text(sql), rendered: SecretMask.parameters(of: sql, parameters)))
    }
}

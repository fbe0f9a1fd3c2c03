import SoupDriver

/// A connection that prints every statement it sends, with its parameters, to standard error
/// (`--echo`).
final class EchoingConnection: Connection {
    private let base: any Connection

    init(_ base: any Connection) {
        self.base = base
    }

    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        StandardError.line(Self.echo(sql, parameters, dialect: dialect))
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        StandardError.line(Self.echo(sql, [], dialect: dialect))
        try base.executeScript(sql)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }

    func close() { base.close() }

    func takeNotices() -> [String] { base.takeNotices() }

    /// `SQL;` followed, when there are parameters, by a comment listing them in order.
    static func echo(_ sql: String, _ parameters: [Value], dialect: Dialect) -> String {
        var text = sql.hasSuffix(";") ? sql : sql + ";"
        if !parameters.isEmpty {
            let listed = parameters.enumerated().map { index, value in
                "\(dialect.engine == .sqlite ? "?\(index + 1)" : dialect.placeholder(index)) = \(value)"
            }
            text += "  -- " + listed.joined(separator: ", ")
        }
        return text
    }
}

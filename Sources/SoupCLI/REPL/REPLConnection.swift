import SoupCore
import SoupDriver
import SoupRouting

/// The REPL's connection: the router of the session, with an echo (`--echo`, `\echo on|off`)
/// that can be switched while the session runs.
final class REPLConnection: Connection {
    let router: RoutingConnection
    /// Whether every statement is printed to standard error.
    var echoes: Bool

    init(_ router: RoutingConnection, echoes: Bool) {
        self.router = router
        self.echoes = echoes
    }

    var dialect: Dialect { router.dialect }
    var displayName: String { router.displayName }
    var transactionStatus: TransactionStatus { router.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        if echoes { StandardError.line(dialect.echo(sql, rendered: SecretMask.parameters(of: sql, parameters))) }
        return try router.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        if echoes { StandardError.line(dialect.echo(sql, [])) }
        try router.executeScript(sql)
    }

    func fetchBatch(_ statements: [BoundStatement]) throws -> [[[Value]]] {
        if echoes {
            for statement in statements {
                StandardError.line(
                    dialect.echo(statement.sql, rendered: SecretMask.parameters(of: statement.sql, statement.parameters)))
            }
        }
        return try router.fetchBatch(statements)
    }

    func executeEach(_ sql: String, _ parameterLists: [[Value]], done: (Int, Int?) -> Void) throws {
        if echoes {
            for parameters in parameterLists {
                StandardError.line(dialect.echo(sql, rendered: SecretMask.parameters(of: sql, parameters)))
            }
        }
        try router.executeEach(sql, parameterLists, done: done)
    }

    func makeCanceller() -> any Canceller { router.makeCanceller() }
    func close() { router.close() }
    func takeNotices() -> [String] { router.takeNotices() }
}

/// What `\status`, `\use` and `\reconnect` act on: the bindings of the session's profile (a
/// plain database has one, `writer`), through its router.
struct REPLBindings {
    let router: RoutingConnection
    let soup: Soup

    /// `\status`: per binding its URL (password masked), server version, role, state,
    /// transaction, statements sent, last route and the reader's lag.
    func statusReport() -> String {
        router.status().text
    }

    /// `\use NAME` sends every statement through binding `name`; `\use` alone or `\use auto`
    /// goes back to routing each statement. Returns what changed, in words.
    func use(_ name: String) throws -> String {
        let target = name.isEmpty || name == "auto" ? nil : name
        try router.force(binding: target)
        return target.map { "statements go to \($0) until \\use auto" } ?? "statements are routed automatically"
    }

    /// `\reconnect`: drops every connection and opens the writer again (the others open on
    /// first use, finding out anew which server is primary). Returns the uncommitted work that
    /// was lost, in words, or nil.
    func reconnect() throws -> String? {
        let lost = UncommittedWork(soup: soup, status: router.transactionStatus)
        router.reconnectAll()
        try soup.rollback()  // the transaction is gone with its connection; this resets the session
        soup.refreshSchema()
        try router.connect(binding: Binding.writer)
        return lost.summary
    }
}

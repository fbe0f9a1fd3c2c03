import Foundation
import SoupDriver
import SoupPostgres
import SoupReflection
import SoupSQLite
import SoupTestSupport
import Testing

/// The two engines every reflection test runs against.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, empty database: in-memory SQLite, or a new database on the test server.
    func connect() throws -> any Connection {
        switch self {
        case .sqlite: return try SQLiteConnection(location: .memory, mode: .readWriteCreate)
        case .postgres: return try PostgresConnection(conninfo: try PostgresServer.shared().makeDatabase())
        }
    }

    /// The schema unqualified names land in: `main` or `public`.
    var defaultSchema: String { self == .sqlite ? "main" : "public" }
}

/// A connection that counts (and records) the statements it sends, for query-count tests.
final class CountingConnection: Connection {
    private let base: any Connection
    private(set) var statements: [(sql: String, parameters: [Value])] = []
    /// Statements and batches sent: on PostgreSQL, the round trips.
    private(set) var sends = 0

    init(_ base: any Connection) {
        self.base = base
    }

    var count: Int { statements.count }
    var dialect: Dialect { base.dialect }
    var displayName: String { base.displayName }
    var transactionStatus: TransactionStatus { base.transactionStatus }

    func query(_ sql: String, _ parameters: [Value]) throws -> any Cursor {
        statements.append((sql, parameters))
        sends += 1
        return try base.query(sql, parameters)
    }

    func executeScript(_ sql: String) throws {
        statements.append((sql, []))
        sends += 1
        try base.executeScript(sql)
    }

    func fetchBatch(_ batch: [BoundStatement]) throws -> [[[Value]]] {
        statements += batch.map { ($0.sql, $0.parameters) }
        sends += 1
        return try base.fetchBatch(batch)
    }

    func describe(_ sql: String) throws -> [DescribedColumn] {
        statements.append((sql, []))
        sends += 1
        return try base.describe(sql)
    }

    func makeCanceller() -> any Canceller { base.makeCanceller() }
    func close() { base.close() }
    func reset() {
        statements.removeAll()
        sends = 0
    }
}

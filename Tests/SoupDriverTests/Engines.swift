import Foundation
import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

/// The two engines every driver test runs against.
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

    /// A placeholder for the parameter at `index`.
    func p(_ index: Int) -> String {
        self == .sqlite ? "?" : "$\(index + 1)"
    }
}

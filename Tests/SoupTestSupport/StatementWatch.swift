import Foundation
import SoupDriver
import SoupPostgres

/// Watches a PostgreSQL database's `pg_stat_activity` for a statement another client runs, so a
/// test can cancel, interrupt or crash the server while that statement is really running,
/// instead of after a fixed delay that a busy machine may not honour.
///
/// ```swift
/// let watch = try StatementWatch(url: url)
/// defer { watch.close() }
/// try watch.waitUntilRunning("SELECT pg_sleep(")
/// ```
public final class StatementWatch {
    private let connection: PostgresConnection

    /// Opens its own connection to the database of `url`.
    public init(url: String) throws {
        connection = try PostgresConnection(conninfo: url)
    }

    /// Whether another backend on this database is running (state `active`) a statement whose
    /// text, after leading white space, starts with `statement`.
    public func isRunning(_ statement: String) throws -> Bool {
        let running = try connection.scalar(
            """
            SELECT count(*) FROM pg_catalog.pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
               AND starts_with(ltrim(query), $1)
            """, [.text(statement)])
        return running != .integer(0)
    }

    /// Waits until ``isRunning(_:)`` holds; throws after `seconds` (a bound for a hang, not
    /// for speed: the statement normally shows within milliseconds).
    public func waitUntilRunning(_ statement: String, within seconds: Double = 60) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while try !isRunning(statement) {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("no backend ran \(statement.debugDescription) within \(seconds) s")
            }
            usleep(5_000)
        }
    }

    /// Closes the watching connection (before a crash of the server, say).
    public func close() {
        connection.close()
    }
}

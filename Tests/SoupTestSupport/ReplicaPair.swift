import Foundation
import Synchronization

/// A PostgreSQL primary and a streaming hot standby on loopback, shared by every test in the
/// process that needs both (separate from ``PostgresServer``), for the routing tests.
///
/// Started on first use (`initdb`, then `pg_basebackup -R`: a second or two), stopped
/// and deleted at exit. The primary logs every statement (`log_statement = 'all'`), so a test
/// can prove that a statement was never sent. Replay on the standby can be paused to make
/// replication lag deterministic; tests that pause it must run serialized.
///
/// ```swift
/// let pair = try ReplicaPair.shared()
/// let database = try pair.makeDatabase()       // exists on both servers
/// try pair.run(sql: "CREATE TABLE t (id int)", url: pair.primaryURL(database))
/// ```
public final class ReplicaPair: Sendable {
    public let primaryPort: Int
    public let standbyPort: Int
    private let primary: LocalCluster
    private let tools: PostgresTools

    private static let instance = Mutex<Result<ReplicaPair, any Error>?>(nil)

    /// The pair for this test process, started on first use; a failure to start is remembered.
    public static func shared() throws -> ReplicaPair {
        try instance.withLock { instance in
            let result = instance ?? Result { try start() }
            instance = result
            return try result.get()
        }
    }

    private static func start() throws -> ReplicaPair {
        let tools = try PostgresTools.locate(requiring: ["initdb", "pg_ctl", "pg_basebackup", "psql"])
        let primary = try LocalCluster.create(tools: tools, settings: ["log_statement=all"])
        let standby = try primary.makeStandby()
        let pair = ReplicaPair(primary: primary, standbyPort: standby.port, tools: tools)
        let deadline = Date().addingTimeInterval(30)
        while try pair.run(sql: "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", url: pair.primaryURL("postgres")) != "1" {
            guard Date() < deadline else { throw TestSupportError("the standby did not start streaming within 30 s") }
            usleep(20_000)
        }
        return pair
    }

    private init(primary: LocalCluster, standbyPort: Int, tools: PostgresTools) {
        self.primary = primary
        self.primaryPort = primary.port
        self.standbyPort = standbyPort
        self.tools = tools
    }

    /// `postgresql://postgres@127.0.0.1:PORT/DATABASE`.
    public func url(_ database: String, port: Int) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    public func primaryURL(_ database: String) -> String { url(database, port: primaryPort) }
    public func standbyURL(_ database: String) -> String { url(database, port: standbyPort) }

    /// Creates a database on the primary and waits until the standby has it; returns its name.
    public func makeDatabase(prefix: String = "r") throws -> String {
        let name = prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try run(sql: "CREATE DATABASE \"\(name)\"", url: primaryURL("postgres"))
        try waitForReplay()
        return name
    }

    /// Runs `sql` through psql (stopping at the first error, which is thrown); returns the output.
    @discardableResult
    public func run(sql: String, url: String) throws -> String {
        try tools.psql(sql: sql, url: url)
    }

    /// Waits until the standby has replayed everything the primary wrote so far.
    public func waitForReplay(timeout: Double = 20) throws {
        let lsn = try run(sql: "SELECT pg_current_wal_insert_lsn()", url: primaryURL("postgres"))
        let deadline = Date().addingTimeInterval(timeout)
        while try run(sql: "SELECT pg_last_wal_replay_lsn() >= '\(lsn)'::pg_lsn", url: standbyURL("postgres")) != "t" {
            guard Date() < deadline else { throw TestSupportError("the standby did not replay \(lsn) within \(timeout) s") }
            usleep(10_000)
        }
    }

    /// Pauses replay on the standby and waits until it is paused: writes on the primary stay
    /// invisible there until ``resumeReplay()``.
    public func pauseReplay() throws {
        try run(sql: "SELECT pg_wal_replay_pause()", url: standbyURL("postgres"))
        let deadline = Date().addingTimeInterval(10)
        while try run(sql: "SELECT pg_get_wal_replay_pause_state()", url: standbyURL("postgres")) != "paused" {
            guard Date() < deadline else { throw TestSupportError("replay did not pause") }
            usleep(10_000)
        }
    }

    /// Resumes replay and waits until the standby has caught up.
    public func resumeReplay() throws {
        try run(sql: "SELECT pg_wal_replay_resume()", url: standbyURL("postgres"))
        try waitForReplay()
    }

    /// Everything the primary has logged so far (every statement it received).
    public func primaryLog() -> String {
        (try? String(contentsOfFile: primary.logFile, encoding: .utf8)) ?? ""
    }
}

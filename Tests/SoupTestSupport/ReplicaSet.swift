import Foundation
import Synchronization

/// A PostgreSQL primary with several streaming hot standbys on loopback, for the tests of
/// several readers and of failover. Separate from ``ReplicaPair`` and ``PostgresServer``, so
/// stopping, pausing or promoting one of its servers disturbs no other test.
///
/// ``readers()`` is shared by the reader tests of a process (a primary and two standbys; the
/// tests stop and pause its standbys, so they run serialized); ``start(standbys:)`` makes a
/// set of one's own, for a test that promotes a standby. Every server is stopped and deleted
/// at exit.
///
/// ```swift
/// let set = try ReplicaSet.readers()
/// let database = try set.makeDatabase()           // exists on every server
/// try set.stopStandby(0)                          // as a crash would
/// try set.restartStandby(0)
/// ```
public final class ReplicaSet: Sendable {
    public let primaryPort: Int
    public var standbyPorts: [Int] { standbys.map(\.port) }
    private let primary: LocalCluster
    private let standbys: [LocalCluster]
    private let tools: PostgresTools

    private static let shared = Mutex<Result<ReplicaSet, any Error>?>(nil)

    /// The set of a primary and two standbys for this test process, started on first use.
    public static func readers() throws -> ReplicaSet {
        try shared.withLock { instance in
            let result = instance ?? Result { try start(standbys: 2) }
            instance = result
            return try result.get()
        }
    }

    /// A new primary with `standbys` streaming standbys, all started and streaming.
    public static func start(standbys count: Int) throws -> ReplicaSet {
        let tools = try PostgresTools.locate(requiring: ["initdb", "pg_ctl", "pg_basebackup", "psql"])
        let primary = try LocalCluster.create(tools: tools)
        let standbys = try (0..<count).map { _ in try primary.makeStandby() }
        let set = ReplicaSet(primary: primary, standbys: standbys, tools: tools)
        let deadline = Date().addingTimeInterval(30)
        while try set.run(sql: "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", url: set.primaryURL("postgres"))
            != String(count)
        {
            guard Date() < deadline else { throw TestSupportError("the standbys did not start streaming within 30 s") }
            usleep(20_000)
        }
        return set
    }

    private init(primary: LocalCluster, standbys: [LocalCluster], tools: PostgresTools) {
        self.primary = primary
        self.primaryPort = primary.port
        self.standbys = standbys
        self.tools = tools
    }

    /// `postgresql://postgres@127.0.0.1:PORT/DATABASE`.
    public func url(_ database: String, port: Int) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    public func primaryURL(_ database: String) -> String { url(database, port: primaryPort) }
    public func standbyURL(_ index: Int, _ database: String) -> String { url(database, port: standbys[index].port) }

    /// Creates a database on the primary and waits until every standby has it; returns its name.
    public func makeDatabase(prefix: String = "m") throws -> String {
        let name = prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try run(sql: "CREATE DATABASE \"\(name)\"", url: primaryURL("postgres"))
        for index in standbys.indices { try waitForReplay(standby: index) }
        return name
    }

    /// Runs `sql` through psql (stopping at the first error, which is thrown); returns the output.
    @discardableResult
    public func run(sql: String, url: String) throws -> String {
        try tools.psql(sql: sql, url: url)
    }

    /// Waits until standby `index` has replayed everything the primary wrote so far.
    public func waitForReplay(standby index: Int, timeout: Double = 20) throws {
        let lsn = try run(sql: "SELECT pg_current_wal_insert_lsn()", url: primaryURL("postgres"))
        try waitUntil("standby \(index) replays \(lsn)", timeout: timeout) {
            try run(sql: "SELECT pg_last_wal_replay_lsn() >= '\(lsn)'::pg_lsn", url: standbyURL(index, "postgres")) == "t"
        }
    }

    /// Pauses replay on standby `index` and waits until it is paused.
    public func pauseReplay(standby index: Int) throws {
        try run(sql: "SELECT pg_wal_replay_pause()", url: standbyURL(index, "postgres"))
        try waitUntil("replay pauses on standby \(index)", timeout: 10) {
            try run(sql: "SELECT pg_get_wal_replay_pause_state()", url: standbyURL(index, "postgres")) == "paused"
        }
    }

    /// Resumes replay on standby `index` and waits until it has caught up.
    public func resumeReplay(standby index: Int) throws {
        try run(sql: "SELECT pg_wal_replay_resume()", url: standbyURL(index, "postgres"))
        try waitForReplay(standby: index)
    }

    /// Stops standby `index` as a crash would (`pg_ctl stop -m immediate`).
    public func stopStandby(_ index: Int) throws {
        try standbys[index].stopImmediately()
    }

    /// Starts standby `index` again on its port and waits until it answers and streams.
    public func restartStandby(_ index: Int) throws {
        try standbys[index].restart()
        try waitForReplay(standby: index, timeout: 60)
    }

    /// Stops the primary as a crash would.
    public func stopPrimary() throws {
        try primary.stopImmediately()
    }

    /// Promotes standby `index` with `pg_promote()`, which waits until it is a primary.
    public func promote(standby index: Int) throws {
        let promoted = try run(sql: "SELECT pg_promote(true, 60)", url: standbyURL(index, "postgres"))
        guard promoted == "t" else { throw TestSupportError("pg_promote() on standby \(index) answered \(promoted)") }
    }

    /// Stops every server of the set that still runs (a set of one's own, at the end of its test).
    public func stop() {
        for cluster in [primary] + standbys { try? cluster.stopImmediately() }
    }

    private func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw TestSupportError("timed out after \(timeout) s waiting until \(what)") }
            usleep(10_000)
        }
    }
}

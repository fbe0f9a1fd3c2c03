import Foundation
import SoupDriver
import Synchronization

/// The PostgreSQL server shared by every test in the process.
///
/// The first call to ``shared()`` initializes a private cluster in a temporary directory and
/// starts it on a free port of 127.0.0.1 (as the `postgres` OS user when the tests run as
/// root); it is stopped and deleted when the process exits. When `SOUP_TEST_POSTGRES_URL` is
/// set, that server is used instead. Tests isolate themselves with ``makeDatabase(prefix:)``.
///
/// ```swift
/// let server = try PostgresServer.shared()
/// let url = try server.makeDatabase()
/// try server.run(sql: "CREATE TABLE t (id int)", url: url)
/// ```
public final class PostgresServer: Sendable {
    /// The host name or address clients connect to.
    public let host: String
    /// The TCP port clients connect to.
    public let port: Int

    /// The connection URL of the `postgres` database, as the superuser.
    private let adminURL: URLComponents
    let tools: PostgresTools
    /// The private cluster, or nil when the server comes from `SOUP_TEST_POSTGRES_URL`.
    let cluster: LocalCluster?

    private static let instance = Mutex<Result<PostgresServer, any Error>?>(nil)

    /// The server for this test process, started on first use. A failure to start is
    /// remembered and thrown to every caller.
    public static func shared() throws -> PostgresServer {
        try instance.withLock { instance in
            let result = instance ?? Result { try start() }
            instance = result
            return try result.get()
        }
    }

    private static func start() throws -> PostgresServer {
        if let url = ProcessInfo.processInfo.environment["SOUP_TEST_POSTGRES_URL"], !url.isEmpty {
            return try PostgresServer(existing: url)
        }
        let tools = try PostgresTools.locate(requiring: ["initdb", "pg_ctl", "psql"])
        let cluster = try LocalCluster.create(tools: tools)
        var url = URLComponents()
        url.scheme = "postgresql"
        url.user = "postgres"
        url.host = "127.0.0.1"
        url.port = cluster.port
        url.path = "/postgres"
        return PostgresServer(adminURL: url, tools: tools, cluster: cluster)
    }

    init(adminURL: URLComponents, tools: PostgresTools, cluster: LocalCluster?) {
        self.adminURL = adminURL
        self.tools = tools
        self.cluster = cluster
        host = adminURL.host ?? "localhost"
        port = adminURL.port ?? 5432
    }

    /// Uses the server at `url`, after checking that it answers.
    private convenience init(existing url: String) throws {
        let lowercased = url.lowercased()
        guard lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://"),
            let components = URLComponents(string: url)
        else {
            throw TestSupportError(
                "SOUP_TEST_POSTGRES_URL must be a postgresql:// URL, got "
                    + ConnectionString.redacted(url))
        }
        self.init(
            adminURL: components, tools: try PostgresTools.locate(requiring: ["psql"]), cluster: nil
        )
        do {
            _ = try run(sql: "SELECT 1")
        } catch {
            throw TestSupportError("SOUP_TEST_POSTGRES_URL does not answer: \(error)")
        }
    }

    /// A `postgresql://` URL for `database`. `user` and `password` default to the superuser's
    /// (`postgres`, no password, for the private server; those of `SOUP_TEST_POSTGRES_URL`).
    public func url(database: String, user: String? = nil, password: String? = nil) -> String {
        var url = adminURL
        if let user {
            url.user = user
            url.password = password
        } else if let password {
            url.password = password
        }
        url.path = "/" + database
        return url.string!
    }

    /// Creates a database with a fresh name starting with `prefix` and returns its URL. Safe to
    /// call from tests running in parallel.
    public func makeDatabase(prefix: String = "t") throws -> String {
        let name = prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try run(sql: "CREATE DATABASE \"\(name)\"")
        return url(database: name)
    }

    /// Runs `sql` (any number of statements, psql meta-commands allowed) through `psql` on
    /// `database` as the superuser, stopping at the first error, which is thrown. Returns what
    /// psql printed: unaligned rows without headers, no final newline.
    @discardableResult
    public func run(sql: String, database: String = "postgres") throws -> String {
        try tools.psql(sql: sql, url: url(database: database))
    }

    /// Runs `sql` like ``run(sql:database:)``, on the connection URL `url`.
    @discardableResult
    public func run(sql: String, url: String) throws -> String {
        try tools.psql(sql: sql, url: url)
    }
}

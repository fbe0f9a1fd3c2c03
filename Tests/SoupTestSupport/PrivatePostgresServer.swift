import Foundation

/// A PostgreSQL server of a test's own, for fault tests that crash, restart or reconfigure
/// it; the shared server (``PostgresServer/shared()``) is never touched that way.
extension PostgresServer {
    /// Starts a new private cluster (stopped and deleted when the process exits) with
    /// `synchronous_commit` on, so a COMMIT that returned survives a crash of the server.
    public static func makePrivate() throws -> PostgresServer {
        let tools = try PostgresTools.locate(requiring: ["initdb", "pg_ctl", "psql"])
        let cluster = try LocalCluster.create(tools: tools, durable: true)
        var url = URLComponents()
        url.scheme = "postgresql"
        url.user = "postgres"
        url.host = "127.0.0.1"
        url.port = cluster.port
        url.path = "/postgres"
        return PostgresServer(adminURL: url, tools: tools, cluster: cluster)
    }

    /// Every server process quits at once, as in a crash (`pg_ctl stop -m immediate`).
    public func crash() throws {
        try privateCluster().stopImmediately()
    }

    /// Starts the crashed or stopped server again on the same port.
    public func restart() throws {
        try privateCluster().restart()
    }

    /// Creates the login role `name` with `password` and makes the server demand it
    /// (SCRAM-SHA-256) from that role over TCP; the superuser stays trusted. Returns once a
    /// connection without the password is refused.
    public func addPasswordRole(_ name: String, password: String) throws {
        let cluster = try privateCluster()
        let quoted = String(String.UnicodeScalarView(password.unicodeScalars.flatMap { $0 == "'" ? ["'", "'"] : [$0] }))
        try run(
            sql: """
                SET password_encryption = 'scram-sha-256';
                CREATE ROLE "\(name)" LOGIN SUPERUSER PASSWORD '\(quoted)';
                """)
        try cluster.setHostBasedAuthentication(
            """
            local all all trust
            host all \(name) 127.0.0.1/32 scram-sha-256
            host all all 127.0.0.1/32 trust
            """)
        for _ in 1...100 {
            if (try? run(sql: "SELECT 1", url: url(database: "postgres", user: name))) == nil { return }
            usleep(50_000)
        }
        throw TestSupportError("the server still lets \(name) in without a password after a reload")
    }

    private func privateCluster() throws -> LocalCluster {
        guard let cluster else {
            throw TestSupportError("this server is not a private cluster (SOUP_TEST_POSTGRES_URL)")
        }
        return cluster
    }
}

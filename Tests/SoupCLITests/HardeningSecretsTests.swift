import Foundation
import SoupTestSupport
import Testing

/// Passwords never reach stdout or stderr, whatever `--echo`, `--verbose` or an error prints:
/// sessions on a private cluster whose role `soup_secret` must log in with a SCRAM password,
/// given in a URL, a URL parameter, a keyword string, `PGPASSWORD` and a `.pgpass` file, that
/// succeed, fail to connect, or fail in a statement.
@Suite("Hardening: secrets", .serialized)
struct HardeningSecretsTests {
    static let role = "soup_secret"
    static let password = "Pw7f3kQz-hunter2"
    static let wrongPassword = "Wr0ngPw-9xq2"

    static let server = Result { () throws -> PostgresServer in
        let server = try PostgresServer.makePrivate()
        try server.addPasswordRole(role, password: password)
        try server.run(sql: "CREATE DATABASE secrets")
        return server
    }

    /// One session and what it must show.
    struct Session: CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var environment: [String: String] = [:]
        var stdin: String?
        var status: Int32
        /// Text stdout or stderr must hold, proving the session went where it should.
        var evidence: String

        var testDescription: String { name }
    }

    static func sessions(port: Int, pgpass: String) -> [Session] {
        let bare = "postgresql://\(role)@127.0.0.1:\(port)/secrets"
        let url = "postgresql://\(role):\(password)@127.0.0.1:\(port)/secrets"
        let wrongURL = "postgresql://\(role):\(wrongPassword)@127.0.0.1:\(port)/secrets"
        let keywords = "host=127.0.0.1 port=\(port) dbname=secrets user=\(role) password=\(password)"
        let loud = ["--echo", "--verbose", "--timing"]
        let statements = [
            "SELECT current_user AS who", "t = db.entity('nope')", "SELECT * FROM missing_table",
        ]
        return [
            Session(name: "URL", arguments: ["query", url] + loud + statements.prefix(1), status: 0, evidence: role),
            Session(name: "URL, statement error", arguments: ["query", url] + loud + statements, status: 1, evidence: role),
            Session(
                name: "URL, soup error", arguments: ["query", url] + loud + ["db.execute('SELEC 1')"], status: 1,
                evidence: "syntax error"),
            Session(
                name: "URL parameter", arguments: ["query", bare + "?password=\(password)", "-f", "json"] + loud + statements,
                status: 1, evidence: role),
            Session(name: "keyword string", arguments: ["query", keywords] + loud + statements, status: 1, evidence: role),
            Session(
                name: "PGPASSWORD", arguments: ["query", bare] + loud + statements, environment: ["PGPASSWORD": password],
                status: 1, evidence: role),
            Session(
                name: ".pgpass", arguments: ["query", bare] + loud + statements, environment: ["PGPASSFILE": pgpass],
                status: 1, evidence: role),
            Session(
                name: "soup run --dry-run", arguments: ["run", url, "-", "--dry-run"] + loud,
                stdin: "CREATE TABLE x (a int);\nINSERT INTO x VALUES (1);", status: 0,
                evidence: "dry run"),
            Session(
                name: "wrong password in the URL", arguments: ["query", wrongURL] + loud + statements.prefix(1), status: 2,
                evidence: "password authentication failed"),
            Session(
                name: "wrong PGPASSWORD, right one in .pgpass",
                arguments: ["query", bare] + loud + statements.prefix(1),
                environment: ["PGPASSWORD": wrongPassword, "PGPASSFILE": pgpass], status: 2,
                evidence: "password authentication failed"),
            Session(
                name: "no such database", arguments: ["query", url.replacing("/secrets", with: "/nodb")] + loud + ["SELECT 1"], status: 2,
                evidence: "nodb"),
            Session(
                name: "no server on the port",
                arguments: ["query", keywords.replacing("port=\(port)", with: "port=1") + " connect_timeout=2"] + loud + ["SELECT 1"],
                status: 2, evidence: "127.0.0.1"),
            Session(
                name: "malformed URL", arguments: ["query", url.replacing(":\(port)", with: ":notaport")] + loud + ["SELECT 1"], status: 2,
                evidence: "port"),
            Session(
                name: "mistyped scheme", arguments: ["query", url.replacing("postgresql://", with: "postgress://")] + loud + ["SELECT 1"],
                status: 2, evidence: "no such database file"),
        ]
    }

    @Test func sessionsNeverShowThePassword() throws {
        let server = try Self.server.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pgpass = directory.file(named: "pgpass")
        try "127.0.0.1:\(server.port):*:\(Self.role):\(Self.password)\n".write(
            toFile: pgpass, atomically: false, encoding: .utf8)
        chmod(pgpass, 0o600)
        var checked = 0
        for session in Self.sessions(port: server.port, pgpass: pgpass) {
            let result = try SoupBinary.run(
                session.arguments, stdin: session.stdin, environment: session.environment, timeout: 60)
            let output = result.stdout + result.stderr
            #expect(result.status == session.status, "\(session.name): \(output)")
            #expect(output.contains(session.evidence), "\(session.name): \(output)")
            for secret in [Self.password, Self.wrongPassword, "hunter2", "Wr0ngPw"] {
                #expect(!output.contains(secret), "\(session.name) shows the password: \(output)")
            }
            checked += 1
        }
        print("secrets: \(checked) sessions (--echo --verbose --timing), password in neither stdout nor stderr")
    }
}

import Foundation
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Testing

/// Passwords written into SQL text (`ALTER ROLE x PASSWORD 'p'`, `CREATE USER … PASSWORD '…'`)
/// are masked in the audit log and in `--echo`, as parameters bound to secret columns are.
extension HardeningSecretsTests {
    @Test("password literals in SQL text are masked in the audit log and --echo")
    func passwordLiteralsAreMasked() throws {
        let server = try Self.server.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let profile = try #require(try Self.sources(port: server.port, directory: directory).first { $0.name == "profile" })
        let suffix = String(getpid())
        let roles = ["soup_mask_a", "soup_mask_b", "soup_mask_c"].map { $0 + suffix }
        let statements = [
            "CREATE TABLE IF NOT EXISTS logins (id serial PRIMARY KEY, password text, note text)",
            "CREATE ROLE \(roles[0]) WITH LOGIN PASSWORD 'Create-hunter2'",
            "ALTER ROLE \(roles[0]) PASSWORD 'Alter-hunter2' VALID UNTIL 'infinity'",
            "CREATE USER \(roles[1]) PASSWORD 'User-hunter2'",
            "ALTER USER \(roles[1]) WITH ENCRYPTED PASSWORD E'Esc\\\\aped-hunter2'",
            "CREATE ROLE \(roles[2]) PASSWORD $$Dollar-hunter2$$ LOGIN",
            "INSERT INTO logins (note, password) VALUES ('kept', 'Insert-hunter2')",
            "UPDATE logins SET password = 'Update-hunter2' WHERE note = 'kept'",
            "DROP ROLE \(roles[0])", "DROP ROLE \(roles[1])", "DROP ROLE \(roles[2])",
        ]
        let result = try SoupBinary.run(
            ["query", profile.database, "--echo"] + profile.arguments + statements, environment: profile.environment)
        #expect(result.status == 0, "\(result.stderr)")
        Self.expectNoSecret(result.stdout + result.stderr, "--echo")
        #expect(result.stderr.contains("ALTER ROLE \(roles[0]) PASSWORD '***' VALID UNTIL 'infinity'"), "\(result.stderr)")

        let audit = try SQLiteConnection(location: .file(path: directory.file(named: "audit.db")), mode: .readOnly)
        defer { audit.close() }
        let logged = try audit.fetchAll("SELECT statement FROM soup_audit_log ORDER BY id").map { row -> String in
            guard case .text(let text) = row[0] else { return "" }
            return text
        }
        Self.expectNoSecret(logged.joined(separator: "\n"), "the audit log")
        for expected in [
            "CREATE ROLE \(roles[0]) WITH LOGIN PASSWORD '***'",
            "ALTER ROLE \(roles[0]) PASSWORD '***' VALID UNTIL 'infinity'",
            "CREATE USER \(roles[1]) PASSWORD '***'",
            "ALTER USER \(roles[1]) WITH ENCRYPTED PASSWORD '***'",
            "CREATE ROLE \(roles[2]) PASSWORD '***' LOGIN",
            "INSERT INTO logins (note, password) VALUES ('kept', '***')",
            "UPDATE logins SET password = '***' WHERE note = 'kept'",
        ] {
            #expect(logged.contains { $0.contains(expected) }, "\(expected) not in \(logged)")
        }
    }
}

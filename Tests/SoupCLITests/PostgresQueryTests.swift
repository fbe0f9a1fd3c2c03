import Foundation
import SoupTestSupport
import Testing

@Suite("soup query on PostgreSQL, end to end")
struct PostgresQueryTests {
    private func database() throws -> String {
        let url = try PostgresServer.shared().makeDatabase()
        let setup = try SoupBinary.run([
            "query", url,
            "CREATE TABLE users (name text PRIMARY KEY, email text, joined date, score numeric, tags text[])",
            "INSERT INTO users VALUES ('ann', 'ann@example.org', '2024-01-02', 12345678901234567890.5, ARRAY['a', 'b c'])",
            "INSERT INTO users VALUES ('bo', NULL, NULL, NULL, NULL)",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        return url
    }

    @Test("rows, command tags and the footer in table format")
    func table() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "UPDATE users SET email = email", "SELECT name FROM users ORDER BY name"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("UPDATE 2\n"))
        #expect(result.stdout.contains("(2 rows)"))
    }

    @Test("json keeps numeric exact and arrays as arrays")
    func json() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "-f", "json", "SELECT * FROM users ORDER BY name"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["score"] as? String == "12345678901234567890.5")
        #expect(rows.first?["tags"] as? [String] == ["a", "b c"])
        #expect(rows.first?["joined"] as? String == "2024-01-02")
        #expect(rows.last?["email"] is NSNull)
    }

    @Test("a unique violation shows SQLSTATE 23505 and the detail, exit 1, nothing committed")
    func uniqueViolation() throws {
        let url = try database()
        let result = try SoupBinary.run([
            "query", url, "INSERT INTO users (name) VALUES ('cy')", "INSERT INTO users (name) VALUES ('ann')",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("arg2:1:1: ERROR:  duplicate key value violates unique constraint \"users_pkey\" (SQLSTATE 23505)"))
        #expect(result.stderr.contains("DETAIL:  Key (name)=(ann) already exists."))
        let count = try PostgresServer.shared().run(sql: "SELECT count(*) FROM users", database: String(url.split(separator: "/").last!))
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test("a syntax error shows the message and a caret under the position")
    func syntaxError() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "SELECT name\n  FORM users"])
        #expect(result.status == 1)
        // FORM reads as an alias of `name`, so the error is at `users`.
        #expect(result.stderr.contains("arg1:2:8: ERROR:  syntax error at or near \"users\" (SQLSTATE 42601)"))
        #expect(result.stderr.contains("LINE 2:   FORM users\n" + String(repeating: " ", count: 15) + "^"))
    }

    @Test("--read-only makes the session read-only")
    func readOnly() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "--read-only", "DELETE FROM users"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("SQLSTATE 25006"))
    }

    @Test("statements that cannot run in a transaction still run")
    func vacuum() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "VACUUM users"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "VACUUM\n")
    }

    @Test("notices go to stderr")
    func notices() throws {
        let url = try database()
        let result = try SoupBinary.run(["query", url, "DROP TABLE IF EXISTS nothing_here"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("NOTICE:  table \"nothing_here\" does not exist, skipping"))
    }

    /// Ctrl-C once the server shows the statement running; soup must end long before the
    /// sleep would (the run's timeout is the bound; how fast is bench/run's `cancel.*` concern).
    @Test("Ctrl-C cancels the running statement and exits 130")
    func interrupt() throws {
        let url = try database()
        let watch = try StatementWatch(url: url)
        defer { watch.close() }
        let result = try SoupBinary.run(
            ["query", url, "SELECT pg_sleep(600)"], timeout: 60,
            interruptWhen: .when { (try? watch.isRunning("SELECT pg_sleep(600)")) == true })
        #expect(result.status == 130)
        #expect(result.stderr.contains("canceling statement due to user request"), "\(result.stderr)")
    }
}

@Suite("libpq's environment")
struct LibpqEnvironmentTests {
    @Test("PGHOST, PGPORT, PGUSER and PGDATABASE fill in what the URL leaves out")
    func environmentVariables() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        let environment = ["PGHOST": server.host, "PGPORT": String(server.port), "PGUSER": "postgres", "PGDATABASE": database]
        let result = try SoupBinary.run(["query", "postgresql://", "-f", "csv", "SELECT current_database() AS db"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "db\n\(database)\n")
        let keywords = try SoupBinary.run(["query", "connect_timeout=5", "-f", "csv", "SELECT 1 AS one"], environment: environment)
        #expect(keywords.stdout == "one\n1\n", "\(keywords.stderr)")
    }
}

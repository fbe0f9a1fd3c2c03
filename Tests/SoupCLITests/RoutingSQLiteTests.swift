import Foundation
import SoupDriver
import SoupRouting
import SoupSQLite
import SoupTestSupport
import Testing

/// The same routing on SQLite: the writer is the file, the reader the same file opened read-only.
@Suite("Routing on SQLite")
struct RoutingSQLiteTests {
    private func fixture() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory(prefix: "soup-routing-lite")
        let database = directory.file(named: "app.db")
        let setup = try SoupBinary.run([
            "query", "--create", database, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, api_token TEXT)",
            "INSERT INTO items (name) VALUES ('alpha')",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        let config = """
            default = "lite"
            [profile.lite]
            sticky = "time"
            sticky_window = "500ms"
            [profile.lite.bindings.writer]
            url = "sqlite:///\(database)"
            [profile.lite.bindings.reader]
            url = "sqlite:///\(database)"
            [profile.lite.bindings.logger]
            url = "sqlite:///\(directory.file(named: "audit.db"))"
            """
        try config.write(toFile: directory.file(named: "soup.toml"), atomically: true, encoding: .utf8)
        return (directory, database)
    }

    private func router(_ database: String) -> RoutingConnection {
        var profile = Profile(name: "lite")
        profile.bindings = ["writer", "reader"].map { BindingConfig(name: $0, url: database, locator: .sqlite(.file(path: database))) }
        return RoutingConnection(profile: profile) { config, readOnly in
            guard case .sqlite(let location) = config.locator else { throw RoutingError(message: "not SQLite") }
            return try SQLiteConnection(location: location, mode: readOnly ? .readOnly : .readWrite)
        }
    }

    @Test("reads go to the read-only reader, writes and transactions that may write to the writer")
    func routes() throws {
        let (directory, database) = try fixture()
        defer { directory.remove() }
        let router = router(database)
        defer { router.close() }
        #expect(try router.scalar("SELECT count(*) FROM items") == .integer(1))
        #expect(router.status().bindings.map(\.state) == [.initial, .started])
        try router.execute("INSERT INTO items (name) VALUES ('beta')")
        #expect(try router.scalar("SELECT count(*) FROM items") == .integer(2))
        try router.begin()
        try router.execute("UPDATE items SET name = 'gamma' WHERE name = 'beta'")
        #expect(try router.scalar("SELECT name FROM items WHERE id = 2") == .text("gamma"))
        try router.commit()
        let status = router.status()
        #expect(status.bindings.map(\.role) == ["file", "file (read-only)"])
        #expect(status.bindings[0].statementsSent == 5)
        #expect(status.bindings[1].statementsSent == 2)
        #expect(status.bindings[1].lastRoute?.reason == "read: SELECT")
        // The reader is really read-only: a write forced there fails in SQLite itself.
        try router.force(binding: "reader")
        #expect { try router.execute("DELETE FROM items") } throws: { error in
            (error as? DatabaseError)?.message.contains("readonly") == true
        }
    }

    @Test("a plan says which binding made it: a read's the reader, an analyzed write's the writer")
    func planBinding() throws {
        let (directory, _) = try fixture()
        defer { directory.remove() }
        let result = try SoupBinary.run(
            [
                "query", "lite", "--tx", "none", "EXPLAIN SELECT * FROM items;", "EXPLAIN UPDATE items SET name = 'x' WHERE id = 1;",
                "EXPLAIN ANALYZE UPDATE items SET name = 'x' WHERE id = 1;",
            ],
            currentDirectory: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Plan (estimated: the statement did not run) on binding reader\n"), "\(result.stdout)")
        // The plan of a write is made where the write would run, even when nothing runs.
        #expect(result.stdout.contains("Plan (estimated: the statement did not run) on binding writer\n"), "\(result.stdout)")
        #expect(result.stdout.contains("Plan (analyzed: the statement ran) on binding writer\n"), "\(result.stdout)")
    }

    @Test("end to end: soup query on the default profile, the logger masks secret parameters, status, --read-only")
    func endToEnd() throws {
        let (directory, database) = try fixture()
        defer { directory.remove() }
        let insert = try SoupBinary.run(
            ["query", "lite", "--tx", "none", "items.insert(name='delta', api_token='tok-123')", "db.commit()"],
            currentDirectory: directory.path)
        #expect(insert.status == 0, "\(insert.stderr)")
        let audit = try SoupBinary.run(["query", directory.file(named: "audit.db"), "-f", "csv", "SELECT binding, parameters FROM soup_audit_log"])
        #expect(audit.stdout.contains("writer"), "\(audit.stdout)")
        #expect(audit.stdout.contains("***"))
        #expect(!audit.stdout.contains("tok-123"))
        let status = try SoupBinary.run(["status", "--json"], currentDirectory: directory.path)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"role\":\"file (read-only)\""), "\(status.stdout)")
        let readOnly = try SoupBinary.run(["query", "lite", "--read-only", "DELETE FROM items"], currentDirectory: directory.path)
        #expect(readOnly.status == 1)
        #expect(readOnly.stderr.contains("read-only: soup refused to send DELETE"))
        // With --read-only the database enforces it too: every binding opens the file read-only.
        let readOnlyStatus = try SoupBinary.run(["status", "lite", "--read-only", "--json"], currentDirectory: directory.path)
        #expect(readOnlyStatus.stdout.components(separatedBy: "\"role\":\"file (read-only)\"").count == 3, "\(readOnlyStatus.stdout)")
        let count = try SoupBinary.run(["query", database, "-f", "csv", "SELECT count(*) AS n FROM items"])
        #expect(count.stdout == "n\n2\n")
    }

    @Test("a script of reads (--tx file) runs in one read-only transaction on the reader")
    func scriptOfReads() throws {
        let (directory, _) = try fixture()
        defer { directory.remove() }
        let read = try SoupBinary.run(
            ["query", "lite", "-v", "-f", "csv", "SELECT count(*) AS n FROM items", "items.count()"],
            currentDirectory: directory.path)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "n\n1\n1\n", "\(read.stdout)")
        #expect(read.stderr.contains("soup: route: reader: read-only transaction: BEGIN"), "\(read.stderr)")
        #expect(!read.stderr.contains("route: writer"), "\(read.stderr)")
    }

    @Test("a bad config file stops the command with the file, line and key")
    func badConfig() throws {
        let directory = try TemporaryDirectory(prefix: "soup-routing-bad")
        defer { directory.remove() }
        try "[profile.app]\nsticky = \"sometimes\"\n".write(toFile: directory.file(named: "soup.toml"), atomically: true, encoding: .utf8)
        let result = try SoupBinary.run(["query", "app", "SELECT 1"], currentDirectory: directory.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("soup.toml:2: profile.app.sticky: expected one of off, time, lsn; got \"sometimes\""), "\(result.stderr)")
        let explicit = try SoupBinary.run(["query", "app", "SELECT 1", "--config", directory.file(named: "missing.toml")])
        #expect(explicit.status == 2)
        #expect(explicit.stderr.contains("missing.toml:0: (file): cannot read the config file"))
    }
}

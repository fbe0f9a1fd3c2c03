import Foundation
import SoupTestSupport
import Testing

/// `soup tables`, `soup schema`, `soup query` and `soup run` without a DB argument: the default
/// database is `$DATABASE_URL`, then the config's `default` profile (issue 18, item 4).
@Suite("the default database for every command")
struct DefaultDatabaseTests {
    /// A home with a config file at `$XDG_CONFIG_HOME/soup/config.toml`, and a SQLite database
    /// of two tables.
    private struct Home {
        let directory: TemporaryDirectory
        let database: String

        init() throws {
            directory = try TemporaryDirectory()
            database = directory.file(named: "app.db")
            let made = try SoupBinary.run([
                "query", database, "--create",
                "CREATE TABLE artist (artist_id integer PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO artist (name) VALUES ('AC/DC'), ('Accept')",
                "CREATE TABLE album (album_id integer PRIMARY KEY, title text, artist_id integer REFERENCES artist)",
            ])
            #expect(made.status == 0, "\(made.stderr)")
        }

        /// Writes the user's config file; `defaultProfile` nil leaves out the `default` line.
        func writeConfig(defaultProfile: String?, url: String? = nil) throws {
            try FileManager.default.createDirectory(atPath: directory.path + "/config/soup", withIntermediateDirectories: true)
            var text = defaultProfile.map { "default = \"\($0)\"\n" } ?? ""
            text += "[profile.app.bindings.writer]\nurl = \"\(url ?? "sqlite:///" + database)\"\n"
            try text.write(toFile: directory.path + "/config/soup/config.toml", atomically: true, encoding: .utf8)
        }

        /// The environment of a run: the config home, and `DATABASE_URL` when given.
        func environment(databaseURL: String? = nil) -> [String: String] {
            var environment = ["XDG_CONFIG_HOME": directory.path + "/config"]
            environment["DATABASE_URL"] = databaseURL
            return environment
        }

        func run(_ arguments: [String], databaseURL: String? = nil, stdin: String? = nil) throws -> ProcessResult {
            try SoupBinary.run(
                arguments, stdin: stdin, environment: environment(databaseURL: databaseURL),
                currentDirectory: directory.path)
        }
    }

    @Test("DATABASE_URL: tables, schema, query and run need no DB")
    func databaseURL() throws {
        let home = try Home()
        defer { home.directory.remove() }
        let url = home.database
        let tables = try home.run(["tables", "-f", "csv"], databaseURL: url)
        #expect(tables.status == 0, "\(tables.stderr)")
        #expect(tables.stdout == "schema,name,type\nmain,album,table\nmain,artist,table\n")
        let schema = try home.run(["schema", "artist"], databaseURL: url)
        #expect(schema.status == 0, "\(schema.stderr)")
        #expect(schema.stdout.contains("Table \"main.artist\""))
        #expect(!schema.stdout.contains("Table \"main.album\""))
        let every = try home.run(["schema", "-f", "mermaid"], databaseURL: url)
        #expect(every.stdout.contains("album") && every.stdout.contains("artist"), "\(every.stdout)")
        let query = try home.run(["query", "-f", "csv", "SELECT count(*) AS n FROM artist", "artist.count()"], databaseURL: url)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout == "n\n2\n2\n")
        // A soup assignment is not a libpq keyword string.
        let assignment = try home.run(["query", "x = artist.get(1)", "x.name"], databaseURL: url)
        #expect(assignment.stdout == "AC/DC\n", "\(assignment.stderr)")
        try "artist.filter_by(name='Accept').one().name\n".write(
            toFile: home.directory.file(named: "setup.soup"), atomically: true, encoding: .utf8)
        let run = try home.run(["run", "setup.soup"], databaseURL: url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Accept\n")
        // A database named first still wins over the default.
        let other = home.directory.file(named: "other.db")
        #expect(try home.run(["query", other, "--create", "CREATE TABLE only_here (x)"]).status == 0)
        let named = try home.run(["tables", other, "-f", "csv"], databaseURL: url)
        #expect(named.stdout == "schema,name,type\nmain,only_here,table\n", "\(named.stderr)")
        let namedQuery = try home.run(["query", other, "SELECT count(*) AS n FROM only_here", "-f", "csv"], databaseURL: url)
        #expect(namedQuery.stdout == "n\n0\n", "\(namedQuery.stderr)")
        // A name with a SQLite ending is a database, even a missing one.
        let missing = try home.run(["query", "missing.db", "SELECT 1"], databaseURL: url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("use --create"), "\(missing.stderr)")
    }

    @Test("the config's default profile, and a profile named first")
    func configDefault() throws {
        let home = try Home()
        defer { home.directory.remove() }
        try home.writeConfig(defaultProfile: "app")
        let tables = try home.run(["tables", "-f", "csv"])
        #expect(tables.status == 0, "\(tables.stderr)")
        #expect(tables.stdout.contains("main,artist,table"))
        let query = try home.run(["query", "-f", "csv", "SELECT name FROM artist ORDER BY name"])
        #expect(query.stdout == "name\nAC/DC\nAccept\n", "\(query.stderr)")
        let profile = try home.run(["query", "app", "-f", "csv", "SELECT count(*) AS n FROM album"])
        #expect(profile.stdout == "n\n0\n", "\(profile.stderr)")
        let schema = try home.run(["schema", "album"])
        #expect(schema.stdout.contains("Table \"main.album\""), "\(schema.stderr)")
        // DATABASE_URL comes before the config's default.
        let other = home.directory.file(named: "other.db")
        #expect(try home.run(["query", other, "--create", "CREATE TABLE only_here (x)"]).status == 0)
        let fromURL = try home.run(["tables", "-f", "csv"], databaseURL: other)
        #expect(fromURL.stdout == "schema,name,type\nmain,only_here,table\n", "\(fromURL.stderr)")
    }

    @Test("without a default, the usage error says which default is missing")
    func missingDefault() throws {
        let home = try Home()
        defer { home.directory.remove() }
        let config = home.directory.path + "/config/soup/config.toml"
        for arguments in [["query", "SELECT 1"], ["run", "setup.soup"], ["tables"], ["schema"], ["schema", "artist"]] {
            let result = try home.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("DATABASE_URL is not set and there is no config file"), "\(result.stderr)")
            #expect(result.stderr.contains(config), "\(result.stderr)")
        }
        let query = try home.run(["query", "SELECT 1"])
        #expect(query.stderr.hasPrefix("soup: error: \"SELECT 1\" is not a database, and there is no default database"))
        let tables = try home.run(["tables"])
        #expect(tables.stderr.hasPrefix("soup: error: no database given, and there is no default database"))
        try home.writeConfig(defaultProfile: nil)
        let noDefault = try home.run(["query", "artist.count()"])
        #expect(noDefault.status == 64)
        #expect(noDefault.stderr.contains("DATABASE_URL is not set and \(config) has no `default = \"PROFILE\"` line"), "\(noDefault.stderr)")
        // A database with nothing to run is still a usage error.
        let nothing = try home.run(["query", home.database])
        #expect(nothing.status == 64)
        #expect(nothing.stderr.contains("give at least one statement to run"))
        #expect(try home.run(["run", home.database]).stderr.contains("give at least one script file"))
    }

    @Test("PostgreSQL: DATABASE_URL and a default profile on the server")
    func postgres() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let home = try Home()
        defer { home.directory.remove() }
        let setup = try home.run(
            ["query", "CREATE TABLE track (track_id serial PRIMARY KEY, name text)", "INSERT INTO track (name) VALUES ('Balls to the Wall')"],
            databaseURL: url)
        #expect(setup.status == 0, "\(setup.stderr)")
        let tables = try home.run(["tables", "-f", "csv"], databaseURL: url)
        #expect(tables.stdout == "schema,name,type\npublic,track,table\n", "\(tables.stderr)")
        try home.writeConfig(defaultProfile: "app", url: url)
        let query = try home.run(["query", "-f", "csv", "track.get(1).name"])
        #expect(query.stdout == "Balls to the Wall\n", "\(query.stderr)")
        let schema = try home.run(["schema", "track"])
        #expect(schema.stdout.contains("Table \"public.track\""), "\(schema.stderr)")
        try "SELECT name FROM track;\n".write(toFile: home.directory.file(named: "q.sql"), atomically: true, encoding: .utf8)
        let run = try home.run(["run", "q.sql", "-f", "csv"])
        #expect(run.stdout == "name\nBalls to the Wall\n", "\(run.stderr)")
    }
}

import Foundation
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Testing

/// The connection password, given in a URL, a keyword string, `PGPASSWORD`, `.pgpass` or a
/// profile of the config file, is nowhere soup writes: the REPL's banner, prompt, `\status`
/// and history file; `soup status` and `--json`; `-v` route lines; every column of the logger
/// binding's audit rows; the routing state file; and the errors of a bad config file.
extension HardeningSecretsTests {
    static let secrets = [password, "hunter2"]

    /// A way to give the password, as `soup` arguments and environment.
    struct Source: CustomTestStringConvertible {
        var name: String
        var database: String
        var environment: [String: String] = [:]
        var arguments: [String] = []

        var testDescription: String { name }
    }

    /// The five sources, with `directory` holding `.pgpass` and the config file.
    static func sources(port: Int, directory: TemporaryDirectory) throws -> [Source] {
        let bare = "postgresql://\(role)@127.0.0.1:\(port)/secrets"
        let url = "postgresql://\(role):\(password)@127.0.0.1:\(port)/secrets"
        let pgpass = directory.file(named: "pgpass")
        try "127.0.0.1:\(port):*:\(role):\(password)\n".write(toFile: pgpass, atomically: false, encoding: .utf8)
        chmod(pgpass, 0o600)
        let config = directory.file(named: "soup.toml")
        try """
            [profile.app]
            sticky = "lsn"
            [profile.app.bindings.writer]
            url = "\(url)"
            [profile.app.bindings.reader]
            url = "host=127.0.0.1 port=\(port) dbname=secrets user=\(role) password=\(password)"
            [profile.app.bindings.logger]
            url = "sqlite:///\(directory.file(named: "audit.db"))"
            """.write(toFile: config, atomically: false, encoding: .utf8)
        return [
            Source(name: "URL", database: url),
            Source(name: "keyword string", database: "host=127.0.0.1 port=\(port) dbname=secrets user=\(role) password=\(password)"),
            Source(name: "PGPASSWORD", database: bare, environment: ["PGPASSWORD": password]),
            Source(name: ".pgpass", database: bare, environment: ["PGPASSFILE": pgpass]),
            Source(name: "profile", database: "app", arguments: ["--config", config]),
        ]
    }

    /// Fails when any secret is in `text`.
    static func expectNoSecret(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets where text.contains(secret) {
            Issue.record("\(what) shows the password: \(text.suffix(3000))", sourceLocation: sourceLocation)
        }
    }

    @Test("the REPL: banner, prompt, \\status, echo, \\reconnect and the history file, for every password source")
    func replNeverShowsThePassword() throws {
        let server = try Self.server.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for source in try Self.sources(port: server.port, directory: directory) {
            let state = directory.file(named: "state-\(source.name.filter(\.isLetter))")
            let terminal = try PseudoTerminal.soup(
                [source.database] + source.arguments, environment: source.environment.merging(["XDG_STATE_HOME": state]) { $1 })
            let name = source.name == "profile" ? "app" : "secrets"
            try terminal.expect("soup:\(name)> ", within: 20)
            for input in [
                "SELECT current_user AS who;", "\\status", "\\echo on", "CREATE TABLE IF NOT EXISTS s (id int);",
                "db.execute('SELECT count(*) FROM s')", "\\reconnect", "\\status", "db.rollback()",
            ] {
                terminal.send(input + "\r")
                try terminal.expect("soup:\(name)", within: 20)
                try terminal.expect("> ", within: 20)
            }
            terminal.send("\\q\r")
            #expect(try terminal.waitForExit(within: 10) == 0, "\(source.name): \(terminal.transcript)")
            #expect(terminal.transcript.contains(Self.role), "\(source.name): \(terminal.transcript)")
            #expect(terminal.transcript.contains("START"), "\(source.name): no \\status in \(terminal.transcript)")
            Self.expectNoSecret(terminal.transcript, "\(source.name): the terminal")
            let history = try String(contentsOfFile: state + "/soup/history", encoding: .utf8)
            #expect(history.contains("\\reconnect"), "\(source.name): \(history)")
            Self.expectNoSecret(history, "\(source.name): the history file")
        }
    }

    @Test("soup status and --json, -v route lines, the audit rows and the routing state file, for every password source")
    func statusLogsAndStateNeverShowThePassword() throws {
        let server = try Self.server.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file(named: "state")
        var checked = 0
        for source in try Self.sources(port: server.port, directory: directory) {
            let environment = source.environment.merging(["XDG_STATE_HOME": state]) { $1 }
            for arguments in [["status"], ["status", "--json"]] {
                let result = try SoupBinary.run(arguments + [source.database] + source.arguments, environment: environment)
                #expect(result.status == 0, "\(source.name) \(arguments): \(result.stderr)")
                #expect(result.stdout.contains("primary"), "\(source.name) \(arguments): \(result.stdout)")
                Self.expectNoSecret(result.stdout + result.stderr, "\(source.name): soup \(arguments.joined(separator: " "))")
                checked += 1
            }
            let writes = try SoupBinary.run(
                ["query", source.database, "-v", "--echo"] + source.arguments + [
                    "CREATE TABLE IF NOT EXISTS accounts (id serial PRIMARY KEY, password text)",
                    "accounts.insert(password='pw')", "db.commit()", "SELECT count(*) FROM accounts",
                    "INSERT INTO nowhere VALUES (1)",
                ], environment: environment)
            #expect(writes.status == 1, "\(source.name): \(writes.stderr)")
            #expect(writes.stderr.contains("route:"), "\(source.name): \(writes.stderr)")
            Self.expectNoSecret(writes.stdout + writes.stderr, "\(source.name): -v --echo")
            checked += 1
        }
        // The profile's logger recorded the writes, and its reader made a state file.
        let audit = try SQLiteConnection(location: .file(path: directory.file(named: "audit.db")), mode: .readOnly)
        defer { audit.close() }
        let rows = try audit.fetchAll("SELECT * FROM soup_audit_log")
        #expect(rows.count >= 3, "\(rows)")
        #expect(rows.contains { $0.contains(.text("app")) }, "\(rows)")
        Self.expectNoSecret(rows.map { "\($0)" }.joined(separator: "\n"), "the audit log")
        let files = try FileManager.default.contentsOfDirectory(atPath: state + "/soup")
        #expect(files.contains { $0.hasPrefix("routing-app") }, "\(files)")
        for file in files {
            Self.expectNoSecret(try String(contentsOfFile: state + "/soup/" + file, encoding: .utf8), "state file \(file)")
        }
        print("secrets: \(checked) status and -v runs, \(rows.count) audit rows, \(files.count) state file(s): no password")
    }

    /// Config files that are wrong around a URL holding the password, and `DB` arguments that
    /// are URLs without their scheme.
    static func badConfigs(port: Int) -> [(name: String, text: String, line: Int)] {
        let url = "postgresql://\(role):\(password)@127.0.0.1:\(port)/secrets"
        return [
            ("unquoted URL", "[profile.app.bindings.writer]\nurl = \(url)\n", 2),
            ("text after the URL", "[profile.app.bindings.writer]\nurl = \"\(url)\" x\(password)\n", 2),
            ("a stray quote in the URL", "[profile.app.bindings.writer]\nurl = \"postgresql://\(role)\":\(password)@h/db\"\n", 2),
            ("no scheme", "[profile.app.bindings.writer]\nurl = \"\(role):\(password)@127.0.0.1\"\n", 2),
            ("the URL as the default", "default = \"\(url)\"\n[profile.app.bindings.writer]\nurl = \"\(url)\"\n", 1),
            ("the URL as a setting", "[profile.app]\nsticky = \"\(url)\"\n[profile.app.bindings.writer]\nurl = \"\(url)\"\n", 2),
            ("a duplicate URL", "[profile.app.bindings.writer]\nurl = \"\(url)\"\nurl = \"\(url)\"\n", 3),
            ("an unknown key", "[profile.app.bindings.writer]\nurl = \"\(url)\"\npassword = \"\(password)\"\n", 3),
        ]
    }

    @Test("a bad config file or DB argument: the error names the file and line, and masks the password")
    func configErrorsMaskThePassword() throws {
        let server = try Self.server.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.file(named: "bad.toml")
        for bad in Self.badConfigs(port: server.port) {
            try bad.text.write(toFile: config, atomically: false, encoding: .utf8)
            let result = try SoupBinary.run(["query", "app", "--config", config, "SELECT 1"])
            #expect(result.status == 2, "\(bad.name): \(result.stderr)")
            #expect(result.stderr.contains("\(config):\(bad.line): "), "\(bad.name): \(result.stderr)")
            Self.expectNoSecret(result.stdout + result.stderr, "\(bad.name)")
        }
        for argument in ["\(Self.role):\(Self.password)@127.0.0.1:\(server.port)/secrets", "\(Self.role):\(Self.password)@127.0.0.1"] {
            let result = try SoupBinary.run(["query", argument, "SELECT 1"])
            #expect(result.status == 2, "\(argument): \(result.stderr)")
            Self.expectNoSecret(result.stdout + result.stderr, "the argument \(argument)")
        }
    }
}

import SoupDriver
@testable import SoupRouting
import SoupSQL
import Testing

@Suite("Routing config file")
struct RoutingConfigTests {
    static let good = """
        default = "app"   # the profile used when no DB is named
        [profile.app]
        sticky = "lsn"
        sticky_window = "2s"
        lsn_wait_timeout = "500ms"
        read_only = false
        [profile.app.bindings.writer]
        url = "postgresql://app:s3cret@127.0.0.1:5432/app"
        [profile.app.bindings.reader]
        url = 'postgresql://app_ro@127.0.0.1:5433/app'
        [profile.app.bindings.logger]
        url = "sqlite:///soup-audit.db"
        """

    @Test("a good file gives profiles with their bindings in order")
    func good() throws {
        let config = try RoutingConfig.parse(Self.good, file: "soup.toml")
        #expect(config.defaultProfile == "app")
        let app = try #require(config.profile(named: "app"))
        #expect(app.sticky == .lsn)
        #expect(app.stickyWindow == .seconds(2))
        #expect(app.lsnWaitTimeout == .milliseconds(500))
        #expect(app.bindings.map(\.name) == ["writer", "reader", "logger"])
        #expect(app.bindings[0].displayURL == "postgresql://app:***@127.0.0.1:5432/app")
        #expect(app.bindings[2].locator == .sqlite(.file(path: "soup-audit.db")))
        #expect(app.poolMode == .session)
    }

    @Test("pool_mode says what a pooler in front keeps between transactions")
    func poolMode() throws {
        let text = "[profile.app]\npool_mode = \"transaction\"\n[profile.app.bindings.writer]\nurl = \"postgresql://h/app\"\n"
        #expect(try RoutingConfig.parse(text, file: "soup.toml").profile(named: "app")?.poolMode == .transaction)
    }

    @Test(
        "bad files name the file, the line and the key",
        arguments: [
            ("[profile.app]\nstickyy = \"lsn\"\n", 2, "profile.app.stickyy", "unknown key"),
            ("[profile.app.bindings.writer]\nurl = \"mysql://x\"\n", 2, "profile.app.bindings.writer.url", "not a database URL"),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\n[profile.app.bindings.writer]\nurl = \"b.db\"\n", 3,
             "profile.app.bindings.writer", "duplicate table (first defined on line 1)"),
            ("[profile.app]\nread_only = \"yes\"\n", 2, "profile.app.read_only", "expected a boolean"),
            ("[profile.app]\nsticky = 1\n", 2, "profile.app.sticky", "expected a string, got an integer"),
            ("[profile.app]\npool_mode = \"statement\"\n", 2, "profile.app.pool_mode", "expected session or transaction"),
            ("[profile.app]\nsticky = \"sometimes\"\n", 2, "profile.app.sticky", "expected one of off, time, lsn"),
            ("[profile.app]\nsticky_window = \"soon\"\n", 2, "profile.app.sticky_window", "expected a duration"),
            ("\n\n[profile.app]\nread_only = true\n", 3, "profile.app", "no writer binding"),
            ("default = \"nope\"\n[profile.app.bindings.writer]\nurl = \"a.db\"\n", 1, "default", "no profile named \"nope\""),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\nurl = \"b.db\"\n", 3, "profile.app.bindings.writer.url", "duplicate key"),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\npassword = \"x\"\n", 3, "profile.app.bindings.writer.password", "unknown key"),
            ("colour = \"red\"\n", 1, "colour", "unknown key"),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\n\n[profile.app.bindings.reader]\n", 4,
             "profile.app.bindings.reader.url", "missing url"),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\n[profile.app.bindings.reader]\nurl = \"postgresql://h/d\"\n", 3,
             "profile.app.bindings.reader.url", "another kind of database"),
            ("[profile.app.bindings.writer]\nurl = a.db\n", 2, "profile.app.bindings.writer.url", "not a TOML value"),
            (".default = \"app\"\n", 1, "(top level)", "expected a key"),
            ("default..x = \"app\"\n", 1, "default", "expected a key"),
            ("[profile.app.bindings.writer]\nurl = \"\\u+041.db\"\n", 2, "profile.app.bindings.writer.url", "bad \\u escape"),
            ("[profile.app.bindings.writer]\nurl = \"\\U-0000041.db\"\n", 2, "profile.app.bindings.writer.url", "bad \\U escape"),
            ("[profile.app.bindings.writer]\nurls = [\"a.db\"]\n", 2, "profile.app.bindings.writer.urls", "only the reader binding"),
            ("[profile.app.bindings.reader]\nurls = []\n", 2, "profile.app.bindings.reader.urls", "a non-empty array"),
            ("[profile.app.bindings.reader]\nurls = \"a.db\"\n", 2, "profile.app.bindings.reader.urls", "a non-empty array of URLs, got a string"),
            ("[profile.app.bindings.reader]\nurls = [\"a.db\", 5]\n", 2, "profile.app.bindings.reader.urls", "got an integer"),
            ("[profile.app.bindings.reader]\nurls = [\"a.db\",\n", 2, "profile.app.bindings.reader.urls", "end on the line"),
            ("[profile.app.bindings.reader]\nurls = [\"a.db\" \"b.db\"]\n", 2, "profile.app.bindings.reader.urls", "expected , or ]"),
            ("[profile.app.bindings.writer]\nurl = \"a.db\"\n[profile.app.bindings.reader]\nurls = [\"b.db\", \"postgresql://h/d\"]\n", 3,
             "profile.app.bindings.reader.url", "another kind of database"),
            ("[profile.app]\nmax_lag = \"lots\"\n", 2, "profile.app.max_lag", "expected a time such as \"5s\" or a WAL size"),
            ("[profile.app]\nmax_lag = \"5 MB\"\n", 2, "profile.app.max_lag", "expected a time"),
        ])
    func bad(text: String, line: Int, key: String, message: String) throws {
        let error = try #require(throws: ConfigError.self) { try RoutingConfig.parse(text, file: "conf/soup.toml") }
        #expect(error.file == "conf/soup.toml")
        #expect(error.line == line, "\(error)")
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("conf/soup.toml:\(line): \(key): "))
    }

    @Test("a reader may name several servers; max_lag is a time or a WAL size")
    func readers() throws {
        let text = """
            [profile.app]
            max_lag = "16MB"
            [profile.app.bindings.writer]
            url = "postgresql://h1,h2/app?target_session_attrs=read-write"
            [profile.app.bindings.reader]
            urls = ["postgresql://r1/app", 'postgresql://u:pw@r2/app',]  # a trailing comma is fine
            [profile.timed]
            max_lag = "1.5s"
            [profile.timed.bindings.writer]
            url = "a.db"
            """
        let config = try RoutingConfig.parse(text, file: "soup.toml")
        let app = try #require(config.profile(named: "app"))
        #expect(app.maxLag == .bytes(16 << 20))
        let reader = try #require(app.binding(named: "reader"))
        #expect(reader.servers.map(\.url) == ["postgresql://r1/app", "postgresql://u:pw@r2/app"])
        #expect(reader.url == "postgresql://r1/app")
        #expect(reader.server(1).displayURL == "postgresql://u:***@r2/app")
        #expect(config.profile(named: "timed")?.maxLag == .time(.milliseconds(1500)))
        #expect(MaxLag.bytes(512).description == "512 bytes")
    }

    @Test("every escape of TOML basic strings")
    func escapes() throws {
        let text = #"[profile.app.bindings.writer]\#nurl = "a\b\t\n\f\r\"\\\u0041\U0001F600.db"\#n"#
        let config = try RoutingConfig.parse(text, file: "soup.toml")
        let writer = try #require(config.profile(named: "app")?.bindings.first)
        #expect(writer.locator == .sqlite(.file(path: "a\u{8}\t\n\u{C}\r\"\\A😀.db")))
    }

    @Test("passwords in a bad URL stay masked in the error")
    func maskedError() throws {
        let error = try #require(throws: ConfigError.self) {
            try RoutingConfig.parse("[profile.a.bindings.writer]\nurl = \"mysql://u:hunter2@h/db\"\n", file: "f.toml")
        }
        #expect(error.line == 2)
        #expect(!error.description.contains("hunter2"))
    }
}

@Suite("Routing audit log masking")
struct RoutingAuditMaskTests {
    @Test("parameters bound to secret columns are masked in INSERT lists, SET and WHERE")
    func masks() {
        let insert = SecretMask.parameters(
            of: "INSERT INTO users (name, password) VALUES ($1, $2), ($3, $4)", [.text("ann"), .text("pw1"), .text("bo"), .text("pw2")])
        #expect(insert == ["'ann'", "***", "'bo'", "***"])
        let update = SecretMask.parameters(of: "UPDATE users SET \"api_token\" = ?, name = ? WHERE id = ?", [.text("t"), .text("n"), .integer(1)])
        #expect(update == ["***", "'n'", "1"])
    }
}

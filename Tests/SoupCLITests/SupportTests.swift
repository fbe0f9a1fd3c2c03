import Foundation
import Testing

@testable import SoupTestSupport

/// Tests of the test harness itself: the private PostgreSQL server, the process runner and the
/// `soup` launcher.
@Suite struct PostgresServerTests {
    @Test func startsAndRunsSQL() throws {
        let server = try PostgresServer.shared()
        #expect(try server.run(sql: "SELECT 1 + 1") == "2")
        #expect(try server.run(sql: "SELECT 'a' UNION ALL SELECT 'b'; SELECT 3") == "a\nb\n3")
        #expect(try PostgresServer.shared() === server)
    }

    @Test func reportsFailingSQL() throws {
        let server = try PostgresServer.shared()
        #expect(throws: TestSupportError.self) {
            try server.run(sql: "SELECT * FROM no_such_table")
        }
    }

    @Test func makesDistinctDatabasesConcurrently() async throws {
        let server = try PostgresServer.shared()
        async let first = server.makeDatabase()
        async let second = server.makeDatabase(prefix: "other")
        let urls = try await [first, second]
        let names = try urls.map { try server.run(sql: "SELECT current_database()", url: $0) }
        #expect(names[0].hasPrefix("t_"))
        #expect(names[1].hasPrefix("other_"))
        #expect(names[0] != names[1])
        try server.run(
            sql: "CREATE TABLE items (id int); INSERT INTO items VALUES (7)", url: urls[0])
        #expect(try server.run(sql: "SELECT id FROM items", database: names[0]) == "7")
    }

    @Test func explainsHowToInstallMissingPrograms() {
        #expect {
            try PostgresTools.locate(requiring: ["no-such-postgres-tool"])
        } throws: { error in
            String(describing: error).contains("apt-get install -y postgresql")
        }
    }

    @Test func buildsURLs() throws {
        let server = try PostgresServer.shared()
        let url = server.url(database: "shop", user: "app", password: "p w")
        #expect(url.hasPrefix("postgresql://app:p%20w@"))
        #expect(url.contains(":\(server.port)/shop"))
    }
}

@Suite struct ProcessRunnerTests {
    @Test func collectsLargeOutputsFromBothStreams() throws {
        let script = """
            head -c 3000000 /dev/zero | tr '\\0' o
            head -c 2000000 /dev/zero | tr '\\0' e >&2
            exit 3
            """
        let result = try ProcessRunner.run(executable: "/bin/sh", arguments: ["-c", script])
        #expect(result.status == 3)
        #expect(result.stdout.utf8.count == 3_000_000 && result.stdout.allSatisfy { $0 == "o" })
        #expect(result.stderr.utf8.count == 2_000_000 && result.stderr.allSatisfy { $0 == "e" })
        #expect(result.maxRSSKilobytes > 0)
        #expect(result.elapsed > 0)
    }

    @Test func writesLargeInputWhileReadingOutput() throws {
        let input = [UInt8](repeating: UInt8(ascii: "i"), count: 2_000_000)
        let script = "head -c 1000000 /dev/zero | tr '\\0' x; wc -c"
        let result = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", script], stdin: input)
        #expect(result.stdout.hasSuffix("x2000000\n"))
        #expect(result.stdout.utf8.count == 1_000_008)
    }

    @Test func passesEnvironmentDirectoryAndEmptyInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try ProcessRunner.run(
            executable: "sh", arguments: ["-c", "pwd; echo \"$GREETING\"; cat"],
            environment: ["GREETING": "hi"],
            currentDirectory: directory.path)
        #expect(result.stdout == "\(directory.path)\nhi\n")
        #expect(result.status == 0)
    }

    @Test func reportsSignalsAsShellsDo() throws {
        let result = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"])
        #expect(result.status == 128 + SIGTERM)
    }

    @Test func givesChildrenDefaultSIGPIPEHandling() throws {
        let result = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "yes | head -n 1"])
        #expect(result.stdout == "y\n")
        #expect(result.stderr == "")
    }

    @Test func returnsWhenOnlyAGrandchildHoldsThePipes() throws {
        let result = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "sleep 120 & echo started $!"])
        #expect(result.stdout.hasPrefix("started "))
        // Far below the grandchild's two minutes, far above a busy machine's start-up time.
        #expect(result.elapsed < 60)
        if let grandchild = pid_t(result.stdout.dropFirst("started ".count).dropLast()) { kill(grandchild, SIGKILL) }
    }

    @Test func interruptsWhenTheChildShowsItIsReady() throws {
        // The trap is set before "ready" is written, so an interrupt sent on seeing it is caught.
        let script = "trap 'echo caught; exit 5' INT; echo ready >&2; while :; do sleep 0.05; done"
        let result = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", script], timeout: 60,
            interruptWhen: .standardError(contains: "ready"))
        #expect(result.status == 5)
        #expect(result.stdout == "caught\n")
    }

    @Test func killsProcessesThatTimeOut() throws {
        let started = ContinuousClock.now
        #expect(throws: TestSupportError.self) {
            try ProcessRunner.run(
                executable: "/bin/sh", arguments: ["-c", "echo begun; sleep 120"], timeout: 0.5)
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func reportsMissingExecutables() {
        #expect(throws: TestSupportError.self) {
            try ProcessRunner.run(executable: "/no/such/program")
        }
    }
}

@Suite struct SoupBinaryTests {
    @Test func runsTheBuiltExecutable() throws {
        #expect(try SoupBinary.path().hasSuffix("/soup"))
        let result = try SoupBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("soup"))
        // No DB and no DATABASE_URL: a connection error that points at `soup demo`.
        let bare = try SoupBinary.run([], stdin: [0xFF, 0x00])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("soup demo"))
    }

    @Test func isolatesTheEnvironment() {
        let environment = SoupBinary.childEnvironment(
            home: "/tmp/home",
            overrides: ["XDG_STATE_HOME": "/tmp/state", "DATABASE_URL": "sqlite::memory:"])
        #expect(environment["HOME"] == "/tmp/home")
        #expect(environment["XDG_CONFIG_HOME"] == "/tmp/home/.config")
        #expect(environment["XDG_DATA_HOME"] == "/tmp/home/.local/share")
        #expect(environment["XDG_STATE_HOME"] == "/tmp/state")
        #expect(environment["DATABASE_URL"] == "sqlite::memory:")
        #expect(SoupBinary.childEnvironment(home: "/h", overrides: [:])["DATABASE_URL"] == nil)
    }
}

@Suite struct TemporaryDirectoryTests {
    @Test func createsAndRemovesAUniqueDirectory() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        #expect(first.path != second.path)
        #expect(first.path.hasPrefix("/tmp/soup-test."))
        #expect(first.file(named: "a.db") == first.path + "/a.db")
        #expect(FileManager.default.fileExists(atPath: first.path))
        first.remove()
        second.remove()
        #expect(!FileManager.default.fileExists(atPath: first.path))
    }
}

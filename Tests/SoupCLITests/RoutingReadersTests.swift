import Foundation
import SoupTestSupport
import Synchronization
import Testing

/// A reader binding over two streaming standbys (`urls = [...]`) of a primary that the suite
/// starts for these tests alone (``ReplicaSet``): reads spread round robin, a reader that stops
/// is skipped for its back-off and comes back, one over `max_lag` is skipped, and read-your-writes
/// picks a reader that has replayed the write. The tests stop and pause the shared standbys, so
/// they run one at a time.
@Suite("Routing over several readers", .serialized)
struct RoutingReadersTests {
    struct Fixture {
        let replicas: ReplicaSet
        let database: String
        let directory: TemporaryDirectory
        var config: String { directory.file(named: "soup.toml") }
        var stateHome: String { directory.file(named: "state") }
        var readerPorts: [Int] { replicas.standbyPorts }

        /// Runs `soup COMMAND PROFILE ARGS... --config FILE`.
        func soup(_ command: String, _ profile: String, _ arguments: [String], stdin: String? = nil) throws -> ProcessResult {
            try SoupBinary.run(
                [command, profile] + arguments + ["--config", config], stdin: stdin, environment: ["XDG_STATE_HOME": stateHome],
                timeout: 120)
        }

        /// Runs SQL on the primary through psql.
        @discardableResult
        func psql(_ sql: String) throws -> String {
            try replicas.run(sql: sql, url: replicas.primaryURL(database))
        }
    }

    /// Profiles over the set: `spread` (two readers), `lagged` (with `max_lag = "64kB"`), `ryw`
    /// (read-your-writes by LSN), `closed` (the writer's port closed).
    func fixture() throws -> Fixture {
        let set = try ReplicaSet.readers()
        let database = try set.makeDatabase()
        try set.run(sql: "CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL)", url: set.primaryURL(database))
        for index in set.standbyPorts.indices { try set.waitForReplay(standby: index) }
        let directory = try TemporaryDirectory(prefix: "soup-readers")
        let readers = set.standbyPorts.map { "\"\(set.url(database, port: $0))\"" }.joined(separator: ", ")
        var text = ""
        for (profile, settings, writerPort) in [
            ("spread", "sticky = \"off\"", set.primaryPort),
            ("lagged", "sticky = \"off\"\nmax_lag = \"64kB\"", set.primaryPort),
            ("ryw", "sticky = \"lsn\"\nlsn_wait_timeout = \"300ms\"", set.primaryPort),
            ("closed", "sticky = \"off\"", 1),
        ] {
            text += "[profile.\(profile)]\n\(settings)\n"
            text += "[profile.\(profile).bindings.writer]\nurl = \"\(set.url(database, port: writerPort))\"\n"
            text += "[profile.\(profile).bindings.reader]\nurls = [\(readers)]\n"
        }
        try text.write(toFile: directory.file(named: "soup.toml"), atomically: true, encoding: .utf8)
        return Fixture(replicas: set, database: database, directory: directory)
    }

    static let portQuery = "SELECT inet_server_port() AS port;\n"

    /// The ports that answered `portQuery` in CSV output, in order.
    static func ports(_ output: some StringProtocol) -> [Int] {
        output.split(separator: "\n").compactMap { Int($0) }
    }

    @Test("reads spread round robin over two readers; a --tx file script stays on one; -v says why")
    func spreading() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let script = String(repeating: Self.portQuery, count: 20)
        let each = try fixture.soup("run", "spread", ["--tx", "statement", "-f", "csv", "-v", "-"], stdin: script)
        #expect(each.status == 0, "\(each.stderr)")
        let ports = Self.ports(each.stdout)
        #expect(ports.count == 20, "\(each.stdout)")
        for port in fixture.readerPorts {
            #expect(ports.filter { $0 == port }.count == 10, "\(ports)")
        }
        #expect(each.stderr.contains("route: reader.1: read: SELECT; round robin over 2 readers"), "\(each.stderr)")
        #expect(each.stderr.contains("route: reader.2: read: SELECT; round robin over 2 readers"), "\(each.stderr)")

        let whole = try fixture.soup("run", "spread", ["--tx", "file", "-f", "csv", "-"], stdin: script)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(Set(Self.ports(whole.stdout)).count == 1, "\(whole.stdout)")
        #expect(Self.ports(whole.stdout).count == 20)

        // `-b reader.2` names one server of the reader.
        let forced = try fixture.soup("query", "spread", ["-b", "reader.2", "-f", "csv", Self.portQuery])
        #expect(Self.ports(forced.stdout) == [fixture.readerPorts[1]], "\(forced.stdout)\(forced.stderr)")
    }

    @Test("a read outside a transaction goes to a reader as it is, in one round trip; --read-only wraps it in BEGIN READ ONLY")
    func readsSentAsTheyAre() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        // A reader binding may be a primary (a pooler's read-only user, say): there a read sent
        // as it is runs in a read-write transaction of its own, one in BEGIN READ ONLY does not.
        let profile = """
            [profile.primary_reader]
            [profile.primary_reader.bindings.writer]
            url = "\(fixture.replicas.url(fixture.database, port: fixture.replicas.primaryPort))"
            [profile.primary_reader.bindings.reader]
            urls = ["\(fixture.replicas.url(fixture.database, port: fixture.replicas.primaryPort))"]

            """
        try (String(contentsOfFile: fixture.config, encoding: .utf8) + profile).write(toFile: fixture.config, atomically: true, encoding: .utf8)
        let probe = "SELECT current_setting('transaction_read_only') AS read_only;\n"
        let plain = try fixture.soup("run", "primary_reader", ["--tx", "statement", "-f", "csv", "-v", "-"], stdin: String(repeating: probe, count: 3))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.split(separator: "\n").filter { $0 != "read_only" } == ["off", "off", "off"], "\(plain.stdout)")
        #expect(plain.stderr.components(separatedBy: "route: reader: read: SELECT").count == 4, "\(plain.stderr)")
        let guarded = try fixture.soup("run", "primary_reader", ["--read-only", "--tx", "statement", "-f", "csv", "-"], stdin: probe)
        #expect(guarded.status == 0, "\(guarded.stderr)")
        #expect(guarded.stdout == "read_only\non\n", "\(guarded.stdout)")
    }

    @Test("\\status in the REPL shows each reader's state, its share of reads and why the last read went where")
    func replStatus() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let terminal = try PseudoTerminal.soup(
            ["spread", "-f", "csv", "--config", fixture.config], environment: ["XDG_STATE_HOME": fixture.stateHome])
        try terminal.expect("soup:spread> ", within: 15)
        for _ in 1...4 {
            terminal.send(Self.portQuery.dropLast() + "\r")
            try terminal.expect("soup:spread> ")
        }
        terminal.send("\\status\r")
        let shown = try terminal.expect("soup:spread> ")
        #expect(shown.contains("reader reader.1: up; 2 of 4 reads (50%)"), "\(shown)")
        #expect(shown.contains("reader reader.2: up; 2 of 4 reads (50%)"), "\(shown)")
        #expect(shown.contains("last read reader.2: read: SELECT; round robin over 2 readers: SELECT inet_server_port() AS port"), "\(shown)")
        terminal.send("\\q\r")
    }

    @Test("soup status on its own shows the last session's reads; a reader down in one process is skipped by the next for the rest of its back-off")
    func recordsBetweenProcesses() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let records = fixture.stateHome + "/soup/routing-spread-readers.tsv"
        let reads = String(repeating: Self.portQuery, count: 4)
        let first = try fixture.soup("run", "spread", ["--tx", "statement", "-f", "csv", "-"], stdin: reads)
        #expect(first.status == 0, "\(first.stderr)")
        let status = try fixture.soup("status", "spread", [])
        #expect(status.stdout.contains("reader reader.1: up; 2 of 4 reads (50%) in the session that ended at 20"), "\(status.stdout)")
        #expect(
            status.stdout.contains("last read reader.2: read: SELECT; round robin over 2 readers: SELECT inet_server_port() AS port in the session that ended at"),
            "\(status.stdout)")

        // An earlier process found reader.1 down, with a back-off far from over.
        let saved = try String(contentsOfFile: records, encoding: .utf8)
        let until = Date().timeIntervalSince1970 + 600
        let edited = saved.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0] == "reader", fields[1] == "reader.1" else { return String(line) }
            return ["reader", "reader.1", String(fields[2]), String(until), "60.0", "refused in a test"].joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
        #expect(edited != saved, "\(saved)")
        try edited.write(toFile: records, atomically: true, encoding: .utf8)
        let next = try fixture.soup("run", "spread", ["--tx", "statement", "-f", "csv", "-v", "-"], stdin: reads)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Self.ports(next.stdout) == Array(repeating: fixture.readerPorts[1], count: 4), "\(next.stdout)")
        #expect(next.stderr.contains("skipped reader.1: down until"), "\(next.stderr)")
        #expect(!next.stderr.contains("is down for"), "tried again: \(next.stderr)")
        let json = try fixture.soup("status", "spread", ["--json"])
        #expect(json.stdout.contains("\"health\":{\"state\":\"down\""), "\(json.stdout)")
        #expect(json.stdout.contains("\"reason\":\"refused in a test\""), "\(json.stdout)")

        // A reader that fails to connect is saved as down, with its back-off, at once.
        let closed = fixture.directory.file(named: "closed.toml")
        let profile = """
            [profile.half]
            sticky = "off"
            [profile.half.bindings.writer]
            url = "\(fixture.replicas.url(fixture.database, port: fixture.replicas.primaryPort))"
            [profile.half.bindings.reader]
            urls = ["\(fixture.replicas.url(fixture.database, port: 1))", "\(fixture.replicas.url(fixture.database, port: fixture.readerPorts[1]))"]

            """
        try profile.write(toFile: closed, atomically: true, encoding: .utf8)
        let half = try SoupBinary.run(
            ["run", "half", "--config", closed, "--tx", "statement", "-f", "csv", "-"], stdin: reads,
            environment: ["XDG_STATE_HOME": fixture.stateHome], timeout: 120)
        #expect(half.status == 0 && half.stderr.contains("is down for 1 s"), "\(half.stderr)")
        let halfRecords = try String(contentsOfFile: fixture.stateHome + "/soup/routing-half-readers.tsv", encoding: .utf8)
        let down = halfRecords.split(separator: "\n").first { $0.hasPrefix("reader\treader.1\t") }?.split(separator: "\t")
        #expect(down.map { $0.count == 6 && Double($0[3]) != nil && $0[4] == "1.0" } == true, "\(halfRecords)")
    }

    @Test("a reader stopped mid-script is skipped for its back-off, with no failed statement, and takes reads again once back")
    func readerStoppedAndRestarted() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        // Two advisory locks held on the writer by other sessions are the script's gates: it
        // waits at each until the test ends the session holding it.
        let gates = try [1, 2].map { try Gate(fixture.replicas, database: fixture.database, lock: $0) }
        let reads = String(repeating: Self.portQuery, count: 4)
        let script = reads + "SELECT pg_advisory_lock(1) IS NULL AS gate;\n" + reads + "SELECT pg_advisory_lock(2) IS NULL AS gate;\n" + reads
        let run = Background {
            try fixture.soup("run", "spread", ["--tx", "statement", "-f", "csv", "-"], stdin: script)
        }
        try gates[0].waitUntilAwaited()
        try fixture.replicas.stopStandby(0)
        let stoppedAt = Date()
        try gates[0].open()
        try gates[1].waitUntilAwaited()
        let readsTook = Date().timeIntervalSince(stoppedAt)
        let status = try fixture.soup("status", "spread", ["--json"])
        try fixture.replicas.restartStandby(0)
        // Each failed retry doubles the back-off and needs the last one to have passed, so the
        // last back-off is at most the time the reads took plus a second.
        Thread.sleep(forTimeInterval: readsTook + 1.5)
        try gates[1].open()
        let result = try run.wait()

        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
        #expect(result.stderr.contains("reader reader.1 (postgresql://postgres@127.0.0.1:\(fixture.readerPorts[0])"), "\(result.stderr)")
        #expect(result.stderr.contains("is down for 1 s"), "\(result.stderr)")
        let phases = result.stdout.components(separatedBy: "gate\n")
        try #require(phases.count == 3, "\(result.stdout)")
        let (first, stopped, back) = (Self.ports(phases[0]), Self.ports(phases[1]), Self.ports(phases[2]))
        #expect(Set(first) == Set(fixture.readerPorts), "\(first)")
        #expect(stopped == Array(repeating: fixture.readerPorts[1], count: 4), "\(stopped)")
        #expect(Set(back) == Set(fixture.readerPorts), "\(back)")
        // `soup status` of its own, while the first reader was stopped.
        #expect(status.stdout.contains("\"name\":\"reader.1\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"health\":{\"state\":\"down\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"health\":{\"state\":\"up\""), "\(status.stdout)")
    }

    @Test("a reader whose replay is paused beyond max_lag is skipped until it catches up; soup status says it lags")
    func maxLag() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        try fixture.replicas.pauseReplay(standby: 0)
        defer { try? fixture.replicas.resumeReplay(standby: 0) }
        try fixture.psql("INSERT INTO items(name) SELECT repeat(md5(i::text), 40) FROM generate_series(1, 200) AS i")
        // The standby receives the WAL (about 300 kB) but does not replay it.
        let standby = fixture.replicas.standbyURL(0, "postgres")
        let deadline = Date().addingTimeInterval(30)
        while try fixture.replicas.run(
            sql: "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) > 65536", url: standby) != "t"
        {
            try #require(Date() < deadline, "the paused standby did not receive the WAL")
            usleep(10_000)
        }
        let script = String(repeating: Self.portQuery, count: 6)
        let skipped = try fixture.soup("run", "lagged", ["--tx", "statement", "-f", "csv", "-v", "-"], stdin: script)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(Self.ports(skipped.stdout) == Array(repeating: fixture.readerPorts[1], count: 6), "\(skipped.stdout)")
        #expect(skipped.stderr.contains("skipped reader.1: lagging by"), "\(skipped.stderr)")
        #expect(skipped.stderr.contains("over max_lag 65536 bytes"), "\(skipped.stderr)")

        let status = try fixture.soup("status", "lagged", [])
        #expect(status.stdout.contains("reader reader.1: lagging by "), "\(status.stdout)")
        let json = try fixture.soup("status", "lagged", ["--json"])
        #expect(json.stdout.contains("\"health\":{\"state\":\"lagging\",\"until\":null"), "\(json.stdout)")
        #expect(json.stdout.contains("\"max_lag\":\"65536 bytes\""), "\(json.stdout)")
        #expect(status.stdout.contains("reader reader.2: up"), "\(status.stdout)")

        // Without max_lag the paused reader takes its turn.
        let unlimited = try fixture.soup("run", "spread", ["--tx", "statement", "-f", "csv", "-"], stdin: script)
        #expect(Set(Self.ports(unlimited.stdout)) == Set(fixture.readerPorts), "\(unlimited.stdout)")

        try fixture.replicas.resumeReplay(standby: 0)
        let caughtUp = try fixture.soup("run", "lagged", ["--tx", "statement", "-f", "csv", "-"], stdin: script)
        #expect(Set(Self.ports(caughtUp.stdout)) == Set(fixture.readerPorts), "\(caughtUp.stdout)")
    }

    @Test("read-your-writes by LSN with two readers reads the one that replayed the write, else the writer")
    func readYourWrites() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        try fixture.replicas.pauseReplay(standby: 0)
        defer { try? fixture.replicas.resumeReplay(standby: 0) }
        let write = try fixture.soup("query", "ryw", ["INSERT INTO items(name) VALUES ('fresh')"])
        #expect(write.status == 0, "\(write.stderr)")
        try fixture.replicas.waitForReplay(standby: 1)
        let check = "SELECT inet_server_port() AS port, count(*) AS fresh FROM items WHERE name = 'fresh';\n"
        let script = String(repeating: check, count: 6)
        // Another process: the state file holds the write's LSN; only the second reader has it.
        let reads = try fixture.soup("run", "ryw", ["--tx", "statement", "-f", "csv", "-v", "-"], stdin: script)
        #expect(reads.status == 0, "\(reads.stderr)")
        let expected = String(repeating: "port,fresh\n\(fixture.readerPorts[1]),1\n", count: 6)
        #expect(reads.stdout == expected, "\(reads.stderr)")
        #expect(reads.stderr.contains("reader.2 replayed the last write"), "\(reads.stderr)")

        try fixture.replicas.pauseReplay(standby: 1)
        defer { try? fixture.replicas.resumeReplay(standby: 1) }
        let second = try fixture.soup("query", "ryw", ["INSERT INTO items(name) VALUES ('fresh')"])
        #expect(second.status == 0, "\(second.stderr)")
        let writer = try fixture.soup("query", "ryw", ["-f", "csv", "-v", check])
        #expect(writer.stdout == "port,fresh\n\(fixture.replicas.primaryPort),2\n", "\(writer.stderr)")
        #expect(writer.stderr.contains("no reader had replayed"), "\(writer.stderr)")
    }

    @Test("a binding that cannot connect in the middle of a run exits 2; the reads before it were printed")
    func cannotConnectMidRun() throws {
        let fixture = try fixture()
        defer { fixture.directory.remove() }
        let result = try fixture.soup(
            "run", "closed", ["--tx", "statement", "-f", "csv", "-"], stdin: Self.portQuery + "INSERT INTO items(name) VALUES ('x');\n")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(Self.ports(result.stdout).count == 1, "\(result.stdout)")
        #expect(result.stderr.contains("binding 'writer'"), "\(result.stderr)")
    }
}

/// An advisory lock that a psql session holds on the primary, so that a script taking the same
/// lock waits there until ``open()`` ends that session.
struct Gate {
    let replicas: ReplicaSet
    let database: String
    let lock: Int
    let holder: Background<String>

    init(_ set: ReplicaSet, database: String, lock: Int) throws {
        self.replicas = set
        self.database = database
        self.lock = lock
        let url = set.primaryURL(database) + "?application_name=gate\(lock)"
        holder = Background { try set.run(sql: "SELECT pg_advisory_lock(\(lock)); SELECT pg_sleep(100);", url: url) }
        try waitFor("gate \(lock) to be held") { try granted(true) > 0 }
    }

    /// Waits until some session waits for the lock.
    func waitUntilAwaited() throws {
        try waitFor("a session to wait at gate \(lock)") { try granted(false) > 0 }
    }

    /// Ends the holding session: the waiting one gets the lock.
    func open() throws {
        try replicas.run(
            sql: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gate\(lock)'",
            url: replicas.primaryURL(database))
        _ = try? holder.wait()
    }

    private func granted(_ granted: Bool) throws -> Int {
        Int(
            try replicas.run(
                sql: "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = \(lock) AND granted = \(granted)",
                url: replicas.primaryURL(database))) ?? 0
    }

    private func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(60)
        while try !condition() {
            guard Date() < deadline else { throw TestSupportError("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }
}

/// Runs `body` on a thread of its own; ``wait()`` returns what it returned or threw.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    func wait() throws -> Value {
        done.wait()
        done.signal()
        return try result.withLock { $0! }.get()
    }
}

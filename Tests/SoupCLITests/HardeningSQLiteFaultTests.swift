import Foundation
import SoupDriver
import SoupSQLite
import SoupTestSupport
import Testing

/// Faults around a SQLite file, through the real binary: another writer holding the lock, a
/// read-only file or directory, a full disk, and soup killed with SIGKILL while it flushes.
/// Afterwards the file always passes `PRAGMA integrity_check` and holds all of a run's work
/// or none of it.
@Suite("Hardening: SQLite faults", .serialized)
struct HardeningSQLiteFaultTests {
    /// A fresh database with `t(id INTEGER PRIMARY KEY, v TEXT)` holding one row.
    private func database(in directory: String) throws -> String {
        let path = directory + "/faults.db"
        let connection = try SQLiteConnection(location: .file(path: path), mode: .readWriteCreate)
        try connection.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'kept');")
        connection.close()
        return path
    }

    /// `PRAGMA integrity_check` and the row count of `t`, read by a new connection.
    static func state(of path: String) throws -> (integrity: String, rows: Int64) {
        let connection = try SQLiteConnection(location: .file(path: path), mode: .readWrite)
        defer { connection.close() }
        let integrity = try connection.query("PRAGMA integrity_check", []).next()?.first
        let rows = try connection.query("SELECT count(*) FROM t", []).next()?.first
        guard case .text(let text)? = integrity, case .integer(let count)? = rows else {
            throw TestSupportError("unexpected answers \(String(describing: integrity)), \(String(describing: rows))")
        }
        return (text, count)
    }

    /// Whether the file at `path` passes `PRAGMA integrity_check` and `t` holds `rows` rows.
    static func intact(_ path: String, rows: Int64) throws -> Bool {
        let state = try state(of: path)
        return state.integrity == "ok" && state.rows == rows
    }

    @Test("another writer holds the lock: soup waits the busy timeout, then says the database is locked")
    func lockedByAnotherWriter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try database(in: directory.path)
        let writer = try SQLiteConnection(location: .file(path: path), mode: .readWrite)
        try writer.executeScript("BEGIN IMMEDIATE; INSERT INTO t VALUES (2, 'uncommitted');")
        let result = try SoupBinary.run(["query", path, "INSERT INTO t VALUES (3, 'blocked')"])
        try writer.executeScript("ROLLBACK")
        writer.close()
        #expect(result.status == 1)
        #expect(result.stderr.contains("database is locked"), "\(result.stderr)")
        #expect(result.elapsed >= 4.5, "gave up after \(result.elapsed) s, before the 5 s busy timeout")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try Self.intact(path, rows: 1))
    }

    /// Runs soup as the `nobody` user (root ignores file permissions), with a home it may use.
    private func runAsNobody(_ arguments: [String], in directory: String) throws -> ProcessResult {
        guard geteuid() == 0 else {
            throw TestSupportError("running soup as `nobody` (runuser) needs root: run the suite as root (sudo scripts/test)")
        }
        return try ProcessRunner.run(
            executable: "runuser", arguments: ["-u", "nobody", "--", try SoupBinary.path()] + arguments,
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory, "XDG_STATE_HOME": directory],
            currentDirectory: directory, timeout: 60)
    }

    @Test("a read-only file: reads work, a write fails with a clear error, the file is unchanged")
    func readOnlyFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try database(in: directory.path)
        chmod(directory.path, 0o777)
        chmod(path, 0o444)
        let read = try runAsNobody(["query", path, "-f", "csv", "SELECT v FROM t"], in: directory.path)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "v\nkept\n")
        for statement in ["INSERT INTO t VALUES (2, 'x')", "t.insert(id=2, v='x')\ndb.commit()"] {
            let write = try runAsNobody(["query", path, statement], in: directory.path)
            #expect(write.status == 1)
            #expect(write.stderr.contains("attempt to write a readonly database"), "\(write.stderr)")
            #expect(!write.stderr.contains("Fatal error"))
        }
        #expect(try Self.intact(path, rows: 1))
    }

    @Test("a read-only directory: no journal can be made, so a write fails clearly and nothing changes")
    func readOnlyDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try database(in: directory.path)
        chmod(path, 0o666)
        chmod(directory.path, 0o555)
        defer { chmod(directory.path, 0o700) }
        let write = try runAsNobody(["query", path, "UPDATE t SET v = 'changed'"], in: "/tmp")
        #expect(write.status == 1)
        #expect(write.stderr.contains("unable to open database file") || write.stderr.contains("readonly"), "\(write.stderr)")
        #expect(!write.stderr.contains("Fatal error"))
        let missing = try runAsNobody(["query", directory.path + "/new.db", "--create", "SELECT 1"], in: "/tmp")
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(missing.stderr.contains("unable to open database file"), "\(missing.stderr)")
        chmod(directory.path, 0o700)
        #expect(try Self.intact(path, rows: 1))
        #expect(try Self.scalar("SELECT v FROM t", path) == .text("kept"))
    }

    static func scalar(_ sql: String, _ path: String) throws -> Value? {
        let connection = try SQLiteConnection(location: .file(path: path), mode: .readOnly)
        defer { connection.close() }
        return try connection.query(sql, []).next()?.first
    }

    @Test("a full disk (a 1 MB tmpfs): SQL and soup writes fail with 'database or disk is full', the file stays intact")
    func diskFull() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let mounted = try ProcessRunner.run(
            executable: "mount", arguments: ["-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.path])
        try #require(mounted.status == 0, "`mount -t tmpfs` failed (it needs root: sudo scripts/test): \(mounted.stderr)")
        defer { _ = try? ProcessRunner.run(executable: "umount", arguments: ["-l", directory.path]) }
        let path = try database(in: directory.path)
        let sql = """
            WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
            INSERT INTO t SELECT i, hex(randomblob(500)) FROM n
            """
        let bulk = try SoupBinary.run(["query", path, sql])
        #expect(bulk.status == 1)
        #expect(bulk.stderr.contains("database or disk is full"), "\(bulk.stderr)")
        let inserts = (2...3000).map { "t.insert(id=\($0), v='\(String(repeating: "x", count: 600))')" }
        let flush = try SoupBinary.run(["run", path, "-"], stdin: inserts.joined(separator: "\n"), timeout: 300)
        #expect(flush.status == 1)
        #expect(flush.stderr.contains("database or disk is full"), "\(flush.stderr)")
        for result in [bulk, flush] { #expect(!result.stderr.contains("Fatal error")) }
        #expect(try Self.intact(path, rows: 1))
    }

    @Test("soup killed with SIGKILL while it flushes: the file is consistent and holds all rows or none")
    func killedDuringFlush() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rows = 20_000
        let script = (2...rows + 1).map { "t.insert(id=\($0), v='row \($0)')" }.joined(separator: "\n")
        // The whole run, timed, sets the kill points.
        let template = try database(in: directory.path)
        let full = try SoupBinary.run(["run", template, "-", "--echo"], stdin: script, timeout: 600)
        try #require(full.status == 0, "\(full.stderr)")
        #expect(try Self.intact(template, rows: Int64(rows + 1)))
        var outcomes: [String] = []
        var killedWhileSending = 0
        // Eight kills spread over the time the whole run took (where each lands depends on the
        // machine's load, so only the invariants are checked), and a ninth as soon as the first
        // INSERT is echoed, which surely lands while the flush sends the rest.
        for step in 1...9 {
            let stepDirectory = try TemporaryDirectory()
            defer { stepDirectory.remove() }
            let path = try database(in: stepDirectory.path)
            let delay = full.elapsed * Double(step) / 9
            let killed = try SoupBinary.run(
                ["run", path, "-", "--echo"], stdin: script, timeout: 600, interruptAfter: step < 9 ? delay : nil,
                interruptWhen: step < 9 ? nil : .standardError(contains: "INSERT INTO"), interruptSignal: SIGKILL)
            let state = try Self.state(of: path)
            let sent = killed.stderr.components(separatedBy: "INSERT INTO").count - 1
            if killed.status == 128 + SIGKILL, sent > 0 { killedWhileSending += 1 }
            let moment = step < 9 ? "at \(String(format: "%.2f", delay)) s" : "at the first INSERT"
            outcomes.append("kill \(moment): exit \(killed.status) after \(sent) INSERTs sent, \(state.rows - 1) rows")
            #expect(killed.status == 128 + SIGKILL || killed.status == 0)
            #expect(state.integrity == "ok")
            #expect(state.rows == 1 || state.rows == Int64(rows + 1), "half a run: \(state.rows - 1) rows")
            if killed.status == 0 { #expect(state.rows == Int64(rows + 1)) }
        }
        #expect(killedWhileSending > 0, "no kill landed after the first INSERT was sent")
        print("SIGKILL during flush (\(rows) rows, whole run \(String(format: "%.2f", full.elapsed)) s): " + outcomes.joined(separator: "; "))
    }
}

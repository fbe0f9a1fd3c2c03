import Foundation
import SoupDriver
import SoupPlatform
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Synchronization
import Testing

@Suite("Streaming and cancelling", .serialized)
struct StreamingAndCancelTests {
    static let million = 1_000_000

    /// `big`, a million generated rows, in a fresh SQLite file or PostgreSQL database; returns
    /// a connection to it and the `DB` argument soup opens it with.
    private func bigTable(_ engine: Engine, in directory: TemporaryDirectory) throws -> (any Connection, String) {
        let connection: any Connection
        let argument: String
        switch engine {
        case .sqlite:
            argument = directory.file(named: "big.db")
            connection = try SQLiteConnection(location: .file(path: argument), mode: .readWriteCreate)
        case .postgres:
            argument = try PostgresServer.shared().makeDatabase()
            connection = try PostgresConnection(conninfo: argument)
        }
        let generate = engine == .sqlite
            ? """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(Self.million))
              SELECT i, 'row number ' || i || ' with some padding text' AS body, i * 0.5 AS half, NULL AS empty_col FROM n
              """
            : """
              SELECT i, 'row number ' || i || ' with some padding text' AS body, i * 0.5 AS half, NULL::text AS empty_col
                FROM generate_series(1, \(Self.million)) i
              """
        try connection.execute("CREATE TABLE big AS " + generate)
        return (connection, argument)
    }

    /// Every row arrives through the cursor; and memory stays flat, measured on a child `soup`
    /// printing the same SELECT as CSV (its peak beside that of printing 1,000 rows), never on
    /// this shared test process, whose resident size other suites move.
    @Test("a million-row SELECT streams: every row arrives, and soup printing it keeps flat memory", arguments: Engine.allCases)
    func millionRows(engine: Engine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (connection, database) = try bigTable(engine, in: directory)
        defer { connection.close() }
        var count = 0
        var sum: Int64 = 0
        let cursor = try connection.query("SELECT * FROM big", [])
        while let row = try cursor.next() {
            count += 1
            if case .integer(let i) = row[0] { sum += i }
        }
        #expect(count == Self.million)
        #expect(sum == 500_000_500_000)

        let small = try SoupBinary.runMeasuringMemory(["query", database, "-f", "csv", "SELECT * FROM big LIMIT 1000"])
        let whole = try SoupBinary.runMeasuringMemory(["query", database, "-f", "csv", "SELECT * FROM big"], timeout: 300)
        #expect(small.status == 0 && whole.status == 0, "\(small.stderr) \(whole.stderr)")
        #expect(whole.stdout.utf8.count > 40_000_000)
        let growth = (whole.maxRSSKilobytes - small.maxRSSKilobytes) / 1024
        print("[\(engine)] soup's peak \(small.maxRSSKilobytes) kB for 1,000 rows, \(whole.maxRSSKilobytes) kB for a million")
        #expect(growth < 30, "soup's peak grew by \(growth) MiB from 1,000 to a million rows")
    }

    /// A statement that runs for a minute or more is cancelled from another thread and fails
    /// with `.cancelled`; the connection stays usable. No bound on how fast: bench/run's
    /// `cancel.*` cases time it. A cancel that does nothing fails the test when the statement
    /// ends by itself (SQLite: the count completes; PostgreSQL: `statement_timeout`).
    @Test("a long statement is cancelled from another thread", arguments: Engine.allCases)
    func cancel(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        let canceller = connection.makeCanceller()
        let sql: String
        let cancelling: Thread
        let stopped = Mutex(false)
        let finished = DispatchSemaphore(value: 0)
        switch engine {
        case .sqlite:
            // sqlite3_interrupt reaches only a statement already running, and from another
            // thread nothing shows when sqlite3_step has begun: cancel every 10 ms until the
            // statement ends. One that lands is enough.
            sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) FROM c"
            cancelling = Thread {
                while !stopped.withLock({ $0 }) {
                    canceller.cancel()
                    usleep(10_000)
                }
                finished.signal()
            }
        case .postgres:
            // Cancel once, when the server shows the statement running.
            try connection.execute("SET statement_timeout = '120s'")
            sql = "SELECT pg_sleep(600)"
            let name = try #require(connection.scalar("SELECT current_database()")?.text)
            let url = try PostgresServer.shared().url(database: name)
            cancelling = Thread {
                defer { finished.signal() }
                guard let watch = try? StatementWatch(url: url) else { return }
                defer { watch.close() }
                guard (try? watch.waitUntilRunning(sql)) != nil else { return }
                canceller.cancel()
            }
        }
        cancelling.start()
        let outcome = Result { try connection.fetchAll(sql) }
        stopped.withLock { $0 = true }
        finished.wait()
        // The work is over: a cancel sent after the statement ended must not stop the next one.
        canceller.clear()
        switch outcome {
        case .success(let rows):
            Issue.record("not cancelled: the statement ran to its end and gave \(rows)")
        case .failure(let error):
            let failure = error as? DatabaseError
            #expect(failure?.kind == .cancelled, "\(error)")
            if engine == .postgres {
                #expect(failure?.message.contains("user request") == true, "\(error)")
            }
        }
        #expect(try connection.scalar("SELECT 1 + 1") == .integer(2))
    }

    @Test("a cursor left half-read does not block the next statement", arguments: Engine.allCases)
    func abandonedCursor(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        let sql = engine == .sqlite
            ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n"
            : "SELECT i FROM generate_series(1, 100000) i"
        let cursor = try connection.query(sql, [])
        _ = try cursor.next()
        #expect(try connection.scalar("SELECT 40 + 2") == .integer(42))
    }
}

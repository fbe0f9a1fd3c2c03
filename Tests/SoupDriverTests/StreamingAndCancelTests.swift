import Foundation
import SoupDriver
import SoupPlatform
import SoupPostgres
import SoupSQLite
import Synchronization
import Testing

@Suite("Streaming and cancelling", .serialized)
struct StreamingAndCancelTests {
    @Test("a million-row SELECT streams with flat memory", arguments: Engine.allCases)
    func millionRows(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        let generate = engine == .sqlite
            ? """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
              SELECT i, 'row number ' || i || ' with some padding text' AS body, i * 0.5 AS half, NULL AS empty_col FROM n
              """
            : """
              SELECT i, 'row number ' || i || ' with some padding text' AS body, i * 0.5 AS half, NULL::text AS empty_col
                FROM generate_series(1, 1000000) i
              """
        try connection.execute("CREATE TABLE big AS " + generate)
        let baseline = residentMemory()
        var peak = baseline
        var count = 0
        var sum: Int64 = 0
        let cursor = try connection.query("SELECT * FROM big", [])
        while let row = try cursor.next() {
            count += 1
            if case .integer(let i) = row[0] { sum += i }
            if count % 50_000 == 0 { peak = max(peak, residentMemory()) }
        }
        #expect(count == 1_000_000)
        #expect(sum == 500_000_500_000)
        let growth = (peak - baseline) / (1024 * 1024)
        #expect(growth < 100, "resident memory grew by \(growth) MB while streaming")
    }

    @Test("a long statement is cancelled from another thread within a second", arguments: Engine.allCases)
    func cancel(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        let sql = engine == .sqlite
            ? "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
            : "SELECT pg_sleep(30)"
        let canceller = connection.makeCanceller()
        let cancelledAt = Mutex<ContinuousClock.Instant?>(nil)
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            cancelledAt.withLock { $0 = .now }
            canceller.cancel()
        }
        thread.start()
        #expect {
            _ = try connection.fetchAll(sql)
        } throws: { error in
            (error as? DatabaseError)?.kind == .cancelled
        }
        let stopped = ContinuousClock.now
        // Measured from the cancel request, so a busy machine's late timer does not count.
        let elapsed = cancelledAt.withLock { $0.map { stopped - $0 } } ?? .seconds(99)
        #expect(elapsed < .seconds(1), "took \(elapsed) after the cancel request")
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

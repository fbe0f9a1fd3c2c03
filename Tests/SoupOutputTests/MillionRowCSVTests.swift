import Foundation
import SoupDriver
import SoupOutput
import SoupPostgres
import SoupTestSupport
import Synchronization
import Testing

extension LargeResults {
    /// The CSV of soup-language(7) OUTPUT on a large result: on PostgreSQL, soup's CSV of a
    /// generated 1,000,000-row table of varied types is byte for byte what `psql --csv` prints, but
    /// for the empty strings, which soup writes `""` and psql leaves empty like NULL.
    @Suite struct MillionRowCSVTests {
        static let rowCount = 1_000_000

        /// The table, generated on the server. The costly values (md5 texts, JSON, arrays) come
        /// from 1,009 variants joined on `g % 1009`, so the table builds in seconds; numbers, dates,
        /// timestamps and intervals are computed for every row. Arrays and JSON, which cost the most
        /// to decode and print, fill one row in eight; the other rows leave them NULL.
        static let create = """
            CREATE TEMP TABLE variant AS
            SELECT k,
                   CASE k % 13
                     WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'plain ' || k WHEN 3 THEN 'comma, ' || k
                     WHEN 4 THEN 'say "hi" ' || k WHEN 5 THEN E'line\\nbreak ' || k WHEN 6 THEN E'cr\\r\\nlf ' || k
                     WHEN 7 THEN 'naïve café 中文 ' || k WHEN 8 THEN '👍 שלום مرحبا ' || k WHEN 9 THEN E'\\\\.'
                     WHEN 10 THEN E'tab\\there ' || k WHEN 11 THEN ' padded, "quoted" ' ELSE md5(k::text) END AS t,
                   CASE k % 7 WHEN 0 THEN NULL WHEN 1 THEN ''::bytea WHEN 2 THEN int4send(k)
                     ELSE decode(md5(k::text), 'hex') END AS by,
                   CASE k % 8 WHEN 1 THEN '{}'::int[] WHEN 2 THEN ARRAY[k, -k, NULL] WHEN 3 THEN ARRAY[[k, 1], [2, NULL]] END AS ia,
                   CASE k % 8
                     WHEN 4 THEN ARRAY['a b', NULL, '', 'x"y', E'back\\\\slash', 'NULL', 'c,d', '{' || k || '}', 'ünï']
                     WHEN 5 THEN ARRAY['w' || k] END AS ta,
                   CASE k % 8
                     WHEN 6 THEN json_build_object('id', k, 'name', 'n' || k, 'tags', json_build_array(1, 'two', NULL, true))
                     WHEN 7 THEN '[1, {"a": "b\\nc"}, 2.50]'::json END AS j,
                   CASE k % 16
                     WHEN 8 THEN jsonb_build_object('k', k, 'nested', jsonb_build_object('x', ARRAY[k, k + 1], 's', 'é "q"'))
                     END AS jb
              FROM generate_series(0, 1008) AS k;
            CREATE UNLOGGED TABLE big AS
            SELECT g AS id,
                   (g::int8 * 7919 % 2000001 - 1000000)::int AS i,
                   CASE g % 10
                     WHEN 0 THEN NULL WHEN 1 THEN g / 7.0::float8 WHEN 2 THEN g * 1.0e300::float8
                     WHEN 3 THEN -1.0 / g WHEN 4 THEN g * 0.25 WHEN 5 THEN sqrt(g) * 1e-310
                     WHEN 6 THEN g::float8 * 1e14 WHEN 7 THEN 'NaN' WHEN 8 THEN 'Infinity' ELSE '-0'
                   END::float8 AS f,
                   CASE g % 6
                     WHEN 0 THEN NULL WHEN 1 THEN g * 1.25 WHEN 2 THEN 1234567890123456789012345678901234567000 + g
                     WHEN 3 THEN (-g / 1000.0)::numeric(20, 6) WHEN 4 THEN 'NaN' ELSE g * 1e-20 END AS n,
                   v.t,
                   CASE g % 3 WHEN 0 THEN NULL ELSE g % 2 = 0 END AS b,
                   CASE g % 50 WHEN 0 THEN NULL WHEN 1 THEN 'infinity'::date WHEN 2 THEN '0044-03-15 BC'::date
                     ELSE DATE '2000-01-01' + g % 20000 END AS d,
                   CASE g % 40 WHEN 0 THEN NULL WHEN 1 THEN '-infinity'::timestamptz
                     ELSE TIMESTAMPTZ '2020-01-01 00:00:00+00' + make_interval(secs => g * 1.500001) END AS ts,
                   v.by, v.ia, v.ta, v.j, v.jb
              FROM generate_series(1, \(rowCount)) AS g JOIN variant v ON v.k = g % 1009;
            ALTER TABLE big ADD PRIMARY KEY (id);
            """

        static let select = "SELECT * FROM big ORDER BY id"

        @Test func csvIsPsqls() throws {
            let clock = ContinuousClock()
            var timings: [String] = []
            var last = clock.now
            func lap(_ label: String) {
                let now = clock.now
                timings.append("\(label) \(now - last)")
                last = now
            }
            let database = try PostgresDatabase.make()
            let connection = try PostgresConnection(conninfo: database.url)
            defer { connection.close() }
            try connection.executeScript(Self.create)
            defer { try? connection.executeScript("DROP TABLE big") }
            lap("create")
            let directory = try TemporaryDirectory(prefix: "soup-output")
            defer { directory.remove() }
            let soupPath = directory.file(named: "soup.csv")
            let psqlPath = directory.file(named: "psql.csv")
            // psql reads the table on its own connection while soup prints.
            let psqlDone = DispatchSemaphore(value: 0)
            let psqlFailure = Mutex<(any Error)?>(nil)
            DispatchQueue.global().async {
                do {
                    try database.psql(["--csv", "-c", Self.select], to: psqlPath)
                } catch {
                    psqlFailure.withLock { $0 = error }
                }
                psqlDone.signal()
            }
            let printed = try printResult(of: Self.select, on: connection, OutputOptions(format: .csv), toFile: soupPath)
            #expect(printed == Self.rowCount)
            lap("soup")
            psqlDone.wait()
            lap("psql after soup")
            if let error = psqlFailure.withLock({ $0 }) { throw error }
            let soup = try MappedFile(path: soupPath)
            let psql = try MappedFile(path: psqlPath)
            let comparison = CSVComparison(soup: soup.bytes, psql: psql.bytes)
            lap("compare")
            #expect(comparison.difference == nil)
            let emptyStrings = try connection.scalar("SELECT count(*) FROM big WHERE t = ''")
            #expect(comparison.emptyStrings > 0)
            #expect(emptyStrings == .integer(Int64(comparison.emptyStrings)))
            print("million-row CSV (\(soup.count) bytes): " + timings.joined(separator: ", "))
        }
    }
}

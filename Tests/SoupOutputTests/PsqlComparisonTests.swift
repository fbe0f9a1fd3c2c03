import Foundation
import SoupDriver
import SoupOutput
import SoupPostgres
import SoupTestSupport
import Testing

/// soup's output of PostgreSQL results compared byte for byte with what psql prints for the
/// same query on the same database: CSV with `psql --csv` (soup-language(7), OUTPUT), TSV with
/// `COPY … TO STDOUT`, and the aligned formats with psql's defaults.
@Suite struct PsqlComparisonTests {
    /// A database holding the golden tables, with a connection and a scratch directory.
    struct Setup {
        let database: PostgresDatabase
        let connection: any Connection
        let directory: TemporaryDirectory

        /// Prints `sql` with soup in `format`, and runs psql with `psqlArguments`, into files.
        func outputs(of sql: String, _ format: OutputFormat, psql psqlArguments: [String]) throws
            -> (soup: MappedFile, psql: MappedFile)
        {
            let soupPath = directory.file(named: "soup.\(format)")
            let psqlPath = directory.file(named: "psql.\(format)")
            try printResult(of: sql, on: connection, OutputOptions(format: format), toFile: soupPath)
            try database.psql(psqlArguments, to: psqlPath)
            return (try MappedFile(path: soupPath), try MappedFile(path: psqlPath))
        }
    }

    private func withGoldenTables(_ body: (Setup) throws -> Void) throws {
        let database = try PostgresDatabase.make()
        let connection = try PostgresConnection(conninfo: database.url)
        defer { connection.close() }
        try HostileTable.create(on: connection, engine: .postgres)
        try PostgresTypesTable.create(on: connection)
        let directory = try TemporaryDirectory(prefix: "soup-output")
        defer { directory.remove() }
        try body(Setup(database: database, connection: connection, directory: directory))
    }

    @Test func csvOfTheGoldenTablesIsPsqls() throws {
        try withGoldenTables { setup in
            for (sql, emptyStrings) in [(HostileTable.select, 1), (PostgresTypesTable.select, 0)] {
                let files = try setup.outputs(of: sql, .csv, psql: ["--csv", "-c", sql])
                let comparison = CSVComparison(soup: files.soup.bytes, psql: files.psql.bytes)
                #expect(comparison.difference == nil, "\(sql)")
                #expect(comparison.emptyStrings == emptyStrings, "\(sql)")
            }
        }
    }

    /// TSV is PostgreSQL's COPY text format with a header line. (COPY writes the header in
    /// text format from PostgreSQL 15 on; against an older server only the rows are compared.)
    @Test func tsvOfTheGoldenTablesIsCopyText() throws {
        try withGoldenTables { setup in
            let hasHeader =
                try setup.connection.scalar("SELECT current_setting('server_version_num')::int >= 150000") == .bool(true)
            for sql in [HostileTable.select, PostgresTypesTable.select] {
                let copy = "COPY (\(sql)) TO STDOUT" + (hasHeader ? " WITH (HEADER)" : "")
                let files = try setup.outputs(of: sql, .tsv, psql: ["-c", copy])
                let soup = hasHeader ? Array(files.soup.bytes) : Array(files.soup.bytes.drop { $0 != 0x0a }.dropFirst())
                #expect(soup == Array(files.psql.bytes), "\(sql)")
            }
        }
    }

    /// `table` and `expanded` are psql's aligned output with its defaults (border 1, no pager).
    ///
    /// One deliberate difference is left out: soup measures a zero-width joiner as no column
    /// (👨‍👩‍👧 is 6 wide, as glibc's `wcwidth` and terminals have it; see ``DisplayWidth``),
    /// where psql 15 counts each joiner as one column.
    @Test(arguments: [OutputFormat.table, .expanded])
    func alignedFormatsOfTheGoldenTablesArePsqls(format: OutputFormat) throws {
        let hostile = "SELECT * FROM hostile WHERE kind <> 'zwj emoji' ORDER BY id"
        try withGoldenTables { setup in
            for sql in [hostile, PostgresTypesTable.select] {
                let expanded = format == .expanded ? ["-x"] : []
                let files = try setup.outputs(of: sql, format, psql: expanded + ["-c", sql])
                let soup = String(decoding: files.soup.bytes, as: UTF8.self)
                let psql = String(decoding: files.psql.bytes, as: UTF8.self)
                #expect(soup == psql, "\(sql)")
            }
        }
    }
}

extension PsqlComparisonTests {
    /// A value whose CSV is compared with psql's on its own.
    struct Probe: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String

        var testDescription: String { name }
    }

    static let probes: [Probe] = [
        Probe(name: "float8 edges", sql: """
            SELECT 1e15::float8 a, 123456789012345.6::float8 b, 1e-4::float8 c, 1e-5::float8 d,
                   5e-324::float8 e, 1.7976931348623157e308::float8 f, -0.0::float8 * -1 g
            """),
        Probe(name: "numeric edges", sql: """
            SELECT 'NaN'::numeric a, 0.000000000000000000001 b, -0.0 c, 1e100::numeric d, 'Infinity'::numeric e
            """),
        Probe(name: "text edges", sql: #"""
            SELECT E'\\.' a, E'\\.x' b, ' ' c, E'\r' d, '"' e, ',' f, E'a\x01b' g, 'NULL' h
            """#),
        Probe(name: "arrays", sql: #"""
            SELECT ARRAY['', ' ', 'null', 'NULL', E'\t', '"', '\', '{}', 'a;b'] a,
                   ARRAY[ARRAY[1.5, NULL], ARRAY['NaN', -0.0]]::numeric[] b,
                   ARRAY['{"a": [1]}'::jsonb, 'null'] c, ARRAY['2024-01-01 00:00:00+00'::timestamptz] d,
                   ARRAY['a '::char(3)] e, ARRAY['\x00ff'::bytea] f, '{}'::text[] g
            """#),
        Probe(name: "other types", sql: """
            SELECT ROW(1, 'a b') a, '(1,2)'::point b, '192.168.0.1/24'::inet c, '1 day'::interval d,
                   '12:00'::timetz e, 'abc'::bytea f, B'1010' g, 'a & b'::tsquery h, '[1,5)'::int4range i
            """),
        Probe(name: "column names", sql: #"""
            SELECT 1 AS "a,b", 2 AS "say ""hi""", 3 AS "\.", 4 AS "new
            line", 5 AS "中文", 6 AS " "
            """#),
        Probe(name: "array elements with \\f or \\v", sql: #"SELECT ARRAY[E'a\fb', E'c\x0bd'] a"#),
        // CSV copies the server's text, so float4out's notation and array bounds come through.
        Probe(name: "float4 from 1e6 up", sql: "SELECT 1234567::float4 a, 1e6::float4 b, ARRAY[1e7::float4] c"),
        Probe(name: "array with lower bounds", sql: "SELECT '[0:1]={1,2}'::int[] a"),
    ]

    /// Values picked to catch a difference from psql that a generated table might not hold.
    @Test(arguments: probes)
    func csvOfAProbeIsPsqls(probe: Probe) throws {
        let database = try PostgresDatabase.make()
        let connection = try PostgresConnection(conninfo: database.url)
        defer { connection.close() }
        let directory = try TemporaryDirectory(prefix: "soup-output")
        defer { directory.remove() }
        let setup = Setup(database: database, connection: connection, directory: directory)
        let files = try setup.outputs(of: probe.sql, .csv, psql: ["--csv", "-c", probe.sql])
        let comparison = CSVComparison(soup: files.soup.bytes, psql: files.psql.bytes)
        #expect(comparison.difference == nil)
    }
}

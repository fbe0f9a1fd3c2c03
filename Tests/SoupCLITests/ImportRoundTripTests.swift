import Foundation
import SoupTestSupport
import Testing

/// `soup query -f csv|json|jsonl` → `soup import` → the same rows, on both engines, with every
/// kind of value the output tests print: NULL beside the empty string, quotes, commas, line
/// breaks, CRLF, tabs, backslashes, `\.`, controls, emoji, combining marks, extreme numbers,
/// blobs, and on PostgreSQL every typed value.
@Suite("soup import: round trips of soup's own output")
struct ImportRoundTripTests {
    /// The source table: the same hostile rows on both engines, typed columns on PostgreSQL.
    static func fixture(_ engine: TransferEngine, in directory: TemporaryDirectory) throws -> (database: String, ddl: String) {
        let database = try engine.database(in: directory)
        let ddl: String
        let rows: String
        switch engine {
        case .sqlite:
            ddl = "(id INTEGER PRIMARY KEY, kind TEXT, txt TEXT, i8 INTEGER, f8 REAL, bin BLOB, anything)"
            rows = """
                INSERT INTO src VALUES
                  (1, 'null', NULL, NULL, NULL, NULL, NULL),
                  (2, 'empty', '', 0, 0.5, x'', ''),
                  (3, 'quotes', 'it''s "quoted"', 9223372036854775807, 1e308, x'00ff00410a', 12),
                  (4, 'comma and newline', 'a,b' || char(10) || 'c', -9223372036854775808, 1.5e-7, x'41', 'x'),
                  (5, 'crlf and tab', 'line 1' || char(13,10) || 'line 2' || char(9) || 'tab', 42, 0.1, NULL, 2.5),
                  (6, 'backslash and copy end', 'C:\\dir\\', 7, -2.25, NULL, '\\.'),
                  (7, 'controls', 'bell' || char(7) || ' esc' || char(27), NULL, 3.0, NULL, NULL),
                  (8, 'unicode', '👨‍👩‍👧 e' || char(769) || ' שלום 中文', NULL, NULL, NULL, '007'),
                  (9, 'spaces', '  padded  ', NULL, NULL, NULL, ' ');
                """
        case .postgres:
            ddl = """
                (id integer PRIMARY KEY, kind text, txt text, i8 bigint, f8 double precision, num numeric, bin bytea,
                 flag boolean, day date, stamp timestamp, zoned timestamptz, uid uuid, doc json, docb jsonb,
                 words text[], grid int[], span interval, clock time, point point)
                """
            rows = """
                INSERT INTO src VALUES
                  (1, 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (2, 'empty', '', 0, 0.5, 10.00, '\\x', true, '2024-02-29', '2024-01-02 03:04:05.123456',
                   '2024-02-29 18:29:59.999999+00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.5, null, true]}',
                   '{"big": 12345678901234567890}', ARRAY['plain', NULL, '', 'say "hi"', 'a,b'], '{{1,2},{3,NULL}}',
                   '1 year 2 mons 3 days 04:05:06.5', '13:45:00.5', '(1.5,-2)'),
                  (3, 'quotes', 'it''s "quoted"', 9223372036854775807, 1e308, 1234567890123456789012345678901234567890,
                   '\\x00ff00410a', false, '0044-03-15 BC', 'infinity', '-infinity', '00000000-0000-0000-0000-000000000000',
                   '[]', '"just a string"', '{}', '{}', '-1 days +02:03:04', '00:00:00', '(0,0)'),
                  (4, 'comma and newline', E'a,b\\nc', -9223372036854775808, 1.5e-7, -0.000100, '\\x41', NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (5, 'crlf and tab', E'line 1\\r\\nline 2\\ttab', 42, 'NaN', 'NaN', NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (6, 'backslash and copy end', E'C:\\\\dir\\\\', 7, '-Infinity', 0, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (7, 'controls', E'bell\\x07 esc\\x1b', NULL, '-0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL),
                  (8, 'unicode', E'👨‍👩‍👧 e\\u0301 שלום 中文', NULL, 12.5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL),
                  (9, 'spaces', '  padded  ', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL);
                """
        }
        try soup(["query", database, "--create", "CREATE TABLE src " + ddl, rows])
        return (database, ddl)
    }

    @Test("CSV: into a table --create makes, and into a copy of the table", arguments: TransferEngine.allCases)
    func csv(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (database, ddl) = try Self.fixture(engine, in: directory)
        let original = try rows("src", in: database)
        let file = try writeFile(original, named: "src.csv", in: directory)

        try soup(["import", database, "created", file, "--create", "--pk", "id"])
        #expect(try rows("created", in: database) == original)

        try soup(["query", database, "CREATE TABLE copied " + ddl])
        try soup(["import", database, "copied", file])
        #expect(try rows("copied", in: database) == original)
        // NULL and the empty string stayed apart.
        let nulls = try soup(["query", database, "-f", "csv", "SELECT count(*) FROM created WHERE txt IS NULL"])
        #expect(nulls.hasSuffix("\n1\n"))
    }

    @Test("8 MB of quoted fields across the reader's buffer refills read back byte for byte", arguments: TransferEngine.allCases)
    func bufferBoundaries(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        try soup(["query", database, "--create", "CREATE TABLE t (id integer PRIMARY KEY, v text, w text)"])
        // soup's own CSV: quoted only where needed, NULL empty, "" the empty string; field
        // lengths vary so quotes, doubled quotes and CRLF land on every offset of a refill.
        var random = SeededRandom(seed: 2026)
        let pieces = ["a", "bc", "\"", "\"\"", ",", "\r\n", "\n", "é", "👍", " ", "xyz"]
        var csv = "id,v,w\n"
        var id = 0
        while csv.utf8.count < 8_000_000 {
            id += 1
            var value = ""
            for _ in 0..<Int(random.next() % 60) { value += pieces[Int(random.next() % UInt64(pieces.count))] }
            let quoted = value.isEmpty || value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            let field = quoted ? "\"" + value.replacing("\"", with: "\"\"") + "\"" : value
            csv += "\(id),\(field),\(id % 7 == 0 ? "" : "w\(id)")\n"
        }
        let file = try writeFile(csv, named: "boundaries.csv", in: directory)
        try soup(["import", database, "t", file], timeout: 600)
        #expect(try rows("t", in: database) == csv)
    }

    @Test("TSV, JSON and JSON Lines into a copy of the table", arguments: TransferEngine.allCases)
    func otherFormats(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (database, ddl) = try Self.fixture(engine, in: directory)
        for format in ["tsv", "json", "jsonl"] {
            let original = try soup(["query", database, "-f", format, "SELECT * FROM src ORDER BY id"])
            let file = try writeFile(original, named: "src.\(format)", in: directory)
            let table = "copy_\(format)"
            try soup(["query", database, "CREATE TABLE \(table) " + ddl])
            try soup(["import", database, table, file])
            let again = try soup(["query", database, "-f", format, "SELECT * FROM \(table) ORDER BY id"])
            #expect(again == original, "\(format)")
        }
    }

    @Test("JSON with --create: numbers, strings, booleans and nested documents", arguments: TransferEngine.allCases)
    func jsonCreate(engine: TransferEngine) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try engine.database(in: directory)
        let file = try writeFile(
            """
            [
            {"n": 1, "x": 1.5, "s": "a\\nb", "b": true, "d": {"k": [1, 2]}},
            {"n": 2, "x": 2, "s": null, "b": false, "d": [], "extra": "only here"}
            ]
            """, named: "docs.json", in: directory)
        try soup(["import", database, "docs", file, "--create", "--pk", "n"])
        let types = try columnTypes("docs", in: database)
        #expect(types["n"] == "integer")
        #expect(types["x"] == "real")
        #expect(types["s"] == "text")
        #expect(types["b"] == "boolean")
        #expect(types["d"] == (engine == .postgres ? "json" : "text"))
        #expect(types["extra"] == "text")
        let json = try soup(["query", database, "-f", "jsonl", "SELECT n, x, s, d, extra FROM docs ORDER BY n"])
        #expect(json == """
            {"n":1,"x":1.5,"s":"a\\nb","d":\(engine == .postgres ? #"{"k":[1,2]}"# : #""{\"k\":[1,2]}""#),"extra":null}
            {"n":2,"x":2,"s":null,"d":\(engine == .postgres ? "[]" : #""[]""#),"extra":"only here"}

            """)
    }
}

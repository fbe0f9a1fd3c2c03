import SoupDriver
import SoupPostgres
import SoupSQLite
import SoupTestSupport
import Testing

@Suite("Values round-trip through bound parameters")
struct ValueRoundTripTests {
    /// Values that come back exactly as they were bound, on both engines.
    static let portable: [Value] = [
        .null, .text(""), .text("plain"), .text("emoji 🧪👩‍👩‍👧 done"), .text("中文字符 日本語 한국어"),
        .text("e\u{301} combining a\u{30A}"), .text("quote ' and \" and \\ backslash"),
        .text("line1\nline2\r\nline3\ttab"), .text("'; DROP TABLE users; --"),
        .integer(0), .integer(-42), .integer(Int64.max), .integer(Int64.min),
        .real(3.5), .real(-0.25), .real(1e308), .real(.leastNonzeroMagnitude),
        .blob([0, 1, 2, 0, 255, 0]), .blob([]),
    ]

    @Test("portable values", arguments: Engine.allCases)
    func portableValues(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        for value in Self.portable {
            let sql: String
            switch (engine, value) {
            case (.postgres, .text): sql = "SELECT $1::text"
            case (.postgres, .null): sql = "SELECT $1::text"
            default: sql = "SELECT \(engine.p(0))"
            }
            let back = try connection.scalar(sql, [value])
            #expect(back == value, "\(value) came back as \(String(describing: back))")
        }
    }

    @Test("text survives a table round trip", arguments: Engine.allCases)
    func tableRoundTrip(engine: Engine) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (id integer PRIMARY KEY, body text, data \(engine == .sqlite ? "blob" : "bytea"))")
        let texts = Self.portable.compactMap { value -> String? in
            if case .text(let s) = value { return s }
            return nil
        }
        for (index, text) in texts.enumerated() {
            try connection.execute(
                "INSERT INTO t (id, body, data) VALUES (\(engine.p(0)), \(engine.p(1)), \(engine.p(2)))",
                [.integer(Int64(index)), .text(text), .blob(Array(text.utf8) + [0])])
        }
        let rows = try connection.fetchAll("SELECT body, data FROM t ORDER BY id")
        #expect(rows.map { $0[0] } == texts.map(Value.text))
        #expect(rows.map { $0[1] } == texts.map { Value.blob(Array($0.utf8) + [0]) })
    }

    @Test("PostgreSQL types decode to their kinds")
    func postgresKinds() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        let numeric = "1234567890123456789012345678901234567890.0123456789"
        let cases: [(String, [Value], Value)] = [
            ("SELECT $1::numeric", [.numeric(numeric)], .numeric(numeric)),
            ("SELECT 'NaN'::numeric", [], .numeric("NaN")),
            ("SELECT $1::interval", [.interval("-1 days -02:03:04")], .interval("-1 days -02:03:04")),
            ("SELECT '-3 mons'::interval", [], .interval("-3 mons")),
            ("SELECT $1::date", [.date("2024-02-29")], .date("2024-02-29")),
            ("SELECT '13:14:15.5'::time", [], .time("13:14:15.5")),
            ("SELECT '13:14:15+02'::timetz", [], .time("13:14:15+02")),
            ("SELECT '2024-01-02 03:04:05.678'::timestamp", [], .timestamp("2024-01-02 03:04:05.678")),
            ("SELECT $1::uuid", [.uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")], .uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            ("SELECT $1::jsonb", [.json(#"{"a": [1, [2, 3], {"b": null}]}"#)], .json(#"{"a": [1, [2, 3], {"b": null}]}"#)),
            ("SELECT '[1, [2]]'::json", [], .json("[1, [2]]")),
            ("SELECT true, false", [], .bool(true)),
            ("SELECT $1::bool", [.bool(false)], .bool(false)),
            ("SELECT 'NaN'::float8", [], .real(.nan)),
            ("SELECT '-Infinity'::float8", [], .real(-.infinity)),
            ("SELECT 1.5::float4", [], .real(1.5)),
            ("SELECT 7::int2", [], .integer(7)),
            ("SELECT 'abc'::bpchar(5)", [], .text("abc  ")),
            ("SELECT 'pg_class'::regclass", [], .text("pg_class")),
            ("SELECT '192.168.0.1/24'::inet", [], .other(typeName: "inet", text: "192.168.0.1/24")),
            ("SELECT ARRAY[1, NULL, 3]", [], .array([.integer(1), .null, .integer(3)])),
            ("SELECT ARRAY[[1, 2], [3, 4]]", [], .array([.array([.integer(1), .integer(2)]), .array([.integer(3), .integer(4)])])),
            (#"SELECT ARRAY['a b', 'c"d', 'NULL', NULL, '', 'x\y']"#, [],
             .array([.text("a b"), .text("c\"d"), .text("NULL"), .null, .text(""), .text("x\\y")])),
            ("SELECT '{}'::int[]", [], .array([])),
            ("SELECT '[0:1]={5,6}'::int[]", [], .array([.integer(5), .integer(6)])),
            ("SELECT ARRAY['2024-01-01'::date]", [], .array([.date("2024-01-01")])),
            ("SELECT ARRAY[1.5::numeric]", [], .array([.numeric("1.5")])),
            ("SELECT $1::int[]", [.array([.integer(1), .null])], .array([.integer(1), .null])),
            ("SELECT $1::text[]", [.array([.text("a,b"), .text("{}")])], .array([.text("a,b"), .text("{}")])),
        ]
        for (sql, parameters, expected) in cases {
            let value = try connection.scalar(sql, parameters)
            if case .real(let d) = expected, d.isNaN {
                guard case .real(let got)? = value else {
                    Issue.record("\(sql) gave \(String(describing: value))")
                    continue
                }
                #expect(got.isNaN)
            } else {
                #expect(value == expected, "\(sql)")
            }
        }
    }

    @Test("timestamptz is read in the session's time zone")
    func timestampTZInTwoZones() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        let instant = "2024-06-01 12:00:00+00"
        try connection.execute("SET TimeZone = 'UTC'")
        #expect(try connection.scalar("SELECT $1::timestamptz", [.timestampTZ(instant)]) == .timestampTZ("2024-06-01 12:00:00+00"))
        try connection.execute("SET TimeZone = 'Asia/Kolkata'")
        #expect(try connection.scalar("SELECT $1::timestamptz", [.timestampTZ(instant)]) == .timestampTZ("2024-06-01 17:30:00+05:30"))
    }

    @Test("enums, domains and arrays of them decode by their base types")
    func customTypes() throws {
        let url = try PostgresServer.shared().makeDatabase()
        let setup = try PostgresConnection(conninfo: url)
        // Domains over an enum, over another domain and over an array of an enum.
        try setup.executeScript("""
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE DOMAIN feeling AS mood;
            CREATE DOMAIN tiny AS positive CHECK (VALUE < 10);
            CREATE DOMAIN moods AS mood[];
            CREATE TYPE span AS RANGE (subtype = integer);
            """)
        setup.close()
        let connection = try PostgresConnection(conninfo: url)
        defer { connection.close() }
        let sql = """
            SELECT 'happy'::mood, 5::positive, ARRAY['sad'::mood], 'sad'::feeling, ARRAY['happy'::feeling],
                3::tiny, ARRAY[4::tiny, NULL], ARRAY['happy', 'sad']::moods, '[1,3)'::span, ARRAY[7::positive]
            """
        let expected: [Value] = [
            .text("happy"), .integer(5), .array([.text("sad")]), .text("sad"), .array([.text("happy")]),
            .integer(3), .array([.integer(4), .null]), .array([.text("happy"), .text("sad")]), .text("[1,3)"),
            .array([.integer(7)]),
        ]
        #expect(try connection.fetchAll(sql).first == expected)
        #expect(try connection.fetchBatch([BoundStatement(sql)]).first?.first == expected)
        // The server describes a domain's values by its base type, and an array of a domain by
        // the domain's own array type.
        let names = try connection.query(sql, []).columns.map(\.typeName)
        #expect(names == ["mood", "int4", "_mood", "mood", "_feeling", "int4", "_int4", "_mood", "span", "_positive"])
    }

    @Test("reals print as PostgreSQL's float8out does")
    func realFormatting() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        var generator = SeededRandom(seed: FuzzSettings.seed)
        var samples: [Double] = [0, -0.0, 1, -1, 0.1, 1e15, 1e14 + 0.5, 123456789012345.6, 1234567890123456.7,
                                 1e-4, 1.5e-5, 1e308, .leastNonzeroMagnitude, 2.5, 100, 1e16, 0.30000000000000004,
                                 // shortest digits exactly half an ulp above: float8out takes one digit more
                                 -885_239_102_682_567_936.0]
        for _ in 0..<max(FuzzSettings.iterations / 20, 1_000) {
            samples.append(Double(bitPattern: generator.next()))
            // Large integers and tiny subnormals, where a short decimal can lie on a rounding bound.
            samples.append(Double(UInt64.random(in: 1 << 54 ... 1 << 63, using: &generator)) * 64)
            samples.append(Double(bitPattern: UInt64.random(in: 1...4_000, using: &generator)))
        }
        samples = samples.filter(\.isFinite)
        let rows = try connection.fetchAll(
            "SELECT x::text FROM unnest($1::float8[]) WITH ORDINALITY AS t(x, n) ORDER BY n", [.array(samples.map(Value.real))])
        #expect(rows.count == samples.count)
        for (sample, row) in zip(samples, rows) {
            let printed = Value.format(real: sample)
            #expect(row.first == .text(printed), "\(sample)")
            // Independent of the server too: the text reads back to the very same double.
            #expect(Double(printed)?.bitPattern == sample.bitPattern, "\(printed) for \(sample.bitPattern)")
        }
        #expect(Value.format(real: -885_239_102_682_567_936.0) == "-8.852391026825679e+17")
    }
}

import Foundation
import SoupDriver
import SoupOutput
import SoupPostgres
import SoupTestSupport
import Testing

/// `json` and `jsonl` of PostgreSQL results: the path that copies the server's text prints byte
/// for byte what the ``Value`` path prints, and times read as the server's own `to_json()`.
@Suite struct PostgresJSONTests {
    /// What `sql` prints as `format`, through the borrowing cursor or as values.
    static func printed(_ sql: String, on connection: any Connection, _ format: OutputFormat, borrowing: Bool) throws -> String {
        let sink = OutputSink.collecting()
        let cursor = try connection.query(sql, [])
        #expect(cursor is any BorrowingRowCursor)
        let printer = ResultPrinter(options: OutputOptions(format: format))
        if borrowing {
            try printer.print(cursor, to: sink)
        } else {
            try printer.print(BorrowedRowTests.ValueCursor(cursor), to: sink)
        }
        try sink.flush()
        return sink.collectedText
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast() + ""
    }

    /// Every type soup decodes, with values chosen by a seeded generator: integers of every
    /// size, doubles of every magnitude (17 digits, subnormal, ±0, NaN, infinities), text that
    /// needs escapes, times in several zones, JSON, arrays, bytea, a domain and an enum.
    @Test("the copying JSON path prints what the Value path prints")
    func copiedTextMatchesValues() throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.executeScript(
            """
            CREATE DOMAIN int4 AS text;
            CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE g (
                id int, s int2, i int4, b int8, r float8, f float4, n numeric, flag bool, t text,
                v varchar, d date, c time, cz timetz, ts timestamp, tz timestamptz, span interval,
                u uuid, doc json, docb jsonb, words text[], blob bytea, p positive, m mood,
                fake public.int4, o oid, pt point);
            """)
        var random = SeededRandom(seed: FuzzSettings.seed)
        let doubles: [Double] = [0, -0.0, 1, 0.1, 123.45, 1e-4, 1e-5, 1e15, 1e14 + 0.5, 5e-324, .ulpOfOne, 1e308, 0.30000000000000004]
        let texts = ["", "plain", #"say "hi""#, "back\\slash", "tab\there", "line\nbreak", "\u{1}\u{7f}\u{85}", "é 中文 🍲", "NULL"]
        for id in 0..<400 {
            let real = Bool.random(using: &random)
                ? doubles.randomElement(using: &random)!
                : Double(bitPattern: random.next() & 0x7fef_ffff_ffff_ffff) * (Bool.random(using: &random) ? 1 : -1)
            let scale = Double(Int.random(in: -6...6, using: &random))
            let decimal = (Double(Int.random(in: -99_999...99_999, using: &random)) / 100).description
            let year = Int.random(in: 1...4000, using: &random)
            let stamp = String(format: "%04d-%02d-%02d %02d:%02d:%02d.%d", year, Int.random(in: 1...12, using: &random),
                               Int.random(in: 1...28, using: &random), Int.random(in: 0...23, using: &random),
                               Int.random(in: 0...59, using: &random), Int.random(in: 0...59, using: &random),
                               Int.random(in: 0...999_999, using: &random)) + (Bool.random(using: &random) ? " BC" : "")
            let offset = ["+00", "+05:30", "-08", "-03:30", "+14", "+00:19:32"].randomElement(using: &random)!
            let nulls = (0..<26).map { _ in Int.random(in: 0..<12, using: &random) == 0 }
            let values: [Value] = [
                .integer(Int64(id)), .integer(Int64.random(in: -32768...32767, using: &random)),
                .integer(Int64.random(in: Int64(Int32.min)...Int64(Int32.max), using: &random)),
                .integer(Int64.random(in: .min ... .max, using: &random)), .real(real),
                .real(Double(Float(real * pow(10, scale)))), .numeric(decimal), .bool(Bool.random(using: &random)),
                .text(texts.randomElement(using: &random)!), .text(texts.randomElement(using: &random)!),
                .date(String(stamp.prefix(10)) + (stamp.hasSuffix(" BC") ? " BC" : "")),
                .time(String(stamp.dropFirst(11).prefix(8))), .text(String(stamp.dropFirst(11).prefix(8)) + offset),
                .timestamp(stamp), .text(stamp + offset), .interval("\(id) days -02:03:04.5"),
                .uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd38\(String(format: "%04x", id))"),
                .json("{\"a\" : [1, 2.50, \"x y\"],\n \"t\": \(try Self.quoted(texts.randomElement(using: &random)!))}"),
                .json("[ {\"k\": null}, true , 1e3 ]"), .array([.text("a"), .null, .text(texts.randomElement(using: &random)!)]),
                .blob((0..<Int.random(in: 0...6, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }),
                .integer(Int64.random(in: 1...1_000_000, using: &random)), .text(["sad", "ok", "happy"].randomElement(using: &random)!),
                .text(texts.randomElement(using: &random)!), .integer(Int64.random(in: 0...4_294_967_295, using: &random)),
                .other(typeName: "point", text: "(\(id),-1.5)"),
            ]
            let row = zip(values, nulls).map { $0.1 && $0.0 != .integer(Int64(id)) ? Value.null : $0.0 }
            let placeholders = (0..<row.count).map { connection.dialect.placeholder($0) }.joined(separator: ", ")
            try connection.execute(
                "INSERT INTO g VALUES (\(placeholders.replacingOccurrences(of: "$13,", with: "$13::timetz,").replacingOccurrences(of: "$15,", with: "$15::timestamptz,")))",
                row)
        }
        try connection.execute("INSERT INTO g (id, r) VALUES (1000, 'NaN'), (1001, 'Infinity'), (1002, '-Infinity')")
        let selects = ["SELECT * FROM g ORDER BY id", "SELECT r, f, r::text AS rt FROM g ORDER BY id"]
        for zone in ["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam"] {
            try connection.execute("SET TimeZone = '\(zone)'")
            for digits in [1, 0, -3] {
                try connection.execute("SET extra_float_digits = \(digits)")
                for sql in selects {
                    for format in [OutputFormat.json, .jsonl] {
                        let copied = try Self.printed(sql, on: connection, format, borrowing: true)
                        let decoded = try Self.printed(sql, on: connection, format, borrowing: false)
                        #expect(copied == decoded, "\(zone), extra_float_digits \(digits), \(sql), \(format)")
                    }
                }
            }
        }
    }

    /// Date and time values of every kind in several session time zones (whole hours, half
    /// hours, local mean times with seconds), BC years, years past 9999 and infinity, printed by
    /// soup from their own types and compared with the server's `to_json()` of each.
    @Test("dates and times in JSON are what the server's to_json() prints",
          arguments: ["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam", "America/Los_Angeles"])
    func timesMatchToJSON(zone: String) throws {
        let connection = try Engine.postgres.connect()
        defer { connection.close() }
        try connection.executeScript("CREATE TABLE samples (v timestamptz)")
        try connection.execute("SET TimeZone = '\(zone)'")
        for sample in ["infinity", "-infinity", "0044-03-15 12:00:00 BC", "4713-01-01 00:00:00 BC", "1900-01-01 00:00:00",
                       "1937-06-30 23:59:59.5", "2024-02-29 23:59:59.999999", "10000-01-01 00:00:00", "200000-12-31 23:59:59"] {
            try connection.execute("INSERT INTO samples VALUES ($1::timestamptz)", [.text(sample)])
        }
        var random = SeededRandom(seed: FuzzSettings.seed)
        for _ in 0..<300 {
            let seconds = Int64.random(in: -200_000_000_000 ... 8_000_000_000, using: &random)
            let micros = Int64.random(in: 0..<1_000_000, using: &random)
            try connection.execute(
                "INSERT INTO samples VALUES (to_timestamp($1::float8) + make_interval(secs => $2::float8 / 1e6))",
                [.integer(seconds), .integer(micros)])
        }
        var checked = 0
        for (kind, type) in ["date", "time", "timetz", "timestamp", "timestamptz"].enumerated() {
            let sql = "SELECT a::\(type) AS v, b FROM (\(Self.kinded)) s WHERE k = \(kind)"
            for borrowing in [true, false] {
                let text = try Self.printed(sql, on: connection, .jsonl, borrowing: borrowing)
                for line in text.split(separator: "\n") {
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
                    let value = try #require(object["v"])
                    #expect("\"" + value + "\"" == object["b"], "\(type) in \(zone): \(line)")
                    checked += 1
                }
            }
        }
        #expect(checked > 2 * 300 * 5)
    }

    /// Each sample as text and the server's `to_json()` of it, as each type; `k` is the type: 0 date, 1 time, 2 timetz, 3 timestamp,
    /// 4 timestamptz.
    static let kinded = """
        SELECT v::date::text AS a, to_json(v::date)::text AS b, 0 AS k FROM samples
        UNION ALL SELECT v::time::text, to_json(v::time)::text, 1 FROM samples WHERE v::text NOT LIKE '%infinity'
        UNION ALL SELECT (v::time::text || z), to_json((v::time::text || z)::timetz)::text, 2
            FROM samples, unnest(ARRAY['+00', '+05:30', '-08', '-03:30', '+14', '-12:00:15']) z WHERE v::text NOT LIKE '%infinity'
        UNION ALL SELECT v::timestamp::text, to_json(v::timestamp)::text, 3 FROM samples
        UNION ALL SELECT v::text, to_json(v)::text, 4 FROM samples
        """
}

import Foundation
import SoupDriver
import SoupOutput
import SoupPostgres
import Testing

/// The `json` and `jsonl` output of values read from SQLite and PostgreSQL parses with
/// `JSONSerialization` to what soup-language(7) OUTPUT promises for each kind of value.
@Suite struct EngineJSONTests {
    /// The hostile table on either engine, and PostgreSQL's own types.
    static let tables: [(Engine, String)] = [
        (.sqlite, HostileTable.select), (.postgres, HostileTable.select), (.postgres, PostgresTypesTable.select),
    ]

    private func withTable(_ engine: Engine, _ select: String, _ body: (any Connection) throws -> Void) throws {
        let connection = try engine.connect()
        defer { connection.close() }
        if select == PostgresTypesTable.select {
            try PostgresTypesTable.create(on: connection)
        } else {
            try HostileTable.create(on: connection, engine: engine)
        }
        try body(connection)
    }

    @Test(arguments: tables)
    func jsonParsesToTheValuesRead(engine: Engine, select: String) throws {
        try withTable(engine, select) { connection in
            let cursor = try connection.query(select, [])
            let names = cursor.columns.map(\.name)
            var rows: [[Value]] = []
            while let row = try cursor.next() { rows.append(row) }
            let text = try connection.printed(select, OutputOptions(format: .json))
            let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            #expect(objects.count == rows.count)
            for (object, row) in zip(objects, rows) {
                #expect(object.keys.sorted() == names.sorted())
                for (name, value) in zip(names, row) {
                    #expect(JSONMatch.matches(object[name] as Any, value), "\(name): \(object[name] ?? "missing") for \(value)")
                }
            }
        }
    }

    @Test(arguments: tables)
    func jsonLinesParseToTheValuesRead(engine: Engine, select: String) throws {
        try withTable(engine, select) { connection in
            let rows = try connection.fetchAll(select)
            let text = try connection.printed(select, OutputOptions(format: .jsonl))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == rows.count + 1)
            #expect(lines.last == "")
            for (line, row) in zip(lines, rows) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(JSONMatch.matches(object["id"] as Any, row[0]))
                #expect(object.count == row.count)
            }
        }
    }

    /// Every value printed alone is one JSON document on one line.
    @Test(arguments: tables)
    func everyValueAloneIsOneJSONDocument(engine: Engine, select: String) throws {
        try withTable(engine, select) { connection in
            for value in try connection.fetchAll(select).joined() {
                let sink = OutputSink.collecting()
                try ResultPrinter(options: OutputOptions(format: .json)).print(value: value, to: sink)
                let text = sink.collectedText
                #expect(text.hasSuffix("\n") && !text.dropLast().contains("\n"), "\(value)")
                let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
                #expect(JSONMatch.matches(parsed, value), "\(text) for \(value)")
            }
        }
    }

    /// What PostgreSQL's own types become, spelled out.
    @Test func postgresTypesMapAsTheSpecSays() throws {
        try withTable(.postgres, PostgresTypesTable.select) { connection in
            let text = try connection.printed(PostgresTypesTable.select, OutputOptions(format: .json))
            let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let first = objects[0]
            #expect(first["flag"] as? Bool == true)
            #expect(first["day"] as? String == "2024-02-29")
            #expect(first["stamp"] as? String == "2024-01-02T03:04:05.123456")
            #expect(first["zoned_stamp"] as? String == "2024-02-29T18:29:59.999999+00:00")
            #expect(first["span"] as? String == "1 year 2 mons 3 days 04:05:06.5")
            #expect(first["uid"] as? String == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
            let doc = try #require(first["doc"] as? [String: Any])
            #expect((doc["b"] as? [String: Any])?["d"] as? String == "é👍")
            let docb = try #require(first["docb"] as? [String: Any])
            let deep = try #require((docb["nested"] as? [String: Any])?["deep"] as? [Any])
            #expect(((deep[0] as? [Any])?[1] as? [Any])?.count == 2)
            #expect((docb["big"] as? NSNumber)?.stringValue == "12345678901234567890")
            let words = try #require(first["words"] as? [Any])
            #expect(words[1] is NSNull)
            #expect(words[2] as? String == "")
            #expect(words[5] as? String == "NULL")
            let grid = try #require(first["grid"] as? [[Any]])
            #expect(grid[1][1] is NSNull)
            let reals = try #require(first["reals"] as? [Any])
            #expect(reals[3] as? String == "NaN" && reals[4] as? String == "Infinity")
            #expect(first["amounts"] as? [String] == ["1234567890123456789012345678901234567890", "-0.000100"])
            #expect(first["blobs"] as? [String] == ["AP8=", ""])
            #expect(first["point"] as? String == "(1.5,-2)")
            let second = objects[1]
            #expect(second["doc"] as? [Any] != nil)
            #expect(second["docb"] as? String == "just a string")
            #expect(second["stamp"] as? String == "infinity")
            #expect(second["day"] as? String == "0044-03-15 BC")
            #expect((second["blobs"] as? [Any])?.first is NSNull)
            #expect(objects[2].values.filter { !($0 is NSNull) }.count == 1)
        }
    }
}

import Foundation
import SoupDriver
import SoupPostgres
import SoupTestSupport
import Testing

/// The PostgreSQL goldens of the formats psql has no counterpart for (`json`, `jsonl`,
/// `markdown`) are written by soup itself (`SOUP_UPDATE_GOLDEN=1`), so comparing soup with them
/// only shows that nothing changed. Here each committed golden is checked against the server,
/// as the CSV goldens are against `psql --csv`:
///
/// - `json`, `jsonl`: every object equals the one the server builds from the same row with
///   `json_build_object`, through the mapping `append(json:)` documents (exact decimals and
///   everything without a JSON type as the server's text, timestamps as `to_json` writes them,
///   bytes in base64), with the keys in column order.
/// - `markdown`: every cell, its escapes undone, is the server's text of the value (psql's
///   unaligned output), shown as psql shows control characters; NULL is empty; the numeric
///   columns, by the server's type category, are right-aligned.
@Suite struct GoldenOracleTests {
    struct Table: CustomTestStringConvertible, Sendable {
        let name: String
        let select: String

        var testDescription: String { name }
    }

    static let tables = [
        Table(name: "hostile", select: HostileTable.select), Table(name: "types", select: PostgresTypesTable.select),
    ]

    /// A database holding the golden tables.
    private func database() throws -> PostgresDatabase {
        let database = try PostgresDatabase.make()
        let connection = try PostgresConnection(conninfo: database.url)
        defer { connection.close() }
        try HostileTable.create(on: connection, engine: .postgres)
        try PostgresTypesTable.create(on: connection)
        return database
    }

    private func golden(_ name: String) throws -> String {
        let url = Engine.postgres.golden.url(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing golden \(url.path)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: tables)
    func jsonGoldensAreWhatTheServerBuilds(table: Table) throws {
        let database = try database()
        let columns = try Self.columns(of: table.name, in: database)
        let expected = try Self.rows(Self.jsonSelect(table, columns), in: database).map { try Self.object($0[0] ?? "") }

        let json = try golden("\(table.name).json")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let jsonl = try golden("\(table.name).jsonl")
        let lines = jsonl.split(separator: "\n").map(String.init)
        let fromLines = try lines.map(Self.object)
        #expect(jsonl.hasSuffix("\n"))
        for (format, objects) in [("json", array), ("jsonl", fromLines)] {
            #expect(objects.count == expected.count, "\(format)")
            for (index, (object, wanted)) in zip(objects, expected).enumerated() {
                #expect(object.keys.sorted() == wanted.keys.sorted(), "\(format) row \(index + 1)")
                for column in columns {
                    let got = object[column.name] as? NSObject
                    let want = wanted[column.name] as? NSObject
                    #expect(got != nil && got == want, "\(format) row \(index + 1) \(column.name): \(got ?? "missing" as NSString) is not \(want ?? "missing" as NSString)")
                }
            }
        }
        // Keys in column order, on each line of either format.
        for line in lines + json.split(separator: "\n").filter({ $0.hasPrefix("{") }).map(String.init) {
            let positions = columns.map { line.firstRange(of: "\"\($0.name)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted(), "\(line)")
        }
    }

    @Test(arguments: tables)
    func markdownGoldenIsTheServersText(table: Table) throws {
        let database = try database()
        let columns = try Self.columns(of: table.name, in: database)
        let texts = try Self.rows(table.select, in: database)
        let lines = try golden("\(table.name).md").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == texts.count + 3 && lines.last == "", "\(lines.count) lines for \(texts.count) rows")
        #expect(Self.cells(lines[0]) == columns.map(\.name))
        let rule = Self.cells(lines[1])
        #expect(rule.map { $0.hasSuffix(":") } == columns.map { $0.category == "N" }, "\(lines[1])")
        for (line, row) in zip(lines[2...], texts) {
            let cells = Self.cells(line)
            try #require(cells.count == columns.count, "\(line)")
            for (index, (cell, text)) in zip(cells, row).enumerated() {
                // A cell's own leading and trailing spaces cannot be told from its padding.
                let wanted = (text.map(Self.psqlDisplay) ?? "").trimmingCharacters(in: .init(charactersIn: " "))
                #expect(Self.unescaped(cell) == wanted, "\(columns[index].name) in \(line)")
            }
        }
    }

    // MARK: The server's side

    struct Column {
        let name: String
        let type: String
        /// `pg_type.typcategory`: `N` numeric, `A` array, `D` date/time, ...
        let category: String
        /// The element type of an array, else empty.
        let element: String
    }

    static func columns(of table: String, in database: PostgresDatabase) throws -> [Column] {
        let sql = """
            SELECT a.attname, t.typname, t.typcategory, coalesce(e.typname, '')
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
              LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
             WHERE a.attrelid = '\(table)'::regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """
        return try rows(sql, in: database).map { row in
            Column(name: row[0] ?? "", type: row[1] ?? "", category: row[2] ?? "", element: row[3] ?? "")
        }
    }

    /// The JSON value soup promises for `value` of type `type`, built by the server.
    static func jsonExpression(_ value: String, type: String) -> String {
        switch type {
        case "int2", "int4", "int8", "float4", "float8", "bool", "json", "jsonb", "timestamp", "timestamptz":
            return "to_json(\(value))"
        case "bytea":
            return "to_json(translate(encode(\(value), 'base64'), E'\\n', ''))"
        default:
            return "to_json(\(value)::text)"
        }
    }

    /// Element types whose arrays `to_json` maps as soup does, nesting and all.
    static let plainElements: Set = [
        "int2", "int4", "int8", "float4", "float8", "bool", "json", "jsonb", "text", "varchar", "timestamp", "timestamptz",
    ]

    /// One JSON object a row, keys in column order. Arrays of other elements are mapped element
    /// by element (one dimension: a nested array of them would not match, and fail loudly).
    static func jsonSelect(_ table: Table, _ columns: [Column]) -> String {
        let pairs = columns.map { column -> String in
            let quoted = "r.\"\(column.name)\""
            let value: String
            if column.category == "A" && plainElements.contains(column.element) {
                value = "to_json(\(quoted))"
            } else if column.category == "A" {
                value = """
                    CASE WHEN \(quoted) IS NULL THEN NULL ELSE coalesce((SELECT json_agg(\(jsonExpression("e", type: column.element)) ORDER BY n)
                      FROM unnest(\(quoted)) WITH ORDINALITY AS u(e, n)), '[]'::json) END
                    """
            } else {
                value = jsonExpression(quoted, type: column.type)
            }
            return "'\(column.name)', \(value)"
        }
        return "SELECT json_build_object(\(pairs.joined(separator: ", ")))::text FROM (\(table.select)) AS r"
    }

    /// The rows of `sql` as psql prints them unaligned (the server's text of each value), NULL
    /// as nil; fields and records are split on ASCII's unit and record separators.
    static func rows(_ sql: String, in database: PostgresDatabase) throws -> [[String?]] {
        let directory = try TemporaryDirectory(prefix: "soup-oracle")
        defer { directory.remove() }
        let output = directory.file(named: "rows")
        let null = "\u{1}NULL\u{1}"
        try database.psql(["-A", "-t", "-F", "\u{1F}", "-R", "\u{1E}", "-P", "null=\(null)", "-c", sql], to: output)
        var text = try String(contentsOfFile: output, encoding: .utf8)
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map { record in
            record.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { $0 == null ? nil : String($0) }
        }
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    // MARK: Markdown

    /// The cells of a table row, still escaped, without their padding. A `|` ends a cell
    /// unless an odd number of backslashes stands right before it.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var backslashes = 0
        for character in line.dropFirst() {
            if character == "|" && backslashes % 2 == 0 {
                cells.append(current.trimmingCharacters(in: .init(charactersIn: " ")))
                current = ""
            } else {
                current.append(character)
            }
            backslashes = character == "\\" ? backslashes + 1 : 0
        }
        return cells
    }

    /// A cell's text with `<br>` as a line break and `\|` (after doubled backslashes) as `|`.
    static func unescaped(_ cell: String) -> String {
        var text = ""
        var backslashes = 0
        for character in cell.replacing("<br>", with: "\n") {
            if character == "\\" {
                backslashes += 1
                continue
            }
            if character == "|" {
                text += String(repeating: "\\", count: (backslashes - 1) / 2) + "|"
            } else {
                text += String(repeating: "\\", count: backslashes)
                text.append(character)
            }
            backslashes = 0
        }
        return text + String(repeating: "\\", count: backslashes)
    }

    /// `text` as psql's aligned output shows it on one line (`pg_wcsformat`): CRLF and CR as
    /// line breaks here (markdown's `<br>`), a tab as spaces to the next multiple of 8 columns
    /// (the fixtures have only ASCII before a tab), other control characters as `\xHH` or
    /// `\uHHHH`.
    static func psqlDisplay(_ text: String) -> String {
        var shown = ""
        var column = 0
        for scalar in text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").unicodeScalars {
            switch scalar.value {
            case 0x0a:
                shown += "\n"
                column = 0
            case 0x09:
                repeat {
                    shown += " "
                    column += 1
                } while column % 8 != 0
            case 0..<0x20, 0x7f:
                shown += String(format: "\\x%02X", scalar.value)
                column += 4
            case 0x80..<0xa0:
                shown += String(format: "\\u%04X", scalar.value)
                column += 6
            default:
                shown.unicodeScalars.append(scalar)
                column += 1
            }
        }
        return shown
    }
}

import Foundation
import SoupDriver
import SoupOutput
import SoupSQLite
import SoupTestSupport
import Synchronization
import Testing

extension LargeResults {
    /// The CSV of soup-language(7) OUTPUT on SQLite: the CSV of 100,000 generated rows parses back,
    /// with a standard CSV reader, to exactly the rows the database holds, NULL and the empty
    /// string kept apart; and their JSON Lines parse, line by line, to the same values.
    @Suite struct SQLiteBulkTests {
        static let rowCount = 100_000

        /// A database with the generated table `gen`, and its rows as the driver reads them; built
        /// once and lent to one test at a time.
        final class Table {
            let connection: SQLiteConnection
            let rows: [[Value]]

            private static let shared = Mutex<Table?>(nil)

            static func use(_ body: (Table, TemporaryDirectory) throws -> Void) throws {
                let directory = try TemporaryDirectory(prefix: "soup-output")
                defer { directory.remove() }
                try shared.withLock { table in
                    let built = try table ?? Table()
                    table = built
                    try body(built, directory)
                }
            }

            init() throws {
                connection = try SQLiteConnection(location: .memory, mode: .readWriteCreate)
                try connection.executeScript(
                    "CREATE TABLE gen (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, m)")
                var generator = SplitMix64(seed: 0x50_0b)
                try connection.begin()
                for id in 1...SQLiteBulkTests.rowCount {
                    try connection.execute(
                        "INSERT INTO gen VALUES (?, ?, ?, ?, ?, ?)",
                        [.integer(Int64(id))] + Self.generatedValues(&generator))
                }
                try connection.commit()
                rows = try connection.fetchAll(select)
            }

            let select = "SELECT * FROM gen ORDER BY id"

            /// The table printed in `format` into a file in `directory`; returns the file's path.
            func print(_ format: OutputFormat, in directory: TemporaryDirectory) throws -> String {
                let path = directory.file(named: "gen.\(format)")
                try printResult(of: select, on: connection, OutputOptions(format: format), toFile: path)
                return path
            }

            /// One row's `i`, `r`, `t`, `b` and `m`: each NULL now and then, the rest hostile.
            static func generatedValues(_ generator: inout SplitMix64) -> [Value] {
                var row: [Value] = []
                row.append(generator.one(in: 20) ? .null : .integer(generator.integer()))
                row.append(generator.one(in: 20) ? .null : .real(generator.real()))
                row.append(generator.one(in: 20) ? .null : .text(generator.text()))
                row.append(generator.one(in: 20) ? .null : .blob(generator.bytes()))
                let mixed: Value =
                    switch generator.next() % 5 {
                    case 0: .null
                    case 1: .integer(generator.integer())
                    case 2: .real(generator.real())
                    case 3: .text(generator.text())
                    default: .blob(generator.bytes())
                    }
                row.append(mixed)
                return row
            }
        }

        @Test func csvReadsBackToTheRowsTheDatabaseHolds() throws {
            try Table.use { table, directory in
                let file = try MappedFile(path: try table.print(.csv, in: directory))
                var reader = CSVReader(file.bytes)
                #expect(try reader.next() == ["id", "i", "r", "t", "b", "m"])
                var emptyStrings = 0
                var nulls = 0
                for row in table.rows {
                    let record = try #require(try reader.next())
                    guard record.count == row.count else {
                        Issue.record("row \(row[0]) reads back as \(record)")
                        return
                    }
                    for (value, field) in zip(row, record) {
                        if value.isNull { nulls += 1 }
                        if case .text("") = value { emptyStrings += 1 }
                        guard Self.isExactly(field, value) else {
                            Issue.record("row \(row[0]): \(String(reflecting: field)) does not read back as \(value)")
                            return
                        }
                    }
                }
                #expect(try reader.next() == nil)
                #expect(emptyStrings > 100)
                #expect(nulls > 1_000)
            }
        }

        /// Python's `csv` module, a reader soup had no hand in, reads the same fields. (Before
        /// Python 3.12 it cannot tell NULL from the empty string; the strict reader above does.)
        @Test func pythonsCSVModuleReadsTheSameFields() throws {
            try Table.use { table, directory in
                let parsed = try Python.parseCSV(try table.print(.csv, in: directory))
                #expect(parsed.first == ["id", "i", "r", "t", "b", "m"])
                #expect(parsed.count == table.rows.count + 1)
                for (row, record) in zip(table.rows, parsed.dropFirst()) where record != row.map({ $0.text ?? "" }) {
                    Issue.record("Python reads row \(row[0]) as \(record), not \(row.map { $0.text ?? "" })")
                    return
                }
            }
        }

        @Test func jsonLinesParseToTheRowsTheDatabaseHolds() throws {
            try Table.use { table, directory in
                let file = try MappedFile(path: try table.print(.jsonl, in: directory))
                let lines = file.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                #expect(lines.count == table.rows.count + 1)
                #expect(lines.last?.isEmpty == true)
                let names = ["id", "i", "r", "t", "b", "m"]
                for (row, line) in zip(table.rows, lines) {
                    let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] ?? [:]
                    guard object.keys.sorted() == names.sorted() else {
                        Issue.record("row \(row[0]) reads back as \(object)")
                        return
                    }
                    for (name, value) in zip(names, row) where !JSONMatch.matches(object[name] as Any, value) {
                        Issue.record("row \(row[0]) column \(name): \(object[name] ?? "missing") is not \(value)")
                        return
                    }
                }
            }
        }

        /// Whether a CSV field reads back as exactly `value`: NULL as an unquoted empty field, text
        /// as itself, an integer as its digits, a real as digits that parse to the very same double
        /// (`-0`, `Infinity` included), a blob as `\x` and the hex of its very bytes.
        private static func isExactly(_ field: String?, _ value: Value) -> Bool {
            switch value {
            case .null: field == nil
            case .text(let text): field == text
            case .integer(let number): field.flatMap { Int64($0) } == number && field == String(number)
            case .real(let number): field.flatMap { Double($0) }?.bitPattern == number.bitPattern
            case .blob(let bytes): field.flatMap(hexDecoded) == bytes
            default: false
            }
        }

        private static func hexDecoded(_ text: String) -> [UInt8]? {
            let digits = Array(text.utf8)
            guard digits.count % 2 == 0, digits.starts(with: #"\x"#.utf8) else { return nil }
            func nibble(_ digit: UInt8) -> UInt8? {
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
                default: nil
                }
            }
            var bytes: [UInt8] = []
            for index in stride(from: 2, to: digits.count, by: 2) {
                guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
            return bytes
        }
    }
}

/// A small seeded generator (SplitMix64), so every run prints the same rows.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func one(in count: UInt64) -> Bool {
        next() % count == 0
    }

    /// Extremes, small numbers and any 64-bit pattern.
    mutating func integer() -> Int64 {
        switch next() % 4 {
        case 0: [Int64.min, .max, 0, -1][Int(next() % 4)]
        case 1: Int64(truncatingIfNeeded: next() % 2001) - 1000
        default: Int64(bitPattern: next())
        }
    }

    /// Any finite double, decimals, huge and tiny ones, negative zero and the infinities.
    /// (SQLite would store NaN as NULL.)
    mutating func real() -> Double {
        switch next() % 6 {
        case 0:
            var number = Double(bitPattern: next())
            while !number.isFinite { number = Double(bitPattern: next()) }
            return number
        case 1: return Double(Int64(next() % 2_000_001) - 1_000_000) / 100
        case 2: return [1e308, -1e308, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e15, 1e-5][Int(next() % 6)]
        case 3: return [-0.0, .infinity, -.infinity, 0.1, 1.0 / 3][Int(next() % 5)]
        default: return Double(bitPattern: next() >> 12 | 0x3FF0_0000_0000_0000) * 1e6
        }
    }

    /// Up to 12 pieces of text that CSV must quote or carry unharmed, or the empty string.
    mutating func text() -> String {
        let pieces = [
            ",", "\"", "\n", "\r", "\r\n", "\t", " ", "\\", #"\."#, "é", "中文", "👍", "👨‍👩‍👧", "שלום",
            "مرحبا", "NULL", "N", "a", "b", "word", "123", "\u{7}", "\u{85}", "e\u{301}",
        ]
        let count = Int(next() % 13)
        var text = ""
        for _ in 0..<count { text += pieces[Int(next() % UInt64(pieces.count))] }
        return text
    }

    /// Up to 24 random bytes, often none.
    mutating func bytes() -> [UInt8] {
        (0..<Int(next() % 25)).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// Python 3, to read CSV with its standard `csv` module.
enum Python {
    static let executable = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The records of the CSV file at `path` as `csv.reader(strict=True)` reads them; throws,
    /// saying how to install it, when there is no python3.
    static func parseCSV(_ path: String) throws -> [[String]] {
        guard let executable else {
            throw TestSupportError("python3 not found: install it with `apt-get install -y python3` or run scripts/setup")
        }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                json.dump(list(csv.reader(f, strict=True)), sys.stdout)
            """
        let result = try ProcessRunner.run(
            executable: executable, arguments: ["-c", script, path], timeout: 300)
        guard result.status == 0 else {
            throw TestSupportError("python3 failed with status \(result.status): \(result.stderr)")
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        guard let records = parsed as? [[String]] else { throw TestSupportError("python3 printed no records") }
        return records
    }
}

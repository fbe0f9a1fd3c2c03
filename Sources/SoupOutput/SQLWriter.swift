import SoupDriver

/// `INSERT` statements, one per row, that recreate the result in a table of the dialect:
///
/// ```
/// INSERT INTO result (id, name, "Note") VALUES (1, 'O''Brien', NULL);
/// ```
///
/// The table is ``OutputOptions/sqlTableName``, quoted as one identifier. Literals:
/// - NULL as `NULL`; booleans as `TRUE`/`FALSE`; integers as they are.
/// - Reals as float8out digits, with `.0` added when they would read back as an integer;
///   NaN and ±Infinity as `'NaN'`, `'Infinity'`, `'-Infinity'` (PostgreSQL casts them) or, in
///   SQLite, which has no such literals, `NULL` (SQLite stores NaN as NULL) and `±9e999`.
/// - Numeric as it is when it is a plain decimal, else quoted (`'NaN'`).
/// - Blobs as `X'00ff'` (SQLite) or `'\x00ff'::bytea` (PostgreSQL).
/// - Everything else as a string literal of its text (arrays in `{…}` syntax).
struct SQLWriter: RowWriter {
    private let options: OutputOptions
    private var prefix = ""

    init(options: OutputOptions) {
        self.options = options
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        let dialect = options.dialect
        let names = columns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ")
        prefix = "INSERT INTO \(dialect.quoteIdentifier(options.sqlTableName)) (\(names)) VALUES ("
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        sink.write(prefix + row.map(literal).joined(separator: ", ") + ");\n")
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {}

    /// A scalar prints as its literal on a line of its own.
    func write(scalar: Value, to sink: OutputSink) {
        sink.write(literal(scalar) + "\n")
    }

    /// `value` as a SQL literal of the dialect.
    func literal(_ value: Value) -> String {
        let dialect = options.dialect
        let isSQLite = dialect.engine == .sqlite
        switch value {
        case .null: return "NULL"
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "TRUE" : "FALSE"
        case .real(let number):
            if number.isNaN { return isSQLite ? "NULL" : "'NaN'" }
            if number.isInfinite {
                let sign = number < 0 ? "-" : ""
                return isSQLite ? sign + "9e999" : "'\(sign)Infinity'"
            }
            let text = value.printedText ?? ""
            return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
        case .numeric(let text):
            return Self.isPlainDecimal(text) ? text : dialect.stringLiteral(text)
        case .blob(let bytes):
            let hex = String(Value.hex(bytes).dropFirst(2))
            return isSQLite ? "X'\(hex)'" : "'\\x\(hex)'::bytea"
        default:
            return Self.stringLiteral(value.printedText ?? "", dialect)
        }
    }

    /// `dialect.stringLiteral(text)`, skipping its search-and-replace (slow for a million
    /// rows) when there is no quote to double.
    private static func stringLiteral(_ text: String, _ dialect: Dialect) -> String {
        text.utf8.contains(UInt8(ascii: "'")) ? dialect.stringLiteral(text) : "'" + text + "'"
    }

    /// Whether `text` is digits with an optional sign, point and exponent (`-12.5`, `1e10`).
    private static func isPlainDecimal(_ text: String) -> Bool {
        var sawDigit = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                let afterExponent = previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E")
                guard previous == 0 || afterExponent else { return false }
            default: return false
            }
            previous = byte
        }
        return sawDigit
    }
}

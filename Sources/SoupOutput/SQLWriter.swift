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
///   Negative zero is `'-0'` in PostgreSQL, where `-0.0` is a numeric constant and loses its sign.
/// - Numeric as it is when it is a plain decimal, else quoted (`'NaN'`).
/// - Blobs as `X'00ff'` (SQLite) or `'\x00ff'::bytea` (PostgreSQL).
/// - Everything else as a string literal of its text (arrays in `{…}` syntax).
struct SQLWriter: RowWriter {
    private let options: OutputOptions
    private var prefix: [UInt8] = []
    private var line: [UInt8] = []

    init(options: OutputOptions) {
        self.options = options
    }

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        let dialect = options.dialect
        let names = columns.map { dialect.quoteIdentifier($0.name) }.joined(separator: ", ")
        let table = dialect.quoteIdentifier(options.sqlTableName)
        prefix = Array("INSERT INTO \(table) (\(names)) VALUES (".utf8)
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: prefix)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(contentsOf: ", ".utf8) }
            appendLiteral(value, to: &line)
        }
        line.append(contentsOf: ");\n".utf8)
        sink.write(bytes: line)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {}

    /// A scalar prints as its literal on a line of its own.
    func write(scalar: Value, to sink: OutputSink) {
        var bytes: [UInt8] = []
        appendLiteral(scalar, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        sink.write(bytes: bytes)
    }

    /// Appends `value` as a SQL literal of the dialect.
    private func appendLiteral(_ value: Value, to out: inout [UInt8]) {
        let dialect = options.dialect
        let isSQLite = dialect.engine == .sqlite
        switch value {
        case .null: out.append("NULL")
        case .integer(let number): out.append(decimal: number)
        case .bool(let flag): out.append(flag ? "TRUE" : "FALSE")
        case .real(let number) where number.isNaN: out.append(isSQLite ? "NULL" : "'NaN'")
        case .real(let number) where number.isInfinite:
            let sign = number < 0 ? "-" : ""
            out.append(isSQLite ? sign + "9e999" : "'\(sign)Infinity'")
        case .real(let number) where number == 0 && number.sign == .minus && !isSQLite:
            out.append("'-0'")
        case .real(let number):
            let start = out.count
            out.append(real: number)
            let isReal = { (byte: UInt8) in byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") }
            if !out[start...].contains(where: isReal) { out.append(contentsOf: ".0".utf8) }
        case .numeric(let text) where Self.isPlainDecimal(text): out.append(text)
        case .blob(let bytes):
            out.append(isSQLite ? "X'" : "'\\x")
            out.append(hex: bytes)
            out.append(isSQLite ? "'" : "'::bytea")
        case .text(let text): appendStringLiteral(text, to: &out)
        default: appendStringLiteral(value.text ?? "", to: &out)
        }
    }

    /// `dialect.stringLiteral(text)`, skipping its search-and-replace (slow for a million
    /// rows) when there is no quote to double.
    private func appendStringLiteral(_ text: String, to out: inout [UInt8]) {
        guard !text.utf8.contains(UInt8(ascii: "'")) else {
            out.append(options.dialect.stringLiteral(text))
            return
        }
        out.append(UInt8(ascii: "'"))
        out.append(text)
        out.append(UInt8(ascii: "'"))
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

import SoupDriver

/// RFC 4180 CSV the way `psql --csv` writes it.
///
/// A header line of column names, then one line per row, each ended by `\n`. A field is quoted
/// only when it holds a comma, a double quote, CR or LF (quotes inside are doubled), or when it
/// is exactly `\.`, which PostgreSQL's `COPY … FROM` would take for the end of data. NULL is an
/// empty unquoted field and the empty string is `""`, so the two stay apart. Values are spelled
/// as ``Value/text`` spells them: booleans `t`/`f`, blobs `\x` and hex, reals as float8out.
///
/// Each row is assembled as bytes in one reused buffer and handed to the sink whole.
struct CSVWriter: RowWriter {
    private var line: [UInt8] = []

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            appendField(column.name)
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        var first = true
        for value in row {
            if !first { line.append(UInt8(ascii: ",")) }
            first = false
            append(value)
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {}

    /// A scalar prints as one field on a line of its own.
    func write(scalar: Value, to sink: OutputSink) {
        var writer = self
        writer.write(row: [scalar], to: sink)
    }

    private mutating func append(_ value: Value) {
        switch value {
        case .null: break
        case .integer(let number): line.append(decimal: number)
        case .real(let number): line.append(real: number)
        case .bool(let flag): line.append(UInt8(ascii: flag ? "t" : "f"))
        case .blob(let bytes):
            line.append(UInt8(ascii: "\\"))
            line.append(UInt8(ascii: "x"))
            line.append(hex: bytes)
        case .text(let text), .numeric(let text), .date(let text), .time(let text),
            .timestamp(let text), .timestampTZ(let text), .interval(let text), .uuid(let text),
            .json(let text), .other(_, let text):
            appendField(text)
        case .array:
            appendField(value.text ?? "")
        }
    }

    private mutating func appendField(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard Self.needsQuotes(bytes) else {
                line.append(contentsOf: bytes)
                return
            }
            line.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { line.append(byte) }
                line.append(byte)
            }
            line.append(UInt8(ascii: "\""))
        }
    }

    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        if bytes.count == 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: ".") {
            return true
        }
        for byte in bytes where byte <= UInt8(ascii: ",") {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return true
            default:
                continue
            }
        }
        return false
    }
}

import SoupDriver

/// Tab-separated values in PostgreSQL's `COPY … TO` text convention, which `COPY … FROM`,
/// `\copy` and most TSV readers take back unchanged.
///
/// A header line of column names, then one line per row, fields separated by a tab and lines
/// ended by `\n`. NULL is `\N` whatever `--null` says, so NULL and the empty string stay apart.
/// A backslash is doubled, and backspace, form feed, newline, carriage return, tab and vertical
/// tab are written `\b` `\f` `\n` `\r` `\t` `\v`; every field therefore stays on its line. Values
/// are spelled as ``Value/text`` spells them (so a blob is `\\x00ff`: its `\x` backslash doubled).
struct TSVWriter: RowWriter {
    private var line: [UInt8] = []

    mutating func begin(columns: [ColumnDescription], to sink: OutputSink) {
        write(fields: columns.map { Optional($0.name) }, to: sink)
    }

    mutating func write(row: [Value], to sink: OutputSink) {
        write(fields: row.map(\.printedText), to: sink)
    }

    mutating func end(rowCount: Int, to sink: OutputSink) {}

    /// A scalar prints as one field on a line of its own.
    func write(scalar: Value, to sink: OutputSink) {
        var writer = self
        writer.write(fields: [scalar.printedText], to: sink)
    }

    private mutating func write(fields: [String?], to sink: OutputSink) {
        line.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: "\t")) }
            guard let field else {
                line.append(UInt8(ascii: "\\"))
                line.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                if let escape = Self.escape(byte) {
                    line.append(UInt8(ascii: "\\"))
                    line.append(escape)
                } else {
                    line.append(byte)
                }
            }
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
    }

    /// The letter after the backslash for a byte COPY escapes, or `nil` to write it as it is.
    private static func escape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case 0x08: UInt8(ascii: "b")
        case 0x0c: UInt8(ascii: "f")
        case 0x0a: UInt8(ascii: "n")
        case 0x0d: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x0b: UInt8(ascii: "v")
        default: nil
        }
    }
}

import SoupDriver

/// RFC 4180 CSV the way `psql --csv` writes it.
///
/// A header line of column names, then one line per row, each ended by `\n`. A field is quoted
/// only when it holds a comma, a double quote, CR or LF (quotes inside are doubled), or when it
/// is exactly `\.`, which PostgreSQL's `COPY … FROM` would take for the end of data. NULL is an
/// empty unquoted field and the empty string is `""`, so the two stay apart. Values are spelled
/// as ``Value/text`` spells them: booleans `t`/`f`, blobs `\x` and hex, reals as float8out. A
/// ``BorrowingRowCursor`` lends its values without building them: PostgreSQL the server's own
/// text, which is what psql prints; SQLite its stored values, spelled as their ``Value``s are.
///
/// Each row is assembled as bytes in one reused buffer and handed to the sink whole.
struct CSVWriter: DelimitedWriter {
    static let separator = UInt8(ascii: ",")
    var line: [UInt8] = []

    mutating func append(name: String) {
        appendField(name)
    }

    /// Writes the cursor's next row from the values it lends; `false` at the end.
    mutating func writeRow(from cursor: any BorrowingRowCursor, to sink: OutputSink) throws -> Bool {
        line.removeAll(keepingCapacity: true)
        var first = true
        let found = try cursor.nextBorrowed { value in
            if !first { line.append(UInt8(ascii: ",")) }
            first = false
            append(value)
        }
        guard found else { return false }
        line.append(UInt8(ascii: "\n"))
        sink.write(bytes: line)
        return true
    }

    mutating func append(_ value: Value) {
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
            appendField(value.printedText ?? "")
        }
    }

    /// As ``append(_:)`` spells the same value: text that is not valid UTF-8 is repaired the
    /// way `String(decoding:as:)` repairs it.
    private mutating func append(_ value: BorrowedValue) {
        switch value {
        case .null: break
        case .integer(let number): line.append(decimal: number)
        case .real(let number): line.append(real: number)
        case .text(let bytes):
            if Self.isASCII(bytes) {
                appendField(bytes)
            } else {
                appendField(String(decoding: bytes, as: UTF8.self))
            }
        case .blob(let bytes):
            line.append(UInt8(ascii: "\\"))
            line.append(UInt8(ascii: "x"))
            line.append(hex: bytes)
        }
    }

    private mutating func appendField(_ text: String) {
        var text = text
        text.withUTF8 { appendField($0) }
    }

    private mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>) {
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

    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        if bytes.count == 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: ".") {
            return true
        }
        // Eight bytes at a time, then the tail byte by byte.
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        while index + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if contains(word, 0x2c) || contains(word, 0x22) || contains(word, 0x0a)
                || contains(word, 0x0d)
            {
                return true
            }
            index += 8
        }
        return bytes[index...].contains { $0 == 0x2c || $0 == 0x22 || $0 == 0x0a || $0 == 0x0d }
    }

    /// Eight bytes at a time: whether no byte has its high bit set.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        while index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        return bytes[index...].allSatisfy { $0 < 0x80 }
    }

    /// Whether any of the eight bytes in `word` is `byte` (the "has zero byte" bit trick).
    @inline(__always)
    private static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & (ones << 7) != 0
    }
}

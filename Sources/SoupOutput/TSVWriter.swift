import SoupDriver

/// Tab-separated values in PostgreSQL's `COPY … TO` text convention, which `COPY … FROM`,
/// `\copy` and most TSV readers take back unchanged.
///
/// A header line of column names, then one line per row, fields separated by a tab and lines
/// ended by `\n`. NULL is `\N` whatever `--null` says, so NULL and the empty string stay apart.
/// A backslash is doubled, and backspace, form feed, newline, carriage return, tab and vertical
/// tab are written `\b` `\f` `\n` `\r` `\t` `\v`; every field therefore stays on its line. Values
/// are spelled as ``Value/text`` spells them (so a blob is `\\x00ff`: its `\x` backslash doubled).
struct TSVWriter: DelimitedWriter {
    static let separator = UInt8(ascii: "\t")
    var line: [UInt8] = []

    mutating func append(name: String) {
        appendEscaped(name)
    }

    mutating func append(_ value: Value) {
        switch value {
        case .null:
            line.append(UInt8(ascii: "\\"))
            line.append(UInt8(ascii: "N"))
        case .integer(let number): line.append(decimal: number)
        case .real(let number): line.append(real: number)
        case .bool(let flag): line.append(UInt8(ascii: flag ? "t" : "f"))
        case .text(let text): appendEscaped(text)
        default: appendEscaped(value.text ?? "")
        }
    }

    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                if byte >= 0x0e, byte != UInt8(ascii: "\\") {
                    line.append(byte)
                } else if let escape = Self.escape(byte) {
                    line.append(UInt8(ascii: "\\"))
                    line.append(escape)
                } else {
                    line.append(byte)
                }
            }
        }
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

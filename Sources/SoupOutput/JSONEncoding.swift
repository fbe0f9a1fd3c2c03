import SoupDriver

/// Appending values as JSON, the mapping the `json` and `jsonl` formats share.
extension Array where Element == UInt8 {
    /// Appends `value` as one JSON value:
    ///
    /// - NULL: `null`.
    /// - integer, real: a number (`1e+308`, `-0`); NaN and ±Infinity, which JSON lacks, as the
    ///   strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    /// - numeric: a string, exactly as the server wrote it (`"12.500"`).
    /// - bool: `true` or `false`.
    /// - timestamp, timestamptz: an ISO-8601 string (the space before the time becomes `T`);
    ///   date and time are ISO 8601 already.
    /// - interval, uuid, text, other: a string.
    /// - json, jsonb: the JSON itself, with the whitespace between tokens removed.
    /// - array: an array of the elements, mapped the same way.
    /// - blob: a base64 string.
    mutating func append(json value: Value) {
        switch value {
        case .null: append("null")
        case .integer(let number): append(decimal: number)
        case .real(let number):
            if number.isFinite {
                append(real: number)
            } else {
                append(jsonString: Value.format(real: number))
            }
        case .bool(let flag): append(flag ? "true" : "false")
        case .timestamp(let text), .timestampTZ(let text):
            append(jsonString: Self.iso8601(text))
        case .text(let text), .numeric(let text), .date(let text), .time(let text),
            .interval(let text), .uuid(let text), .other(_, let text):
            append(jsonString: text)
        case .json(let text): append(minifiedJSON: text)
        case .blob(let bytes):
            append(UInt8(ascii: "\""))
            append(base64: bytes)
            append(UInt8(ascii: "\""))
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                append(json: element)
            }
            append(UInt8(ascii: "]"))
        }
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, C0 controls as `\n`, `\t`… or
    /// `\u00XX`, and DEL and the C1 controls as `\u00XX` too, so no control character is printed
    /// raw; everything else as UTF-8.
    mutating func append(jsonString text: String) {
        append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let isC1 = byte == 0xc2 && index + 1 < bytes.count && bytes[index + 1] < 0xa0
                guard byte < 0x20 || byte == 0x22 || byte == 0x5c || byte == 0x7f || isC1 else {
                    index += 1
                    continue
                }
                append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22, 0x5c: append(byte)
                case 0x08: append(UInt8(ascii: "b"))
                case 0x0c: append(UInt8(ascii: "f"))
                case 0x0a: append(UInt8(ascii: "n"))
                case 0x0d: append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "t"))
                default:
                    append(contentsOf: "u00".utf8)
                    append(hex: [isC1 ? bytes[index + 1] : byte])
                }
                index += isC1 ? 2 : 1
                start = index
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        append(UInt8(ascii: "\""))
    }

    /// Appends JSON text trusted to be valid (the server checked it), dropping the whitespace
    /// between tokens so a document always fits on one line.
    private mutating func append(minifiedJSON text: String) {
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d {
                continue
            }
            append(byte)
        }
    }

    /// PostgreSQL's `2024-01-02 03:04:05+00` as ISO 8601's `2024-01-02T03:04:05+00`; anything
    /// else (`infinity`, a year with more digits, `BC`) is returned unchanged but for that space.
    private static func iso8601(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")), space >= 10,
            bytes[space - 3] == UInt8(ascii: "-"), space + 1 < bytes.count,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[space + 1])
        else { return text }
        bytes[space] = UInt8(ascii: "T")
        return String(decoding: bytes, as: UTF8.self)
    }
}

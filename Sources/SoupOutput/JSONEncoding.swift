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
    /// - date, time, timestamp, timestamptz: a string, as PostgreSQL's `to_json()` spells it:
    ///   dates and times as the server wrote them, timestamps in RFC 3339
    ///   (``append(jsonTimestamp:)``).
    /// - interval, uuid, text, other: a string.
    /// - json, jsonb: the JSON itself, with the whitespace between tokens removed.
    /// - array: an array of the elements, mapped the same way.
    /// - blob: a base64 string.
    mutating func append(json value: Value) {
        switch value {
        case .null: append("null")
        case .integer(let number): append(decimal: number)
        case .real(let number): append(jsonReal: number)
        case .bool(let flag): append(flag ? "true" : "false")
        case .timestamp(let text), .timestampTZ(let text):
            var text = text
            text.withUTF8 { append(jsonTimestamp: $0) }
        case .text(let text), .numeric(let text), .date(let text), .time(let text), .interval(let text),
            .uuid(let text), .other(_, let text):
            append(jsonString: text)
        case .json(let text):
            var text = text
            text.withUTF8 { append(minifiedJSON: $0) }
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

    /// A double as a JSON number, or as the string `"NaN"`, `"Infinity"`, `"-Infinity"`.
    mutating func append(jsonReal number: Double) {
        if number.isFinite {
            append(real: number)
        } else {
            append(jsonString: Value.format(real: number))
        }
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, C0 controls as `\n`, `\t`… or
    /// `\u00XX`, and DEL and the C1 controls as `\u00XX` too, so no control character is printed
    /// raw; everything else as UTF-8.
    mutating func append(jsonString text: String) {
        var text = text
        text.withUTF8 { append(jsonString: $0) }
    }

    /// Appends valid UTF-8 `bytes` as a JSON string, escaped as ``append(jsonString:)-(String)``
    /// says.
    mutating func append(jsonString bytes: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        appendEscaped(bytes)
        append(UInt8(ascii: "\""))
    }

    /// Appends `bytes` that may not be valid UTF-8 (SQLite text) as a JSON string, repaired as
    /// `String(decoding:as:)` repairs it, so it matches the string that ``Value`` holds.
    mutating func append(jsonStringOfUnchecked bytes: UnsafeBufferPointer<UInt8>) {
        let start = count
        append(UInt8(ascii: "\""))
        if !appendEscaped(bytes), !JSONScan.isUTF8(bytes) {
            removeSubrange(start...)
            append(jsonString: String(decoding: bytes, as: UTF8.self))
            return
        }
        append(UInt8(ascii: "\""))
    }

    /// The body of a JSON string: eight plain bytes at a time, then escapes where needed.
    /// Returns whether every byte was ASCII.
    @discardableResult
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var start = 0
        var index = 0
        var isASCII = true
        while index < bytes.count {
            if index + 8 <= bytes.count,
                JSONScan.isPlain(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte >= 0x80 { isASCII = false }
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
        return isASCII
    }

    /// Appends JSON text trusted to be valid (the server checked it), dropping the whitespace
    /// between tokens so a document always fits on one line.
    mutating func append(minifiedJSON bytes: UnsafeBufferPointer<UInt8>) {
        var inString = false
        var escaped = false
        for byte in bytes {
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

    /// Appends a timestamp in PostgreSQL's ISO text as the JSON string that the server's
    /// `to_json()` prints (RFC 3339, as JavaScript's `Date` reads it): a `T` between the date
    /// and the time, and a zone offset of whole hours with its minutes (`+00` becomes `+00:00`).
    /// The fraction, an offset with seconds (local mean time), a year past 9999, ` BC` and
    /// `infinity` stay as the server wrote them; text in another `DateStyle` is left alone.
    mutating func append(jsonTimestamp bytes: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        defer { append(UInt8(ascii: "\"")) }
        guard let start = JSONScan.timeStart(bytes) else {
            appendEscaped(bytes)
            return
        }
        appendEscaped(UnsafeBufferPointer(rebasing: bytes[..<(start - 1)]))
        append(UInt8(ascii: "T"))
        if let offset = JSONScan.hourOffsetEnd(bytes, from: start) {
            appendEscaped(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
            append(contentsOf: ":00".utf8)
            appendEscaped(UnsafeBufferPointer(rebasing: bytes[offset...]))
        } else {
            appendEscaped(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}

/// Byte scans for the JSON encoding.
enum JSONScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// Whether none of the eight bytes needs an escape or is outside ASCII: none below 0x20,
    /// no `"`, no `\`, none from 0x7f up.
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let control = word &- ones &* 0x20  // a high bit where a byte is below 0x20
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5c)
        let delete = word &+ ones  // a high bit where a byte is 0x7f or above (with word's own)
        let zeros = (quote &- ones) & ~quote | (backslash &- ones) & ~backslash
        return (word | control | zeros | delete) & high == 0
    }

    /// Whether `bytes` are valid UTF-8: whether decoding them repairs nothing.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    /// Where the time of an ISO timestamp starts (after the space that follows a date such as
    /// `2024-01-02`, `10000-01-02`); nil for anything else.
    static func timeStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var space = 0
        while space < bytes.count, bytes[space] != UInt8(ascii: " ") { space += 1 }
        guard space >= 10, space + 1 < bytes.count, bytes[space - 3] == UInt8(ascii: "-"),
            bytes[space - 6] == UInt8(ascii: "-"), isDigit(bytes[space + 1])
        else { return nil }
        return space + 1
    }

    /// The end of a zone offset of whole hours (`+05`, `-08`) in the time that starts at
    /// `start`: the offset ends the text or comes before ` BC`. Nil when there is none.
    static func hourOffsetEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var sign = start
        while sign < bytes.count, bytes[sign] != UInt8(ascii: "+"), bytes[sign] != UInt8(ascii: "-") { sign += 1 }
        let end = sign + 3
        guard end <= bytes.count, isDigit(bytes[sign + 1]), isDigit(bytes[sign + 2]),
            end == bytes.count || bytes[end] == UInt8(ascii: " ")
        else { return nil }
        return end
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}

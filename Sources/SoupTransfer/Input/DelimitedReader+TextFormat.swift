import SoupDriver

/// PostgreSQL's text format (soup's `tsv`): `\N` is NULL, and backslash escapes are undone in
/// place.
extension DelimitedReader {
    /// One field of PostgreSQL's text format, unescaped in place.
    func parseTextField(
        from start: Int, recordStart: Int
    ) throws -> (start: Int, end: Int, kind: FieldKind, position: Int, recordStart: Int) {
        var p = start
        var w = start
        var fieldStart = start
        var recordStart = recordStart
        var sawEscape = false
        while let byte = try nextFieldByte(&p, &w, &fieldStart, &recordStart) {
            guard byte == Self.backslash else {
                buffer[w] = byte
                w += 1
                p += 1
                continue
            }
            // An escape: make sure the bytes after the backslash are here (up to three).
            if p + 3 >= end {
                let (shift, _) = try refill(recordStart: recordStart)
                p -= shift; w -= shift; fieldStart -= shift; recordStart -= shift
            }
            guard p + 1 < end else {
                p += 1
                break
            }
            let escaped = buffer[p + 1]
            if escaped == UInt8(ascii: "N"), !sawEscape, w == fieldStart, p + 2 == end || buffer[p + 2] == delimiter
                || buffer[p + 2] == Self.newline || buffer[p + 2] == Self.carriageReturn
            {
                p += 2
                if p < end, buffer[p] == Self.carriageReturn, p + 1 < end, buffer[p + 1] == Self.newline { p += 1 }
                return (fieldStart, fieldStart, .null, p, recordStart)
            }
            sawEscape = true
            p += 2
            var decoded = escaped
            switch escaped {
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "v"): decoded = 0x0B
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, p < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(buffer[p]) {
                    value = value * 8 + Int(buffer[p] - UInt8(ascii: "0"))
                    p += 1
                    digits += 1
                }
                decoded = UInt8(truncatingIfNeeded: value)
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, p < end, let digit = HexDigit.value(buffer[p]) {
                    value = value * 16 + Int(digit)
                    p += 1
                    digits += 1
                }
                decoded = digits == 0 ? escaped : UInt8(value)
            default:
                break
            }
            buffer[w] = decoded
            w += 1
        }
        return (fieldStart, w, .text, p, recordStart)
    }
}

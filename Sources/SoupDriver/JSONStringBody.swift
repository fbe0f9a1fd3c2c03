/// The text of a JSON string read in place, for the readers that take JSON from a buffer they
/// hold whole (``JSONDocument/init(parsing:)``, the import's array columns).
public enum JSONStringBody {
    /// The string that starts after the opening quote at `index`, unescaped to UTF-8, with
    /// `index` moved past its closing quote; nil when it is not closed or a `\u` escape is not
    /// four hex digits. A `\uD83D\uDE00` pair is one character; a lone surrogate is U+FFFD. An
    /// unknown escape stands for the character escaped, as lenient readers take it.
    public static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) -> [UInt8]? {
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                if escaped == UInt8(ascii: "u") {
                    guard let scalar = unicodeEscape(bytes, &index) else { return nil }
                    text.append(contentsOf: UTF8.encode(scalar)!)
                } else {
                    text.append(controlCharacter(escaped) ?? escaped)
                }
            default:
                text.append(byte)
            }
        }
        return nil
    }

    /// The control character that `\n`, `\t`, `\r`, `\b` or `\f` stands for, given the letter;
    /// nil for any other. (Every JSON reader of soup takes these alike.)
    public static func controlCharacter(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        default: return nil
        }
    }

    /// The character of a `\u` escape whose four digits start at `index` (joined with a low
    /// surrogate's escape right after a high one).
    private static func unicodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Unicode.Scalar? {
        guard let unit = codeUnit(bytes, &index) else { return nil }
        if (0xD800..<0xDC00).contains(unit), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
        {
            var next = index + 2
            if let low = codeUnit(bytes, &next), (0xDC00..<0xE000).contains(low) {
                index = next
                return Unicode.Scalar(0x10000 + (unit - 0xD800) << 10 + (low - 0xDC00))
            }
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    /// Four hex digits at `index`, moved past them.
    private static func codeUnit(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            guard let digit = HexDigit.value(byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}

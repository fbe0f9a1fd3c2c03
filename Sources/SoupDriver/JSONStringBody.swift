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
                switch escaped {
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape(bytes, &index) else { return nil }
                    text.append(contentsOf: UTF8.encode(scalar)!)
                default: text.append(escaped)
                }
            default:
                text.append(byte)
            }
        }
        return nil
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
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}

import SoupDriver
import SoupReflection

/// How the values of one input column are checked and turned into what its destination
/// column takes, decided once per column from the column's type.
///
/// A value that cannot be what the column holds is refused here, with the column and the
/// value in the message, before anything is sent: integers, reals and decimals on both
/// engines, and booleans and blobs on SQLite (PostgreSQL checks the rest itself, and its
/// errors are traced back to the line of the file).
struct ValueConversion: Sendable {
    enum Kind: Sendable {
        case text
        case integer(ClosedRange<Int64>)
        case real
        case decimal
        case boolean
        case blob
        /// A PostgreSQL array: a JSON array becomes an array literal.
        case array
        /// PostgreSQL json or jsonb: a JSON string from a JSON file is written back as JSON.
        case json
    }

    let kind: Kind
    /// Whether a JSON number goes to this column as a number: a SQLite column with no type.
    let acceptsNumbers: Bool
    let engine: Dialect.Engine

    init(column: Column, engine: Dialect.Engine) {
        self.engine = engine
        acceptsNumbers = engine == .sqlite && column.type == .any
        switch column.type {
        case .integer:
            let declared = column.declaredType.lowercased()
            if engine == .postgres, declared == "smallint" || declared == "int2" {
                kind = .integer(Int64(Int16.min)...Int64(Int16.max))
            } else if engine == .postgres, declared == "integer" || declared == "int" || declared == "int4" {
                kind = .integer(Int64(Int32.min)...Int64(Int32.max))
            } else {
                kind = .integer(Int64.min...Int64.max)
            }
        case .real: kind = .real
        case .decimal: kind = .decimal
        case .boolean: kind = .boolean
        case .blob: kind = .blob
        case .array: kind = .array
        case .json where engine == .postgres: kind = .json
        default: kind = .text
        }
    }

    /// The reason a value is refused: `column "x": 'abc' is not an integer`.
    static func refusal(_ bytes: UnsafeBufferPointer<UInt8>, _ what: String, column: String) -> String {
        "column \"\(column)\": \(quoted(bytes)) \(what)"
    }

    /// The value as a message shows it: single-quoted, cut after 60 characters.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.count > 60 { text = String(text.prefix(57)) + "..." }
        return "'" + text.replacing("'", with: "''") + "'"
    }
}

/// Base64 as soup's JSON output writes blobs (and the OSC 52 clipboard sequence carries text).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` as base64 text with `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let chunk = (UInt32(bytes[index]) << 16) | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(remaining > 1 ? alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(chunk & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in bytes {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            default: return false
            }
            guard padding == 0 else { return false }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return (bytes.count % 4 == 0 || padding == 0) && padding <= 2
    }
}

/// A JSON array as a PostgreSQL array literal: `[1, "a b", null, [2]]` is `{1,"a b",NULL,{2}}`.
enum ArrayLiteral {
    static func fromJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var index = 0
        var output: [UInt8] = []
        guard convert(bytes, &index, &output, depth: 0) else { return nil }
        return index == bytes.count ? output : nil
    }

    private static func convert(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ output: inout [UInt8], depth: Int) -> Bool {
        guard depth < 64, index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return false }
        index += 1
        output.append(UInt8(ascii: "{"))
        var first = true
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                output.append(UInt8(ascii: "}"))
                return true
            }
            if !first {
                guard bytes[index] == UInt8(ascii: ",") else { return false }
                index += 1
                output.append(UInt8(ascii: ","))
            }
            first = false
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "["):
                guard convert(bytes, &index, &output, depth: depth + 1) else { return false }
            case UInt8(ascii: "\""):
                // A JSON string: unescape, then quote for the array syntax.
                index += 1
                guard let text = JSONStringBody.unescaped(bytes, from: &index) else { return false }
                output.append(UInt8(ascii: "\""))
                for byte in text {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { output.append(UInt8(ascii: "\\")) }
                    output.append(byte)
                }
                output.append(UInt8(ascii: "\""))
            default:
                // null, true, false, a number: as written (null as NULL).
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "]") { index += 1 }
                let word = Array(bytes[start..<index])
                output.append(contentsOf: word == Array("null".utf8) ? Array("NULL".utf8) : word)
            }
        }
        return false
    }
}

extension Array where Element == UInt8 {
    /// Appends `bytes` (UTF-8) as a JSON string literal: `"` and `\` escaped, controls as `\n`,
    /// `\t`… or `\u00XX`.
    mutating func append(jsonString bytes: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        let digits = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                append(UInt8(ascii: "\\"))
                append(byte)
            case 0x0A: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                append(contentsOf: Array("\\u00".utf8))
                append(digits[Int(byte >> 4)])
                append(digits[Int(byte & 0x0F)])
            default:
                append(byte)
            }
        }
        append(UInt8(ascii: "\""))
    }
}

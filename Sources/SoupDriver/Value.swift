/// A database value, as read from a result row or bound to a statement parameter.
///
/// The cases are SQLite's five storage classes plus the PostgreSQL types that a terminal tool
/// must show faithfully. Values that carry text (`numeric`, the temporal kinds, `uuid`, `json`)
/// keep the server's own spelling, so nothing is lost to a lossy conversion: a 40-digit numeric
/// stays 40 digits, an interval stays `-1 days +02:00:00`.
///
/// ```swift
/// let cursor = try connection.query("SELECT $1::numeric", [.numeric("3.14")])
/// ```
public enum Value: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case bool(Bool)
    /// An exact decimal, kept as its text (`-12.500`, `NaN`).
    case numeric(String)
    case date(String)
    /// A time of day, with or without a zone offset.
    case time(String)
    case timestamp(String)
    /// A timestamp with time zone, rendered by the server in the session's zone.
    case timestampTZ(String)
    case interval(String)
    case uuid(String)
    /// JSON text (PostgreSQL `json` or `jsonb`).
    case json(String)
    /// A PostgreSQL array; elements may themselves be arrays.
    case array([Value])
    /// Any other type, shown as the server's text for it.
    case other(typeName: String, text: String)

    /// Whether the value is SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether the value is a number that a table should right-align.
    public var isNumeric: Bool {
        switch self {
        case .integer, .real, .numeric: return true
        default: return false
        }
    }

    /// The value as plain text, the way psql and sqlite3 print it; `nil` for NULL.
    ///
    /// Blobs print as `\x` followed by lowercase hex (psql's bytea output), booleans as
    /// `t`/`f` for PostgreSQL and arrays in PostgreSQL's `{…}` syntax.
    public var text: String? {
        switch self {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return Value.format(real: v)
        case .text(let s), .numeric(let s), .date(let s), .time(let s), .timestamp(let s),
            .timestampTZ(let s), .interval(let s), .uuid(let s), .json(let s):
            return s
        case .other(_, let s): return s
        case .blob(let bytes): return Value.hex(bytes)
        case .bool(let b): return b ? "t" : "f"
        case .array(let elements): return Value.arrayLiteral(elements)
        }
    }

    /// Formats a double the way PostgreSQL's `float8out` does: the shortest digits that read back
    /// to the same value, in fixed notation for decimal exponents from -4 to 14 and as `1.5e+15`
    /// otherwise; `Infinity`, `-Infinity` and `NaN` for the special values.
    public static func format(real v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        var text: [UInt8] = []
        ShortestDecimal(v.magnitude).write(negative: v < 0, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `\x` followed by lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// PostgreSQL array literal text, with elements quoted where the array syntax needs it.
    public static func arrayLiteral(_ elements: [Value]) -> String {
        var out = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            switch element {
            case .null: out += "NULL"
            case .array(let inner): out += arrayLiteral(inner)
            default:
                let text = element.text ?? ""
                if needsArrayQuoting(text) {
                    out += "\""
                    // Scalar by scalar: a combining mark can hide a quote inside a Character.
                    for scalar in text.unicodeScalars {
                        if scalar == "\"" || scalar == "\\" { out += "\\" }
                        out.unicodeScalars.append(scalar)
                    }
                    out += "\""
                } else {
                    out += text
                }
            }
        }
        return out + "}"
    }

    private static func needsArrayQuoting(_ text: String) -> Bool {
        if text.isEmpty || text.lowercased() == "null" { return true }
        return text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "\""),
                UInt8(ascii: "\\"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"),
                UInt8(ascii: "\r"), 0x0b, 0x0c:  // array_out quotes every isspace() byte
                return true
            default: return false
            }
        }
    }
}

extension Value: CustomStringConvertible {
    /// A debugging spelling: `NULL`, `42`, `'text'`, `x'00ff'`, `'{a,"b c"}'`.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .text(let s): return "'" + s.doubling("'") + "'"
        case .array: return "'" + (text ?? "").doubling("'") + "'"
        case .blob(let bytes): return "x'" + Value.hex(bytes).dropFirst(2) + "'"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        default: return text ?? "NULL"
        }
    }
}

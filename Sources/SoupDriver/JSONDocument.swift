/// A JSON document with ordered object keys, for the small documents soup writes itself (the
/// schema, `soup status`, the routing state file, audit parameters), written compact or indented
/// without Foundation.
public enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([(String, JSONDocument)])

    /// `string`, or `null` for `nil`.
    public static func optional(_ text: String?) -> JSONDocument { text.map(JSONDocument.string) ?? .null }

    /// `integer`, or `null` for `nil`.
    public static func optional(_ number: Int?) -> JSONDocument { number.map(JSONDocument.integer) ?? .null }

    /// `number`, or `null` for `nil`.
    public static func optional(_ number: Double?) -> JSONDocument { number.map(JSONDocument.number) ?? .null }

    /// An array of strings.
    public static func strings(_ items: [String]) -> JSONDocument { .array(items.map(JSONDocument.string)) }

    /// Appends a member to an object (a document that is not an object is left alone).
    public mutating func add(_ key: String, _ value: JSONDocument) {
        guard case .object(var members) = self else { return }
        members.append((key, value))
        self = .object(members)
    }

    /// The document on one line, with no spaces.
    public var compact: String {
        switch self {
        case .array(let items): return "[" + items.map(\.compact).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { Self.quote($0.0) + ":" + $0.1.compact }.joined(separator: ",") + "}"
        default: return scalarText
        }
    }

    /// The document indented by two spaces per level, ending without a newline; arrays of
    /// scalars stay on one line.
    public func indented(level: Int = 0) -> String {
        let inner = String(repeating: "  ", count: level + 1)
        let closing = String(repeating: "  ", count: level)
        switch self {
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map(\.compact).joined(separator: ", ") + "]" }
            return "[\n" + items.map { inner + $0.indented(level: level + 1) }.joined(separator: ",\n") + "\n" + closing + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + Self.quote($0.0) + ": " + $0.1.indented(level: level + 1) }
                .joined(separator: ",\n") + "\n" + closing + "}"
        default:
            return scalarText
        }
    }

    public static func == (left: JSONDocument, right: JSONDocument) -> Bool { left.compact == right.compact }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private var scalarText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return value.isFinite ? String(value) : "null"
        case .string(let value): return Self.quote(value)
        case .array, .object: return compact
        }
    }

    /// A JSON string literal, escaping quotes, backslashes and control characters.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Reading JSON text into a ``JSONDocument``, without Foundation: for documents soup reads
/// back from a server (`EXPLAIN (FORMAT JSON)`) as well as those it writes. Object members keep
/// their order; a number without a fraction or exponent that fits is an integer.
extension JSONDocument {
    /// The document in `text`, or nil when `text` does not start with a JSON value.
    public init?(parsing text: String) {
        var reader = Reader(bytes: Array(text.utf8))
        guard let value = reader.value() else { return nil }
        self = value
    }

    /// The member named `key` of an object (the first, should it repeat); nil otherwise.
    public subscript(key: String) -> JSONDocument? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// A string's text.
    public var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number's value, integer or not.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// An array's items.
    public var items: [JSONDocument]? {
        if case .array(let items) = self { return items }
        return nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> JSONDocument? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var fields: [(String, JSONDocument)] = []
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        return .object(fields)
                    }
                    guard case .string(let key)? = value() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let member = value() else { return nil }
                    fields.append((key, member))
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONDocument] = []
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        return .array(items)
                    }
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                }
            case UInt8(ascii: "\""):
                return string().map(JSONDocument.string)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let word = String(decoding: bytes[index...].prefix { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }, as: UTF8.self)
                index += word.utf8.count
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default: return nil
                }
            default:
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                if let integer = Int(text) { return .integer(integer) }
                return Double(text).map(JSONDocument.number)
            }
        }

        mutating func string() -> String? {
            index += 1
            let text = bytes.withUnsafeBufferPointer { JSONStringBody.unescaped($0, from: &index) }
            return text.map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

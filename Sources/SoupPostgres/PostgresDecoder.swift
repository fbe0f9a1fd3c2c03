import SoupDriver

/// Turns PostgreSQL's text output for a value into a ``Value``.
enum PostgresDecoder {
    /// Decodes the text form `bytes` of a value.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as decoding: PostgresType.Decoding, typeName: String) -> Value {
        switch decoding {
        case .integer:
            if let v = parseInteger(bytes) { return .integer(v) }
            return .numeric(string(bytes))
        case .text:
            return .text(string(bytes))
        case .bool:
            return .bool(bytes.first == UInt8(ascii: "t"))
        case .real:
            let text = string(bytes)
            switch text {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: return Double(text).map(Value.real) ?? .other(typeName: typeName, text: text)
            }
        case .numeric: return .numeric(string(bytes))
        case .bytea: return .blob(decodeBytea(bytes))
        case .date: return .date(string(bytes))
        case .time: return .time(string(bytes))
        case .timestamp: return .timestamp(string(bytes))
        case .timestampTZ: return .timestampTZ(string(bytes))
        case .interval: return .interval(string(bytes))
        case .uuid: return .uuid(string(bytes))
        case .json: return .json(string(bytes))
        case .array(let element, let delimiter):
            var parser = ArrayParser(
                text: Array(bytes), delimiter: UInt8(ascii: delimiter.unicodeScalars.first ?? ","))
            guard let elements = parser.parse() else { return .other(typeName: typeName, text: string(bytes)) }
            return .array(elements.map { decodeElement($0, as: element, typeName: typeName) })
        case .other:
            return .other(typeName: typeName, text: string(bytes))
        }
    }

    private static func decodeElement(_ element: ArrayParser.Element, as decoding: PostgresType.Decoding, typeName: String) -> Value {
        switch element {
        case .null: return .null
        case .nested(let items): return .array(items.map { decodeElement($0, as: decoding, typeName: typeName) })
        case .text(let bytes):
            let elementName = typeName.hasPrefix("_") ? String(typeName.dropFirst()) : typeName
            return bytes.withUnsafeBufferPointer { decode($0, as: decoding, typeName: elementName) }
        }
    }

    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? times10.subtractingReportingOverflow(Int64(digit))
                : times10.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// Decodes bytea in hex (`\x0aff`) or the older escape format (`a\\000b`).
    static func decodeBytea(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") {
            var out: [UInt8] = []
            out.reserveCapacity((bytes.count - 2) / 2)
            var index = 2
            while index + 1 < bytes.count {
                out.append((HexDigit.value(bytes[index]) ?? 0) << 4 | (HexDigit.value(bytes[index + 1]) ?? 0))
                index += 2
            }
            return out
        }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "\\") {
                    out.append(byte)
                    index += 2
                    continue
                }
                if index + 3 < bytes.count {
                    let octal = (bytes[index + 1] &- 48) << 6 | (bytes[index + 2] &- 48) << 3 | (bytes[index + 3] &- 48)
                    out.append(octal)
                    index += 4
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return out
    }
}

/// Parses PostgreSQL's array text syntax: `{1,2,NULL}`, `{{"a b","c\"d"},{e,f}}`, `[0:1]={1,2}`.
struct ArrayParser {
    enum Element {
        case null
        case text([UInt8])
        case nested([Element])
    }

    let text: [UInt8]
    let delimiter: UInt8
    private var index = 0

    init(text: [UInt8], delimiter: UInt8) {
        self.text = text
        self.delimiter = delimiter
    }

    /// The top-level elements, or nil when the text is not an array literal.
    mutating func parse() -> [Element]? {
        // Skip optional dimension decoration: [1:2][3:4]=
        if text.first == UInt8(ascii: "["), let equals = text.firstIndex(of: UInt8(ascii: "=")) {
            index = equals + 1
        }
        guard let elements = parseArray(), index == text.count else { return nil }
        return elements
    }

    private mutating func parseArray() -> [Element]? {
        guard index < text.count, text[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var elements: [Element] = []
        if index < text.count, text[index] == UInt8(ascii: "}") {
            index += 1
            return elements
        }
        while index < text.count {
            if text[index] == UInt8(ascii: "{") {
                guard let nested = parseArray() else { return nil }
                elements.append(.nested(nested))
            } else if text[index] == UInt8(ascii: "\"") {
                index += 1
                var bytes: [UInt8] = []
                while index < text.count, text[index] != UInt8(ascii: "\"") {
                    if text[index] == UInt8(ascii: "\\"), index + 1 < text.count { index += 1 }
                    bytes.append(text[index])
                    index += 1
                }
                guard index < text.count else { return nil }
                index += 1
                elements.append(.text(bytes))
            } else {
                let start = index
                while index < text.count, text[index] != delimiter, text[index] != UInt8(ascii: "}") {
                    index += 1
                }
                let bytes = Array(text[start..<index])
                elements.append(bytes == Array("NULL".utf8) ? .null : .text(bytes))
            }
            guard index < text.count else { return nil }
            if text[index] == delimiter {
                index += 1
            } else if text[index] == UInt8(ascii: "}") {
                index += 1
                return elements
            } else {
                return nil
            }
        }
        return nil
    }
}

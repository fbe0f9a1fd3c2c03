import SoupDriver

/// JSON cells laid out over several lines for the terminal layouts (`expanded` and `wrapped` on
/// a terminal): two spaces per level, one member or element per line, and an array of scalars
/// on one line when it fits in the width. Strings, numbers and keys are printed exactly as
/// written (escapes and all); only the whitespace between tokens changes.
///
/// ```
/// {
///   "name": "soup",
///   "tags": ["hot", "salty"],
///   "owner": {
///     "id": 7
///   }
/// }
/// ```
enum JSONLayout {
    /// The document, when the value is a JSON object or array: a `json`/`jsonb` value, or text
    /// that parses as one (SQLite keeps JSON in text). Nil for anything else, which prints as
    /// usual.
    static func document(_ value: Value) -> Node? {
        switch value {
        case .json(let text), .text(let text):
            guard let first = text.utf8.first(where: { !isSpace($0) }),
                first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            else { return nil }
            var parser = Parser(text: Array(text.utf8))
            return parser.document()
        default:
            return nil
        }
    }

    /// Columns narrower than this get JSON on one line (then wrapped): indenting would take
    /// most of their width.
    static let narrowestIndented = 16

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    /// A parsed document: scalars keep their text.
    indirect enum Node {
        case scalar(String)
        case array([Node])
        case object([(key: String, value: Node)])

        /// The document laid out for a column `width` wide; on one line when the column is
        /// too narrow for indenting to help.
        func text(width: Int) -> String {
            var out = ""
            if width < JSONLayout.narrowestIndented {
                writeLine(to: &out)
            } else {
                write(to: &out, level: 0, column: 0, width: width)
            }
            return out
        }

        /// Appends the node on one line: `{"a": [1, 2]}`.
        func writeLine(to out: inout String) {
            switch self {
            case .scalar(let text):
                out += text
            case .array(let items):
                out += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { out += ", " }
                    item.writeLine(to: &out)
                }
                out += "]"
            case .object(let members):
                out += "{"
                for (index, member) in members.enumerated() {
                    out += (index > 0 ? ", " : "") + member.key + ": "
                    member.value.writeLine(to: &out)
                }
                out += "}"
            }
        }

        var isScalar: Bool {
            if case .scalar = self { return true }
            return false
        }

        /// Appends the node, which starts at `column` of a line indented by `level`.
        func write(to out: inout String, level: Int, column: Int, width: Int) {
            let inner = String(repeating: "  ", count: level + 1)
            switch self {
            case .scalar(let text):
                out += text
            case .array(let items) where items.isEmpty:
                out += "[]"
            case .object(let members) where members.isEmpty:
                out += "{}"
            case .array(let items) where items.allSatisfy(\.isScalar):
                var line = ""
                writeLine(to: &line)
                // One more column for a comma after it.
                if column + DisplayWidth.of(line) + 1 <= width {
                    out += line
                    return
                }
                fallthrough
            case .array(let items):
                out += "["
                for (index, item) in items.enumerated() {
                    out += (index == 0 ? "\n" : ",\n") + inner
                    item.write(to: &out, level: level + 1, column: inner.count, width: width)
                }
                out += "\n" + String(repeating: "  ", count: level) + "]"
            case .object(let members):
                out += "{"
                for (index, member) in members.enumerated() {
                    out += (index == 0 ? "\n" : ",\n") + inner + member.key + ": "
                    let column = inner.count + DisplayWidth.of(member.key) + 2
                    member.value.write(to: &out, level: level + 1, column: column, width: width)
                }
                out += "\n" + String(repeating: "  ", count: level) + "}"
            }
        }
    }

    /// A strict JSON parser (RFC 8259) that keeps each scalar's text; nil for anything that is
    /// not one JSON document, or nests deeper than ``maximumDepth``.
    struct Parser {
        static let maximumDepth = 200
        let text: [UInt8]
        var index = 0

        mutating func document() -> Node? {
            guard let node = value(depth: 0) else { return nil }
            skipSpace()
            return index == text.count ? node : nil
        }

        private mutating func skipSpace() {
            while index < text.count, JSONLayout.isSpace(text[index]) { index += 1 }
        }

        private mutating func value(depth: Int) -> Node? {
            skipSpace()
            guard index < text.count, depth < Self.maximumDepth else { return nil }
            switch text[index] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(Node.scalar)
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        private mutating func object(depth: Int) -> Node? {
            index += 1
            var members: [(key: String, value: Node)] = []
            skipSpace()
            if index < text.count, text[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < text.count, text[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard index < text.count, text[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let member = value(depth: depth + 1) else { return nil }
                members.append((key, member))
                guard let end = separator(closing: UInt8(ascii: "}")) else { return nil }
                if end { return .object(members) }
            }
        }

        private mutating func array(depth: Int) -> Node? {
            index += 1
            var items: [Node] = []
            skipSpace()
            if index < text.count, text[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                guard let end = separator(closing: UInt8(ascii: "]")) else { return nil }
                if end { return .array(items) }
            }
        }

        /// After a member or element: `true` at the closing bracket, `false` after a comma.
        private mutating func separator(closing: UInt8) -> Bool? {
            skipSpace()
            guard index < text.count else { return nil }
            let byte = text[index]
            index += 1
            if byte == closing { return true }
            return byte == UInt8(ascii: ",") ? false : nil
        }

        /// A string token, quotes and escapes included as written.
        private mutating func string() -> String? {
            let start = index
            index += 1
            while index < text.count {
                let byte = text[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: text[start..<index], as: UTF8.self)
                }
                guard byte >= 0x20 else { return nil }
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < text.count else { return nil }
                    switch text[index] {
                    case UInt8(ascii: "u"):
                        guard index + 4 < text.count, text[(index + 1)...(index + 4)].allSatisfy(Self.isHexDigit) else { return nil }
                        index += 4
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    default:
                        return nil
                    }
                }
                index += 1
            }
            return nil
        }

        private mutating func literal(_ word: String) -> Node? {
            let bytes = Array(word.utf8)
            guard text.count - index >= bytes.count, Array(text[index..<(index + bytes.count)]) == bytes else { return nil }
            index += bytes.count
            return .scalar(word)
        }

        /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`
        private mutating func number() -> Node? {
            let start = index
            if peek(UInt8(ascii: "-")) { index += 1 }
            if peek(UInt8(ascii: "0")) {
                index += 1
            } else if digits() == 0 {
                return nil
            }
            if peek(UInt8(ascii: ".")) {
                index += 1
                guard digits() > 0 else { return nil }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                guard digits() > 0 else { return nil }
            }
            return .scalar(String(decoding: text[start..<index], as: UTF8.self))
        }

        private func peek(_ byte: UInt8) -> Bool {
            index < text.count && text[index] == byte
        }

        private mutating func digits() -> Int {
            let start = index
            while index < text.count, JSONScan.isDigit(text[index]) { index += 1 }
            return index - start
        }

        private static func isHexDigit(_ byte: UInt8) -> Bool {
            JSONScan.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        }
    }
}

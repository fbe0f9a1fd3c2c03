/// Reads the parts of SQLite's stored `CREATE` statements (`sqlite_schema.sql`) that no pragma
/// reports: the expressions of generated columns, of expression index keys, and the WHERE
/// clause of partial indexes.
///
/// A small tokenizer that knows SQLite's quoting (`"…"`, `` `…` ``, `[…]`, `'…'`) and comments
/// splits the statement; nothing is evaluated.
struct SQLiteDefinition {
    private enum Kind: Equatable {
        case word
        case quoted
        case string
        case open
        case close
        case comma
        case other
    }

    private struct Token {
        var kind: Kind
        var start: Int
        var end: Int
    }

    private let bytes: [UInt8]
    private let tokens: [Token]

    init(_ sql: String) {
        bytes = Array(sql.utf8)
        tokens = Self.tokenize(bytes)
    }

    /// The expressions of generated columns, keyed by lowercased column name.
    func generatedColumnExpressions() -> [String: String] {
        guard let open = tokens.firstIndex(where: { $0.kind == .open }) else { return [:] }
        var result: [String: String] = [:]
        for part in splitTopLevel(from: open) {
            guard let first = part.first, tokens[first].kind == .word || tokens[first].kind == .quoted
            else { continue }
            let name = identifier(tokens[first])
            if ["constraint", "primary", "unique", "check", "foreign"].contains(name.lowercased()),
                tokens[first].kind == .word
            {
                continue
            }
            // `AS (expr)` at the top level of the definition, optionally after GENERATED ALWAYS.
            var depth = 0
            for (offset, index) in part.enumerated().dropFirst() {
                if tokens[index].kind == .open { depth += 1 }
                if tokens[index].kind == .close { depth -= 1 }
                guard depth == 0, isWord(tokens[index], "as"), offset + 1 < part.count,
                    tokens[part[offset + 1]].kind == .open, let close = matchingClose(part[offset + 1])
                else { continue }
                result[name.lowercased()] = text(from: tokens[part[offset + 1]].end, to: tokens[close].start)
                break
            }
        }
        return result
    }

    /// The query of a CREATE VIEW statement: the text after its first top-level `AS`.
    func viewQuery() -> String? {
        var depth = 0
        for token in tokens {
            if token.kind == .open { depth += 1 }
            if token.kind == .close { depth -= 1 }
            if depth == 0, isWord(token, "as") {
                return text(from: token.end, to: bytes.count)
            }
        }
        return nil
    }

    /// The key texts of a CREATE INDEX statement in order, and its WHERE clause.
    func indexKeysAndPredicate() -> (keys: [String], predicate: String?) {
        guard let on = tokens.firstIndex(where: { isWord($0, "on") }),
            let open = tokens[on...].firstIndex(where: { $0.kind == .open }),
            let close = matchingClose(open)
        else { return ([], nil) }
        let keys = splitTopLevel(from: open).compactMap { part -> String? in
            var part = part
            while let last = part.last, isWord(tokens[last], "asc") || isWord(tokens[last], "desc") {
                part.removeLast()
            }
            guard let first = part.first, let last = part.last else { return nil }
            return text(from: tokens[first].start, to: tokens[last].end)
        }
        var predicate: String?
        if close + 1 < tokens.count, isWord(tokens[close + 1], "where") {
            var end = tokens.count - 1
            while end > close + 1, tokens[end].kind == .other, bytes[tokens[end].start] == UInt8(ascii: ";") {
                end -= 1
            }
            if end > close + 1 { predicate = text(from: tokens[close + 2].start, to: tokens[end].end) }
        }
        return (keys, predicate)
    }

    /// Token indexes of the comma-separated parts inside the parenthesis at `open`.
    private func splitTopLevel(from open: Int) -> [[Int]] {
        var parts: [[Int]] = [[]]
        var depth = 0
        for index in (open + 1)..<tokens.count {
            switch tokens[index].kind {
            case .open: depth += 1
            case .close:
                if depth == 0 { return parts.filter { !$0.isEmpty } }
                depth -= 1
            case .comma where depth == 0:
                parts.append([])
                continue
            default: break
            }
            parts[parts.count - 1].append(index)
        }
        return parts.filter { !$0.isEmpty }
    }

    private func matchingClose(_ open: Int) -> Int? {
        var depth = 0
        for index in open..<tokens.count {
            if tokens[index].kind == .open { depth += 1 }
            if tokens[index].kind == .close {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    private func isWord(_ token: Token, _ word: String) -> Bool {
        token.kind == .word && text(from: token.start, to: token.end).lowercased() == word
    }

    private func identifier(_ token: Token) -> String {
        let raw = text(from: token.start, to: token.end)
        guard token.kind == .quoted, raw.count >= 2, let quote = raw.first else { return raw }
        let inner = String(raw.dropFirst().dropLast())
        return quote == "[" ? inner : inner.replacing(String(quote) + String(quote), with: String(quote))
    }

    private func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self).trimmingSpaces()
    }

    private static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        func scan(until terminator: UInt8, from start: Int, doubling: Bool) -> Int {
            var i = start + 1
            while i < bytes.count {
                if bytes[i] == terminator {
                    if doubling, i + 1 < bytes.count, bytes[i + 1] == terminator {
                        i += 2
                        continue
                    }
                    return i + 1
                }
                i += 1
            }
            return bytes.count
        }
        while index < bytes.count {
            let byte = bytes[index]
            let start = index
            var kind = Kind.other
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index = min(bytes.count, index + 2)
                continue
            case UInt8(ascii: "'"):
                kind = .string
                index = scan(until: byte, from: index, doubling: true)
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                kind = .quoted
                index = scan(until: byte, from: index, doubling: true)
            case UInt8(ascii: "["):
                kind = .quoted
                index = scan(until: UInt8(ascii: "]"), from: index, doubling: false)
            case UInt8(ascii: "("): kind = .open; index += 1
            case UInt8(ascii: ")"): kind = .close; index += 1
            case UInt8(ascii: ","): kind = .comma; index += 1
            default:
                if isWordByte(byte) {
                    kind = .word
                    while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
                } else {
                    index += 1
                }
            }
            tokens.append(Token(kind: kind, start: start, end: index))
        }
        return tokens
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}

/// Raw SQL: keywords, names (quoted or not), functions, strings (with `E'…'` escapes and
/// `$tag$…$tag$`), numbers, parameters (`$1`, `?`, `:name`), comments and operators, up to the
/// `;` that ends the statement.
extension InputScanner {
    mutating func sqlToken() {
        let start = index
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: ";"):
            index += 1
            add(.punctuation, from: start, isSQL: true)
            endSQL()
        case UInt8(ascii: "'"):
            let escapes =
                start > 0 && bytes[start - 1] | 0x20 == UInt8(ascii: "e") && (start < 2 || !isNameByte(bytes[start - 2]))
            quoted(until: byte, kind: .string, backslashEscapes: escapes)
        case UInt8(ascii: "\""), UInt8(ascii: "`"):
            quoted(until: byte, kind: .sqlIdentifier, backslashEscapes: false)
        case UInt8(ascii: "["):
            // SQLite's [bracketed name], as the statement splitter reads it.
            quoted(until: UInt8(ascii: "]"), kind: .sqlIdentifier, backslashEscapes: false)
        case UInt8(ascii: "$"):
            dollar()
        case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
            comment(isSQL: true)
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
            comment(isSQL: true)
        case UInt8(ascii: "("), UInt8(ascii: ")"):
            bracket(isSQL: true)
        case UInt8(ascii: ","), UInt8(ascii: "."):
            index += 1
            add(.punctuation, from: start, isSQL: true)
        case UInt8(ascii: "?"):
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            add(.sqlParameter, from: start, isSQL: true)
        case UInt8(ascii: ":") where peek(1).map(isNameStart) == true && (start == 0 || bytes[start - 1] != UInt8(ascii: ":")):
            index += 1
            while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
            add(.sqlParameter, from: start, isSQL: true)
        default:
            if isDigit(byte) {
                number(isSQL: true)
            } else if isNameStart(byte) {
                sqlWord(from: start)
            } else if Self.sqlOperatorBytes.contains(byte) {
                while index < bytes.count, Self.sqlOperatorBytes.contains(bytes[index]),
                    !(bytes[index] == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-"))
                {
                    index += 1
                }
                add(.operator, from: start, isSQL: true)
            } else {
                index += max(1, scalarLength(at: index))
                add(.unknown, from: start, isSQL: true)
            }
        }
    }

    private mutating func sqlWord(from start: Int) {
        while index < bytes.count, isNameByte(bytes[index]) || bytes[index] == UInt8(ascii: "$") { index += 1 }
        let afterDot = tokens.last.map {
            $0.isSQL && $0.kind == .punctuation && bytes[$0.range.lowerBound] == UInt8(ascii: ".") && $0.range.upperBound == start
        } ?? false
        var next = index
        while next < bytes.count, isSpace(bytes[next]) { next += 1 }
        // `INSERT INTO t (a, b)` and `CREATE TABLE t (…)` name a table before the bracket.
        let afterTableKeyword = tokens.last.map {
            $0.kind == .sqlKeyword && ["INTO", "TABLE"].contains(String(decoding: bytes[$0.range], as: UTF8.self).uppercased())
        } ?? false
        let isCall = next < bytes.count && bytes[next] == UInt8(ascii: "(") && !afterTableKeyword
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if !afterDot, SQLKeywords.isKeyword(word) {
            add(.sqlKeyword, from: start, isSQL: true)
        } else {
            add(isCall && !afterDot ? .sqlFunction : .sqlIdentifier, from: start, isSQL: true)
        }
    }

    /// A quoted SQL string or name; a doubled quote stands for itself.
    private mutating func quoted(until quote: UInt8, kind: InputToken.Kind, backslashEscapes: Bool) {
        let start = index
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                index = min(index + 1, bytes.count)
            } else if byte == quote {
                guard index < bytes.count, bytes[index] == quote, quote != UInt8(ascii: "]") else {
                    return add(kind, from: start, isSQL: true)
                }
                index += 1
            }
        }
        add(kind, from: start, isSQL: true)
        tokens[tokens.count - 1].isUnclosed = true
    }

    /// `$1` (a parameter) or `$tag$ … $tag$` (a dollar-quoted string).
    private mutating func dollar() {
        let start = index
        var end = index + 1
        if end < bytes.count, isDigit(bytes[end]) {
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            index = end
            return add(.sqlParameter, from: start, isSQL: true)
        }
        while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else {
            index += 1
            return add(.operator, from: start, isSQL: true)
        }
        let tag = bytes[start...end]
        index = end + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: tag) {
                index += tag.count
                return add(.string, from: start, isSQL: true)
            }
            index += 1
        }
        add(.string, from: start, isSQL: true)
        tokens[tokens.count - 1].isUnclosed = true
    }

    /// The end of a raw SQL statement: brackets it opened stay open, and soup may follow.
    private mutating func endSQL() {
        if let first = sqlStart {
            while let open = openBrackets.last, open >= first {
                tokens[open].isUnclosed = true
                openBrackets.removeLast()
            }
        }
        sqlStart = nil
        atStatementStart = true
        atLineStart = false
    }

    static let sqlOperatorBytes: Set<UInt8> = Set("+-*/<>=~!@#%^&|:".utf8)
}

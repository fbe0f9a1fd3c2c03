/// One statement cut out of a longer SQL text, with where it starts.
public struct SQLStatement: Hashable, Sendable {
    /// The statement, without the `;` that ended it.
    public var text: String
    /// 1-based line and column of the statement's first character in the whole text.
    public var line: Int
    public var column: Int

    public init(text: String, line: Int = 1, column: Int = 1) {
        self.text = text
        self.line = line
        self.column = column
    }
}

/// Splits SQL text into statements at top-level semicolons.
///
/// Semicolons inside quotes (`'…'`, `"…"`, `E'…'` with backslash escapes), dollar quotes
/// (`$$…$$`, `$tag$…$tag$`), comments (`--`, nested `/* */`) and the `BEGIN … END` body of a
/// `CREATE TRIGGER` do not split. Statements that are only white space or comments are dropped.
public enum SQLSplitter {
    public static func split(_ text: String) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        let bytes = Array(text.utf8)
        var scanner = Scanner(bytes: bytes)
        var start = 0
        var blockDepth = 0
        var words: [String] = []  // the first few words, to recognise CREATE TRIGGER
        while let token = scanner.nextToken() {
            switch token {
            case .semicolon(let offset):
                if blockDepth > 0 { continue }
                append(bytes[start..<offset], from: start, in: bytes, to: &statements)
                start = offset + 1
                words = []
            case .word(let word):
                if words.count < 4 { words.append(word) }
                guard isTrigger(words) else { continue }
                if word == "begin" || word == "case" {
                    blockDepth += 1
                } else if word == "end", blockDepth > 0 {
                    blockDepth -= 1
                }
            case .other:
                continue
            }
        }
        append(bytes[start...], from: start, in: bytes, to: &statements)
        return statements
    }

    private static func isTrigger(_ words: [String]) -> Bool {
        guard words.first == "create" else { return false }
        return words.dropFirst().prefix(2).contains("trigger")
    }

    private static func append(_ slice: ArraySlice<UInt8>, from offset: Int, in bytes: [UInt8], to statements: inout [SQLStatement]) {
        var scanner = Scanner(bytes: Array(slice))
        guard let first = scanner.firstSignificantOffset() else { return }
        var end = slice.count
        while end > first, isSpace(slice[slice.startIndex + end - 1]) { end -= 1 }
        let text = String(decoding: slice[(slice.startIndex + first)..<(slice.startIndex + end)], as: UTF8.self)
        let (line, column) = position(of: offset + first, in: bytes)
        statements.append(SQLStatement(text: text, line: line, column: column))
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        let before = bytes[..<offset]
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return (line, column)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || (byte >= 9 && byte <= 13)
    }

    /// A lexer just deep enough to find statement boundaries.
    struct Scanner {
        enum Token {
            case semicolon(Int)
            case word(String)
            case other
        }

        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// The offset of the first byte that is not white space or a comment.
        mutating func firstSignificantOffset() -> Int? {
            while index < bytes.count {
                if isSpace(bytes[index]) {
                    index += 1
                } else if !skipComment() {
                    return index
                }
            }
            return nil
        }

        mutating func nextToken() -> Token? {
            while index < bytes.count {
                let byte = bytes[index]
                if isSpace(byte) || skipComment() {
                    if isSpace(byte) { index += 1 }
                    continue
                }
                switch byte {
                case UInt8(ascii: ";"):
                    index += 1
                    return .semicolon(index - 1)
                case UInt8(ascii: "'"):
                    let backslashEscapes = index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                        && (index < 2 || !isWordByte(bytes[index - 2]))
                    skipQuoted(UInt8(ascii: "'"), backslashEscapes: backslashEscapes)
                    return .other
                case UInt8(ascii: "\""), UInt8(ascii: "`"):
                    skipQuoted(byte, backslashEscapes: false)
                    return .other
                case UInt8(ascii: "["):
                    // SQLite's [bracketed identifier]; PostgreSQL array subscripts hold no ';'.
                    while index < bytes.count, bytes[index] != UInt8(ascii: "]") { index += 1 }
                    index += 1
                    return .other
                case UInt8(ascii: "$"):
                    if skipDollarQuote() { return .other }
                    index += 1
                    return .other
                default:
                    if isWordByte(byte) {
                        let start = index
                        while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
                        return .word(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
                    }
                    index += 1
                    return .other
                }
            }
            return nil
        }

        private func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || (byte >= 48 && byte <= 57)
                || byte >= 0x80
        }

        /// Skips a `--` or `/* */` comment at the index; returns whether there was one.
        private mutating func skipComment() -> Bool {
            guard index + 1 < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                return true
            }
            if bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "*") {
                var depth = 0
                while index < bytes.count {
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1
                        index += 2
                    } else if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "*"), bytes[index + 1] == UInt8(ascii: "/") {
                        depth -= 1
                        index += 2
                        if depth == 0 { return true }
                    } else {
                        index += 1
                    }
                }
                return true
            }
            return false
        }

        private mutating func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if backslashEscapes, byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                index += 1
                if byte == quote {
                    // A doubled quote is an escaped quote.
                    if index < bytes.count, bytes[index] == quote {
                        index += 1
                        continue
                    }
                    return
                }
            }
        }

        /// Skips `$tag$ … $tag$`; returns false when the `$` starts no dollar quote (`$1`).
        private mutating func skipDollarQuote() -> Bool {
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
                let byte = bytes[end]
                guard isWordByte(byte), !(end == index + 1 && byte >= 48 && byte <= 57) else { return false }
                end += 1
            }
            guard end < bytes.count else { return false }
            let tag = Array(bytes[index...end])
            index = end + 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: tag) {
                    index += tag.count
                    return true
                }
                index += 1
            }
            return true
        }
    }
}

/// Where a raw SQL statement ends, in a statement that does not have to be soup.
///
/// A statement is raw SQL when its first word is one of ``keywords`` followed by white space
/// (soup-language(7), STATEMENTS). The SQL then runs to the first `;` outside quotes (`'…'`,
/// `E'…'`, `"…"`, `` `…` ``, `[…]`), dollar quotes (`$$…$$`, `$tag$…$tag$`), comments (`--`, nested
/// `/* */`) and the `BEGIN … END` body of a `CREATE TRIGGER`; or to the end of the input; or to a
/// line that starts with a psql-style meta command (`\g`, `\q`), so that one is never swallowed.
enum SQLSpan {
    /// The words that start raw SQL, lowercased. A list, not a `Set`: the first `Set<String>` of
    /// a run costs 0.25 M instructions of type lookups, a quarter of `soup query DB 'SELECT 1'`;
    /// fifty comparisons of short strings cost far less.
    static let keywords: [String] = [
        "select", "with", "insert", "update", "delete", "create", "drop", "alter", "explain",
        "pragma", "begin", "commit", "rollback", "savepoint", "release", "values", "show", "set",
        "analyze", "vacuum", "grant", "revoke", "truncate", "copy", "merge", "replace", "attach",
        "detach", "reindex", "call", "do", "comment", "lock", "refresh", "table", "start", "reset",
        "discard", "checkpoint", "listen", "notify", "unlisten", "prepare", "deallocate", "declare",
        "fetch", "close", "move", "cluster", "load",
    ]

    /// Whether `word` (lowercased) starts raw SQL.
    static func isKeyword(_ word: String) -> Bool {
        keywords.contains(word)
    }

    /// Whether the statement that starts at `start` is raw SQL.
    ///
    /// The first word must be a keyword followed by white space, a `;` or the end of the input.
    /// It is soup all the same when white space and a single `=` follow (`values = 3` assigns),
    /// and bare `commit` / `rollback` (nothing but a comment after them on the statement) are the
    /// session's own statements.
    static func startsStatement(in bytes: [UInt8], at start: Int) -> Bool {
        var end = start
        while end < bytes.count,
            isASCIILetter(bytes[end]) || bytes[end] == UInt8(ascii: "_")
                || (end > start && isDigit(bytes[end]))
        {
            end += 1
        }
        let word = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        guard isKeyword(word) else { return false }
        guard end < bytes.count, bytes[end] != UInt8(ascii: ";") else {
            return word != "commit" && word != "rollback"
        }
        guard isSpace(bytes[end]) else { return false }
        var next = end
        while next < bytes.count, isHorizontalSpace(bytes[next]) { next += 1 }
        guard next < bytes.count else { return word != "commit" && word != "rollback" }
        if word == "commit" || word == "rollback",
            [UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "#")].contains(bytes[next])
        {
            return false
        }
        let isAssignment =
            bytes[next] == UInt8(ascii: "=")
            && (next + 1 == bytes.count || bytes[next + 1] != UInt8(ascii: "="))
        return !isAssignment
    }

    /// How a scanned statement ended.
    enum End: Equatable {
        /// At a `;`, which is at the end offset.
        case semicolon
        /// At the end of the input.
        case endOfInput
        /// Before a line holding a meta command; the end offset is the newline before it.
        case metaCommand
        /// Inside a quote or comment that never closes; `what` names it, `start` is its offset.
        case unterminated(what: String, start: Int)
    }

    /// Scans the SQL statement that starts at `start`; returns where its text ends and why.
    static func scan(_ bytes: [UInt8], from start: Int) -> (end: Int, reason: End) {
        var scanner = Scanner(bytes: bytes, index: start)
        var words: [String] = []  // the first few words, to recognise CREATE TRIGGER
        var blockDepth = 0
        var blockStart = start
        while scanner.index < bytes.count {
            let tokenStart = scanner.index
            switch scanner.next() {
            case .semicolon:
                if blockDepth == 0 { return (tokenStart, .semicolon) }
            case .word(let word):
                if words.count < 4 { words.append(word) }
                guard isTrigger(words) else { continue }
                if word == "begin" || word == "case" {
                    if blockDepth == 0 { blockStart = tokenStart }
                    blockDepth += 1
                } else if word == "end", blockDepth > 0 {
                    blockDepth -= 1
                }
            case .backslash:
                if let newline = scanner.lineStartBefore(tokenStart, notBefore: start) {
                    return (newline, .metaCommand)
                }
            case .unterminated(let what):
                return (bytes.count, .unterminated(what: what, start: tokenStart))
            case .other:
                continue
            }
        }
        guard blockDepth == 0 else {
            return (bytes.count, .unterminated(what: "trigger body (BEGIN without END)", start: blockStart))
        }
        return (bytes.count, .endOfInput)
    }

    private static func isTrigger(_ words: [String]) -> Bool {
        guard words.first == "create" else { return false }
        return words.dropFirst().prefix(2).contains("trigger")
    }

    /// A SQL lexer just deep enough to find where a statement ends.
    private struct Scanner {
        enum Token {
            case semicolon
            case word(String)
            case backslash
            case unterminated(String)
            case other
        }

        let bytes: [UInt8]
        var index: Int

        mutating func next() -> Token {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: ";"):
                index += 1
                return .semicolon
            case UInt8(ascii: "\\"):
                index += 1
                return .backslash
            case UInt8(ascii: "'"):
                let afterE =
                    index > 0 && bytes[index - 1] | 0x20 == UInt8(ascii: "e")
                    && (index < 2 || !isWordByte(bytes[index - 2]))
                return skipQuoted(until: byte, backslashEscapes: afterE, what: "string")
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                return skipQuoted(until: byte, backslashEscapes: false, what: "quoted identifier")
            case UInt8(ascii: "["):
                // SQLite's [bracketed identifier]; PostgreSQL array subscripts hold no ';'.
                return skipQuoted(until: UInt8(ascii: "]"), backslashEscapes: false, what: "'['")
            case UInt8(ascii: "$"):
                return skipDollarQuote()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                return .other
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                return skipBlockComment()
            default:
                guard isWordByte(byte), !isDigit(byte) else {
                    index += 1
                    return .other
                }
                let start = index
                while index < bytes.count, isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "$") {
                    index += 1
                }
                return .word(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
            }
        }

        /// The offset of the newline before `offset` when only horizontal space separates them.
        func lineStartBefore(_ offset: Int, notBefore start: Int) -> Int? {
            var previous = offset - 1
            while previous >= start, isHorizontalSpace(bytes[previous]) { previous -= 1 }
            guard previous >= start, bytes[previous] == UInt8(ascii: "\n") else { return nil }
            guard offset + 1 < bytes.count, !isSpace(bytes[offset + 1]) else { return nil }
            return previous
        }

        private func peek(_ distance: Int) -> UInt8? {
            index + distance < bytes.count ? bytes[index + distance] : nil
        }

        private mutating func skipQuoted(until quote: UInt8, backslashEscapes: Bool, what: String) -> Token {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if backslashEscapes, byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == quote {
                    // A doubled quote is an escaped quote.
                    guard index < bytes.count, bytes[index] == quote, quote != UInt8(ascii: "]") else {
                        return .other
                    }
                    index += 1
                }
            }
            return .unterminated(what)
        }

        private mutating func skipBlockComment() -> Token {
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                    if depth == 0 { return .other }
                } else {
                    index += 1
                }
            }
            return .unterminated("comment")
        }

        /// Skips `$tag$ … $tag$`; a `$` that starts no dollar quote (`$1`) is just skipped.
        private mutating func skipDollarQuote() -> Token {
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
                guard isWordByte(bytes[end]), !(end == index + 1 && isDigit(bytes[end])) else {
                    index += 1
                    return .other
                }
                end += 1
            }
            guard end < bytes.count else {
                index += 1
                return .other
            }
            let tag = bytes[index...end]
            index = end + 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: tag) {
                    index += tag.count
                    return .other
                }
                index += 1
            }
            return .unterminated("dollar-quoted string")
        }
    }
}

func isASCIILetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
}

func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

/// A byte of a SQL word: ASCII letters, digits, `_`, and any byte of a non-ASCII character.
private func isWordByte(_ byte: UInt8) -> Bool {
    isASCIILetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
}

/// Space, tab, carriage return, vertical tab and form feed: white space that ends no line.
func isHorizontalSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == 0x0B
        || byte == 0x0C
}

/// Horizontal space or a newline.
func isSpace(_ byte: UInt8) -> Bool {
    isHorizontalSpace(byte) || byte == UInt8(ascii: "\n")
}

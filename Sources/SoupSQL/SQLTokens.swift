/// One token of SQL text, as the classifier needs it.
struct SQLToken: Equatable {
    enum Kind: Equatable {
        /// A keyword or unquoted identifier, lowercased.
        case word
        /// A `"quoted identifier"`, as written.
        case quotedName
        /// A string literal's content (`'…'`, `E'…'`, `$tag$…$tag$`).
        case string
        /// A number, a `$1` or `?` parameter, or an operator character.
        case other
        case openParen
        case closeParen
    }

    var kind: Kind
    var text: String
    /// Parentheses open before this token.
    var depth: Int
    /// Where the token is in the text, in Unicode scalars (quotes and prefixes included).
    var range: Range<Int> = 0..<0

    func isWord(_ word: String) -> Bool { kind == .word && text == word }
}

/// SQL split into statements of tokens, with the hints found in comments.
struct SQLTokens {
    /// The statements' tokens, without the `;` between them; empty statements are dropped.
    var statements: [[SQLToken]] = []
    /// The text of every comment, without its delimiters.
    var comments: [String] = []

    /// Tokenizes PostgreSQL or SQLite text: quotes, `E''` escapes, dollar quotes, nested
    /// `/* */` comments and `--` comments are respected, so words inside them are not keywords.
    init(_ sql: String) {
        let scalars = Array(sql.unicodeScalars)
        var index = 0
        var depth = 0
        var current: [SQLToken] = []

        // ASCII (nearly every token) is written as bytes, lowercased on the way when asked;
        // other text scalar by scalar: the generic append of a slice costs 0.2 M instructions
        // of type lookups the first time, a fifth of `soup query DB 'SELECT 1'`.
        func text(_ range: Range<Int>, lowercased: Bool = false) -> String {
            if range.allSatisfy({ scalars[$0].isASCII }) {
                return String(unsafeUninitializedCapacity: range.count) { bytes in
                    for (offset, index) in range.enumerated() {
                        let byte = UInt8(scalars[index].value)
                        bytes[offset] = lowercased && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    }
                    return range.count
                }
            }
            var text = String.UnicodeScalarView()
            for index in range { text.append(scalars[index]) }
            return lowercased ? String(text).lowercased() : String(text)
        }
        /// A letter; ASCII is decided without Unicode's property tables, which every statement
        /// routed would otherwise pay for on each of its characters.
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) : scalar.properties.isAlphabetic
        }
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            isLetter(scalar) || scalar == "_" || ("0"..."9").contains(scalar) || scalar == "$"
        }
        func finishStatement() {
            if !current.isEmpty { statements.append(current) }
            current = []
            depth = 0
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case " ", "\t", "\n", "\r":
                index += 1
            case "-" where next == "-":
                let start = index + 2
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                comments.append(text(start..<index))
            case "/" where next == "*":
                var level = 1
                let start = index + 2
                index += 2
                while index < scalars.count, level > 0 {
                    if scalars[index] == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                        level += 1
                        index += 2
                    } else if scalars[index] == "*", index + 1 < scalars.count, scalars[index + 1] == "/" {
                        level -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
                comments.append(text(start..<max(start, index - 2)))
            case "'":
                let (content, end) = Self.quoted(scalars, from: index, quote: "'", backslashEscapes: false)
                current.append(SQLToken(kind: .string, text: content, depth: depth, range: index..<end))
                index = end
            case "\"", "`":
                let (content, end) = Self.quoted(scalars, from: index, quote: scalar, backslashEscapes: false)
                current.append(SQLToken(kind: .quotedName, text: content, depth: depth, range: index..<end))
                index = end
            case "e" where next == "'", "E" where next == "'":
                let (content, end) = Self.quoted(scalars, from: index + 1, quote: "'", backslashEscapes: true)
                current.append(SQLToken(kind: .string, text: content, depth: depth, range: index..<end))
                index = end
            case "$" where next.map { $0 == "$" || isLetter($0) || $0 == "_" } ?? false:
                // $tag$ … $tag$ (a dollar quote), unless it is a $1 parameter.
                var tagEnd = index + 1
                while tagEnd < scalars.count, scalars[tagEnd] != "$", isWordScalar(scalars[tagEnd]) { tagEnd += 1 }
                guard tagEnd < scalars.count, scalars[tagEnd] == "$" else {
                    current.append(SQLToken(kind: .other, text: "$", depth: depth, range: index..<index + 1))
                    index += 1
                    break
                }
                let tag = Array(scalars[index...tagEnd])
                var search = tagEnd + 1
                var closing = scalars.count
                while search + tag.count <= scalars.count {
                    if Array(scalars[search..<search + tag.count]) == tag {
                        closing = search
                        break
                    }
                    search += 1
                }
                let end = min(scalars.count, closing + tag.count)
                current.append(SQLToken(kind: .string, text: text(tagEnd + 1..<closing), depth: depth, range: index..<end))
                index = end
            case "(":
                current.append(SQLToken(kind: .openParen, text: "(", depth: depth, range: index..<index + 1))
                depth += 1
                index += 1
            case ")":
                depth = max(0, depth - 1)
                current.append(SQLToken(kind: .closeParen, text: ")", depth: depth, range: index..<index + 1))
                index += 1
            case ";":
                finishStatement()
                index += 1
            default:
                if isLetter(scalar) || scalar == "_" {
                    let start = index
                    while index < scalars.count, isWordScalar(scalars[index]) { index += 1 }
                    current.append(SQLToken(kind: .word, text: text(start..<index, lowercased: true), depth: depth, range: start..<index))
                } else {
                    current.append(SQLToken(kind: .other, text: String(scalar), depth: depth, range: index..<index + 1))
                    index += 1
                }
            }
        }
        finishStatement()
    }

    /// The first word of `sql`, lowercased, found on its bytes without tokenizing; nil when a
    /// comment or anything but an ASCII letter comes first (then only tokens can tell).
    static func leadingWord(of sql: String) -> String? {
        let bytes = sql.utf8.drop { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        let isLetter = { (byte: UInt8) in (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        guard let first = bytes.first, isLetter(first) else { return nil }
        let word = bytes.prefix { isLetter($0) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x24 }
        return String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The content of a quoted run starting at `start` (the opening quote) and the index after
    /// its end; a doubled quote stands for one.
    private static func quoted(
        _ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool
    ) -> (String, Int) {
        var index = start + 1
        var content = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            if backslashEscapes, scalar == "\\", index + 1 < scalars.count {
                content.append(scalars[index + 1])
                index += 2
                continue
            }
            if scalar == quote {
                if index + 1 < scalars.count, scalars[index + 1] == quote {
                    content.append(quote)
                    index += 2
                    continue
                }
                return (String(content), index + 1)
            }
            content.append(scalar)
            index += 1
        }
        return (String(content), index)
    }
}

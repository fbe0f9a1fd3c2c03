/// Cuts input that is being typed into ``InputToken``s, for colouring it at every keystroke and
/// for finding what the cursor is in when TAB is pressed.
///
/// It follows the lexer's rules (raw SQL starts with a SQL keyword and runs to its `;`; a meta
/// command is one line; a newline outside brackets ends a soup statement) but never fails: an
/// unclosed string runs to the end of its line (a triple-quoted one, or a SQL string, to the end
/// of the input) and is marked unclosed, and so is every bracket left open. It works on UTF-8
/// bytes and allocates one token per word or symbol, so a 2,000-character input is a few
/// microseconds of work.
public struct InputScanner {
    let bytes: [UInt8]
    var index = 0
    var tokens: [InputToken] = []
    /// The indexes in `tokens` of the brackets open at the index, innermost last.
    var openBrackets: [Int] = []
    var atStatementStart = true
    var atLineStart = true
    /// Where the raw SQL statement being read began (its first token's index), or nil in soup.
    var sqlStart: Int?

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The tokens of `text`, in order.
    public static func tokens(of text: String) -> [InputToken] {
        var scanner = InputScanner(text)
        scanner.run()
        return scanner.tokens
    }

    private mutating func run() {
        while true {
            while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { break }
            if bytes[index] == UInt8(ascii: "\n") {
                index += 1
                if sqlStart == nil, openBrackets.isEmpty {
                    atStatementStart = true
                    atLineStart = true
                } else if atStatementStart {
                    atLineStart = true
                }
                continue
            }
            if sqlStart != nil {
                sqlToken()
            } else if atStatementStart, statementStart() {
                continue
            } else {
                soupToken()
            }
        }
        for open in openBrackets { tokens[open].isUnclosed = true }
    }

    // MARK: Statement starts

    /// A meta command, a SQL comment before a statement, or the first word of raw SQL; true when
    /// it read something (or switched to SQL).
    private mutating func statementStart() -> Bool {
        let start = index
        if atLineStart, index + 1 < bytes.count,
            (bytes[index] == UInt8(ascii: "\\") && !isSpace(bytes[index + 1]))
                || (bytes[index] == UInt8(ascii: ".") && isASCIILetter(bytes[index + 1]))
        {
            index += 1
            while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
            add(.metaCommand, from: start, isSQL: false)
            while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
            let argumentStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            if index > argumentStart { add(.metaArgument, from: argumentStart, isSQL: false) }
            return true
        }
        if starts(with: "--") || starts(with: "/*") {
            comment(isSQL: false)
            return true
        }
        if SQLSpan.startsStatement(in: bytes, at: index) {
            sqlStart = tokens.count
            atStatementStart = false
            atLineStart = false
            return true
        }
        return false
    }

    // MARK: Soup

    private mutating func soupToken() {
        let start = index
        let byte = bytes[index]
        atLineStart = false
        atStatementStart = false
        switch byte {
        case UInt8(ascii: "#"):
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            add(.comment, from: start, isSQL: false)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            soupString(from: start)
        case UInt8(ascii: "."):
            if index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                number(isSQL: false)
            } else {
                index += 1
                add(.punctuation, from: start, isSQL: false)
            }
        case UInt8(ascii: ";"):
            index += 1
            add(.punctuation, from: start, isSQL: false)
            if openBrackets.isEmpty { atStatementStart = true }
        case UInt8(ascii: ","), UInt8(ascii: ":"):
            index += 1
            add(.punctuation, from: start, isSQL: false)
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"),
            UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            bracket(isSQL: false)
        default:
            if isDigit(byte) {
                number(isSQL: false)
            } else if (byte | 0x20 == UInt8(ascii: "r") || byte | 0x20 == UInt8(ascii: "u")), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "'") || bytes[index + 1] == UInt8(ascii: "\"")
            {
                index += 1
                soupString(from: start)
            } else if isNameStart(byte) {
                soupName(from: start)
            } else {
                soupOperator(from: start)
            }
        }
    }

    private mutating func soupName(from start: Int) {
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let word = bytes[start..<index]
        if Self.soupKeywords.contains(where: { $0.elementsEqual(word) }) {
            add(.keyword, from: start, isSQL: false)
            return
        }
        let previous = tokens.last
        if let previous, previous.kind == .punctuation, bytes[previous.range.lowerBound] == UInt8(ascii: "."),
            previous.range.count == 1
        {
            add(.member, from: start, isSQL: false)
            return
        }
        var next = index
        while next < bytes.count, isHorizontalSpace(bytes[next]) { next += 1 }
        let isSingleEquals =
            next < bytes.count && bytes[next] == UInt8(ascii: "=")
            && (next + 1 == bytes.count || bytes[next + 1] != UInt8(ascii: "="))
        if isSingleEquals, let open = openBrackets.last, bytes[tokens[open].range.lowerBound] == UInt8(ascii: "(") {
            add(.keywordArgument, from: start, isSQL: false)
        } else if isSingleEquals, openBrackets.isEmpty, previous == nil || startsStatement(after: previous!) {
            add(.assignedName, from: start, isSQL: false)
        } else {
            add(.name, from: start, isSQL: false)
        }
    }

    /// Whether a soup statement begins right after `token` (a `;`, or a line end outside brackets).
    private func startsStatement(after token: InputToken) -> Bool {
        if token.kind == .punctuation, bytes[token.range.lowerBound] == UInt8(ascii: ";") { return true }
        return bytes[token.range.upperBound..<index].contains(UInt8(ascii: "\n"))
    }

    /// `'…'`, `"…"`, `'''…'''` or `"""…"""` whose prefix (if any) starts at `start`. A one-line
    /// string left open ends at its line's end; a triple-quoted one at the end of the input.
    private mutating func soupString(from start: Int) {
        let quote = bytes[index]
        let isTriple = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
        index += isTriple ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index = min(index + 2, bytes.count)
                continue
            }
            if byte == UInt8(ascii: "\n"), !isTriple { break }
            index += 1
            if byte == quote {
                if !isTriple { return add(.string, from: start, isSQL: false) }
                if index + 1 < bytes.count, bytes[index] == quote, bytes[index + 1] == quote {
                    index += 2
                    return add(.string, from: start, isSQL: false)
                }
            }
        }
        add(.string, from: start, isSQL: false)
        tokens[tokens.count - 1].isUnclosed = true
    }

    private mutating func soupOperator(from start: Int) {
        let two = index + 1 < bytes.count ? [bytes[index], bytes[index + 1]] : []
        if Self.soupPairs.contains(where: { $0.elementsEqual(two) }) {
            index += 2
            return add(.operator, from: start, isSQL: false)
        }
        if Self.soupSingles.contains(bytes[index]) {
            index += 1
            return add(.operator, from: start, isSQL: false)
        }
        index += max(1, scalarLength(at: index))
        add(.unknown, from: start, isSQL: false)
    }

    // MARK: Shared

    /// `--` to the end of the line, or `/* … */` (nested ones too).
    mutating func comment(isSQL: Bool) {
        let start = index
        if starts(with: "--") {
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            return add(.comment, from: start, isSQL: isSQL)
        }
        index += 2
        var depth = 1
        while index < bytes.count, depth > 0 {
            if starts(with: "/*") {
                depth += 1
                index += 2
            } else if starts(with: "*/") {
                depth -= 1
                index += 2
            } else {
                index += 1
            }
        }
        add(.comment, from: start, isSQL: isSQL)
        if depth > 0 { tokens[tokens.count - 1].isUnclosed = true }
    }

    /// Digits, letters and `_` stuck to them, a decimal point and a signed exponent.
    mutating func number(isSQL: Bool) {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if isNameByte(byte) || byte == UInt8(ascii: ".") {
                index += 1
            } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"),
                bytes[index - 1] | 0x20 == UInt8(ascii: "e"), !isHexNumber(from: start)
            {
                index += 1
            } else {
                break
            }
        }
        add(.number, from: start, isSQL: isSQL)
    }

    private func isHexNumber(from start: Int) -> Bool {
        start + 1 < bytes.count && bytes[start] == UInt8(ascii: "0") && bytes[start + 1] | 0x20 == UInt8(ascii: "x")
    }

    mutating func bracket(isSQL: Bool) {
        let start = index
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            openBrackets.append(tokens.count)
            return add(.openBracket, from: start, isSQL: isSQL)
        }
        add(.closeBracket, from: start, isSQL: isSQL)
        let lowest = sqlStart ?? 0
        guard let open = openBrackets.last, open >= lowest, Self.closer(of: bytes[tokens[open].range.lowerBound]) == byte
        else {
            tokens[tokens.count - 1].isStray = true
            return
        }
        openBrackets.removeLast()
    }

    private static func closer(of opener: UInt8) -> UInt8 {
        switch opener {
        case UInt8(ascii: "("): UInt8(ascii: ")")
        case UInt8(ascii: "["): UInt8(ascii: "]")
        default: UInt8(ascii: "}")
        }
    }

    mutating func add(_ kind: InputToken.Kind, from start: Int, isSQL: Bool) {
        tokens.append(InputToken(kind, range: start..<index, isSQL: isSQL))
    }

    func peek(_ distance: Int) -> UInt8? {
        index + distance < bytes.count ? bytes[index + distance] : nil
    }

    private func starts(with text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        return (0..<length).allSatisfy { bytes[index + $0] == text.utf8Start[$0] }
    }

    func scalarLength(at offset: Int) -> Int {
        let lead = bytes[offset]
        return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    }

    private static let soupKeywords: [[UInt8]] = Keyword.allCases.map { Array($0.rawValue.utf8) }
    private static let soupPairs: [[UInt8]] = ["==", "!=", "<=", ">=", "**"].map { Array($0.utf8) }
    private static let soupSingles: Set<UInt8> = Set("<>+-*/%&|~=".utf8)
}

/// A byte that can start a name: an ASCII letter, `_`, or any byte of a non-ASCII character
/// (close enough for colouring; the lexer applies Unicode's rules).
func isNameStart(_ byte: UInt8) -> Bool {
    isASCIILetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
}

/// A byte that can continue a name.
func isNameByte(_ byte: UInt8) -> Bool {
    isNameStart(byte) || isDigit(byte)
}

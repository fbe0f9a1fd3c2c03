/// Where a raw SQL statement without a closing `;` ends.
public enum SQLTermination: Hashable, Sendable {
    /// Scripts and `soup query`: a `;` or the end of the input ends raw SQL.
    case semicolonOrEndOfInput
    /// The REPL: raw SQL goes on until a `;`, so input without one is not finished.
    case semicolon
}

/// Splits soup source into tokens.
///
/// Besides soup's own tokens, the lexer recognises what can only be told apart by its raw text at
/// the start of a statement: raw SQL (one ``TokenKind/sql(_:)`` token up to the `;` that ends it)
/// and meta command lines (``TokenKind/meta(_:)``). At the start of a statement, SQL comments
/// (`--` to the end of the line, `/* … */`) are skipped like `#` comments, so pasted SQL files
/// read; a `/* … */` just before raw SQL on its line stays part of the SQL (routing hints).
public struct Lexer {
    /// A token with its position as UTF-8 offsets; lines and columns are worked out at the end.
    struct RawToken {
        var kind: TokenKind
        var offsets: Range<Int>
    }

    let bytes: [UInt8]
    private let sqlTermination: SQLTermination
    /// The offset of the next byte to read.
    var index = 0
    /// Brackets opened and not yet closed; newlines inside brackets end nothing.
    private var openBrackets = 0
    /// Whether the next token starts a statement (raw SQL may start here).
    private var atStatementStart = true
    /// Whether the next token starts a line and a statement (a meta command may start here).
    private var atLineStart = true
    /// Where a `/* … */` comment skipped at the start of this statement began.
    private var commentStart: Int?

    private init(_ source: String, sqlTermination: SQLTermination) {
        bytes = Array(source.utf8)
        self.sqlTermination = sqlTermination
    }

    /// All the tokens of `source`, ending with ``TokenKind/endOfInput``.
    ///
    /// - Parameters:
    ///   - source: Soup source.
    ///   - sqlTermination: Whether the end of the input ends raw SQL (the default), or only a `;`.
    /// - Throws: A ``ParseError`` for the first malformed token.
    public static func tokenize(
        _ source: String, sqlTermination: SQLTermination = .semicolonOrEndOfInput
    ) throws(ParseError) -> [Token] {
        var lexer = Lexer(source, sqlTermination: sqlTermination)
        var rawTokens: [RawToken] = []
        while true {
            let token = try lexer.next()
            rawTokens.append(token)
            if case .endOfInput = token.kind { break }
        }
        let locator = SourceLocator(source, bytes: lexer.bytes)
        var tokens: [Token] = []
        tokens.reserveCapacity(rawTokens.count)
        for token in rawTokens {
            tokens.append(Token(token.kind, range: locator.range(token.offsets)))
        }
        return tokens
    }

    /// The next token; ``TokenKind/endOfInput`` once the source is exhausted.
    private mutating func next() throws(ParseError) -> RawToken {
        while true {
            while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { return RawToken(kind: .endOfInput, offsets: index..<index) }
            if atStatementStart {
                let before = index
                if let token = try statementStart() { return token }
                if index != before { continue }
            }
            let start = index
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "\n"):
                index += 1
                if atStatementStart {
                    atLineStart = true
                    commentStart = nil
                } else if openBrackets == 0 {
                    defer { (atStatementStart, atLineStart) = (true, true) }
                    return emit(.newline, from: start)
                }
            case UInt8(ascii: "\\"):
                try lineContinuation()
            case UInt8(ascii: ";"):
                index += 1
                defer { atStatementStart = openBrackets == 0 }
                return emit(.semicolon, from: start)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return try string(from: start, isRaw: false)
            case UInt8(ascii: "."):
                if index + 1 < bytes.count, isDigit(bytes[index + 1]) { return try number() }
                return try punctuation()
            default:
                if isDigit(byte) { return try number() }
                if let prefixLength = stringPrefixLength() {
                    index += prefixLength
                    return try string(from: start, isRaw: bytes[start] | 0x20 == UInt8(ascii: "r"))
                }
                if let scalar = identifierStart() { return word(startingWith: scalar) }
                return try punctuation()
            }
        }
    }

    // MARK: Statement starts

    /// At the start of a statement: returns a meta command or raw SQL token, or skips a SQL
    /// comment (moving the index) and returns `nil`, or returns `nil` for soup.
    private mutating func statementStart() throws(ParseError) -> RawToken? {
        if atLineStart, let token = metaCommand() { return token }
        if starts(with: "--") {
            skipLine()
            return nil
        }
        if starts(with: "/*") {
            try skipBlockComment()
            atLineStart = false
            return nil
        }
        guard SQLSpan.startsStatement(in: bytes, at: index) else { return nil }
        let start = commentStart ?? index
        let (end, reason) = SQLSpan.scan(bytes, from: index)
        switch reason {
        case .unterminated(let what, let quoteStart):
            throw unterminated("\(what) in SQL", at: quoteStart)
        case .endOfInput where sqlTermination == .semicolon:
            throw ParseError(
                "the SQL statement is not finished", range: range(trimmed(start..<end)),
                hint: "end it with ';'", needsMoreInput: true)
        default:
            if let nul = bytes[start..<end].firstIndex(of: 0) {
                throw ParseError(
                    "a NUL byte in SQL", range: range(nul..<nul + 1),
                    hint: "the database would stop reading the statement there; remove it")
            }
            index = end
            let text = trimmed(start..<end)
            return emit(
                .sql(String(decoding: bytes[text], as: UTF8.self)), from: text.lowerBound, to: text.upperBound
            )
        }
    }

    /// A meta command line at the index: `\` and any non-space character, or `.` and a letter.
    private mutating func metaCommand() -> RawToken? {
        let start = index
        guard index + 1 < bytes.count else { return nil }
        let style: MetaCommand.Style
        switch bytes[index] {
        case UInt8(ascii: "\\") where !isSpace(bytes[index + 1]): style = .backslash
        case UInt8(ascii: ".") where isASCIILetter(bytes[index + 1]): style = .dot
        default: return nil
        }
        index += 1
        let nameStart = index
        while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let argument = trimmed(index..<lineEnd)
        let end = argument.isEmpty ? index : argument.upperBound
        index = lineEnd
        let command = MetaCommand(
            style: style, name: name, argument: String(decoding: bytes[argument], as: UTF8.self))
        return emit(.meta(command), from: start, to: end)
    }

    // MARK: Helpers

    /// A `\` outside a meta command: a line continuation when it ends the line.
    private mutating func lineContinuation() throws(ParseError) {
        let start = index
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "\r") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
            index += 1
            return
        }
        guard index == bytes.count else {
            throw ParseError(
                "unexpected '\\'", range: range(start..<start + 1),
                hint: "a '\\' continues a statement on the next line only at the very end of a line")
        }
        throw ParseError(
            "the input ends after a line continuation '\\'", range: range(start..<start + 1),
            needsMoreInput: true)
    }

    /// Skips a `/* … */` comment (nested ones too) at the start of a statement.
    private mutating func skipBlockComment() throws(ParseError) {
        let start = index
        commentStart = commentStart ?? start
        index += 2
        var depth = 1
        while depth > 0 {
            guard index < bytes.count else { throw unterminated("comment", at: start) }
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
    }

    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    func starts(with text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        return (0..<length).allSatisfy { bytes[index + $0] == text.utf8Start[$0] }
    }

    /// `offsets` without white space at either end.
    func trimmed(_ offsets: Range<Int>) -> Range<Int> {
        var (start, end) = (offsets.lowerBound, offsets.upperBound)
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// The range of `offsets`, for an error (this reads the whole source, so it is slow).
    func range(_ offsets: Range<Int>) -> SourceRange {
        SourceLocator(String(decoding: bytes, as: UTF8.self), bytes: bytes).range(offsets)
    }

    /// The location of `offset`, for an error (this reads the whole source, so it is slow).
    func location(at offset: Int) -> SourceLocation {
        range(offset..<offset).start
    }

    /// A token from `start` to `end` (the index by default); the statement and line have begun.
    mutating func emit(_ kind: TokenKind, from start: Int, to end: Int? = nil) -> RawToken {
        atStatementStart = false
        atLineStart = false
        commentStart = nil
        return RawToken(kind: kind, offsets: start..<(end ?? index))
    }

    /// Counts brackets, so that newlines inside them end no statement.
    mutating func noteBracket(_ punctuation: Punctuation) {
        switch punctuation {
        case .leftParenthesis, .leftBracket, .leftBrace: openBrackets += 1
        case .rightParenthesis, .rightBracket, .rightBrace: openBrackets = max(openBrackets - 1, 0)
        default: break
        }
    }

    private func unterminated(_ what: String, at start: Int) -> ParseError {
        ParseError(
            "unterminated \(what) starting at \(location(at: start))", range: range(start..<bytes.count),
            needsMoreInput: true)
    }
}

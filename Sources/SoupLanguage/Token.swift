/// One lexical unit of soup source, with where it is.
public struct Token: Hashable, Sendable {
    /// What the token is.
    public var kind: TokenKind
    /// Where the token is in the source.
    public var range: SourceRange

    /// Creates a token.
    public init(_ kind: TokenKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The kinds of token.
public enum TokenKind: Hashable, Sendable {
    /// An identifier: `users`, `filter_by`, `db`.
    case name(String)
    /// An integer literal: `42`, `1_000`, `0xff`.
    case integer(Int)
    /// A floating-point literal: `1.5`, `1e10`, `.5`.
    case float(Double)
    /// A string literal with its escapes resolved.
    case string(String)
    /// A reserved word: an operator word or a constant.
    case keyword(Keyword)
    /// An operator or a bracket.
    case punctuation(Punctuation)
    /// The newline that ends a statement (newlines inside brackets or after `\` make none).
    case newline
    /// `;`, which ends a statement.
    case semicolon
    /// A raw SQL statement, without the `;` that ends it.
    case sql(String)
    /// A meta command line: `\d users`, `.tables`.
    case meta(MetaCommand)
    /// The end of the source.
    case endOfInput
}

/// Reserved words; the raw value is the word as written.
public enum Keyword: String, Hashable, Sendable, CaseIterable {
    /// `and`.
    case and
    /// `or`.
    case or
    /// `not`, also in `not in`.
    case not
    /// `in`.
    case `in`
    /// `is`, also in `is not`.
    case `is`
    /// `None`.
    case none = "None"
    /// `null`, another spelling of `None`.
    case null
    /// `True`.
    case `true` = "True"
    /// `False`.
    case `false` = "False"
}

/// Operators and brackets; the raw value is the token as written (each case is named after it).
public enum Punctuation: String, Hashable, Sendable, CaseIterable {
    case equalEqual = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case plus = "+"
    case minus = "-"
    case star = "*"
    case doubleStar = "**"
    case slash = "/"
    case percent = "%"
    case ampersand = "&"
    case pipe = "|"
    case tilde = "~"
    case equal = "="
    case dot = "."
    case comma = ","
    case colon = ":"
    case leftParenthesis = "("
    case rightParenthesis = ")"
    case leftBracket = "["
    case rightBracket = "]"
    case leftBrace = "{"
    case rightBrace = "}"

    /// The bracket that closes this one, for an opening bracket.
    var closingBracket: Punctuation? {
        switch self {
        case .leftParenthesis: .rightParenthesis
        case .leftBracket: .rightBracket
        case .leftBrace: .rightBrace
        default: nil
        }
    }
}

extension TokenKind: CustomStringConvertible {
    /// The token as error messages name it: `')'`, `name 'users'`, `end of input`.
    public var description: String {
        switch self {
        case .name(let name): "name '\(name)'"
        case .integer(let value): "number \(value)"
        case .float(let value): "number \(value)"
        case .string(let value):
            "string \(Printer.quoted(value.count > 20 ? String(value.prefix(20)) + "…" : value))"
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .punctuation(let punctuation): "'\(punctuation.rawValue)'"
        case .newline: "end of line"
        case .semicolon: "';'"
        case .sql: "SQL statement"
        case .meta: "meta command"
        case .endOfInput: "end of input"
        }
    }
}

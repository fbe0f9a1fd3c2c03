/// Reads soup source into statements.
///
/// ```swift
/// let statements = try Parser.parse("where = db.users.name == 'x'\ndb.users.filter(where).all()")
/// Parser.isComplete("db.users.filter(")   // false: the REPL reads another line
/// ```
///
/// What a statement is depends on how it starts:
/// - Raw SQL: the first word is a SQL keyword (`SELECT`, `with`, `TABLE`, … in any case)
///   followed by white space, a `;` or the end of the input. `select (1)` and `delete (x)` are
///   therefore SQL, while `select(1)`, `delete(x)`, `table.c` and `values[0]` are soup, and so is
///   an assignment `values = 3`. The SQL runs to its `;` (see ``SQLTermination``) or to a line
///   starting with a `\` meta command; its text is kept exactly.
/// - Bare `commit` or `rollback` (any case, alone in the statement) is ``Statement/Kind/commit``
///   or ``Statement/Kind/rollback``, the session's own; `COMMIT WORK` is raw SQL.
/// - A meta command: at the start of a line, `\` and any non-space character, or `.` and a
///   letter (`.5` is a number). It runs to the end of the line.
/// - Anything else is soup: an expression, or an assignment to a name, attribute or item.
///
/// Comparisons do not chain (`a < b < c` is an error, not SQL's meaning nor Python's), and
/// expressions nest at most ``maximumDepth`` deep.
public struct Parser {
    /// How deeply expressions may nest: brackets, operators and calls together.
    ///
    /// Deeper input is refused with a ``ParseError``, so no input can exhaust the stack, and code
    /// walking the tree recursively can rely on the limit (see ``Expression/height``).
    public static let maximumDepth = 200

    /// The statements of `source`.
    ///
    /// - Parameters:
    ///   - source: Soup statements, raw SQL and meta commands, separated by newlines or `;`.
    ///   - sqlTermination: Whether the end of the input ends raw SQL (scripts, the default), or
    ///     only a `;` does (the REPL).
    /// - Throws: A ``ParseError`` for the first thing wrong in `source`.
    public static func parse(
        _ source: String, sqlTermination: SQLTermination = .semicolonOrEndOfInput
    ) throws(ParseError) -> [Statement] {
        var parser = Parser(tokens: try Lexer.tokenize(source, sqlTermination: sqlTermination))
        return try parser.statements()
    }

    /// Whether `text` is finished input, or the REPL should read another line first.
    ///
    /// Text is unfinished while a bracket or a triple-quoted string is open, when it ends with a
    /// line continuation `\`, and (by default, as at the REPL) while raw SQL has not reached its
    /// `;`. Text with any other error is finished: running it reports the error.
    public static func isComplete(_ text: String, sqlTermination: SQLTermination = .semicolon) -> Bool {
        do {
            _ = try parse(text, sqlTermination: sqlTermination)
            return true
        } catch {
            return !error.needsMoreInput
        }
    }

    private var tokens: [Token]
    private var position = 0
    /// How many expressions are being parsed inside each other.
    private var nesting = 0
    /// The tokens that opened the brackets around the current position, innermost last.
    private var openBrackets: [Token] = []

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    // MARK: Statements

    private mutating func statements() throws(ParseError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while current.kind == .newline || current.kind == .semicolon { advance() }
            guard current.kind != .endOfInput else { return statements }
            statements.append(try statement())
            switch current.kind {
            case .newline, .semicolon, .endOfInput:
                continue
            case .punctuation(.rightParenthesis), .punctuation(.rightBracket), .punctuation(.rightBrace):
                throw error("unexpected \(current.kind)", hint: "nothing open here needs closing")
            case .punctuation(.equal):
                throw error("unexpected '='", hint: "assign one target per statement; compare with '=='")
            default:
                throw error(
                    "expected the end of the statement, found \(current.kind)",
                    hint: "separate statements with a newline or ';'")
            }
        }
    }

    private mutating func statement() throws(ParseError) -> Statement {
        let first = current
        switch first.kind {
        case .sql(let text):
            advance()
            return Statement(.sql(text), range: first.range)
        case .meta(let command):
            advance()
            return Statement(.meta(command), range: first.range)
        default:
            break
        }
        let expression = try expression()
        if current.kind == .punctuation(.equal) {
            let target = try assignmentTarget(expression)
            advance()
            let value = try self.expression()
            return Statement(.assignment(target, value), range: expression.range.extended(to: value.range))
        }
        if case .name(let name) = first.kind, expression.range == first.range {
            switch name.lowercased() {
            case "commit": return Statement(.commit, range: first.range)
            case "rollback": return Statement(.rollback, range: first.range)
            default: break
            }
        }
        return Statement(.expression(expression), range: expression.range)
    }

    private func assignmentTarget(_ expression: Expression) throws(ParseError) -> AssignmentTarget {
        switch expression.kind {
        case .name(let name):
            return AssignmentTarget(.name(name), range: expression.range)
        case .attribute(let base, let name):
            return AssignmentTarget(.attribute(base, name), range: expression.range)
        case .subscript(let base, let index):
            if case .slice = index.kind { break }
            return AssignmentTarget(.subscript(base, index), range: expression.range)
        default:
            break
        }
        throw ParseError(
            "cannot assign to \(expression.kind.noun)", range: expression.range,
            hint: "assign to a name (x = …), an attribute (row.email = …) or an item (d['k'] = …); "
                + "compare with '=='")
    }

    // MARK: Tokens

    var current: Token { tokens[position] }

    /// The token after the current one.
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    /// The token before the current one, if any.
    var previous: Token? { position > 0 ? tokens[position - 1] : nil }

    mutating func advance(by count: Int = 1) {
        position = min(position + count, tokens.count - 1)
    }

    func check(_ punctuation: Punctuation) -> Bool {
        guard case .punctuation(let found) = current.kind else { return false }
        return found == punctuation
    }

    /// Consumes an opening bracket.
    mutating func openBracket() {
        openBrackets.append(current)
        advance()
    }

    /// Consumes the bracket that closes the innermost open one; returns it.
    mutating func closeBracket() throws(ParseError) -> Token {
        guard let opening = openBrackets.last, case .punctuation(let open) = opening.kind,
            let closing = open.closingBracket
        else { preconditionFailure("no bracket is open") }
        guard check(closing) else {
            throw error(
                "expected '\(closing.rawValue)' to close '\(open.rawValue)' opened at \(opening.range.start)",
                hint: current.kind.startsExpression ? "is a ',' missing?" : nil)
        }
        openBrackets.removeLast()
        defer { advance() }
        return current
    }

    /// An error at the current token, or just after the previous one when the current one is the
    /// end of the line or input (so that the caret points at the gap).
    func error(_ message: String, hint: String? = nil) -> ParseError {
        var range = current.range
        if current.kind == .newline || current.kind == .endOfInput, let previous {
            range = SourceRange(at: previous.range.end)
        }
        return ParseError(
            message, range: range, hint: hint,
            needsMoreInput: current.kind == .endOfInput && !openBrackets.isEmpty)
    }

    /// An error for a token where an expression should be.
    func expectedExpression() -> ParseError {
        if case .punctuation(let punctuation) = current.kind,
            [.rightParenthesis, .rightBracket, .rightBrace].contains(punctuation)
        {
            guard let opening = openBrackets.last else { return error("unexpected \(current.kind)") }
            if case .punctuation(let open) = opening.kind, open.closingBracket != punctuation {
                return error(
                    "expected '\(open.closingBracket?.rawValue ?? "")' to close '\(open.rawValue)' "
                        + "opened at \(opening.range.start)")
            }
        }
        switch previous?.kind {
        case nil, .newline, .semicolon:
            return error("unexpected \(current.kind)")
        case .punctuation(let punctuation):
            return error("expected an expression after '\(punctuation.rawValue)'")
        case .keyword(let keyword):
            return error("expected an expression after '\(keyword.rawValue)'")
        default:
            return error("expected an expression, found \(current.kind)")
        }
    }

    /// An expression node, refused when it would nest deeper than ``maximumDepth``.
    func make(_ kind: Expression.Kind, _ range: SourceRange) throws(ParseError) -> Expression {
        let expression = Expression(kind, range: range)
        guard expression.height <= Self.maximumDepth else { throw tooDeep(range) }
        return expression
    }

    func tooDeep(_ range: SourceRange) -> ParseError {
        ParseError("expression nested too deeply (more than \(Self.maximumDepth) levels)", range: range)
    }

    /// Counts one more level of nesting for the duration of `body`.
    mutating func nested<T>(_ body: (inout Parser) throws(ParseError) -> T) throws(ParseError) -> T {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumDepth else { throw tooDeep(current.range) }
        return try body(&self)
    }
}

extension TokenKind {
    /// Whether a token of this kind can begin an expression.
    var startsExpression: Bool {
        switch self {
        case .name, .integer, .float, .string: true
        case .keyword(let keyword): keyword != .and && keyword != .or && keyword != .in && keyword != .is
        case .punctuation(let punctuation):
            [.leftParenthesis, .leftBracket, .leftBrace, .minus, .plus, .tilde].contains(punctuation)
        default: false
        }
    }
}

extension Expression.Kind {
    /// What error messages call an expression of this kind: `a call`, `a literal`.
    var noun: String {
        switch self {
        case .integer, .float, .string, .none, .boolean: "a literal"
        case .name: "a name"
        case .list: "a list"
        case .tuple: "a tuple"
        case .dictionary: "a dictionary"
        case .attribute: "an attribute"
        case .call: "a call"
        case .subscript, .slice: "a slice"  // only a subscript by a slice cannot be assigned
        case .unary(let op, _): "the result of '\(op.rawValue)'"
        case .binary(let op, _, _): "the result of '\(op.rawValue)'"
        }
    }
}

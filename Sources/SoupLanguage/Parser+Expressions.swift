/// Expressions, by precedence climbing (a Pratt parser) over Python's operator precedence.
extension Parser {
    /// An expression whose operators bind at least as tightly as `minimum`.
    mutating func expression(_ minimum: Precedence = .or) throws(ParseError) -> Expression {
        try nested { parser throws(ParseError) in
            var left = try parser.prefix(minimum)
            var hasComparison = false
            while let (op, width) = parser.infixOperator(), op.precedence >= minimum {
                if op.precedence == .comparison {
                    guard !hasComparison else {
                        throw parser.error(
                            "comparisons cannot be chained",
                            hint: "compare two values at a time, joined with 'and'")
                    }
                    hasComparison = true
                }
                parser.advance(by: width)
                let right = try parser.expression(op.precedence.tighter)
                left = try parser.make(.binary(op, left, right), left.range.extended(to: right.range))
            }
            return left
        }
    }

    /// The binary operator at the current token, and how many tokens spell it.
    private func infixOperator() -> (BinaryOperator, Int)? {
        switch current.kind {
        case .keyword(.and): (.and, 1)
        case .keyword(.or): (.or, 1)
        case .keyword(.in): (.in, 1)
        case .keyword(.not) where next.kind == .keyword(.in): (.notIn, 2)
        case .keyword(.is) where next.kind == .keyword(.not): (.isNot, 2)
        case .keyword(.is): (.is, 1)
        case .punctuation(let punctuation): BinaryOperator(rawValue: punctuation.rawValue).map { ($0, 1) }
        default: nil
        }
    }

    /// A prefix operator and its operand, or a primary expression with its postfix operations.
    private mutating func prefix(_ minimum: Precedence) throws(ParseError) -> Expression {
        let token = current
        let op: UnaryOperator
        switch token.kind {
        case .keyword(.not):
            guard minimum <= .not else {
                throw error("'not' needs parentheses here", hint: "write (not …)")
            }
            op = .not
        case .punctuation(.minus): op = .negate
        case .punctuation(.plus): op = .plus
        case .punctuation(.tilde): op = .invert
        default: return try postfix(primary())
        }
        advance()
        let operand = try expression(op.precedence)
        return try make(.unary(op, operand), token.range.extended(to: operand.range))
    }

    /// Attribute access, calls and subscripts after `base`.
    private mutating func postfix(_ base: Expression) throws(ParseError) -> Expression {
        var expression = base
        while true {
            switch current.kind {
            case .punctuation(.dot):
                advance()
                guard case .name(let name) = current.kind else {
                    throw error("expected an attribute name after '.', found \(current.kind)")
                }
                let attribute = Identifier(name, range: current.range)
                advance()
                expression = try make(
                    .attribute(expression, attribute), expression.range.extended(to: attribute.range))
            case .punctuation(.leftParenthesis):
                openBracket()
                let arguments = try arguments()
                let end = try closeBracket()
                expression = try make(.call(expression, arguments), expression.range.extended(to: end.range))
            case .punctuation(.leftBracket):
                openBracket()
                guard !check(.rightBracket) else { throw error("expected an index or a slice inside '[]'") }
                let index = try subscriptIndex()
                let end = try closeBracket()
                expression = try make(.subscript(expression, index), expression.range.extended(to: end.range))
            default:
                return expression
            }
        }
    }

    /// A literal, a name, or a bracketed expression.
    private mutating func primary() throws(ParseError) -> Expression {
        let token = current
        let kind: Expression.Kind
        switch token.kind {
        case .integer(let value): kind = .integer(value)
        case .float(let value): kind = .float(value)
        case .name(let name): kind = .name(name)
        case .keyword(.none), .keyword(.null): kind = .none
        case .keyword(.true): kind = .boolean(true)
        case .keyword(.false): kind = .boolean(false)
        case .string(var value):
            // Adjacent strings are one string, as in Python: 'SELECT …' 'FROM …'.
            var range = token.range
            advance()
            while case .string(let more) = current.kind {
                value += more
                range = range.extended(to: current.range)
                advance()
            }
            return try make(.string(value), range)
        case .punctuation(.leftParenthesis): return try parenthesized()
        case .punctuation(.leftBracket):
            openBracket()
            let elements = try commaSeparated { parser throws(ParseError) in try parser.expression() }
            let end = try closeBracket()
            return try make(.list(elements.items), token.range.extended(to: end.range))
        case .punctuation(.leftBrace):
            openBracket()
            let entries = try commaSeparated { parser throws(ParseError) in try parser.dictionaryEntry() }
            let end = try closeBracket()
            return try make(.dictionary(entries.items), token.range.extended(to: end.range))
        default:
            throw expectedExpression()
        }
        advance()
        return try make(kind, token.range)
    }

    /// `(x)` (just `x`, its range widened to the parentheses), or a tuple: `()`, `(x,)`, `(x, y)`.
    private mutating func parenthesized() throws(ParseError) -> Expression {
        let open = current
        openBracket()
        let elements = try commaSeparated { parser throws(ParseError) in try parser.expression() }
        let end = try closeBracket()
        let range = open.range.extended(to: end.range)
        guard elements.items.count == 1, !elements.hasComma, var expression = elements.items.first else {
            return try make(.tuple(elements.items), range)
        }
        expression.range = range
        return expression
    }

    /// Items separated by commas, with an optional trailing comma, up to (not including) the
    /// closing bracket; also whether there was a comma.
    private mutating func commaSeparated<Item>(
        _ item: (inout Parser) throws(ParseError) -> Item
    ) throws(ParseError) -> (items: [Item], hasComma: Bool) {
        var items: [Item] = []
        var hasComma = false
        while !isAtClosingBracket, current.kind != .endOfInput {
            items.append(try item(&self))
            guard check(.comma) else { break }
            hasComma = true
            advance()
        }
        return (items, hasComma)
    }

    private var isAtClosingBracket: Bool {
        check(.rightParenthesis) || check(.rightBracket) || check(.rightBrace)
    }

    private mutating func dictionaryEntry() throws(ParseError) -> DictionaryEntry {
        let key = try expression()
        guard check(.colon) else {
            throw error(
                "expected ':' after a dictionary key", hint: "a dictionary is written {key: value, …}")
        }
        advance()
        return DictionaryEntry(key: key, value: try expression())
    }

    /// The arguments of a call, up to (not including) the `)`.
    private mutating func arguments() throws(ParseError) -> [Argument] {
        var labels: Set<String> = []
        var hasKeyword = false
        var hasDictionaryUnpacking = false
        return try commaSeparated { parser throws(ParseError) in
            let start = parser.current
            let kind: Argument.Kind
            switch start.kind {
            case .punctuation(.star):
                guard !hasDictionaryUnpacking else {
                    throw parser.error("'*' unpacking cannot follow '**' unpacking")
                }
                kind = .unpackedSequence
                parser.advance()
            case .punctuation(.doubleStar):
                kind = .unpackedDictionary
                hasDictionaryUnpacking = true
                parser.advance()
            case .name(let label) where parser.next.kind == .punctuation(.equal):
                guard labels.insert(label).inserted else {
                    throw parser.error("keyword argument '\(label)' is repeated")
                }
                kind = .keyword(Identifier(label, range: start.range))
                hasKeyword = true
                parser.advance(by: 2)
            default:
                kind = .positional
            }
            let value = try parser.expression()
            if kind == .positional {
                if parser.check(.equal) {
                    throw parser.error(
                        "a keyword argument needs a plain name before '='", hint: "did you mean '=='?")
                }
                if hasKeyword || hasDictionaryUnpacking {
                    throw ParseError("positional argument follows keyword argument", range: value.range)
                }
            }
            return Argument(kind, value: value, range: start.range.extended(to: value.range))
        }.items
    }

    /// An index, or a slice `lower:upper:step` with each part optional.
    private mutating func subscriptIndex() throws(ParseError) -> Expression {
        var lower: Expression?
        if !check(.colon) {
            let index = try expression()
            guard check(.colon) else { return index }
            lower = index
        }
        var range = (lower?.range ?? current.range).extended(to: current.range)
        advance()
        var upper: Expression?
        var step: Expression?
        if !check(.colon), !check(.rightBracket) {
            upper = try expression()
        }
        range = range.extended(to: upper?.range ?? range)
        if check(.colon) {
            range = range.extended(to: current.range)
            advance()
            if !check(.rightBracket) {
                let value = try expression()
                step = value
                range = range.extended(to: value.range)
            }
        }
        return try make(.slice(lower: lower, upper: upper, step: step), range)
    }
}

/// The completion context inside raw SQL: which clause the cursor is in (tables after `FROM`,
/// columns after `SELECT`/`WHERE`/…, keywords after a finished expression), and the tables the
/// statement names, with their aliases.
struct SQLContextReader {
    typealias Context = CompletionContext

    let reader: ContextReader
    let word: Range<Int>
    /// The index of the first token not before the word.
    let before: Int

    /// Clauses followed by a table.
    static let tableClauses: Set<String> = ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"]
    /// Clauses followed by column expressions.
    static let columnClauses: Set<String> = [
        "SELECT", "WHERE", "ON", "BY", "SET", "HAVING", "AND", "OR", "NOT", "DISTINCT", "WHEN", "THEN", "ELSE",
        "CASE", "RETURNING", "USING",
    ]
    /// Column clauses where a function call is unusual.
    private static let withoutFunctions: Set<String> = ["SET", "ON", "USING"]
    /// Words after which a name is neither a column nor a table.
    private static let stops: Set<String> = ["LIMIT", "OFFSET", "AS", "VALUES", "DEFAULT", "INTERVAL", "FETCH"]

    private var tokens: [InputToken] { reader.tokens }

    func context() -> Context {
        var first = before
        while first > 0, tokens[first - 1].isSQL, !reader.isSemicolon(tokens[first - 1]) { first -= 1 }
        var end = before
        while end < tokens.count, tokens[end].isSQL, !reader.isSemicolon(tokens[end]) { end += 1 }
        let tables = tableReferences(in: first..<end)
        guard before > first else { return reader.make(.name(atStatementStart: true), word: word) }
        var previous = before - 1
        var qualifier: String?
        if isPunctuation(previous, "."), previous > first, tokens[previous - 1].kind == .sqlIdentifier
            || tokens[previous - 1].kind == .sqlKeyword
        {
            qualifier = name(tokens[previous - 1])
            previous -= 2
        }
        guard previous >= first else { return reader.make(.sqlKeyword, word: word, sqlTables: tables) }
        let (clause, clauseIndex) = self.clause(endingAt: previous, first: first)
        var kind = Context.Kind.sqlKeyword
        if let clause, Self.tableClauses.contains(clause) {
            let followsClause = previous == clauseIndex || isPunctuation(previous, ",") && clause == "FROM"
            if followsClause { kind = .sqlTable(schema: qualifier) }
        } else if let clause, Self.columnClauses.contains(clause) {
            if qualifier != nil {
                kind = .sqlColumn(qualifier: qualifier, functions: false)
            } else if startsExpression(previous) {
                kind = .sqlColumn(qualifier: nil, functions: !Self.withoutFunctions.contains(clause))
            }
        } else if clause == "(", let table = insertedTable(before: clauseIndex) {
            // INSERT INTO t (…: the columns of t.
            return reader.make(.sqlColumn(qualifier: table, functions: false), word: word, sqlTables: tables)
        }
        return reader.make(kind, word: word, sqlTables: tables)
    }

    /// The clause keyword that governs the position after token `last`, and its index; `(`
    /// when the position is inside an unclosed bracket that no clause inside it governs.
    private func clause(endingAt last: Int, first: Int) -> (String?, Int) {
        var depth = 0
        var index = last
        while index >= first {
            let token = tokens[index]
            if token.kind == .closeBracket {
                depth += 1
            } else if token.kind == .openBracket {
                if depth == 0, insertedTable(before: index) != nil { return ("(", index) }
                depth = max(depth - 1, 0)
            } else if depth == 0, token.kind == .sqlKeyword {
                let word = reader.text(token).uppercased()
                if Self.tableClauses.contains(word) || Self.columnClauses.contains(word) || Self.stops.contains(word) {
                    return (word, index)
                }
            }
            index -= 1
        }
        return (nil, first)
    }

    /// Whether a new expression starts after token `index`: a keyword, `,`, `(` or an operator.
    private func startsExpression(_ index: Int) -> Bool {
        switch tokens[index].kind {
        case .sqlKeyword, .openBracket, .operator: return true
        case .punctuation: return isPunctuation(index, ",")
        default: return false
        }
    }

    /// The table of `INSERT INTO table (` when token `open` is that bracket.
    private func insertedTable(before open: Int) -> String? {
        guard open >= 2, tokens[open - 1].kind == .sqlIdentifier, tokens[open - 2].kind == .sqlKeyword,
            reader.text(tokens[open - 2]).uppercased() == "INTO"
        else { return nil }
        return name(tokens[open - 1])
    }

    // MARK: Tables of the statement

    /// Every `[schema.]name [AS] alias` after `FROM`, `JOIN`, `UPDATE`, `INTO` or `TABLE`, and
    /// after the commas of a `FROM` list.
    private func tableReferences(in statement: Range<Int>) -> [Context.SQLTable] {
        var tables: [Context.SQLTable] = []
        var index = statement.lowerBound
        while index < statement.upperBound {
            let token = tokens[index]
            index += 1
            guard token.kind == .sqlKeyword else { continue }
            let keyword = reader.text(token).uppercased()
            guard Self.tableClauses.contains(keyword) else { continue }
            while index < statement.upperBound {
                let (table, next) = tableReference(at: index, end: statement.upperBound)
                if let table { tables.append(table) }
                index = next
                guard keyword == "FROM", index < statement.upperBound, isPunctuation(index, ",") else { break }
                index += 1
            }
        }
        return tables
    }

    /// The table reference that starts at token `start`, and the index after it.
    private func tableReference(at start: Int, end: Int) -> (Context.SQLTable?, Int) {
        var index = start
        while index < end, tokens[index].kind == .sqlKeyword,
            ["ONLY", "LATERAL"].contains(reader.text(tokens[index]).uppercased())
        {
            index += 1
        }
        guard index < end, tokens[index].kind == .sqlIdentifier else { return (nil, index) }
        var table = Context.SQLTable(name: name(tokens[index]))
        index += 1
        if index + 1 < end, isPunctuation(index, "."), tokens[index + 1].kind == .sqlIdentifier {
            table.schema = table.name
            table.name = name(tokens[index + 1])
            index += 2
        }
        if index < end, tokens[index].kind == .sqlKeyword, reader.text(tokens[index]).uppercased() == "AS" { index += 1 }
        if index < end, tokens[index].kind == .sqlIdentifier, tokens[index].range.upperBound <= word.lowerBound
            || tokens[index].range.lowerBound > word.upperBound
        {
            table.alias = name(tokens[index])
            index += 1
        }
        return (table, index)
    }

    // MARK: Helpers

    private func isPunctuation(_ index: Int, _ symbol: Unicode.Scalar) -> Bool {
        let token = tokens[index]
        return token.kind == .punctuation && token.range.count == 1
            && reader.bytes[token.range.lowerBound] == UInt8(ascii: symbol)
    }

    /// A SQL name as the database reads it: without its quotes (a doubled quote inside is one).
    private func name(_ token: InputToken) -> String {
        let text = reader.text(token)
        guard let first = text.first, first == "\"" || first == "`" || first == "[" else { return text }
        let closing: Character = first == "[" ? "]" : first
        var inner = text.dropFirst()
        if !token.isUnclosed, inner.last == closing { inner = inner.dropLast() }
        return first == "[" ? String(inner) : inner.replacingOccurrences(of: String(first) + String(first), with: String(first))
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

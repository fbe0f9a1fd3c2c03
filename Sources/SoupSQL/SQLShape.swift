/// Parts of one SQL statement that soup acts on before running it: an EXPLAIN to draw as a
/// tree, a read to run as a cursor, an UPDATE or DELETE of every row, the names a filter mentions.
public enum SQLShape {
    /// An `EXPLAIN` that soup runs itself, to draw its plan as a tree.
    public struct Explain: Sendable, Equatable {
        /// `EXPLAIN ANALYZE`: the statement runs (a write inside a savepoint rolled back).
        public var analyze: Bool
        /// The statement explained.
        public var statement: String
    }

    /// `EXPLAIN [QUERY PLAN] [ANALYZE] [VERBOSE] statement`; nil for anything else, and for an
    /// EXPLAIN with options in parentheses (`EXPLAIN (FORMAT YAML) …`), which runs as written.
    public static func explain(in sql: String) -> Explain? {
        var rest = Substring(sql).drop { $0.isWhitespace }
        func take(_ word: String) -> Bool {
            let candidate = rest.prefix(word.count)
            guard candidate.lowercased() == word else { return false }
            let after = rest.dropFirst(word.count)
            guard after.first.map({ $0.isWhitespace || $0 == "(" }) ?? true else { return false }
            rest = after.drop { $0.isWhitespace }
            return true
        }
        guard take("explain") else { return nil }
        if take("query") { guard take("plan") else { return nil } }
        let analyze = take("analyze") || take("analyse")
        _ = take("verbose")
        guard let first = rest.first, first != "(" else { return nil }
        return Explain(analyze: analyze, statement: String(rest))
    }

    /// The query of `sql` when it can run as a server-side cursor (`DECLARE … CURSOR FOR query`,
    /// PostgreSQL): one SELECT, VALUES, TABLE or WITH statement that only reads, cut before its
    /// `;` and any comment after it. Nil for anything else, and for a statement whose
    /// `soup:bind` hint sends it elsewhere than the statements that would fetch from its cursor.
    public static func cursorQuery(in sql: String) -> String? {
        let tokens = SQLTokens(sql)
        guard tokens.statements.count == 1, let statement = tokens.statements.first, let last = statement.last,
            let verb = statement.first(where: { $0.kind == .word }), ["select", "values", "table", "with"].contains(verb.text)
        else { return nil }
        let classification = SQLClassifier.classify(sql)
        guard classification.kind == .read, classification.hintedBinding == nil else { return nil }
        return String(String.UnicodeScalarView(sql.unicodeScalars.prefix(last.range.upperBound)))
    }

    /// The table of an `UPDATE` or `DELETE` that has no `WHERE`: it changes every row.
    public static func unfilteredWriteTable(in sql: String) -> String? {
        // Most statements are told apart by their first word, before any tokenizing.
        if let word = SQLTokens.leadingWord(of: sql), word != "update", word != "delete" { return nil }
        guard let tokens = SQLTokens(sql).statements.first, let verb = tokens.first, verb.kind == .word,
            verb.text == "update" || verb.text == "delete"
        else { return nil }
        guard !tokens.contains(where: { $0.depth == 0 && $0.isWord("where") }) else { return nil }
        let names = tokens.dropFirst().drop { $0.isWord("from") || $0.isWord("only") }
        guard let name = names.first, name.kind == .word || name.kind == .quotedName else { return nil }
        var table = name.text
        // schema.table
        let after = names.dropFirst()
        if after.first?.text == ".", let part = after.dropFirst().first, part.kind == .word || part.kind == .quotedName {
            table += "." + part.text
        }
        return table
    }

    /// The names (lowercased) that follow `WHERE`, `ON` or `HAVING` in `sql`: columns a filter
    /// or join compares, which an index could serve. A qualified name stays qualified
    /// (`t.album_id`), so that it is told apart from a column of the same name of another table.
    public static func filteredNames(in sql: String) -> Set<String> {
        var names: Set<String> = []
        func name(_ token: SQLToken) -> String? {
            switch token.kind {
            case .word: token.text
            case .quotedName: token.text.lowercased()
            default: nil
            }
        }
        for statement in SQLTokens(sql).statements {
            var filtering = false
            var index = 0
            while index < statement.count {
                let token = statement[index]
                defer { index += 1 }
                if token.kind == .word, ["where", "on", "having"].contains(token.text) {
                    filtering = true
                } else if token.kind == .word, ["group", "order", "limit", "select", "from", "join", "returning"].contains(token.text) {
                    filtering = false
                } else if filtering, let first = name(token) {
                    if index + 2 < statement.count, statement[index + 1].text == ".", let second = name(statement[index + 2]) {
                        names.insert(first + "." + second)
                        index += 2
                    } else {
                        names.insert(first)
                    }
                }
            }
        }
        return names
    }
}

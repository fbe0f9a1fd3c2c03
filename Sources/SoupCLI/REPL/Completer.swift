import SoupCore
import SoupOutput

/// Tab completion for the REPL (SPEC §5): meta commands, tables, columns after `entity.`,
/// methods, SQL keywords and variables.
///
/// It never reflects every table: table names come from one catalog listing (cached until the
/// next input runs), and only the table named before a `.` is reflected for its columns.
struct Completer {
    /// Table and view names as they can be typed.
    var tableNames: () -> [String]
    /// The columns of the table or entity variable `name`, or nil when it is neither.
    var columns: (_ name: String) -> [String]?
    /// The names of the session's variables.
    var variables: () -> [String]

    func complete(_ request: CompletionRequest) -> CompletionResult {
        let before = request.before
        let word = request.word
        let leading = before.drop { $0 == " " || $0 == "\t" }
        if leading.isEmpty, word.hasPrefix("\\") {
            return .words(Self.matching(word, MetaCommandTable.backslashNames), appendSpace: true)
        }
        if leading == "." {
            return .words(Self.matching(word, MetaCommandTable.dotNames), appendSpace: true)
        }
        if let command = Self.metaCommand(in: leading) {
            return completeArgument(of: command, word: word)
        }
        if before.last == "." {
            return .words(members(of: String(before.dropLast()), word: word), appendSpace: false)
        }
        if Self.isSQL(leading) {
            return .words(Self.matching(word, tableNames()) + Self.keywords(matching: word), appendSpace: true)
        }
        let names = variables() + Builtin.allCases.map(\.rawValue) + ["db"] + tableNames()
        var words = Self.matching(word, names)
        // At the start of a line, SQL can begin: offer the words that start it.
        if !word.isEmpty, leading.isEmpty { words += Self.keywords(matching: word, in: Self.statementKeywords) }
        return .words(Array(Set(words)).sorted(), appendSpace: false)
    }

    /// What can follow `receiver.`: columns and methods of a table or entity, `db`'s methods
    /// and tables, or query methods after a call.
    private func members(of text: String, word: String) -> [String] {
        let receiver = String(text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        let owner = text.dropLast(receiver.count)
        var names: [String] = []
        if receiver.isEmpty {
            // `users.filter(...).`: a query.
            if text.last == ")" { names = Soup.queryMethods.map { $0 + "(" } }
        } else if receiver == "db", owner.isEmpty || owner.last != "." {
            names = Soup.soupMethods.map { $0 + "(" } + tableNames()
        } else if receiver == "c", owner.last == "." {
            names = columns(String(owner.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())) ?? []
        } else if let columns = columns(receiver) {
            names = columns + ["c"] + Soup.queryMethods.union(Soup.entityMethods).map { $0 + "(" }
        }
        return Self.preferringExactMethod(Self.matching(word, names))
    }

    /// When one method's name is the common prefix of all matches (`filter` of `filter(` and
    /// `filter_by(`), completes that method: `users.fil<TAB>` gives `filter(`; typing
    /// `filter_` reaches `filter_by(`.
    private static func preferringExactMethod(_ matches: [String]) -> [String] {
        guard matches.count > 1 else { return matches }
        let prefix = matches.dropFirst().reduce(matches[0]) { common, next in
            String(zip(common, next).prefix { $0 == $1 }.map(\.0))
        }
        return matches.contains(prefix + "(") ? [prefix + "("] : matches
    }

    private func completeArgument(of command: String, word: String) -> CompletionResult {
        switch MetaCommandTable.canonicalName(command) {
        case "d", "dt", "dv", "di", "refresh":
            return .words(Self.matching(word, tableNames()), appendSpace: false)
        case "i", "o":
            return .fileNames
        case "format":
            return .words(Self.matching(word, OutputFormat.allCases.map(\.rawValue)), appendSpace: false)
        case "x":
            return .words(Self.matching(word, ["on", "off", "auto"]), appendSpace: false)
        case "timing", "echo", "autocommit", "pager":
            return .words(Self.matching(word, ["on", "off"]), appendSpace: false)
        case "use":
            return .words(Self.matching(word, ["writer"]), appendSpace: false)
        default:
            return .words([], appendSpace: false)
        }
    }

    /// The command name when `line` is a meta command followed by white space.
    private static func metaCommand(in line: Substring) -> String? {
        guard let first = line.first, first == "\\" || first == "." else { return nil }
        guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        return String(line[line.index(after: line.startIndex)..<space])
    }

    /// Whether the line so far is SQL: its first word is a SQL keyword followed by a space.
    private static func isSQL(_ line: Substring) -> Bool {
        let first = line.prefix { $0.isLetter }
        guard !first.isEmpty, line.dropFirst(first.count).first?.isWhitespace == true else { return false }
        return statementKeywords.contains(first.uppercased())
    }

    private static func matching(_ word: String, _ names: [String]) -> [String] {
        Array(Set(names.filter { $0.hasPrefix(word) })).sorted()
    }

    /// SQL keywords starting with `word` in any case, spelled in the case `word` is typed in.
    private static func keywords(matching word: String, in keywords: Set<String> = allKeywords) -> [String] {
        let upper = word.uppercased()
        let lowercase = !word.isEmpty && word == word.lowercased()
        return keywords.filter { $0.hasPrefix(upper) }.sorted()
            .map { lowercase ? $0.lowercased() : $0 }
    }

    /// The words that start raw SQL (SPEC §2.1).
    static let statementKeywords: Set<String> = [
        "SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "EXPLAIN", "PRAGMA",
        "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "VALUES", "SHOW", "SET", "ANALYZE", "VACUUM",
        "GRANT", "REVOKE", "TRUNCATE", "COPY", "MERGE", "REPLACE", "ATTACH", "DETACH", "REINDEX", "CALL",
        "DO", "COMMENT", "LOCK", "REFRESH", "TABLE",
    ]

    private static let allKeywords = statementKeywords.union(clauseKeywords)

    private static let clauseKeywords: Set<String> = [
        "FROM", "WHERE", "GROUP", "ORDER", "BY", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT",
        "INNER", "OUTER", "CROSS", "FULL", "ON", "USING", "AS", "AND", "OR", "NOT", "NULL", "IS", "IN",
        "LIKE", "ILIKE", "BETWEEN", "EXISTS", "DISTINCT", "UNION", "INTERSECT", "EXCEPT", "ALL", "INTO",
        "RETURNING", "CASE", "WHEN", "THEN", "ELSE", "END", "ASC", "DESC", "DEFAULT", "PRIMARY", "KEY",
        "REFERENCES", "INDEX", "VIEW", "UNIQUE", "CHECK", "CONSTRAINT", "COUNT", "TRANSACTION",
    ]
}

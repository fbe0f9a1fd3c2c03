/// The tables a SQL statement names after `FROM`, `JOIN`, `UPDATE`, `INTO` and `TABLE`, with
/// their aliases: what a "no such column" error can be about.
///
/// ```swift
/// SQLTableReferences.in("SELECT u.nme FROM users u JOIN loans AS l ON …")
/// // [(name "users", alias "u"), (name "loans", alias "l")]
/// ```
public struct SQLTableReference: Sendable, Equatable {
    /// The table's name; unquoted names are lowercased, as the tokenizer reads them.
    public var name: String
    public var schema: String?
    public var alias: String?

    public init(name: String, schema: String? = nil, alias: String? = nil) {
        self.name = name
        self.schema = schema
        self.alias = alias
    }
}

public enum SQLTableReferences {
    private static let introducers: Set<String> = ["from", "join", "update", "into", "table"]
    /// Words after a table name that end it rather than alias it.
    private static let notAliases: Set<String> = [
        "where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "group", "order",
        "limit", "offset", "having", "window", "union", "intersect", "except", "set", "values", "select",
        "returning", "default", "as", "fetch", "for", "lateral", "only", "outer", "do",
    ]

    /// The tables named in the first statement of `sql`, in order, each once.
    public static func `in`(_ sql: String) -> [SQLTableReference] {
        guard let tokens = SQLTokens(sql).statements.first else { return [] }
        var references: [SQLTableReference] = []
        var index = 0
        func isName(_ at: Int) -> Bool {
            at < tokens.count && (tokens[at].kind == .quotedName || (tokens[at].kind == .word && !notAliases.contains(tokens[at].text)))
        }
        while index < tokens.count {
            defer { index += 1 }
            guard tokens[index].kind == .word, introducers.contains(tokens[index].text) else { continue }
            var next = index + 1
            if next < tokens.count, tokens[next].isWord("only") { next += 1 }
            // FROM a, b: each name in the list, at the depth of the FROM.
            while isName(next) {
                var reference = SQLTableReference(name: tokens[next].text)
                next += 1
                if next + 1 < tokens.count, tokens[next].text == ".", isName(next + 1) {
                    reference.schema = reference.name
                    reference.name = tokens[next + 1].text
                    next += 2
                }
                if next < tokens.count, tokens[next].isWord("as") { next += 1 }
                if isName(next) {
                    reference.alias = tokens[next].text
                    next += 1
                }
                if !references.contains(reference) { references.append(reference) }
                guard next < tokens.count, tokens[next].text == ",", tokens[index].isWord("from") else { break }
                next += 1
            }
        }
        return references
    }
}

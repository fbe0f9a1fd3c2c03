import SoupDriver

/// Masks the secrets a statement carries, for the audit log and `--echo`: the parameters bound
/// to columns whose names say they hold secrets, and in the SQL text the string literals that
/// are passwords (`ALTER ROLE x PASSWORD 'p'`, `CREATE USER … WITH ENCRYPTED PASSWORD '…'`,
/// `OPTIONS (password '…')`) or that are compared with or assigned to such columns.
public enum SecretMask {
    static let mask = "***"
    private static let secretWords = ["password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "credential"]

    static func isSecret(_ column: String) -> Bool {
        let lower = column.lowercased()
        return secretWords.contains { lower.contains($0) }
    }

    /// Each parameter as text, masked when it is compared with or assigned to a secret column
    /// (`password = $1`, `INSERT INTO t (password) VALUES (?)`).
    public static func parameters(of sql: String, _ parameters: [Value]) -> [String] {
        var rendered = parameters.map { "\($0)" }
        guard !parameters.isEmpty, let tokens = SQLTokens(sql).statements.first else { return rendered }
        var sequential = 0
        for (index, token) in tokens.enumerated() {
            let parameter: Int?
            if token.text == "?" {
                parameter = sequential
                sequential += 1
            } else if token.text == "$", index + 1 < tokens.count, let number = Int(tokens[index + 1].text) {
                parameter = number - 1
            } else {
                parameter = nil
            }
            guard let parameter, parameter < rendered.count, holdsSecret(at: index, in: tokens) else { continue }
            rendered[parameter] = mask
        }
        return rendered
    }

    /// The SQL text with every password literal and every literal given to a secret column
    /// replaced by `'***'`; read with the SQL tokenizer, so quotes, comments and dollar quotes
    /// are where the database sees them. Text without such a literal comes back unchanged.
    public static func text(_ sql: String) -> String {
        // Most statements cannot hold one: skip the tokenizer for them.
        guard sql.contains("'") || sql.contains("$") else { return sql }
        var masked: [Range<Int>] = []
        for tokens in SQLTokens(sql).statements {
            for (index, token) in tokens.enumerated() where token.kind == .string {
                let isPassword = index > 0 && tokens[index - 1].isWord("password")
                if isPassword || holdsSecret(at: index, in: tokens) { masked.append(token.range) }
            }
        }
        guard !masked.isEmpty else { return sql }
        var scalars = Array(sql.unicodeScalars)
        for range in masked.reversed() where range.upperBound <= scalars.count {
            scalars.replaceSubrange(range, with: "'\(mask)'".unicodeScalars)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Whether the value at `index` (a parameter or a literal) is compared with or assigned to
    /// a secret column: `password = …`, or its place in an INSERT's VALUES row.
    private static func holdsSecret(at index: Int, in tokens: [SQLToken]) -> Bool {
        let token = tokens[index]
        if index >= 2, tokens[index - 1].text == "=", [.word, .quotedName].contains(tokens[index - 2].kind) {
            return isSecret(tokens[index - 2].text)
        }
        guard tokens.first?.isWord("insert") == true,
            let valuesStart = tokens[..<index].firstIndex(where: { $0.isWord("values") })
        else { return false }
        // The first parenthesized list of an INSERT names its columns.
        guard let open = tokens[..<valuesStart].firstIndex(where: { $0.kind == .openParen }) else { return false }
        let columns = tokens[(open + 1)...].prefix { $0.kind != .closeParen }
            .filter { $0.kind == .word || $0.kind == .quotedName }.map(\.text)
        // Count the commas before it within its own row of the VALUES list.
        let row = tokens[valuesStart..<index].lastIndex { $0.kind == .openParen && $0.depth == token.depth - 1 } ?? valuesStart
        let position = tokens[row..<index].filter { $0.text == "," && $0.depth == token.depth }.count
        return position < columns.count && isSecret(columns[position])
    }
}

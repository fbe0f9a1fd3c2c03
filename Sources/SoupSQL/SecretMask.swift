import SoupDriver

/// Masks the parameters bound to columns whose names say they hold secrets (the audit log,
/// `--echo`).
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
        var insertColumns: [String] = []
        var valuesStart: Int?
        var sequential = 0
        for (index, token) in tokens.enumerated() {
            if token.isWord("values"), valuesStart == nil { valuesStart = index }
            // The first parenthesized list of an INSERT names its columns.
            if tokens.first?.isWord("insert") == true, insertColumns.isEmpty, valuesStart == nil, token.kind == .openParen {
                insertColumns = tokens[(index + 1)...].prefix { $0.kind != .closeParen }
                    .filter { $0.kind == .word || $0.kind == .quotedName }.map(\.text)
            }
            let parameter: Int?
            if token.text == "?" {
                parameter = sequential
                sequential += 1
            } else if token.text == "$", index + 1 < tokens.count, let number = Int(tokens[index + 1].text) {
                parameter = number - 1
            } else {
                parameter = nil
            }
            guard let parameter, parameter < rendered.count else { continue }
            var column: String?
            if index >= 2, tokens[index - 1].text == "=", [.word, .quotedName].contains(tokens[index - 2].kind) {
                column = tokens[index - 2].text
            } else if let valuesStart {
                // Count the commas before it within its own row of the VALUES list.
                let row = tokens[valuesStart..<index].lastIndex { $0.kind == .openParen && $0.depth == token.depth - 1 } ?? valuesStart
                let position = tokens[row..<index].filter { $0.text == "," && $0.depth == token.depth }.count
                column = position < insertColumns.count ? insertColumns[position] : nil
            }
            if let column, isSecret(column) { rendered[parameter] = mask }
        }
        return rendered
    }
}
